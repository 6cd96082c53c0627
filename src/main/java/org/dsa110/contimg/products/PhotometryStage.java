package org.dsa110.contimg.products;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.store.Db;

/**
 * The builtin photometry stage ({@code builtin.photometry}). Inputs: the imaging stage's outputs. Of the FITS files
 * among them, the primary-beam-corrected images are measured when there are any, else the plain images (residual,
 * model, psf, pb and dirty images never are; the kind is told by the file name as WSClean and CASA write them).
 * Each is registered in the image registry unless it already is, then {@link PhotometryService#measureImage}
 * measures the catalog sources on it, normalises, and updates the touched sources' variability and ESE candidacy
 * in one transaction, publishing {@code ese_update} events after the commit.
 *
 * <p>Output: {@code photometry.json} in the stage directory (image ids, the per-image summaries and the ids of the
 * sources measured), the input of the ese_detection stage.
 */
public final class PhotometryStage implements StageExecutor {
    public static final String SUMMARY_FILE = "photometry.json";

    private final Db db;
    private final ImageRegistry images;
    private final PhotometryService photometry;

    public PhotometryStage(Db db, ImageRegistry images, PhotometryService photometry) {
        this.db = db;
        this.images = images;
        this.photometry = photometry;
    }

    /** Image kind from a file name: pbcor, residual, model, psf, pb, dirty or image. */
    static String kindOf(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        for (String k : List.of("pbcor", "residual", "model", "psf", "dirty")) {
            if (n.contains("-" + k) || n.contains("." + k) || n.contains("_" + k)) {
                return k;
            }
        }
        if (n.matches(".*[-._]pb\\.fits?$") || n.endsWith(".pb.fits")) {
            return "pb";
        }
        return "image";
    }

    static boolean isFits(String path) {
        String n = path.toLowerCase(Locale.ROOT);
        return n.endsWith(".fits") || n.endsWith(".fit") || n.endsWith(".fts");
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        List<String> fits = req.inputs().stream().filter(PhotometryStage::isFits).toList();
        List<String> pbcor = fits.stream().filter(p -> "pbcor".equals(kindOf(Path.of(p).getFileName().toString())))
                .toList();
        List<String> chosen = !pbcor.isEmpty() ? pbcor
                : fits.stream().filter(p -> "image".equals(kindOf(Path.of(p).getFileName().toString()))).toList();
        if (chosen.isEmpty()) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "photometry found no image "
                    + "among the imaging outputs " + req.inputs());
        }
        StageInputs.check(chosen); // a file named .fits that is no FITS image: invalid_input, not a parser error
        String msPath = firstUpstream(req, "calibration_apply", "conversion");
        List<Map<String, Object>> perImage = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>();
        int measured = 0;
        int failed = 0;
        int eseEvents = 0;
        int normalized = 0;
        for (String path : chosen) {
            String kind = kindOf(Path.of(path).getFileName().toString());
            long imageId;
            PhotometryService.MeasureSummary s;
            try {
                imageId = registered(path).orElseGet(() -> images.register(path,
                        new ImageRegistry.Registration(msPath, req.groupId(), kind, "pbcor".equals(kind))));
                s = photometry.measureImage(imageId);
            } catch (HubException e) {
                // 404 (file outside the data roots / gone) or 422 (no WCS, no observation time): retrying cannot help.
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, path + ": " + e.getMessage());
            }
            req.log().info(String.format(Locale.ROOT, "image %d (%s) MJD %.6f: %d targets, %d measured, %d failed, "
                    + "%d references, normalised %s, %d sources updated, %d ESE events", imageId, path, s.mjd(),
                    s.nTargets(), s.nMeasured(), s.nFailed(), s.nReferences(), s.normalized(), s.nSourcesUpdated(),
                    s.nEseEvents()));
            if (!s.normalized() && s.normalizationError() != null) {
                req.log().info("image " + imageId + " not normalised: " + s.normalizationError());
            }
            db.query("SELECT source_id FROM photometry WHERE image_id = ?", imageId)
                    .forEach(r -> sources.add(Rows.str(r, "source_id")));
            measured += s.nMeasured();
            failed += s.nFailed();
            eseEvents += s.nEseEvents();
            normalized += s.normalized() ? 1 : 0;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("image_id", imageId);
            one.put("path", path);
            one.put("summary", s);
            perImage.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_id", req.groupId());
        out.put("images", perImage);
        out.put("source_ids", List.copyOf(sources));
        Files.createDirectories(req.outputDir());
        Path summary = req.outputDir().resolve(SUMMARY_FILE);
        Files.write(summary, Json.writeBytes(out));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("images", chosen.size());
        metrics.put("measured", measured);
        metrics.put("failed", failed);
        metrics.put("normalized_images", normalized);
        metrics.put("sources", sources.size());
        metrics.put("ese_events", eseEvents);
        return new StageResult(List.of(summary.toString()), metrics);
    }

    /** The id of the image registered at this path (its real path under the roots), if any. */
    private java.util.Optional<Long> registered(String path) {
        return images.roots().resolve(path).flatMap(real -> db.one("SELECT id FROM images WHERE path = ?",
                real.toString())).map(r -> Rows.lng(r, "id"));
    }

    @SuppressWarnings("unchecked")
    static String firstUpstream(StageRequest req, String... stages) {
        for (String s : stages) {
            Object v = req.params().get("upstream." + s);
            if (v instanceof List<?> l && !l.isEmpty()) {
                return String.valueOf(l.get(0));
            }
        }
        return null;
    }
}
