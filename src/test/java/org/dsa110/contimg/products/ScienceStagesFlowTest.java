package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builtin photometry, ese_detection and mosaic stages in the real group flow. Conversion, calibration_apply
 * and imaging are exec stages running a small script; imaging copies a synthetic FITS image prepared for the group
 * (Gaussian sources of known flux on 1 mJy noise, SIN WCS, beam, DATE-OBS) into its output directory, with a
 * residual image next to it that photometry must ignore. One source has a single-epoch 10σ excursion, another is
 * steady. The ESE threshold is the monitoring list's 3σ (science.md): with {@value #EPOCHS} epochs a single 10σ
 * epoch has a sigma deviation near √(N−1)·(9/10), i.e. ≈ 3.6, so the production 5σ would need ~30 epochs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScienceStagesFlowTest {
    static final int EPOCHS = 16;
    static final int EXCURSION_EPOCH = 9;
    static final Instant START = Instant.parse("2025-08-01T06:00:00Z");

    @TempDir
    static Path tmp;
    static TestHub hub;
    static Db db;
    static SyntheticSky sky;
    static String steadyId;
    static String eseId;
    static final List<String> groupIds = new ArrayList<>();
    static final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void run() throws Exception {
        Path prep = Files.createDirectories(tmp.resolve("prepared"));
        Path script = tmp.resolve("stage.sh");
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"; group="$3"
                if [ "$stage" = imaging ]; then
                  cp "PREP/$group.fits" "$out/img-image.fits"
                  cp "PREP/$group.fits" "$out/img-residual.fits"
                  printf '{"outputs": ["img-image.fits", "img-residual.fits"]}' > "$out/manifest.json"
                else
                  echo "$stage of $group" > "$out/$stage.out"
                  printf '{"outputs": ["%s.out"]}' "$stage" > "$out/manifest.json"
                fi
                """.replace("PREP", prep.toString()));
        Map<String, String> props = new HashMap<>();
        for (String s : List.of("conversion", "calibration_apply", "imaging")) {
            props.put("hub.stage." + s + ".executor", "exec");
            props.put("hub.stage." + s + ".command", "sh '" + script + "' {stage} {output_dir} {group_id}");
        }
        props.put("hub.stage.publishing.executor", "skip");
        props.put("hub.stage.redelivery.max-redeliveries", "0");
        props.put("hub.pipeline.workers", "1");
        props.put("hub.ese.min.sigma", "3.0");
        props.put("hub.mosaic.group.size", "4");
        props.put("hub.mosaic.group.overlap", "1");
        hub = TestHub.start(props);
        db = hub.bean("db", Db.class);
        hub.bean("eventBroadcaster", EventBroadcaster.class).addListener(events::add);

        sky = new SyntheticSky(300.0, 40.0);
        for (int i = 0; i < 4; i++) {
            sky.add("REF" + i, i < 2 ? -70 : 70, i % 2 == 0 ? -70 : 70, 200, 100);
        }
        SyntheticSky.Source steady = sky.add("STEADY", 30, 20, 50, 30);
        SyntheticSky.Source ese = sky.add("ESE", -35, -25, 50, 30);
        steadyId = SkyCoords.nvssName(steady.raDeg() / 15, steady.decDeg());
        eseId = SkyCoords.nvssName(ese.raDeg() / 15, ese.decDeg());
        hub.bean("referenceCatalog", ReferenceCatalog.class).load(sky.writeCatalog(tmp.resolve("catalog.csv")));

        GroupStates groups = hub.bean("groupStates", GroupStates.class);
        for (int e = 0; e < EPOCHS; e++) {
            Instant t = START.plus(Duration.ofMinutes(5L * e));
            String g = t.toString().substring(0, 19);
            groupIds.add(g);
            double esePeak = e == EXCURSION_EPOCH ? 0.060 : 0.050; // +10 mJy = 10σ of the 1 mJy noise
            sky.writeImage(prep.resolve(g + ".fits"), new double[] {0.2, 0.2, 0.2, 0.2, 0.05, esePeak}, t, 4000L + e);
            db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                    + "has_calibrator) VALUES (?, ?, 'pending', 1, 1, FALSE)", g, t);
            groups.created(g, GroupStates.PENDING);
            Path sb = Files.writeString(tmp.resolve(g + "_sb00.hdf5"), "uvh5");
            db.update("INSERT INTO subband_files (group_id, subband, path, filename, flagged) VALUES (?, 0, ?, ?, "
                    + "FALSE)", g, sb.toString(), sb.getFileName().toString());
            assertTrue(groups.transition(g, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
            hub.context().createProducerTemplate().sendBody("seda:pipeline.group", g);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state IN ('completed', 'failed')") < EPOCHS) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("groups did not finish: " + db.query("SELECT group_id, state FROM "
                        + "ingest_groups"));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static JsonNode stageOutputs(String group, String stage) throws Exception {
        Map<String, Object> r = db.one("SELECT r.outputs FROM stage_runs r JOIN pipeline_executions e ON "
                + "e.id = r.execution_id WHERE e.group_id = ? AND r.stage_name = ? AND r.status = 'completed'",
                group, stage).orElseThrow(() -> new AssertionError(stage + " of " + group + " did not complete"));
        return Json.MAPPER.readTree(String.valueOf(r.get("outputs")));
    }

    @Test
    @Order(1)
    void everyGroupCompletesAndPhotometryUsesTheImageEpoch() throws Exception {
        assertEquals(EPOCHS, db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed'"),
                String.valueOf(db.query("SELECT * FROM dlq_items")));
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM images WHERE name LIKE '%residual%'"),
                "the residual image is neither registered nor measured");
        for (int e = 0; e < EPOCHS; e++) {
            String g = groupIds.get(e);
            Map<String, Object> img = db.one("SELECT id, mjd_obs FROM images WHERE group_id = ? AND type = 'image'",
                    g).orElseThrow();
            double mjd = SkyCoords.instantToMjd(START.plus(Duration.ofMinutes(5L * e)));
            assertEquals(mjd, ((Number) img.get("mjd_obs")).doubleValue(), 1e-9);
            List<Map<String, Object>> rows = db.query("SELECT mjd FROM photometry WHERE image_id = ?", img.get("id"));
            assertEquals(6, rows.size(), "every catalog source of the field measured on " + g);
            rows.forEach(r -> assertEquals(mjd, ((Number) r.get("mjd")).doubleValue(), 1e-9));
            JsonNode phot = stageOutputs(g, "photometry");
            assertEquals(6, phot.path("metrics").path("measured").asInt());
            Path summary = Path.of(phot.path("outputs").get(0).asText());
            assertEquals(PhotometryStage.SUMMARY_FILE, summary.getFileName().toString());
            assertEquals(6, Json.MAPPER.readTree(summary.toFile()).path("source_ids").size());
            assertEquals(6, stageOutputs(g, "ese_detection").path("metrics").path("sources_evaluated").asInt());
        }
        Map<String, Object> stats = db.one("SELECT * FROM variability_stats WHERE source_id = ?", steadyId)
                .orElseThrow();
        assertEquals(EPOCHS, ((Number) stats.get("n_epochs")).intValue());
        assertEquals(50.0, ((Number) stats.get("mean_mjy")).doubleValue(), 1.0, "steady 50 mJy source");
        assertTrue(db.scalarLong("SELECT COUNT(*) FROM photometry WHERE normalized_flux_jy IS NOT NULL") > 0,
                "ensemble normalisation ran once the references had baselines");
    }

    @Test
    @Order(2)
    void theExcursionBecomesAnEseCandidateAndTheSteadySourceDoesNot() throws Exception {
        Map<String, Object> ese = db.one("SELECT * FROM variability_stats WHERE source_id = ?", eseId).orElseThrow();
        Map<String, Object> steady = db.one("SELECT * FROM variability_stats WHERE source_id = ?", steadyId)
                .orElseThrow();
        double eseSigma = ((Number) ese.get("sigma_deviation")).doubleValue();
        double steadySigma = ((Number) steady.get("sigma_deviation")).doubleValue();
        assertTrue(eseSigma >= 3.0, "excursion: " + eseSigma);
        assertTrue(steadySigma < 3.0, "steady: " + steadySigma);
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE source_id = ? AND status = "
                + "'active'", eseId), "exactly one candidate, however many stages re-evaluated it");
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE source_id = ?", steadyId));
        Map<String, Object> c = db.one("SELECT * FROM ese_candidates WHERE source_id = ?", eseId).orElseThrow();
        assertEquals(0.060, ((Number) c.get("peak_flux_jy")).doubleValue(), 0.003, "the excursion is the extreme");
        assertTrue(events.stream().anyMatch(e -> "ese_update".equals(e.get("type"))
                && String.valueOf(e.get("data")).contains(eseId)), "an ese_update event was published");
        assertFalse(events.stream().anyMatch(e -> "ese_update".equals(e.get("type"))
                && String.valueOf(e.get("data")).contains(steadyId)));
    }

    @Test
    @Order(3)
    void theMosaicTriggerBuildsAMosaicEveryThreeNewImages() throws Exception {
        // group size 4, overlap 1: mosaics after images 4, 7, 10, 13 and 16
        List<Map<String, Object>> mosaics = db.query("SELECT * FROM mosaics ORDER BY start_mjd");
        assertEquals(5, mosaics.size(), String.valueOf(mosaics));
        for (Map<String, Object> m : mosaics) {
            assertEquals("completed", m.get("status"), String.valueOf(m));
            assertEquals(4, ((Number) m.get("image_count")).intValue());
            assertTrue(Files.isRegularFile(Path.of((String) m.get("path"))));
        }
        assertEquals(((Number) mosaics.get(0).get("end_mjd")).doubleValue(),
                ((Number) mosaics.get(1).get("start_mjd")).doubleValue(), 1e-9, "consecutive mosaics share an image");
        assertEquals(5, db.scalarLong("SELECT COUNT(*) FROM mosaic_groups WHERE status = 'completed'"));
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM mosaic_groups WHERE status = 'collecting'"));
        // the same queue as the streaming page reads it: the counts and the group still collecting
        JsonNode queue = Json.MAPPER.readTree(hub.get("/api/streaming/mosaic-queue").body());
        assertEquals(5, queue.path("counts").path("completed").asInt());
        assertEquals(1, queue.path("counts").path("collecting").asInt());
        assertEquals(db.scalarLong("SELECT COUNT(*) FROM mosaic_groups"), queue.path("counts").path("total").asLong());
        assertEquals(1, queue.path("groups").size());
        assertEquals(db.scalarLong("SELECT image_count FROM mosaic_groups WHERE status = 'collecting'"),
                queue.path("groups").get(0).path("image_count").asLong());
        JsonNode notDue = stageOutputs(groupIds.get(1), "mosaic");
        assertFalse(notDue.path("metrics").path("due").asBoolean());
        assertEquals(2, notDue.path("metrics").path("images_in_group").asInt());
        assertEquals(0, notDue.path("outputs").size());
        JsonNode due = stageOutputs(groupIds.get(3), "mosaic");
        assertTrue(due.path("metrics").path("due").asBoolean());
        assertEquals(2, due.path("outputs").size(), "the mosaic and its noise map");
    }

    @Test
    @Order(4)
    void eseDetectionWithALowerThresholdSweepsSourcesWithoutCandidates() throws Exception {
        double minSigma = 1.5;
        long lacking = db.scalarLong("SELECT COUNT(*) FROM variability_stats v WHERE v.sigma_deviation >= ? AND "
                + "v.n_epochs >= 3 AND NOT EXISTS (SELECT 1 FROM ese_candidates c WHERE c.source_id = v.source_id)",
                minSigma);
        assertTrue(lacking >= 1, "16 epochs of noise put some source above 1.5 sigma");
        EseDetectionStage stage = hub.bean("builtin.ese_detection", EseDetectionStage.class);
        StageRequest req = new StageRequest("ese_detection", "operator-sweep", 0, 1, List.of(), tmp.resolve("sweep"),
                Map.of("min_sigma", String.valueOf(minSigma)), StageLogSink.DISCARD);
        StageResult r = stage.run(req);
        assertEquals(lacking, ((Number) r.metrics().get("sources_swept")).longValue());
        assertEquals(lacking, ((Number) r.metrics().get("candidates")).longValue());
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM variability_stats v WHERE v.sigma_deviation >= ? AND "
                + "v.n_epochs >= 3 AND NOT EXISTS (SELECT 1 FROM ese_candidates c WHERE c.source_id = v.source_id)",
                minSigma));
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE source_id = ?", eseId));
        StageResult again = stage.run(req);
        assertEquals(0, ((Number) again.metrics().get("candidates")).intValue(), "the pass is idempotent");

        // An operator's run for one source (task ese-detect with source_id): that source only, no sweep.
        StageResult one = stage.run(new StageRequest("ese_detection", "operator", 0, 1, List.of(),
                tmp.resolve("one"), Map.of("source_id", steadyId), StageLogSink.DISCARD));
        assertEquals(1, ((Number) one.metrics().get("sources_evaluated")).intValue());
        assertEquals(0, ((Number) one.metrics().get("sources_swept")).intValue());
        assertEquals(org.dsa110.contimg.pipeline.PermanentStageException.class, org.junit.jupiter.api.Assertions
                .assertThrows(Exception.class, () -> stage.run(new StageRequest("ese_detection", "operator", 0, 1,
                        List.of(), tmp.resolve("one"), Map.of("source_id", "NVSS J000000.0+000000"),
                        StageLogSink.DISCARD))).getClass());
    }
}
