package org.dsa110.contimg.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.store.Db;

/**
 * Catalog validation of an image against the reference catalog (science.md "Calibration QA"): sources found
 * blindly at ≥ {@code detectionSigma}·rms are cross-matched one-to-one (closest pairs first) with the catalog
 * sources that lie on the image, within the match radius (10″).
 * <ul>
 * <li>astrometry: RMS and median of the separations, median RA (×cos δ) and Dec offsets (image − catalog);</li>
 * <li>flux scale: ratio detected peak (Jy/beam) / catalog flux (Jy) per match, mean and standard deviation after
 * iterative 3σ clipping; error = |1 − mean|, fail &gt; 0.2, warn &gt; 0.1 or scatter &gt; 0.3;</li>
 * <li>completeness: matched / catalog sources on the image bright enough to be detected (catalog flux ≥
 * detectionSigma·rms); below 0.95 warns.</li>
 * </ul>
 * Each run is stored in {@code catalog_validation} with the full report (incl. the matched pairs) as JSON.
 */
public final class CatalogValidator {
    public static final List<String> TYPES = List.of("astrometry", "flux_scale", "completeness");

    private final Db db;
    private final ImageRegistry images;
    private final ReferenceCatalog catalog;
    private final QaSettings settings;

    public CatalogValidator(Db db, ImageRegistry images, ReferenceCatalog catalog, QaSettings settings) {
        this.db = db;
        this.images = images;
        this.catalog = catalog;
        this.settings = settings;
    }

