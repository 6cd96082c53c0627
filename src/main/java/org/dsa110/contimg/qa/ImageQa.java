package org.dsa110.contimg.qa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.store.Db;

/**
 * Image QA of registered images: rms (the registry's robust tile rms), peak, dynamic range, beam, number of
 * sources above the detection threshold, quality tier (configurable dynamic-range thresholds) and a thumbnail
 * PNG in the QA root, stored in {@code image_qa} (the newest row of the image is completed) and mirrored into
 * {@code images.source_count / thumbnail_path / quality_tier}. Runs for every image: on demand when a QA view
 * asks for it, and from the QA sweep for images registered since.
 */
public final class ImageQa {
    private final Db db;
    private final ImageRegistry images;
    private final QaArtifacts artifacts;
    private final HubCache cache;
    private final QaSettings settings;
    private final java.util.Set<Long> unreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ImageQa(Db db, ImageRegistry images, QaArtifacts artifacts, HubCache cache, QaSettings settings) {
        this.db = db;
        this.images = images;
        this.artifacts = artifacts;
        this.cache = cache;
        this.settings = settings;
    }

    public QaSettings settings() {
        return settings;
    }

    /** QA group (directory under the QA root) of an image: its group id, else image-&lt;id&gt;. */
    public String groupOf(Map<String, Object> imageRow) {
        String g = Rows.str(imageRow, "group_id");
        return QaArtifacts.safeSegment(g == null || g.isBlank() ? "image-" + Rows.lng(imageRow, "id") : g);
    }

    /** Runs QA for every image that has no complete image_qa row yet; returns how many were done. */
    public int sweep(int limit) {
        List<Map<String, Object>> todo = db.query("SELECT i.id FROM images i WHERE NOT EXISTS (SELECT 1 FROM "
                + "image_qa q WHERE q.image_id = i.id AND q.num_sources IS NOT NULL) ORDER BY i.id LIMIT ?",
                limit + unreadable.size());
        int done = 0;
        for (Map<String, Object> r : todo) {
            long id = Rows.lng(r, "id");
            if (done >= limit || unreadable.contains(id)) {
                continue;
            }
            try {
                run(id);
                done++;
            } catch (HubException e) {
                // vanished or unreadable file: not retried until the hub restarts (the QA views report it)
                unreadable.add(id);
            }
        }
        return done;
    }

    /** The newest complete QA row of an image, running QA first when there is none. */
    public Map<String, Object> ensure(long imageId) {
        return db.one("SELECT * FROM image_qa WHERE image_id = ? AND num_sources IS NOT NULL ORDER BY id DESC "
                + "LIMIT 1", imageId).orElseGet(() -> run(imageId));
    }

    /** Computes QA of one image now; returns the stored image_qa row. */
    public Map<String, Object> run(long imageId) {
        Map<String, Object> img = images.row(imageId);
        Path file = images.file(imageId);
        Double rms = Rows.dbl(img, "noise_jy");
        Double dr = Rows.dbl(img, "dynamic_range");
        int nSources;
        byte[] thumb;
        try (FitsImage fits = FitsImage.open(file)) {
            nSources = rms == null ? 0 : ImageSources.find(fits, rms, settings.detectionSigma()).size();
            thumb = ImagePreview.png(ImagePreview.downsample(fits, Math.min(256, settings.previewMaxPx())),
                    settings.previewStretch());
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read image " + imageId + ": " + e.getMessage(), Map.of());
        }
        String tier = settings.tier(dr);
        String group = groupOf(img);
        Path thumbFile = artifacts.write(group, "thumbnail_image" + imageId + ".png", "thumbnail", thumb);
        return db.inTransaction(() -> {
            Long qaId = db.one("SELECT id FROM image_qa WHERE image_id = ? ORDER BY id DESC LIMIT 1", imageId)
                    .map(r -> Rows.lng(r, "id")).orElse(null);
            Object[] facts = {rms, Rows.dbl(img, "peak_flux_jy"), dr, Rows.dbl(img, "beam_major_arcsec"),
                    Rows.dbl(img, "beam_minor_arcsec"), Rows.dbl(img, "beam_pa_deg"), nSources,
                    thumbFile.toString(), tier};
            String cols = "rms_noise = ?, peak_flux = ?, dynamic_range = ?, beam_major = ?, beam_minor = ?, "
                    + "beam_pa = ?, num_sources = ?, thumbnail_path = ?, overall_quality = ?, timestamp = ?";
            if (qaId == null || hasSources(qaId)) {
                qaId = db.insert("INSERT INTO image_qa (ms_path, image_id, image_path) VALUES (?, ?, ?)", "id",
                        img.get("ms_path") == null ? "" : img.get("ms_path"), imageId, img.get("path"));
            }
            Object[] args = java.util.Arrays.copyOf(facts, facts.length + 2);
            args[facts.length] = java.time.Instant.now();
            args[facts.length + 1] = qaId;
            db.update("UPDATE image_qa SET " + cols + " WHERE id = ?", args);
            db.update("UPDATE images SET source_count = ?, thumbnail_path = ?, quality_tier = ? WHERE id = ?",
                    nSources, thumbFile.toString(), tier, imageId);
            return db.one("SELECT * FROM image_qa WHERE id = ?", qaId).orElseThrow();
        });
    }

