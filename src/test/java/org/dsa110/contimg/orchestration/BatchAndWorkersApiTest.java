package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.orchestration.OrchestrationTestHub.await;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.awaitTrue;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.getJson;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches (bounded concurrency, per-item status, cancel) and workers (heartbeat-driven states, crash hand-back). */
class BatchAndWorkersApiTest {
    static TestHub hub;
    static Db db;

    @BeforeAll
    static void start() throws Exception {
        hub = OrchestrationTestHub.get();
        db = hub.bean("db", Db.class);
    }

    @Test
    void batchOfFiveWithOneBadItemEndsFailedWithFourDone() throws Exception {
        List<String> paths = List.of(hub.stagedMs("b1.ms"), hub.stagedMs("b2.ms"), hub.stagedMs("bad3.ms"),
                hub.stagedMs("b4.ms"), hub.stagedMs("b5.ms"));
        JsonNode batch = post("/api/batch/image", Map.of("job_type", "image", "params", Map.of("ms_paths", paths,
                "params", Map.of("quality_tier", "quick"))), 201);
        assertEquals(5, batch.get("total_items").asInt());
        long id = batch.get("id").asLong();
        JsonNode done = await("/api/batch/" + id, b -> List.of("done", "failed").contains(b.get("status").asText()));
        assertEquals("failed", done.get("status").asText());
        assertEquals(4, done.get("completed_items").asInt());
        assertEquals(1, done.get("failed_items").asInt());
        List<String> labels = new ArrayList<>();
        for (JsonNode item : done.get("items")) {
            labels.add(item.get("ms_path").asText());
            boolean bad = item.get("ms_path").asText().contains("bad");
            assertEquals(bad ? "failed" : "done", item.get("status").asText());
            assertEquals(bad, !item.get("error").isNull());
            JsonNode job = getJson("/api/jobs/id/" + item.get("job_id").asLong());
            assertEquals("quick", job.get("params").get("quality_tier").asText());
        }
        assertEquals(paths, labels);
        assertTrue(done.get("items").get(2).get("error").asText().contains("simulated imaging failure"));
        // hub.batch.max-concurrent = 2: never more than two of this batch's jobs unfinished at once
        assertEquals(2, db.scalarLong("SELECT COUNT(*) FROM jobs WHERE batch_id = ? AND created_at <= (SELECT"
                + " MIN(finished_at) FROM jobs WHERE batch_id = ?)", id, id));
        assertTrue(getJson("/api/batch?limit=5").get("items").size() >= 1);
    }

    @Test
    void cancellingABatchDropsPendingItemsAndStopsRunningOnes() throws Exception {
        JsonNode batch = post("/api/batch/apply", Map.of("params", Map.of("ms_paths",
                List.of(hub.stagedMs("sleep-b1.ms"), hub.stagedMs("sleep-b2.ms"), hub.stagedMs("c3.ms")))),
                201);
        long id = batch.get("id").asLong();
        RunningProcesses processes = hub.bean("runningProcesses", RunningProcesses.class);
        JsonNode running = await("/api/batch/" + id, b -> b.get("items").get(0).get("status").asText().equals("running")
                && b.get("items").get(1).get("status").asText().equals("running"));
        long job1 = running.get("items").get(0).get("job_id").asLong();
        awaitTrue(() -> !processes.processes(RunningProcesses.jobKey(job1)).isEmpty(), "first item's process");
        ProcessHandle proc = processes.processes(RunningProcesses.jobKey(job1)).get(0).toHandle();
        assertTrue(running.get("items").get(2).get("job_id").isNull(), "third item waits for a free slot");
        JsonNode cancel = post("/api/batch/" + id + "/cancel", "", 200);
        assertEquals("cancelled", cancel.get("status").asText());
        JsonNode after = await("/api/batch/" + id, b -> {
            for (JsonNode item : b.get("items")) {
                if (!item.get("status").asText().equals("cancelled")) {
                    return false;
                }
            }
            return true;
        });
        assertEquals("cancelled", after.get("status").asText());
        assertTrue(after.get("items").get(2).get("job_id").isNull());
        awaitTrue(() -> !proc.isAlive(), "the running item's process to end");
        assertEquals(404, hub.post("/api/batch/99999/cancel", "").statusCode());
        assertEquals(422, hub.post("/api/batch/image", "{\"params\":{\"ms_paths\":[]}}").statusCode());
        assertEquals(422, hub.post("/api/batch/image", "{\"job_type\":\"apply\",\"params\":{\"ms_paths\":[\"/a\"]}}")
                .statusCode());
    }