    /** Validation types of a request: null/empty/"all" → all; "source_counts" is completeness. */
    public static List<String> types(List<String> requested) {
        if (requested == null || requested.isEmpty() || requested.contains("all")) {
            return TYPES;
        }
        List<String> out = new ArrayList<>();
        for (String t : requested) {
            String n = "source_counts".equals(t) ? "completeness" : t;
            if (!TYPES.contains(n)) {
                throw HubException.invalidParameter("validation_types", t,
                        "any of astrometry, flux_scale, completeness (source_counts), all");
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** A catalog source on the image, its pixel position and its match (null when unmatched). */
    record Entry(ReferenceCatalog.CatalogSource source, double x, double y, ImageSources.Detection match) {
        double fluxJy() {
            return source.fluxMjy() == null ? Double.NaN : source.fluxMjy() / 1000.0;
        }
    }

    /** Catalog sources on the image (optionally ≥ minFluxJy) matched to the image's detections within radius. */
    List<Entry> crossMatch(long imageId, String catalogName, double radiusArcsec, Double minFluxJy,
                           List<ImageSources.Detection> detectionsOut) {
        Map<String, Object> img = images.row(imageId);
        Double rms = Rows.dbl(img, "noise_jy");
        try (FitsImage fits = images.open(imageId)) {
            CelestialWcs wcs = fits.wcs();
            int w = fits.width();
            int h = fits.height();
            double[] c = wcs.pixelToWorld((w - 1) / 2.0, (h - 1) / 2.0);
            double radiusDeg = Math.hypot(w, h) / 2.0 * wcs.pixelScaleDeg();
            List<ImageSources.Detection> dets = rms == null ? List.of()
                    : ImageSources.find(fits, rms, settings.detectionSigma());
            detectionsOut.addAll(dets);
            List<Entry> onImage = new ArrayList<>();
            for (ReferenceCatalog.CatalogSource s : catalog.cone(SkyCoords.normalizeDeg(c[0]), c[1], radiusDeg,
                    catalogName.toUpperCase(Locale.ROOT), minFluxJy == null ? null : minFluxJy * 1000)) {
                double[] p = wcs.worldToPixel(s.raDeg(), s.decDeg());
                if (Double.isFinite(p[0]) && p[0] >= -0.5 && p[1] >= -0.5 && p[0] <= w - 0.5 && p[1] <= h - 0.5) {
                    onImage.add(new Entry(s, p[0], p[1], null));
                }
            }
            // One-to-one: all pairs within the radius, closest first.
            record Pair(int entry, int det, double sep) {
            }
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < onImage.size(); i++) {
                ReferenceCatalog.CatalogSource s = onImage.get(i).source();
                for (int j = 0; j < dets.size(); j++) {
                    double sep = SkyCoords.separationDeg(s.raDeg(), s.decDeg(), dets.get(j).raDeg(),
                            dets.get(j).decDeg()) * 3600;
                    if (sep <= radiusArcsec) {
                        pairs.add(new Pair(i, j, sep));
                    }
                }
            }
            pairs.sort(Comparator.comparingDouble(Pair::sep));
            boolean[] usedDet = new boolean[dets.size()];
            ImageSources.Detection[] matchOf = new ImageSources.Detection[onImage.size()];
            for (Pair p : pairs) {
                if (matchOf[p.entry()] == null && !usedDet[p.det()]) {
                    matchOf[p.entry()] = dets.get(p.det());
                    usedDet[p.det()] = true;
                }
            }
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < onImage.size(); i++) {
                Entry e = onImage.get(i);
                out.add(new Entry(e.source(), e.x(), e.y(), matchOf[i]));
            }
            return out;
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read image " + imageId + ": " + e.getMessage(), Map.of());
        }
    }

    /** Runs a validation now, stores it and returns its view. */
    public ValidationView.Validation run(long imageId, String catalogName, List<String> types) {
        Map<String, Object> img = images.row(imageId);
        double rms = Rows.dblOr(img, "noise_jy", Double.NaN);
        List<ImageSources.Detection> dets = new ArrayList<>();
        List<Entry> entries = crossMatch(imageId, catalogName, settings.matchRadiusArcsec(), null, dets);
        Map<String, Object> report = new LinkedHashMap<>();
        List<ValidationView.Finding> findings = new ArrayList<>();
        String status = "pass";
        List<Entry> matched = entries.stream().filter(e -> e.match() != null).toList();
        // astrometry
        double[] sep = new double[matched.size()];
        double[] dra = new double[matched.size()];
        double[] ddec = new double[matched.size()];
        List<Map<String, Object>> pairs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < matched.size(); i++) {
            Entry e = matched.get(i);
            ImageSources.Detection d = e.match();
            double dRa = SkyCoords.normalizeDeg(d.raDeg() - e.source().raDeg() + 180) - 180;
            dra[i] = dRa * Math.cos(Math.toRadians(e.source().decDeg())) * 3600;
            ddec[i] = (d.decDeg() - e.source().decDeg()) * 3600;
            sep[i] = SkyCoords.separationDeg(e.source().raDeg(), e.source().decDeg(), d.raDeg(), d.decDeg()) * 3600;
            double ratio = d.peakJy() / e.fluxJy();
            if (Double.isFinite(ratio)) {
                ratios.add(ratio);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source_id", e.source().sourceId());
            m.put("catalog_ra_deg", e.source().raDeg());
            m.put("catalog_dec_deg", e.source().decDeg());
            m.put("catalog_flux_jy", Rows.num(e.fluxJy()));
            m.put("image_ra_deg", d.raDeg());
            m.put("image_dec_deg", d.decDeg());
            m.put("image_peak_jy", d.peakJy());
            m.put("snr", d.snr());
            m.put("ra_offset_arcsec", dra[i]);
            m.put("dec_offset_arcsec", ddec[i]);
            m.put("separation_arcsec", sep[i]);
            m.put("flux_ratio", Rows.num(ratio));
            pairs.add(m);
        }
        Double astroRms = sep.length == 0 ? null : Math.sqrt(Arrays.stream(sep).map(v -> v * v).average().orElse(0));
        Double astroMedian = sep.length == 0 ? null : median(sep);
        if (types.contains("astrometry")) {
            if (sep.length == 0) {
                findings.add(warning("astrometry", "astrometry: no catalog source matched within "
                        + settings.matchRadiusArcsec() + " arcsec"));
                status = worst(status, "warn");
            } else if (astroRms > settings.astrometryWarnArcsec()) {
                findings.add(warning("astrometry", String.format(Locale.ROOT,
                        "astrometry: offset RMS %.2f arcsec > %.2f", astroRms, settings.astrometryWarnArcsec())));
                status = worst(status, "warn");
            }
        }
        double[] clipped = clippedMeanStd(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        Double ratioMean = Rows.num(clipped[0]);
        Double ratioStd = Rows.num(clipped[1]);
        Double fluxError = ratioMean == null ? null : Math.abs(1 - ratioMean);
        if (types.contains("flux_scale")) {
            if (fluxError == null) {
                findings.add(warning("flux_scale", "flux_scale: no matched source with a catalog flux"));
                status = worst(status, "warn");
            } else if (fluxError > settings.fluxFail()) {
                findings.add(new ValidationView.Finding("flux_scale", "issue", String.format(Locale.ROOT,
                        "flux_scale: error %.3f > %.2f", fluxError, settings.fluxFail())));
                status = worst(status, "fail");
            } else if (fluxError > settings.fluxWarn() || (ratioStd != null && ratioStd > settings.fluxScatterWarn())) {
                findings.add(warning("flux_scale", String.format(Locale.ROOT,
                        "flux_scale: error %.3f or scatter %s above the warning level", fluxError, ratioStd)));
                status = worst(status, "warn");
            }
        }
        List<Entry> detectable = entries.stream()
                .filter(e -> Double.isFinite(rms) && e.fluxJy() >= settings.detectionSigma() * rms).toList();
        long detectedOfDetectable = detectable.stream().filter(e -> e.match() != null).count();
        Double completeness = detectable.isEmpty() ? null : detectedOfDetectable / (double) detectable.size();
        if (types.contains("completeness")) {
            if (completeness == null) {
                findings.add(warning("completeness",
                        "completeness: no catalog source on the image above the detection limit"));
                status = worst(status, "warn");
            } else if (completeness < settings.completenessMin()) {
                findings.add(warning("completeness", String.format(Locale.ROOT, "completeness %.3f < %.2f",
                        completeness, settings.completenessMin())));
                status = worst(status, "warn");
            }
        }
        report.put("issues", findings.stream().map(ValidationView.Finding::message).toList());
        report.put("findings", findings);
        report.put("detection_limit_jy", Rows.num(settings.detectionSigma() * rms));
        report.put("match_radius_arcsec", settings.matchRadiusArcsec());
        report.put("n_detectable", detectable.size());
        report.put("missed", detectable.stream().filter(e -> e.match() == null).map(e -> Map.of("source_id",
                e.source().sourceId(), "ra_deg", e.source().raDeg(), "dec_deg", e.source().decDeg(), "flux_jy",
                e.fluxJy())).toList());
        report.put("matches", pairs);
        String reportJson;
        String typesJson;
        try {
            reportJson = Json.MAPPER.writeValueAsString(report);
            typesJson = Json.MAPPER.writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long id = db.insert("INSERT INTO catalog_validation (image_id, catalog, validation_types, "
                + "astrometry_rms_arcsec, astrometry_median_arcsec, ra_offset_median_arcsec, dec_offset_median_arcsec, "
                + "flux_ratio_mean, flux_ratio_std, flux_scale_error, completeness, n_matched, n_detected, n_catalog, "
                + "status, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "id", imageId,
                catalogName.toLowerCase(Locale.ROOT), typesJson, astroRms, astroMedian,
                dra.length == 0 ? null : median(dra), ddec.length == 0 ? null : median(ddec), ratioMean, ratioStd,
                fluxError, completeness, matched.size(), dets.size(), entries.size(), status, reportJson);
        return ValidationView.of(db.one("SELECT * FROM catalog_validation WHERE id = ?", id).orElseThrow(),
                Set.copyOf(types));
    }

    private static ValidationView.Finding warning(String section, String message) {
        return new ValidationView.Finding(section, "warning", message);
    }

    /** The newest stored validation of an image against a catalog, or null. */
    public ValidationView.Validation latest(long imageId, String catalogName, Set<String> sections) {
        images.row(imageId);
        return db.one("SELECT * FROM catalog_validation WHERE image_id = ? AND catalog = ? ORDER BY run_at DESC, "
                + "id DESC LIMIT 1", imageId, catalogName.toLowerCase(Locale.ROOT))
                .map(r -> ValidationView.of(r, sections)).orElse(null);
    }

    /** GET /api/qa/images/{id}/catalog-overlay. */
    public record Overlay(long imageId, String catalog, double searchRadiusArcsec, List<OverlaySource> sources,
            int total, long nMatched, int nDetected) {
    }

    /**
     * A catalog source at pixel (x, y); the image_* fields and the separation describe its matched detection and
     * are null when {@code matched} is false.
     */
    public record OverlaySource(String sourceId, double raDeg, double decDeg, Double fluxJy, double x, double y,
            boolean matched, Double imageRaDeg, Double imageDecDeg, Double imagePeakJy, Double separationArcsec) {
    }

    /** Catalog overlay: catalog sources on the image with pixel positions and their detection, if any. */
    public Overlay overlay(long imageId, String catalogName, double radiusArcsec, Double minFluxJy) {
        List<ImageSources.Detection> dets = new ArrayList<>();
        List<OverlaySource> sources = new ArrayList<>();
        for (Entry e : crossMatch(imageId, catalogName, radiusArcsec, minFluxJy, dets)) {
            ImageSources.Detection d = e.match();
            sources.add(new OverlaySource(e.source().sourceId(), e.source().raDeg(), e.source().decDeg(),
                    Rows.num(e.fluxJy()), e.x(), e.y(), d != null, d == null ? null : d.raDeg(),
                    d == null ? null : d.decDeg(), d == null ? null : d.peakJy(), d == null ? null
                            : SkyCoords.separationDeg(e.source().raDeg(), e.source().decDeg(), d.raDeg(), d.decDeg())
                                    * 3600));
        }
        return new Overlay(imageId, catalogName.toLowerCase(Locale.ROOT), radiusArcsec, sources, sources.size(),
                sources.stream().filter(OverlaySource::matched).count(), dets.size());
    }

    static String worst(String a, String b) {
        List<String> order = List.of("pass", "warn", "fail");
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Mean and sample standard deviation after iterative 3σ clipping about the mean; NaN when empty. */
    static double[] clippedMeanStd(double[] values) {
        double[] v = values;
        for (int iter = 0; iter < 20 && v.length > 0; iter++) {
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double std = std(v, mean);
            double[] kept = Arrays.stream(v).filter(x -> Math.abs(x - mean) <= 3 * std || std == 0).toArray();
            if (kept.length == v.length) {
                break;
            }
            v = kept;
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        return new double[] {mean, v.length < 2 ? Double.NaN : std(v, mean)};
    }

    private static double std(double[] v, double mean) {
        if (v.length < 2) {
            return 0;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }
}
