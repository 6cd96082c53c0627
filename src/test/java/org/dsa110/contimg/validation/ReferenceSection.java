package org.dsa110.contimg.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.builtin.InProcessPipeline;
import org.dsa110.contimg.validation.TruthComparison.TruthSource;

/**
 * The reference group (pyuvdata files with WSClean-predicted visibilities, src/test/resources/reference-group/):
 * the pipeline's conversion, calibration_apply (no calibrator in the field: passed on uncalibrated) and imaging,
 * then WSClean on the same converted visibilities; every source of the group's own truth.json measured on both.
 */
final class ReferenceSection {
    /** The outcome: both imagers' evaluations (WSClean null when skipped) and why WSClean was skipped. */
    record Outcome(ImageEvaluation builtin, ImageEvaluation wsclean, String wscleanSkipped, String groupId,
                   double[] centreDeg, Map<String, Object> imagingMetrics) {
    }

    private ReferenceSection() {
    }

    static List<TruthSource> truth(Path referenceDir) throws Exception {
        JsonNode t = Json.MAPPER.readTree(referenceDir.resolve("truth.json").toFile());
        List<TruthSource> out = new ArrayList<>();
        for (JsonNode s : t.get("sources")) {
            out.add(new TruthSource(s.get("name").asText(), s.get("ra_deg").asDouble(), s.get("dec_deg").asDouble(),
                    s.get("flux_jy").asDouble()));
        }
        return out;
    }

    static Outcome run(ValidationReport.Options o, Path work) throws Exception {
        Path dir = work.resolve("reference");
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(o.referenceDir())) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".hdf5")).sorted().toList()) {
                files.add(Files.copy(p, incoming.resolve(p.getFileName())));
            }
        }
        JsonNode t = Json.MAPPER.readTree(o.referenceDir().resolve("truth.json").toFile());
        String group = t.get("group_start_utc").asText().replace("Z", "");
        JsonNode c = t.get("phase_centre").get("ms_phase_centre_icrs_deg");
        InProcessPipeline pipe = new InProcessPipeline(dir);
        if (o.referenceMaxSize() > 0) {
            pipe.imagingParam("max-size", o.referenceMaxSize());
        }
        ValidationReport.log("reference group %s: %d files", group, files.size());
        StageResult conv = pipe.convert(group, files, 16);
        String uvfits = conv.outputs().get(0);
        StageResult applied = pipe.run("calibration_apply", group, List.of(uvfits), Map.of());
        String calibrated = applied.outputs().get(0);
        long t0 = System.nanoTime();
        StageResult img = pipe.run("imaging", group, List.of(calibrated), Map.of());
        double wall = (System.nanoTime() - t0) / 1e9;
        Path image = Path.of(img.outputs().get(1));
        List<TruthSource> truth = truth(o.referenceDir());
        // the data carry no primary beam: the flat (not pb-corrected) image is compared with flux_jy (README)
        ImageEvaluation builtin = ImageEvaluation.of("builtin", image, image, truth, wall,
                ValidationReport.cleanNote(img.metrics()));
        ValidationReport.log("reference builtin: %d px, %.1f s", builtin.size(), wall);
        String skipped = o.wsclean() ? WscleanImager.missing() : "disabled (--no-wsclean)";
        ImageEvaluation ws = null;
        if (skipped == null) {
            WscleanImager.Images w = WscleanImager.image(group, Path.of(calibrated), dir.resolve("wsclean"),
                    builtin.size(), builtin.cellArcsec(), o.threads());
            ws = ImageEvaluation.of("WSClean", w.image(), w.image(), truth, w.wallSec(),
                    ValidationReport.cleanNote(w.metrics()));
            ValidationReport.log("reference WSClean: %.1f s", w.wallSec());
        }
        return new Outcome(builtin, ws, skipped, group, new double[] {c.get(0).asDouble(), c.get(1).asDouble()},
                img.metrics());
    }
}
