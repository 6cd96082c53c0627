package org.dsa110.contimg.science.transients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compares the sources detected in one image with the reference catalog (science.md "Transient candidates").
 *
 * <ul>
 *   <li>A detection is matched to the nearest catalog source within 10″.</li>
 *   <li>Unmatched detection with S/N ≥ 5 → {@link Type#NEW}, significance = its S/N.</li>
 *   <li>Matched: σ_var = |F_obs − F_base| / √(σ_obs² + (0.05·F_base)²); if σ_var ≥ 3 the flux ratio F_obs/F_base
 *       decides: &gt; 1.5 {@link Type#BRIGHTENING}, &lt; 0.67 {@link Type#FADING}, else {@link Type#VARIABLE};
 *       significance = σ_var.</li>
 *   <li>Catalog source ≥ 10 mJy with no detection within 10″ → {@link Type#FADING}. Its significance uses the same
 *       σ_var formula with F_obs = 0 and σ_obs = the image rms (our choice: science.md gives no significance for
 *       this case, and the alert level needs one).</li>
 *   <li>Alert: CRITICAL if new and ≥ 10σ; HIGH if ≥ 7σ and brightening, fading or new; else MEDIUM.</li>
 * </ul>
 * The caller passes only catalog sources inside the searched image area, with positions in degrees (ICRS/J2000).
 */
public final class TransientClassifier {

    public static final double MATCH_RADIUS_ARCSEC = 10.0;
    public static final double MIN_NEW_SNR = 5.0;
    public static final double MIN_VAR_SIGMA = 3.0;
    public static final double CALIBRATION_FRACTION = 0.05;
    public static final double BRIGHTENING_RATIO = 1.5;
    public static final double FADING_RATIO = 0.67;
    public static final double MIN_CATALOG_FLUX_JY = 0.010;

    public enum Type {
        NEW, BRIGHTENING, FADING, VARIABLE;

        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum AlertLevel { CRITICAL, HIGH, MEDIUM }

    /** Human classification of a candidate (stored lower-case). */
    public enum Classification { REAL, ARTIFACT, VARIABLE, UNCERTAIN }

    /** Follow-up state of a candidate (stored lower-case). */
    public enum FollowUpStatus { PENDING, SCHEDULED, COMPLETED, DECLINED }

    /** A source detected in the image, positions converted to the sky by the caller. */
    public record Detection(String id, double raDeg, double decDeg, double fluxJy, double fluxErrJy, double snr) {
    }

    /** A reference-catalog source. */
    public record CatalogSource(String name, double raDeg, double decDeg, double fluxJy) {
    }

    /**
     * A transient candidate. {@code detection} is null for a catalog source that was not detected;
     * {@code catalogSource} is null for a new source; {@code fluxRatio} is F_obs/F_base (NaN for new sources, 0 for
     * non-detections) and {@code separationArcsec} NaN when there is no match.
     */
    public record Candidate(Type type, Detection detection, CatalogSource catalogSource, double significance,
                            double fluxRatio, double separationArcsec, AlertLevel alertLevel) {
    }

    private final double matchRadiusArcsec;

    public TransientClassifier() {
        this(MATCH_RADIUS_ARCSEC);
    }

    public TransientClassifier(double matchRadiusArcsec) {
        this.matchRadiusArcsec = matchRadiusArcsec;
    }

    /**
     * Classifies all detections and catalog sources of one image.
     *
     * @param imageRmsJy image noise (Jy/beam), used for the significance of non-detected catalog sources
     * @return candidates in the order: detections (input order), then non-detected catalog sources (catalog order)
     */
    public List<Candidate> classify(List<Detection> detections, List<CatalogSource> catalog, double imageRmsJy) {
        CatalogSource[] byDec = catalog.toArray(new CatalogSource[0]);
        Arrays.sort(byDec, Comparator.comparingDouble(CatalogSource::decDeg));
        double[] decs = Arrays.stream(byDec).mapToDouble(CatalogSource::decDeg).toArray();
        double radiusDeg = matchRadiusArcsec / 3600.0;
        Set<CatalogSource> detected = Collections.newSetFromMap(new IdentityHashMap<>());

        List<Candidate> out = new ArrayList<>();
        for (Detection d : detections) {
            CatalogSource best = null;
            double bestSep = Double.POSITIVE_INFINITY;
            for (int i = lowerBound(decs, d.decDeg() - radiusDeg); i < byDec.length
                    && decs[i] <= d.decDeg() + radiusDeg; i++) {
                double sep = angularSeparationDeg(d.raDeg(), d.decDeg(), byDec[i].raDeg(), byDec[i].decDeg());
                if (sep <= radiusDeg) {
                    detected.add(byDec[i]);
                    if (sep < bestSep) {
                        bestSep = sep;
                        best = byDec[i];
                    }
                }
            }
            Candidate c = best == null ? classifyUnmatched(d) : classifyMatched(d, best, bestSep * 3600.0);
            if (c != null) {
                out.add(c);
            }
        }
        for (CatalogSource s : catalog) {
            if (!detected.contains(s) && s.fluxJy() >= MIN_CATALOG_FLUX_JY) {
                double sig = variabilitySigma(0.0, imageRmsJy, s.fluxJy());
                out.add(new Candidate(Type.FADING, null, s, sig, 0.0, Double.NaN, alertLevel(Type.FADING, sig)));
            }
        }
        return out;
    }

    /** Unmatched detection: new if S/N ≥ 5, otherwise nothing (null). */
    public static Candidate classifyUnmatched(Detection d) {
        if (!(d.snr() >= MIN_NEW_SNR)) {
            return null;
        }
        return new Candidate(Type.NEW, d, null, d.snr(), Double.NaN, Double.NaN, alertLevel(Type.NEW, d.snr()));
    }

    /** Matched detection: a candidate if σ_var ≥ 3, otherwise nothing (null). */
    public static Candidate classifyMatched(Detection d, CatalogSource s, double separationArcsec) {
        double sig = variabilitySigma(d.fluxJy(), d.fluxErrJy(), s.fluxJy());
        if (!(sig >= MIN_VAR_SIGMA)) {
            return null;
        }
        double ratio = d.fluxJy() / s.fluxJy();
        Type type = ratio > BRIGHTENING_RATIO ? Type.BRIGHTENING : ratio < FADING_RATIO ? Type.FADING : Type.VARIABLE;
        return new Candidate(type, d, s, sig, ratio, separationArcsec, alertLevel(type, sig));
    }

    /** science.md: σ_var = |F_obs − F_base| / √(σ_obs² + (0.05·F_base)²). */
    public static double variabilitySigma(double fluxObsJy, double sigmaObsJy, double fluxBaseJy) {
        double calib = CALIBRATION_FRACTION * fluxBaseJy;
        return Math.abs(fluxObsJy - fluxBaseJy) / Math.sqrt(sigmaObsJy * sigmaObsJy + calib * calib);
    }

    /** science.md: CRITICAL if new and ≥ 10σ; HIGH if ≥ 7σ and brightening/fading/new; else MEDIUM. */
    public static AlertLevel alertLevel(Type type, double significance) {
        if (type == Type.NEW && significance >= 10.0) {
            return AlertLevel.CRITICAL;
        }
        if (significance >= 7.0 && type != Type.VARIABLE) {
            return AlertLevel.HIGH;
        }
        return AlertLevel.MEDIUM;
    }

    /** Great-circle separation in degrees (haversine form, accurate at small separations). */
    public static double angularSeparationDeg(double ra1Deg, double dec1Deg, double ra2Deg, double dec2Deg) {
        double d1 = Math.toRadians(dec1Deg), d2 = Math.toRadians(dec2Deg);
        double sinDdec = Math.sin(0.5 * (d2 - d1));
        double sinDra = Math.sin(0.5 * Math.toRadians(ra2Deg - ra1Deg));
        double h = sinDdec * sinDdec + Math.cos(d1) * Math.cos(d2) * sinDra * sinDra;
        return Math.toDegrees(2.0 * Math.asin(Math.min(1.0, Math.sqrt(h))));
    }

    /** First index with decs[i] ≥ value. */
    private static int lowerBound(double[] decs, double value) {
        int lo = 0, hi = decs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (decs[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
