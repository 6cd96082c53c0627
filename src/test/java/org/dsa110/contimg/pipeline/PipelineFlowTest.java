package org.dsa110.contimg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.impl.engine.DefaultChannel;
import org.apache.camel.model.Model;
import org.apache.camel.processor.errorhandler.DeadLetterChannel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.ClaimFence;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group flow over a real hub whose stages are exec executors running one tiny shell script. Control files in
 * a temp directory make a stage fail always ({@code fail.<stage>}) or fail twice then succeed
 * ({@code flaky.<stage>}). Groups are created as the ingest would: rows in ingest_groups and subband_files, claimed
 * pending → in_progress, the id sent to seda:pipeline.group.
 */
class PipelineFlowTest {
    static final List<String> STAGES = List.of("conversion", "calibration_solve", "calibration_apply", "imaging",
            "photometry", "ese_detection", "transient_search", "mosaic", "publishing");

    @TempDir
    static Path tmp;
    static Path ctl;
    static TestHub hub;
    static Db db;
    static GroupStates groups;

    @BeforeAll
    static void start() throws Exception {
        ctl = Files.createDirectories(tmp.resolve("ctl"));
        Path script = tmp.resolve("stage.sh");
        // args: stage output_dir inputs...; writes <stage>.out and a manifest naming it, with the input count
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"; shift 2
                echo "running $stage on $# inputs"
                if [ -f "CTL/fail.$stage" ]; then echo "forced failure of $stage" >&2; exit 3; fi
                if [ -f "CTL/flaky.$stage" ]; then
                  f="CTL/count.$stage.$CONTIMG_GROUP_ID"
                  n=$(cat "$f" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$f"
                  if [ $n -lt 3 ]; then echo "flaky failure $n" >&2; exit 1; fi
                fi
                echo "product of $stage" > "$out/$stage.out"
                printf '{"outputs": ["%s.out"], "metrics": {"inputs": %d}}' "$stage" "$#" > "$out/manifest.json"
                """.replace("CTL", ctl.toString()));
        Map<String, String> props = new HashMap<>();
        for (String s : STAGES) {
            props.put("hub.stage." + s + ".executor", "exec");
            props.put("hub.stage." + s + ".command", "sh '" + script + "' {stage} {output_dir} {inputs}");
        }
        props.put("hub.stage.redelivery.delay", "10");
        props.put("hub.stage.redelivery.max-delay", "40");
        props.put("hub.stage.redelivery.max-redeliveries", "2");
        // the breaker test: mosaic opens after 2 failures, no redelivery
        props.put("hub.breaker.mosaic.failure-threshold", "2");
        props.put("hub.stage.mosaic.redelivery.max-redeliveries", "0");
        props.put("hub.stage.photometry.redelivery.backoff-multiplier", "3");
        props.put("hub.worker.id", "test-node");
        // the crash test calls the recovery itself: the start-up recovery must not race it
        props.put("hub.pipeline.recover.delay", "3600000");
        props.put("hub.stage.imaging.param.niter", "1000");
        hub = TestHub.start(props);
        db = hub.bean("db", Db.class);
        groups = hub.bean("groupStates", GroupStates.class);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** Creates a group with two subband files and claims it, as the ingest does; sends it to the pipeline. */
    static void submit(String groupId, boolean hasCalibrator, boolean flagged) throws Exception {
        Path[] files = new Path[2];
        for (int sb = 0; sb < 2; sb++) {
            files[sb] = Files.writeString(tmp.resolve(groupId + "_sb0" + sb + ".hdf5"), "uvh5");
        }
        // one transaction, so the hub's own claimer never sees the group pending (it would claim it first)
        assertTrue(db.inTransaction(() -> {
            db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                    + "has_calibrator) VALUES (?, ?, 'pending', 2, 2, ?)", groupId, Instant.parse(groupId + "Z"),
                    hasCalibrator);
            groups.created(groupId, GroupStates.PENDING);
            for (int sb = 0; sb < 2; sb++) {
                db.update("INSERT INTO subband_files (group_id, subband, path, filename, flagged) "
                        + "VALUES (?, ?, ?, ?, ?)", groupId, sb, files[sb].toString(),
                        files[sb].getFileName().toString(), flagged);
            }
            return groups.transition(groupId, GroupStates.PENDING, GroupStates.IN_PROGRESS, null);
        }));
        hub.context().createProducerTemplate().sendBody("seda:pipeline.group", groupId);
    }

    static String awaitGroup(String groupId, String... states) throws Exception {
        return await("group " + groupId + " in " + List.of(states), () -> {
            String s = (String) db.one("SELECT state FROM ingest_groups WHERE group_id = ?", groupId)
                    .map(r -> r.get("state")).orElse(null);
            return List.of(states).contains(s) ? s : null;
        });
    }

    static <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode execution(String groupId) throws Exception {
        long id = db.scalarLong("SELECT MAX(id) FROM pipeline_executions WHERE group_id = ?", groupId);
        return getJson("/api/pipeline/executions/" + id);
    }

    static JsonNode stage(JsonNode execution, String name) {
        for (JsonNode s : execution.path("stages")) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        return null;
    }

    static JsonNode dlqItem(String component, String groupId) throws Exception {
        for (JsonNode i : getJson("/api/operations/dlq/items?component=" + component + "&limit=1000")) {
            if (groupId.equals(i.path("context").path("group_id").asText())) {
                return i;
            }
        }
        return null;
    }

    @Test
    void aCalibratorGroupFlowsThroughEveryStage() throws Exception {
        String g = "2025-10-24T13:00:00";
        submit(g, true, false);
        assertEquals("completed", awaitGroup(g, "completed", "failed"));

        JsonNode ex = execution(g);
        assertEquals("completed", ex.path("status").asText());
        assertEquals("ingest", ex.path("trigger_source").asText());
        List<String> names = new ArrayList<>();
        ex.path("stages").forEach(s -> names.add(s.path("name").asText()));
        assertEquals(STAGES, names);
        for (JsonNode s : ex.path("stages")) {
            assertEquals("completed", s.path("status").asText(), s.toString());
            assertEquals(1, s.path("attempt").asInt());
            assertEquals("exec", s.path("executor").asText());
        }
        // conversion read the two subband files; the next stages each read one upstream output; publishing all 8
        assertEquals(2, stage(ex, "conversion").path("metrics").path("inputs").asInt());
        assertEquals(1, stage(ex, "imaging").path("metrics").path("inputs").asInt());
        assertEquals(8, stage(ex, "publishing").path("metrics").path("inputs").asInt());
        Path product = Path.of(stage(ex, "imaging").path("outputs").get(0).asText());
        assertEquals("product of imaging\n", Files.readString(product));

        JsonNode log = getJson("/api/pipeline/executions/" + ex.path("id").asLong() + "/stages/conversion/logs");
        boolean sawLine = false;
        for (JsonNode l : log.path("lines")) {
            sawLine |= "running conversion on 2 inputs".equals(l.path("line").asText());
        }
        assertTrue(sawLine, log.toString());
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = 'group_update' AND "
                + "payload LIKE ? AND payload LIKE ?", "%\"" + g + "\"%", "%\"to_state\":\"completed\"%"));
        assertTrue(db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = 'stage_update' AND payload LIKE ?",
                "%\"" + g + "\"%") >= 16, "a running and a completed event per stage");
        assertTrue(getJson("/api/pipeline/metrics/summary").path("completed_jobs").asLong() >= 1);
        JsonNode imagingMetrics = getJson("/api/pipeline/stages/imaging/metrics");
        assertTrue(imagingMetrics.path("successful_executions").asLong() >= 1);
    }

    @Test
    void aGroupWithoutCalibratorSkipsTheSolve() throws Exception {
        String g = "2025-10-24T13:05:00";
        submit(g, false, false);
        assertEquals("completed", awaitGroup(g, "completed", "failed"));
        JsonNode ex = execution(g);
        assertEquals(null, stage(ex, "calibration_solve"));
        assertEquals("completed", stage(ex, "calibration_apply").path("status").asText());
    }

    @Test
    void aStageThatFailsTwiceThenSucceedsShowsAttemptThree() throws Exception {
        String g = "2025-10-24T13:10:00";
        Path flaky = Files.writeString(ctl.resolve("flaky.calibration_apply"), "");
        try {
            submit(g, false, false);
            assertEquals("completed", awaitGroup(g, "completed", "failed"));
        } finally {
            Files.delete(flaky);
        }
        JsonNode run = stage(execution(g), "calibration_apply");
        assertEquals(3, run.path("attempt").asInt());
        assertEquals("completed", run.path("status").asText());
        long runId = run.path("id").asLong();
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM stage_log_lines WHERE stage_run_id = ? AND attempt = 1 "
                + "AND stream = 'stderr' AND line = 'flaky failure 1'", runId));
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE context LIKE ?", "%" + g + "%"));
    }

    @Test
    void anAlwaysFailingStageLandsInTheDlqAndARetryAfterTheFixCompletesTheGroup() throws Exception {
        String g = "2025-10-24T13:15:00";
        Path broken = Files.writeString(ctl.resolve("fail.imaging"), "");
        submit(g, false, false);
        assertEquals("failed", awaitGroup(g, "completed", "failed"));

        JsonNode ex = execution(g);
        assertEquals("failed", ex.path("status").asText());
        JsonNode imaging = stage(ex, "imaging");
        assertEquals("failed", imaging.path("status").asText());
        assertEquals(3, imaging.path("attempt").asInt()); // first try + 2 redeliveries
        assertEquals(null, stage(ex, "photometry"), "the flow stops at the failed stage");

        JsonNode item = await("DLQ item", () -> dlqItem("imaging", g));
        assertEquals("pending", item.path("status").asText());
        assertEquals("exec_failed", item.path("error_type").asText());
        assertTrue(item.path("error_message").asText().contains("forced failure of imaging"), item.toString());
        assertEquals("seda:pipeline.resume", item.path("resubmit_target").asText());
        assertEquals(ex.path("id").asLong(), item.path("context").path("execution_id").asLong());
        assertEquals(3, item.path("context").path("attempt").asInt());
        assertEquals("1000", item.path("context").path("params").path("niter").asText(), item.toString());
        long id = item.path("id").asLong();
        JsonNode detail = getJson("/api/items/" + id);
        assertEquals(g, detail.path("original_body").asText());
        assertTrue(getJson("/api/operations/dlq/stats").path("by_component").path("imaging").path("pending")
                .asLong() >= 1);

        Files.delete(broken);
        HttpResponse<String> retry = hub.post("/api/operations/dlq/items/" + id + "/retry", "{\"note\":\"fixed\"}");
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals("completed", awaitGroup(g, "completed"));
        JsonNode resolved = await("item resolved", () -> {
            JsonNode i = getJson("/api/operations/dlq/items/" + id);
            return "resolved".equals(i.path("status").asText()) ? i : null;
        });
        assertEquals(1, resolved.path("retry_count").asInt());

        JsonNode after = execution(g);
        assertEquals("completed", after.path("status").asText());
        assertEquals(ex.path("id").asLong(), after.path("id").asLong(), "the same execution resumed");
        assertEquals(4, stage(after, "imaging").path("attempt").asInt());
        assertEquals(1, stage(after, "conversion").path("attempt").asInt(), "completed stages are not re-run");
        assertEquals(409, hub.post("/api/operations/dlq/items/" + id + "/retry", null).statusCode());
    }

    @Test
    void aPermanentFailureIsNotRedelivered() throws Exception {
        String g = "2025-10-24T13:20:00";
        submit(g, false, true); // every subband flagged: nothing to convert
        assertEquals("failed", awaitGroup(g, "completed", "failed"));
        JsonNode conversion = stage(execution(g), "conversion");
        assertEquals(1, conversion.path("attempt").asInt());
        JsonNode item = await("DLQ item", () -> dlqItem("conversion", g));
        assertEquals("invalid_input", item.path("error_type").asText());
        // the legacy dashboard's path is an alias of the canonical list
        JsonNode legacy = getJson("/api/dlq/items?component=conversion&status=pending");
        assertEquals(getJson("/api/operations/dlq/items?component=conversion&status=pending"), legacy);
        JsonNode bulk = Json.MAPPER.readTree(hub.post("/api/operations/dlq/retry-all?component=no_such_stage", null)
                .body());
        assertEquals(0, bulk.path("retried").asInt());
        HttpResponse<String> fail = hub.post("/api/items/" + item.path("id").asLong() + "/fail", "{\"note\":\"bad data\"}");
        assertEquals(200, fail.statusCode(), fail.body());
        assertEquals("failed", getJson("/api/operations/dlq/items/" + item.path("id").asLong()).path("status").asText());
    }

    @Test
    void aBreakerOpensAfterItsThresholdFailsFastAndResetCloses() throws Exception {
        Path broken = Files.writeString(ctl.resolve("fail.mosaic"), "");
        try {
            for (String g : List.of("2025-10-24T14:00:00", "2025-10-24T14:05:00")) {
                submit(g, false, false);
                assertEquals("failed", awaitGroup(g, "completed", "failed"));
                assertEquals("exec_failed", await("DLQ item", () -> dlqItem("mosaic", g)).path("error_type").asText());
            }
            JsonNode state = getJson("/api/operations/circuit-breakers/mosaic");
            assertEquals("open", state.path("state").asText(), state.toString());
            assertEquals(2, state.path("failure_count").asInt());
            assertFalse(state.path("last_failure_time").isNull());

            String g3 = "2025-10-24T14:10:00";
            submit(g3, false, false);
            assertEquals("failed", awaitGroup(g3, "completed", "failed"));
            JsonNode fast = await("DLQ item", () -> dlqItem("mosaic", g3));
            assertEquals("circuit_open", fast.path("error_type").asText());
            assertEquals(null, stage(execution(g3), "mosaic"), "an open breaker does not run the stage");
            assertEquals("unhealthy", getJson("/api/pipeline/workflow-status").path("health").asText());

            HttpResponse<String> reset = hub.post("/api/operations/circuit-breakers/mosaic/reset", null);
            assertEquals(200, reset.statusCode(), reset.body());
            assertEquals("closed", getJson("/api/operations/circuit-breakers/mosaic").path("state").asText());

            // circuit_open is transient: the scheduled auto-retry resubmits it (the exec_failed items stay pending)
            Files.delete(broken);
            hub.context().createProducerTemplate().sendBody("direct:dlq.auto-retry", null);
            assertEquals("completed", awaitGroup(g3, "completed"));
            assertEquals("resolved", await("auto-retried item resolved", () -> {
                JsonNode i = getJson("/api/operations/dlq/items/" + fast.path("id").asLong());
                return "resolved".equals(i.path("status").asText()) ? i : null;
            }).path("status").asText());
            assertEquals("pending", dlqItem("mosaic", "2025-10-24T14:00:00").path("status").asText());
            boolean listed = false;
            for (JsonNode b : getJson("/api/operations/circuit-breakers").path("circuit_breakers")) {
                listed |= "calibration_solve".equals(b.path("name").asText()) && b.path("failure_threshold").asInt() == 3;
            }
            assertTrue(listed, "calibration_solve keeps its science.md threshold of 3");
        } finally {
            Files.deleteIfExists(broken);
        }
        assertEquals(404, hub.get("/api/operations/circuit-breakers/nope").statusCode());
    }

    @Test
    void workInterruptedByACrashIsRequeuedAtItsUnfinishedStage() throws Exception {
        // what a kill during calibration_apply leaves behind: group in_progress, execution and stage run running
        String g = "2025-10-24T15:00:00";
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', 2, 2)", g, Instant.parse(g + "Z"));
        groups.created(g, GroupStates.IN_PROGRESS);
        Instant beforeBoot = Instant.now().minusSeconds(3600);
        long ex = db.insert("INSERT INTO pipeline_executions (group_id, status, worker_id, created_at, started_at) "
                + "VALUES (?, 'running', 'test-node', ?, ?)", "id", g, beforeBoot, beforeBoot);
        Path ms = Files.writeString(tmp.resolve("crash.ms"), "ms");
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, executor, started_at, "
                + "finished_at, outputs) VALUES (?, 'conversion', 'completed', 1, 'exec', ?, ?, ?)", ex,
                Instant.now(), Instant.now(), "{\"outputs\": [\"" + ms + "\"]}");
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, executor, started_at) "
                + "VALUES (?, 'calibration_apply', 'running', 1, 'exec', ?)", ex, Instant.now());

        assertTrue(hub.bean("pipelineRuns", PipelineRuns.class).recoverInterrupted() >= 1);
        assertEquals("completed", awaitGroup(g, "completed", "failed"));
        JsonNode after = execution(g);
        assertEquals(ex, after.path("id").asLong());
        assertEquals("restart", after.path("trigger_source").asText());
        assertEquals(1, stage(after, "conversion").path("attempt").asInt());
        JsonNode apply = stage(after, "calibration_apply");
        assertEquals(2, apply.path("attempt").asInt());
        assertEquals(1, apply.path("metrics").path("inputs").asInt(), "the MS from before the crash");
    }

    /**
     * A lost hub's execution, taken over by this hub after its start, is resumed once: the restart recovery that
     * follows (it sees the execution under this hub's name, started before the boot) leaves it alone. Resuming it twice
     * ran each remaining stage twice at once (CI, ClusterKillTest).
     */
    @Test
    void anExecutionTakenOverAfterTheStartIsNotResumedAgainByTheRestartRecovery() throws Exception {
        String g = "2025-10-24T15:10:00";
        Instant beforeBoot = Instant.now().minusSeconds(3600);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                + "claimed_by, claimed_at, claim_version, lease_until) VALUES (?, ?, 'in_progress', 2, 2, "
                + "'hub-lost', ?, 1, ?)", g, Instant.parse(g + "Z"), beforeBoot, beforeBoot.plusSeconds(60));
        groups.created(g, GroupStates.IN_PROGRESS);
        long ex = db.insert("INSERT INTO pipeline_executions (group_id, status, worker_id, created_at, started_at) "
                + "VALUES (?, 'running', 'hub-lost', ?, ?)", "id", g, beforeBoot, beforeBoot);
        Path ms = Files.writeString(tmp.resolve("lost.ms"), "ms");
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, executor, started_at, "
                + "finished_at, outputs) VALUES (?, 'conversion', 'completed', 1, 'exec', ?, ?, ?)", ex,
                beforeBoot, beforeBoot, "{\"outputs\": [\"" + ms + "\"]}");
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, executor, started_at) "
                + "VALUES (?, 'calibration_apply', 'running', 1, 'exec', ?)", ex, beforeBoot);

        PipelineRuns runs = hub.bean("pipelineRuns", PipelineRuns.class);
        ClaimFence won = hub.bean("pipelineStore", PipelineStore.class).takeClaim(g, "test-node", 1L,
                hub.bean("leaseTerms", LeaseTerms.class), true);
        assertNotNull(won, "the expired claim is taken");
        // as on a loaded hub: the recovery runs before the take-over's resume message is consumed (route stopped)
        hub.context().getRouteController().stopRoute("pipeline.resume");
        try {
            runs.continueTakenOver(won, "hub-lost", "takeover");
            assertEquals(0, runs.recoverInterrupted(), "nothing of a previous life to recover");
        } finally {
            hub.context().getRouteController().startRoute("pipeline.resume");
        }
        assertEquals("completed", awaitGroup(g, "completed", "failed"));
        JsonNode after = execution(g);
        assertEquals(ex, after.path("id").asLong());
        assertEquals("takeover", after.path("trigger_source").asText());
        for (String stage : List.of("conversion", "calibration_apply", "imaging", "publishing")) {
            assertEquals(1, db.query("SELECT id FROM stage_runs WHERE execution_id = ? AND stage_name = ? AND "
                    + "status = 'completed'", ex, stage).size(), stage + " completed once");
        }
        assertEquals(won.version(), hub.bean("pipelineStore", PipelineStore.class).group(g).map(r -> ((Number)
                r.get("claim_version")).longValue()).orElse(-1L), "nobody took the claim again");
    }

    /**
     * The error handling each stage runs with is the YAML route configuration stage-errors.<stage> (routes/),
     * filled from the properties: the global keys, a stage's own keys where given.
     */
    @Test
    void everyStageRunsWithItsRouteConfigurationFromRoutesAndProperties() {
        for (String stage : STAGES) {
            Route route = hub.context().getRoute("stage." + stage);
            assertEquals("stage-errors." + stage, hub.context().getCamelContextExtension()
                    .getContextPlugin(Model.class).getRouteDefinition("stage." + stage).getRouteConfigurationId());
            DeadLetterChannel dlc = deadLetterChannel(route);
            assertEquals("direct:pipeline.dead-letter", dlc.getDeadLetterUri(), stage);
            RedeliveryPolicy policy = dlc.getRedeliveryPolicy();
            assertEquals("mosaic".equals(stage) ? 0 : 2, policy.getMaximumRedeliveries(), stage);
            assertEquals(10, policy.getRedeliveryDelay(), stage);
            assertEquals(40, policy.getMaximumRedeliveryDelay(), stage);
            assertTrue(policy.isUseExponentialBackOff(), stage);
            assertEquals("photometry".equals(stage) ? 3.0 : 2.0, policy.getBackOffMultiplier(), stage);
        }
        RedeliveryPolicy flow = deadLetterChannel(hub.context().getRoute("pipeline.run")).getRedeliveryPolicy();
        assertEquals(0, flow.getMaximumRedeliveries());
    }

    /** The dead-letter channel wrapping the route's steps (each step's channel holds the route's error handler). */
    private static DeadLetterChannel deadLetterChannel(Route route) {
        for (Processor p : route.navigate().next()) {
            if (p instanceof DefaultChannel c && c.getErrorHandler() instanceof DeadLetterChannel dlc) {
                return dlc;
            }
        }
        throw new AssertionError("no dead-letter channel on route " + route.getRouteId());
    }

    @Test
    void theDependencyGraphFollowsTheLoadedRoutes() throws Exception {
        JsonNode graph = getJson("/api/pipeline/dependency-graph");
        List<String> nodes = new ArrayList<>();
        graph.path("nodes").forEach(n -> nodes.add(n.path("id").asText()));
        assertEquals(STAGES, nodes);
        assertEquals("calibration_solve", graph.path("nodes").get(1).path("breaker").asText());
        List<String> edges = new ArrayList<>();
        graph.path("edges").forEach(e -> edges.add(e.path("from").asText() + ">" + e.path("to").asText()
                + ":" + e.path("type").asText()));
        assertEquals(List.of("conversion>calibration_solve:conditional", "calibration_solve>calibration_apply:depends_on",
                "conversion>calibration_apply:depends_on", "calibration_apply>imaging:depends_on",
                "imaging>photometry:depends_on", "photometry>ese_detection:depends_on",
                "ese_detection>transient_search:depends_on", "transient_search>mosaic:depends_on",
                "mosaic>publishing:depends_on"), edges);

        JsonNode status = getJson("/api/pipeline/workflow-status");
        assertEquals(STAGES.size(), status.path("stages").size());
        assertTrue(status.path("stages").get(0).has("completed_today"));
        // each node's status is its stage's health as workflow-status counts it (other tests' runs included)
        for (int i = 0; i < STAGES.size(); i++) {
            JsonNode s = status.path("stages").get(i);
            String expected = s.path("breaker_open").asBoolean()
                    || (s.path("failed_today").asLong() > 0 && s.path("completed_today").asLong() == 0) ? "unhealthy"
                    : s.path("failed_today").asLong() > 0 ? "degraded" : "healthy";
            assertEquals(expected, graph.path("nodes").get(i).path("status").asText(), s.toString());
        }
        assertEquals(404, hub.get("/api/pipeline/stages/nope/metrics").statusCode());
        assertEquals(404, hub.get("/api/pipeline/executions/999999").statusCode());
        assertEquals(400, hub.get("/api/operations/dlq/items?status=bogus").statusCode());
    }
}