    @Test
    void heartbeatsDriveWorkerStatesAndCrashedWorkersTasksAreRequeued() throws Exception {
        String w = "ext-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode beat = post("/api/workers/" + w + "/heartbeat", "", 200);
        assertEquals("idle", beat.get("state").asText());
        assertEquals("active", post("/api/workers/" + w + "/heartbeat?task_id=t-1", "", 200).get("state").asText());
        assertEquals("active", worker(w).get("state").asText());
        assertEquals("t-1", worker(w).get("current_task_id").asText());

        // time passes without heartbeats (the row is aged rather than the test sleeping)
        db.update("UPDATE workers SET last_heartbeat = ? WHERE worker_id = ?", Instant.now().minusSeconds(90), w);
        assertEquals("stale", worker(w).get("state").asText());

        // the silent worker holds a claimed task: once it counts as crashed, the task goes back to the queue
        JsonNode t = post("/api/tasks", Map.of("task_name", "publish", "params", Map.of("fail_while", "/nonexistent"),
                "priority", 0, "max_retries", 2), 201);
        String taskId = t.get("task_id").asText();
        // take it from the queue as the external worker would have (if the hub has not run it already)
        int taken = db.update("UPDATE tasks SET status = 'claimed', worker_id = ?, claimed_at = ?, attempt = 1"
                + " WHERE task_id = ? AND status = 'pending'", w, Instant.now(), taskId);
        db.update("UPDATE workers SET last_heartbeat = ? WHERE worker_id = ?", Instant.now().minusSeconds(200), w);
        assertEquals("crashed", worker(w).get("state").asText());
        JsonNode list = getJson("/api/workers");
        assertTrue(list.get("crashed").asInt() >= 1);
        assertEquals(list.get("total").asInt(), list.get("workers").size());
        JsonNode done = await("/api/tasks/" + taskId, n -> n.get("status").asText().equals("completed"));
        if (taken == 1) {
            assertEquals("test-hub-worker", done.get("worker_id").asText());
            assertEquals(1, done.get("retry_count").asInt(), "the crashed worker's run counts as an attempt");
        }
        JsonNode self = worker("test-hub-worker");
        assertTrue(List.of("active", "idle").contains(self.get("state").asText()));
        assertTrue(self.get("task_count").asLong() >= 1);
        JsonNode metrics = getJson("/api/workers/metrics");
        assertTrue(metrics.get("total_workers").asInt() >= 2);
        assertTrue(metrics.get("crashed_workers").asInt() >= 1);
    }

    @Test
    void taskMetricsComeFromStoredRows() throws Exception {
        JsonNode t = post("/api/tasks", Map.of("task_name", "imaging", "params", Map.of("key", "metrics")), 201);
        await("/api/tasks/" + t.get("task_id").asText(), n -> n.get("status").asText().equals("completed"));
        JsonNode m = getJson("/api/metrics");
        assertEquals(db.scalarLong("SELECT COUNT(*) FROM tasks"), m.get("total_spawned").asLong());
        assertEquals(db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'completed'"),
                m.get("total_completed").asLong());
        assertTrue(m.get("p95_execution_time_sec").asDouble() >= m.get("p50_execution_time_sec").asDouble());
        assertTrue(m.get("throughput_15min").asDouble() > 0);
        JsonNode history = getJson("/api/metrics/history?hours=1&resolution=5m");
        assertEquals(history.get("timestamps").size(), history.get("series").get("throughput").size());
        long finished = 0;
        for (JsonNode n : history.get("series").get("throughput")) {
            finished += n.asLong();
        }
        assertEquals(db.scalarLong("SELECT COUNT(*) FROM tasks WHERE queue_name = 'dsa110-pipeline' AND status IN"
                + " ('completed', 'failed') AND completed_at >= ?", Instant.now().minusSeconds(3600)), finished);
        JsonNode empty = getJson("/api/metrics/history?queue_name=nothing-here");
        assertEquals(0, empty.get("timestamps").size());
        assertEquals(0, empty.get("series").get("success_rate").size());
        String prom = hub.get("/api/metrics/prometheus").body();
        assertTrue(prom.contains("contimg_tasks{status=\"completed\"}"), "task gauges exported");
        assertTrue(prom.contains("contimg_tasks_finished_total{outcome=\"completed\"}"));
    }

    @Test
    void historyLeavesAGapWhereNoFinishedTaskHadStarted() throws Exception {
        // a task that failed while only claimed (its lease ran out on its last attempt) never started
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        db.update("INSERT INTO tasks (task_id, queue_name, task_name, status, claimed_at, completed_at, error) VALUES"
                + " (?, 'gap-test-queue', 'imaging', 'failed', ?, ?, 'lease expired')", id, now.minusSeconds(60), now);
        try {
            JsonNode h = getJson("/api/metrics/history?queue_name=gap-test-queue&hours=1&resolution=5m");
            assertEquals("gap-test-queue", h.get("queue_name").asText());
            assertEquals(1, h.get("series").get("throughput").get(0).asLong());
            assertEquals(0.0, h.get("series").get("success_rate").get(0).asDouble());
            assertTrue(h.get("series").get("avg_latency").get(0).isNull(), h.toString());
            assertTrue(h.get("series").get("p95_latency").get(0).isNull(), h.toString());
        } finally {
            db.update("DELETE FROM tasks WHERE task_id = ?", id);
        }
        // the queue read without queue_name is the default queue, as the document declares
        assertEquals(TaskCatalog.DEFAULT_QUEUE, getJson("/api/metrics/history").get("queue_name").asText());
        JsonNode declared = null;
        JsonNode document = Json.MAPPER.readTree(hub.get("/api/openapi.json").body());
        for (JsonNode p : document.path("paths").path("/metrics/history").path("get").path("parameters")) {
            if ("queue_name".equals(p.path("name").asText())) {
                declared = p;
            }
        }
        assertEquals(TaskCatalog.DEFAULT_QUEUE, declared.path("schema").path("default").asText(),
                String.valueOf(declared));
    }

    private static JsonNode worker(String id) throws Exception {
        for (JsonNode w : getJson("/api/workers").get("workers")) {
            if (w.get("worker_id").asText().equals(id)) {
                return w;
            }
        }
        assertNull(id, "worker not listed");
        return null;
    }
}
