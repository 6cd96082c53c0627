package org.dsa110.contimg.transients;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.transients.SourceFinder;
import org.dsa110.contimg.science.transients.TransientClassifier;
import org.dsa110.contimg.science.transients.TransientClassifier.AlertLevel;
import org.dsa110.contimg.science.transients.TransientClassifier.Candidate;
import org.dsa110.contimg.science.transients.TransientClassifier.Type;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.store.Db;

/**
 * The transient search of one registered image (science.md "Transient candidates").
 *
 * <ol>
 * <li>Noise: the robust rms (1.4826·MAD) of the whole image plane.</li>
 * <li>Sources: {@link SourceFinder} islands (8-connected pixels ≥ grow-sigma·rms, kept when the peak reaches
 * detection-sigma·rms, default 5σ); position = the island's flux-weighted centroid through the image WCS, flux =
 * its peak (Jy/beam, the same quantity forced photometry compares with the catalog), error = the rms.</li>
 * <li>Catalog: reference-catalog sources inside the image, at least one beam (3 px without a beam) from its edge
 * and on finite pixels.</li>
 * <li>{@link TransientClassifier}: match within the match radius; new / brightening / fading / variable and the
 * alert level. Decision: a catalog source that was not detected counts as fading only when its σ_var reaches 3,
 * the significance rule of matched sources, so sources below the image's detection limit are not flagged.</li>
 * <li>Store: the image's earlier candidates (and their alerts) are replaced in one transaction; every candidate
 * at or above the alert min-level gets a {@code transient_alerts} row and an {@code alert_history} entry
 * (alert_type {@code transient}, severity critical / warning / info for CRITICAL / HIGH / MEDIUM), and a
 * {@code transient_alert} event; {@code images.source_count} = the islands found.</li>
 * </ol>
 */
public final class TransientSearch {

    /** Search parameters ({@code hub.transients.*}). */
    public record Settings(SourceFinder.Parameters finder, double matchRadiusArcsec, AlertLevel minAlertLevel) {
        public static final Settings DEFAULTS = new Settings(SourceFinder.Parameters.DEFAULTS,
                TransientClassifier.MATCH_RADIUS_ARCSEC, AlertLevel.MEDIUM);
    }

