package org.dsa110.contimg.science.radio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds calibrators in a group's fields (science.md "Calibrator matching"): a calibrator counts when it lies within
 * {@code searchRadius} (2°) of a field centre; its merit is PB response × L-band flux, maximised over fields; the
 * recommended fields are those whose response is at least {@code minPb} (0.5) × the peak response.
 *
 * <p>Field centres and the catalogue must be in the same frame (the catalogue is J2000/ICRS; convert drift-scan
 * meridian centres, which are apparent, with {@link Astrometry}).
 */
public final class CalibratorMatcher {

    public static final double DEFAULT_SEARCH_RADIUS_DEG = 2.0;
    public static final double DEFAULT_MIN_PB = 0.5;
    public static final double TRANSIT_WINDOW_MINUTES = 30.0;
    public static final double DEC_TOLERANCE_DEG = 2.5;
    /** Centre of the DSA-110 band (1.3114-1.4986 GHz). */
    public static final double DSA110_CENTRE_FREQ_HZ = 1.405e9;
    /** Sidereal day in SI seconds (mean). */
    public static final double SIDEREAL_DAY_SEC = 86164.0905;

    private final List<VlaCalibrator> catalog;
    private final PrimaryBeam beam;
    private final double freqHz;
    private final double searchRadiusRad;
    private final double minPb;

    public CalibratorMatcher(List<VlaCalibrator> catalog, PrimaryBeam beam, double freqHz, double searchRadiusDeg,
                             double minPb) {
        this.catalog = List.copyOf(catalog);
        this.beam = beam;
        this.freqHz = freqHz;
        this.searchRadiusRad = Math.toRadians(searchRadiusDeg);
        this.minPb = minPb;
    }

    /** Bundled VLA L-band list, DSA-110 Airy beam at band centre, 2° radius, min_pb 0.5. */
    public static CalibratorMatcher dsa110Default() {
        return new CalibratorMatcher(VlaCalibratorCatalog.loadLBand(), PrimaryBeam.dsa110(), DSA110_CENTRE_FREQ_HZ,
            DEFAULT_SEARCH_RADIUS_DEG, DEFAULT_MIN_PB);
    }

    /**
     * Every calibrator within the search radius of at least one field centre, best (highest weighted flux) first.
     *
     * @param fieldRaRad  field-centre RAs (radians)
     * @param fieldDecRad field-centre Decs (radians), same length
     */
    public List<CalibratorMatch> matchAll(double[] fieldRaRad, double[] fieldDecRad) {
        if (fieldRaRad.length != fieldDecRad.length || fieldRaRad.length == 0) {
            throw new IllegalArgumentException("need equal-length, non-empty field centre arrays");
        }
        double minDec = Double.POSITIVE_INFINITY, maxDec = Double.NEGATIVE_INFINITY;
        for (double d : fieldDecRad) {
            minDec = Math.min(minDec, d);
            maxDec = Math.max(maxDec, d);
        }
        List<CalibratorMatch> out = new ArrayList<>();
        for (VlaCalibrator cal : catalog) {
            if (cal.decRad() < minDec - searchRadiusRad || cal.decRad() > maxDec + searchRadiusRad) {
                continue; // cheap declination pre-cut
            }
            CalibratorMatch m = evaluate(cal, fieldRaRad, fieldDecRad);
            if (m != null) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparingDouble(CalibratorMatch::weightedFluxJy).reversed());
        return out;
    }

    /** The calibrator maximising PB response × flux, if any lies within the search radius of a field. */
    public Optional<CalibratorMatch> best(double[] fieldRaRad, double[] fieldDecRad) {
        List<CalibratorMatch> all = matchAll(fieldRaRad, fieldDecRad);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private CalibratorMatch evaluate(VlaCalibrator cal, double[] ra, double[] dec) {
        double[] response = new double[ra.length];
        int best = -1;
        double bestSep = Double.NaN;
        for (int f = 0; f < ra.length; f++) {
            double sep = SkyGeometry.separationRad(cal.raRad(), cal.decRad(), ra[f], dec[f]);
            if (sep <= searchRadiusRad) {
                response[f] = beam.response(sep, freqHz);
                if (best < 0 || response[f] > response[best]) {
                    best = f;
                    bestSep = sep;
                }
            }
        }
        if (best < 0) {
            return null;
        }
        double peak = response[best];
        int[] recommended = java.util.stream.IntStream.range(0, ra.length)
            .filter(f -> response[f] > 0 && response[f] >= minPb * peak).toArray();
        double weighted = peak * cal.fluxJy();
        return new CalibratorMatch(cal, best, Math.toDegrees(bestSep), peak, weighted, response, recommended,
            CalibratorMatch.Quality.of(weighted, peak));
    }

    /** Calibrators whose declination is within {@code toleranceDeg} of the pointing declination. */
    public List<VlaCalibrator> declinationCandidates(double pointingDecRad, double toleranceDeg) {
        double tol = Math.toRadians(toleranceDeg);
        return catalog.stream().filter(c -> Math.abs(c.decRad() - pointingDecRad) <= tol).toList();
    }

    /** True when |Dec(cal) − pointing Dec| ≤ tolerance (default {@value #DEC_TOLERANCE_DEG}°). */
    public static boolean withinDeclinationTolerance(double calDecRad, double pointingDecRad, double toleranceDeg) {
        return Math.abs(calDecRad - pointingDecRad) <= Math.toRadians(toleranceDeg);
    }

    /** Apparent hour angle (radians, in (−π, π]) of the ICRS position (ra, dec) at time {@code jd} (UTC). */
    public static double hourAngleRad(Astrometry astrometry, double raRad, double decRad, double jd) {
        Astrometry.Instant at = astrometry.at(jd);
        double h = JulianDate.wrap(at.lastRad() - at.icrsToApparent(raRad, decRad)[0]);
        return h > Math.PI ? h - 2 * Math.PI : h;
    }

    /** Time (JD, UTC) of the meridian transit of the ICRS position (ra, dec) nearest to {@code nearJd}. */
    public static double nearestTransitJd(Astrometry astrometry, double raRad, double decRad, double nearJd) {
        double jd = nearJd;
        for (int i = 0; i < 3; i++) { // converges to < 1 ms in two steps
            double h = hourAngleRad(astrometry, raRad, decRad, jd);
            jd -= h / (2 * Math.PI) * SIDEREAL_DAY_SEC / 86400.0;
        }
        return jd;
    }

    /** True when {@code jd} is within ±windowMinutes of the source's nearest transit. */
    public static boolean inTransitWindow(Astrometry astrometry, double raRad, double decRad, double jd,
                                          double windowMinutes) {
        double h = hourAngleRad(astrometry, raRad, decRad, jd);
        double minutesFromTransit = Math.abs(h) / (2 * Math.PI) * SIDEREAL_DAY_SEC / 60.0;
        return minutesFromTransit <= windowMinutes;
    }
}
