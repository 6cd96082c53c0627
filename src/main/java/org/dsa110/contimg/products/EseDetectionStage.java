package org.dsa110.contimg.products;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.store.Db;

/**
 * The builtin ese_detection stage ({@code builtin.ese_detection}). The photometry stage already updates each
 * touched source's statistics and candidacy in its own transaction (so a light curve and its candidate never
 * disagree); this stage is the group's review pass, in one transaction:
 * <ol>
 * <li>the sources the group's photometry measured (from {@code photometry.json}, plus every source measured on an
 * image registered for the group) are re-evaluated, with the stage's threshold {@code param.min_sigma} when set
 * (default {@code hub.ese.min.sigma});</li>
 * <li>a sweep over every source whose stored statistics meet the threshold but that has no candidate (e.g. after
 * the threshold was lowered, or statistics written by an older run) gives it one.</li>
 * </ol>
 * An operator's run (task {@code ese-detect}, no inputs) takes {@code source_id} (that source only, no sweep) or
 * {@code recompute=true} (every source with statistics, then the sweep).
 *
 * <p>Re-evaluation is idempotent: an active candidate is only updated when its significance rises, so a source never
 * gets a second candidate or a repeated event. {@code ese_update} events are published after the commit. Output:
 * {@code ese_detection.json} with the sources evaluated and the candidates created or raised.
 */
public final class EseDetectionStage implements StageExecutor {
    public static final String SUMMARY_FILE = "ese_detection.json";

    private final Db db;
    private final VariabilityUpdater defaultUpdater;
    private final EventBroadcaster events;
    private final double defaultMinSigma;

    public EseDetectionStage(Db db, VariabilityUpdater defaultUpdater, EventBroadcaster events,
                             double defaultMinSigma) {
        this.db = db;
        this.defaultUpdater = defaultUpdater;
        this.events = events;
        this.defaultMinSigma = defaultMinSigma;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        double minSigma = minSigma(req);
        VariabilityUpdater updater = minSigma == defaultMinSigma ? defaultUpdater : new VariabilityUpdater(db,
                minSigma);
        Set<String> touched = new LinkedHashSet<>();
        Object one = req.params().get("source_id");
        boolean recomputeAll = one == null && Boolean.parseBoolean(String.valueOf(req.params().get("recompute")));
        if (one != null) {
            // an operator's run for one source (task ese-detect with source_id)
            if (db.one("SELECT 1 FROM sources WHERE source_id = ?", one.toString()).isEmpty()) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "unknown source " + one);
            }
            touched.add(one.toString());
        } else if (recomputeAll) {
            db.query("SELECT source_id FROM variability_stats").forEach(r -> touched.add(Rows.str(r, "source_id")));
        } else {
            for (String input : req.inputs()) {
                touched.addAll(sourceIds(Path.of(input)));
            }
            if (req.groupId() != null) {
                db.query("SELECT DISTINCT p.source_id FROM photometry p JOIN images i ON i.id = p.image_id "
                        + "WHERE i.group_id = ?", req.groupId()).forEach(r -> touched.add(Rows.str(r, "source_id")));
            }
        }
        boolean sweep = one == null;
        List<Map<String, Object>> raised = new ArrayList<>();
        int[] swept = new int[1];
        db.inTransaction(() -> {
            for (String id : touched) {
                add(raised, updater.update(id));
            }
            for (Map<String, Object> r : !sweep ? List.<Map<String, Object>>of() : db.query("SELECT v.source_id FROM variability_stats v WHERE "
                    + "v.sigma_deviation >= ? AND v.n_epochs >= 3 AND NOT EXISTS (SELECT 1 FROM ese_candidates c "
                    + "WHERE c.source_id = v.source_id)", minSigma)) {
                String id = Rows.str(r, "source_id");
                if (!touched.contains(id)) {
                    swept[0]++;
                    add(raised, updater.update(id));
                }
            }
        });
        for (Map<String, Object> e : raised) {
            events.publish("ese_update", e);
        }
        req.log().info("re-evaluated " + touched.size() + " sources of the group and " + swept[0]
                + " swept sources at min_sigma " + minSigma + ": " + raised.size() + " candidates new or raised");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_id", req.groupId());
        out.put("min_sigma", minSigma);
        out.put("sources_evaluated", touched.size());
        out.put("sources_swept", swept[0]);
        out.put("candidates", raised);
        Files.createDirectories(req.outputDir());
        Path summary = req.outputDir().resolve(SUMMARY_FILE);
        Files.write(summary, Json.writeBytes(out));
        return new StageResult(List.of(summary.toString()), Map.of("sources_evaluated", touched.size(),
                "sources_swept", swept[0], "candidates", raised.size()));
    }

    private static void add(List<Map<String, Object>> raised, Map<String, Object> event) {
        if (event != null) {
            event.put("stage", "ese_detection");
            raised.add(event);
        }
    }

    private double minSigma(StageRequest req) {
        Object v = req.params().get("min_sigma");
        if (v == null) {
            return defaultMinSigma;
        }
        try {
            double d = Double.parseDouble(v.toString().trim());
            if (!(d > 0)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "hub.stage.ese_detection.param.min_sigma must be a positive number: " + v);
        }
    }

    /** Source ids listed in a photometry summary; none for other files (e.g. an exec photometry's outputs). */
    static List<String> sourceIds(Path file) {
        if (!file.getFileName().toString().endsWith(".json") || !Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            JsonNode ids = Json.MAPPER.readTree(file.toFile()).path("source_ids");
            List<String> out = new ArrayList<>();
            ids.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