    /** What one search found. */
    public record Summary(long imageId, double rmsJy, int detections, boolean truncated, int catalogSources,
                          Map<String, Integer> candidatesByType, int alerts) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image_id", imageId);
            m.put("rms_jy", rmsJy);
            m.put("detections", detections);
            m.put("truncated", truncated);
            m.put("catalog_sources", catalogSources);
            m.put("candidates", candidatesByType);
            m.put("alerts", alerts);
            return m;
        }
    }

    private final Db db;
    private final ImageRegistry images;
    private final ReferenceCatalog catalog;
    private final EventBroadcaster events;
    private final Settings settings;

    public TransientSearch(Db db, ImageRegistry images, ReferenceCatalog catalog, EventBroadcaster events,
            Settings settings) {
        this.db = db;
        this.images = images;
        this.catalog = catalog;
        this.events = events;
        this.settings = settings;
    }

    public Summary search(long imageId) {
        Map<String, Object> row = images.row(imageId);
        ImagePlane plane;
        CelestialWcs wcs;
        Beam beam;
        try (FitsImage img = images.open(imageId)) {
            if (!img.hasWcs()) {
                throw HubException.unprocessable("image " + imageId + " has no celestial WCS", Map.of());
            }
            plane = img.readPlane();
            wcs = img.wcs();
            beam = img.beam();
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read image " + imageId + ": " + e.getMessage(), Map.of());
        }
        double rms = ImageStatistics.of(plane).rms();
        if (!(rms > 0) || !Double.isFinite(rms)) {
            throw HubException.unprocessable("image " + imageId + " has no usable noise estimate (rms " + rms + ")",
                    Map.of("image_id", imageId));
        }
        SourceFinder.Result found = new SourceFinder(settings.finder()).find(plane, rms);
        List<TransientClassifier.Detection> detections = new ArrayList<>();
        int k = 0;
        for (SourceFinder.Island island : found.islands()) {
            double[] sky = wcs.pixelToWorld(island.centroidX(), island.centroidY());
            detections.add(new TransientClassifier.Detection("island-" + (k++), sky[0], sky[1], island.peakFlux(),
                    rms, island.peakSnr()));
        }
        Map<String, ReferenceCatalog.CatalogSource> byId = new HashMap<>();
        List<TransientClassifier.CatalogSource> inImage = catalogInImage(plane, wcs, beam, byId);

        List<Candidate> candidates = new ArrayList<>();
        for (Candidate c : new TransientClassifier(settings.matchRadiusArcsec()).classify(detections, inImage, rms)) {
            if (c.detection() == null && c.significance() < TransientClassifier.MIN_VAR_SIGMA) {
                continue; // not detected, but below what this image could have detected
            }
            candidates.add(c);
        }
        Double mjd = row.get("mjd_obs") instanceof Number n ? n.doubleValue() : null;
        String imageName = String.valueOf(row.get("name"));
        List<Map<String, Object>> raised = new ArrayList<>();
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (Type t : Type.values()) {
            byType.put(t.dbName(), 0);
        }
        db.inTransaction(() -> {
            db.update("DELETE FROM transient_candidates WHERE image_id = ?", imageId);
            db.update("UPDATE images SET source_count = ? WHERE id = ?", found.nFound(), imageId);
            Instant now = Instant.now();
            for (Candidate c : candidates) {
                byType.merge(c.type().dbName(), 1, Integer::sum);
                raised.addAll(store(imageId, imageName, mjd, c, now));
            }
        });
        raised.forEach(a -> events.publish("transient_alert", a));
        return new Summary(imageId, rms, found.nFound(), found.truncated(), inImage.size(), byType, raised.size());
    }

    private List<TransientClassifier.CatalogSource> catalogInImage(ImagePlane plane, CelestialWcs wcs, Beam beam,
            Map<String, ReferenceCatalog.CatalogSource> byId) {
        int w = plane.width();
        int h = plane.height();
        double[] centre = wcs.pixelToWorld((w - 1) / 2.0, (h - 1) / 2.0);
        double radius = Math.hypot(w, h) / 2.0 * wcs.pixelScaleDeg() * 1.01;
        double margin = beam != null ? Math.ceil(beam.bmajDeg() / wcs.pixelScaleDeg()) : 3;
        List<TransientClassifier.CatalogSource> out = new ArrayList<>();
        for (ReferenceCatalog.CatalogSource s : catalog.cone(centre[0], centre[1], radius, catalog.catalogName(),
                null)) {
            if (s.fluxMjy() == null || !(s.fluxMjy() > 0)) {
                continue;
            }
            double[] p = wcs.worldToPixel(s.raDeg(), s.decDeg());
            if (p == null || !Double.isFinite(p[0]) || !Double.isFinite(p[1]) || p[0] < margin || p[1] < margin
                    || p[0] > w - 1 - margin || p[1] > h - 1 - margin) {
                continue;
            }
            float v = plane.data()[(int) Math.round(p[1]) * w + (int) Math.round(p[0])];
            if (!Float.isFinite(v)) {
                continue;
            }
            byId.put(s.sourceId(), s);
            out.add(new TransientClassifier.CatalogSource(s.sourceId(), s.raDeg(), s.decDeg(), s.fluxMjy() / 1000));
        }
        return out;
    }

    /** Inserts a candidate and, at or above the min level, its alert; returns the alerts raised. */
    private List<Map<String, Object>> store(long imageId, String imageName, Double mjd, Candidate c, Instant now) {
        TransientClassifier.Detection d = c.detection();
        TransientClassifier.CatalogSource s = c.catalogSource();
        double ra = d != null ? d.raDeg() : s.raDeg();
        double dec = d != null ? d.decDeg() : s.decDeg();
        long id = db.insert("INSERT INTO transient_candidates (image_id, source_id, ra_deg, dec_deg, flux_jy, "
                + "flux_err_jy, snr, baseline_flux_jy, sigma_var, candidate_type, alert_level, detected_at, mjd) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "id", imageId, s == null ? null : s.name(), ra, dec,
                d == null ? null : d.fluxJy(), d == null ? null : d.fluxErrJy(), d == null ? null : d.snr(),
                s == null ? null : s.fluxJy(), c.type() == Type.NEW ? null : finite(c.significance()),
                c.type().dbName(), c.alertLevel().name(), now, mjd);
        if (c.alertLevel().ordinal() > settings.minAlertLevel().ordinal()) {
            return List.of(); // AlertLevel is ordered CRITICAL, HIGH, MEDIUM
        }
        String name = s != null ? s.name() : SkyCoords.iauName("TRANSIENT", ra / 15.0, dec);
        String message = String.format(Locale.ROOT, "%s %s at %s %s: %.1f sigma%s in image %s",
                c.type().dbName(), name, SkyCoords.formatRa(ra), SkyCoords.formatDec(dec), c.significance(),
                d == null ? String.format(Locale.ROOT, ", not detected (catalog %.1f mJy)", s.fluxJy() * 1000)
                        : String.format(Locale.ROOT, ", %.2f mJy/beam", d.fluxJy() * 1000), imageName);
        long alertId = db.insert("INSERT INTO transient_alerts (candidate_id, alert_level, message, created_at) "
                + "VALUES (?, ?, ?, ?)", "id", id, c.alertLevel().name(), message, now);
        db.update("INSERT INTO alert_history (source_id, alert_type, severity, message, triggered_at) "
                + "VALUES (?, 'transient', ?, ?, ?)", name, severity(c.alertLevel()), message, now);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("alert_id", alertId);
        event.put("candidate_id", id);
        event.put("alert_level", c.alertLevel().name());
        event.put("candidate_type", c.type().dbName());
        event.put("message", message);
        return List.of(event);
    }

    static String severity(AlertLevel level) {
        return switch (level) {
            case CRITICAL -> "critical";
            case HIGH -> "warning";
            case MEDIUM -> "info";
        };
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