    private boolean hasSources(long qaId) {
        return db.one("SELECT num_sources FROM image_qa WHERE id = ?", qaId)
                .map(r -> r.get("num_sources") != null).orElse(false);
    }

    /** ImageQA (endpoints.md): beam in arcsec and degrees, fluxes in Jy/beam, the preview's URL. */
    public record View(String msPath, Long jobId, Long imageId, String imagePath, Double rmsNoise, Double peakFlux,
            Double dynamicRange, Double beamMajor, Double beamMinor, Double beamPa, Integer numSources,
            String thumbnailPath, String overallQuality, java.time.Instant timestamp, String thumbnailUrl) {
    }

    /** ImageQA (endpoints.md) of a stored row. */
    public static View view(Map<String, Object> q) {
        Long imageId = Rows.lng(q, "image_id");
        return new View(Rows.str(q, "ms_path"), Rows.lng(q, "job_id"), imageId, Rows.str(q, "image_path"),
                Rows.dbl(q, "rms_noise"), Rows.dbl(q, "peak_flux"), Rows.dbl(q, "dynamic_range"),
                Rows.dbl(q, "beam_major"), Rows.dbl(q, "beam_minor"), Rows.dbl(q, "beam_pa"),
                Rows.integer(q, "num_sources"), Rows.str(q, "thumbnail_path"), Rows.str(q, "overall_quality"),
                (java.time.Instant) q.get("timestamp"),
                imageId == null ? null : "/api/qa/images/" + imageId + "/preview.png");
    }

    /** The newest image of an MS (science images before residuals/models), or 404. */
    public long imageOfMs(String msPath) {
        for (String p : CalibrationQa.spellings(msPath)) {
            var id = db.one("SELECT id FROM images WHERE ms_path = ? ORDER BY CASE type WHEN 'pbcor' THEN 0 "
                    + "WHEN 'image' THEN 1 WHEN 'mosaic' THEN 2 ELSE 3 END, created_at DESC, id DESC LIMIT 1", p);
            if (id.isPresent()) {
                return Rows.lng(id.get(), "id");
            }
        }
        // The pipeline images the calibrated copy of a group's visibility file, not the indexed file itself: the
        // image of an indexed MS is then its group's image.
        for (String p : CalibrationQa.spellings(msPath)) {
            var id = db.one("SELECT i.id FROM images i JOIN ms_index m ON m.group_id = i.group_id WHERE m.path = ? "
                    + "AND i.type <> 'mosaic' ORDER BY CASE i.type WHEN 'pbcor' THEN 0 WHEN 'image' THEN 1 ELSE 2 END, "
                    + "i.created_at DESC, i.id DESC LIMIT 1", p);
            if (id.isPresent()) {
                return Rows.lng(id.get(), "id");
            }
        }
        throw HubException.notFound("image of MS", msPath);
    }

    /**
     * A preview PNG of a registered image (stretch asinh or zscale, at most {@code maxPx} on its longer side),
     * cached in the hub cache under a key naming the file's modification time.
     */
    public Plot preview(long imageId, String stretch, int maxPx) {
        Path file = images.file(imageId);
        long mtime;
        try {
            mtime = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = "preview:image" + imageId + ":" + stretch + ":" + maxPx + ":v=" + mtime;
        return cache.get(key, () -> {
            try (FitsImage fits = FitsImage.open(file)) {
                return new Plot(ImagePreview.png(ImagePreview.downsample(fits, maxPx), stretch), false);
            } catch (IOException e) {
                throw HubException.unprocessable("cannot read image " + imageId + ": " + e.getMessage(), Map.of());
            }
        });
    }
}
