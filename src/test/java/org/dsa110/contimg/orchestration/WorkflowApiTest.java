package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.orchestration.OrchestrationTestHub.ENDED;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.STARTED;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.await;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.getJson;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workflows, dependencies, blocking and retry, templates and the DAG, over HTTP against a running hub. */
class WorkflowApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = OrchestrationTestHub.get();
    }

    private static Map<String, Object> task(String key, String taskName, List<String> deps, Map<String, Object> extra) {
        Map<String, Object> params = new LinkedHashMap<>(extra);
        params.put("key", key);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("key", key);
        t.put("task_name", taskName);
        t.put("params", params);
        t.put("depends_on", deps);
        t.put("max_retries", 0);
        return t;
    }

    @Test
    void diamondOfFourTasksRunsInDependencyOrder() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of("name", "diamond", "tasks", List.of(
                task(p + "-d", "imaging", List.of(p + "-b", p + "-c"), Map.of()),
                task(p + "-b", "calibration-solve", List.of(p + "-a"), Map.of()),
                task(p + "-c", "calibration-apply", List.of(p + "-a"), Map.of()),
                task(p + "-a", "convert-uvh5-to-ms", List.of(), Map.of())));
        JsonNode created = post("/api/workflows", body, 201);
        String wf = created.get("workflow_id").asText();
        JsonNode done = await("/api/workflows/" + wf, n -> n.get("status").asText().equals("completed"));
        assertEquals(4, done.get("total_tasks").asInt());
        assertEquals(4, done.get("counts").get("completed").asInt());
        assertEquals(100.0, done.get("progress_percent").asDouble());
        // a task starts only after every task it depends on has ended
        assertTrue(ENDED.get(p + "-a") < STARTED.get(p + "-b"));
        assertTrue(ENDED.get(p + "-a") < STARTED.get(p + "-c"));
        assertTrue(ENDED.get(p + "-b") < STARTED.get(p + "-d"));
        assertTrue(ENDED.get(p + "-c") < STARTED.get(p + "-d"));

        JsonNode dag = getJson("/api/workflows/" + wf + "/dag");
        Map<String, String> ids = new HashMap<>();
        created.get("task_ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        Map<String, JsonNode> nodes = new HashMap<>();
        dag.get("nodes").forEach(n -> nodes.put(n.get("task_id").asText(), n));
        assertEquals(3, dag.get("total_depth").asInt());
        assertEquals(List.of(ids.get(p + "-a")), texts(dag.get("root_tasks")));
        assertEquals(List.of(ids.get(p + "-d")), texts(dag.get("leaf_tasks")));
        assertEquals(0, nodes.get(ids.get(p + "-a")).get("depth").asInt());
        assertEquals(1, nodes.get(ids.get(p + "-b")).get("depth").asInt());
        assertEquals(1, nodes.get(ids.get(p + "-c")).get("depth").asInt());
        assertEquals(2, nodes.get(ids.get(p + "-d")).get("depth").asInt());
        assertEquals(List.of(ids.get(p + "-b"), ids.get(p + "-c")).stream().sorted().toList(),
                texts(nodes.get(ids.get(p + "-d")).get("depends_on")).stream().sorted().toList());
        assertEquals(List.of(ids.get(p + "-b"), ids.get(p + "-c")).stream().sorted().toList(),
                texts(nodes.get(ids.get(p + "-a")).get("dependents")).stream().sorted().toList());
        assertEquals(0, getJson("/api/workflows/" + wf + "/ready").get("count").asInt());
    }

    @Test
    void failedMiddleTaskBlocksItsDependentsAndRetryCompletesTheWorkflow() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        Path marker = Files.createTempFile("fail-while", ".marker");
        Map<String, Object> body = Map.of("name", "chain", "tasks", List.of(
                task(p + "-1", "convert-uvh5-to-ms", List.of(), Map.of()),
                task(p + "-2", "calibration-solve", List.of(p + "-1"), Map.of("fail_while", marker.toString())),
                task(p + "-3", "calibration-apply", List.of(p + "-2"), Map.of()),
                task(p + "-4", "imaging", List.of(p + "-3"), Map.of())));
        JsonNode created = post("/api/workflows", body, 201);
        String wf = created.get("workflow_id").asText();
        String second = created.get("task_ids").get(p + "-2").asText();
        JsonNode failed = await("/api/workflows/" + wf, n -> n.get("status").asText().equals("failed"));
        assertEquals(1, failed.get("counts").get("completed").asInt());
        assertEquals(1, failed.get("counts").get("failed").asInt());
        assertEquals(2, failed.get("counts").get("blocked").asInt());
        assertTrue(failed.get("error").asText().contains("simulated calibration_solve failure"));
        assertEquals("blocked", getJson("/api/tasks/" + created.get("task_ids").get(p + "-4").asText())
                .get("status").asText());
        assertTrue(!STARTED.containsKey(p + "-3"), "a blocked task must not run");

        Files.delete(marker);
        JsonNode retried = post("/api/tasks/" + second + "/retry", "", 200);
        assertTrue(List.of("pending", "claimed", "running", "completed").contains(retried.get("status").asText()));
        JsonNode done = await("/api/workflows/" + wf, n -> n.get("status").asText().equals("completed"));
        assertEquals(4, done.get("counts").get("completed").asInt());
        assertTrue(ENDED.get(p + "-2") < STARTED.get(p + "-3"));
        assertEquals(1, getJson("/api/tasks/" + second).get("retry_count").asInt());
    }

    @Test
    void cyclesAndUnknownNamesAreRejected() throws Exception {
        Map<String, Object> cyclic = Map.of("name", "loop", "tasks", List.of(
                task("x", "imaging", List.of("z"), Map.of()), task("y", "imaging", List.of("x"), Map.of()),
                task("z", "imaging", List.of("y"), Map.of()), task("w", "imaging", List.of(), Map.of())));
        JsonNode err = post("/api/workflows", cyclic, 422);
        assertEquals("VALIDATION_ERROR", err.get("code").asText());
        assertEquals(List.of("x", "y", "z"), texts(err.get("details").get("cycle")).stream().sorted().toList());
        post("/api/workflows", Map.of("name", "bad", "tasks", List.of(task("a", "no-such-task", List.of(), Map.of()))),
                422);
        post("/api/workflows", Map.of("name", "bad", "tasks", List.of(task("a", "imaging", List.of("nope"),
                Map.of()))), 422);
        assertEquals(404, hub.get("/api/workflows/no-such-workflow").statusCode());
    }

    @Test
    void templateRunCreatesAChainedWorkflow() throws Exception {
        JsonNode list = getJson("/api/templates");
        List<String> names = new ArrayList<>();
        list.get("templates").forEach(t -> names.add(t.get("name").asText()));
        assertTrue(names.containsAll(List.of("standard-pipeline", "quick-imaging", "calibrator", "target")), names::toString);

        JsonNode run = post("/api/templates/quick-imaging/run", Map.of("params_override",
                Map.of("group_id", "2025-10-24T13:28:03")), 201);
        String wf = run.get("workflow_id").asText();
        List<String> ids = texts(run.get("task_ids"));
        assertEquals(3, ids.size());
        JsonNode dag = getJson("/api/workflows/" + wf + "/dag");
        assertEquals(3, dag.get("total_depth").asInt());
        Map<String, JsonNode> nodes = new HashMap<>();
        dag.get("nodes").forEach(n -> nodes.put(n.get("task_id").asText(), n));
        List<String> expected = List.of("convert-uvh5-to-ms", "calibration-apply", "imaging");
        for (int i = 0; i < 3; i++) {
            JsonNode n = nodes.get(ids.get(i));
            assertEquals(expected.get(i), n.get("task_name").asText());
            assertEquals(i, n.get("depth").asInt());
            assertEquals(i == 0 ? List.of() : List.of(ids.get(i - 1)), texts(n.get("depends_on")));
        }
        JsonNode imaging = getJson("/api/tasks/" + ids.get(2));
        assertEquals("quick", imaging.get("params").get("quality_tier").asText());
        assertEquals("2025-10-24T13:28:03", imaging.get("params").path("group_id").asText(), imaging.toString());
        JsonNode wfDone = await("/api/workflows/" + wf, n -> n.get("status").asText().equals("completed"));
        assertEquals("quick-imaging", wfDone.get("template_name").asText());
    }

    @Test
    void templatesArePersistedAndEditable() throws Exception {
        String name = "tmpl-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> t = Map.of("name", name, "description", "two steps", "steps", List.of(
                Map.of("task_name", "calibration-apply"), Map.of("task_name", "imaging", "params",
                        Map.of("datacolumn", "corrected"))), "default_params", Map.of("refant", "104"));
        JsonNode created = post("/api/templates", t, 201);
        assertEquals(2, created.get("steps").size());
        assertEquals("dsa110-pipeline", created.get("queue_name").asText());
        post("/api/templates", t, 409);
        String stored = hub.bean("db", org.dsa110.contimg.store.Db.class).one(
                "SELECT steps FROM workflow_templates WHERE template_name = ?", name).orElseThrow().get("steps")
                .toString();
        assertTrue(stored.contains("calibration-apply"));
        var put = hub.send("PUT", "/api/templates/" + name, Json.write(Map.of(
                "description", "one step", "steps", List.of(Map.of("task_name", "imaging")))));
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(1, getJson("/api/templates/" + name).get("steps").size());
        assertEquals(422, hub.post("/api/templates", Json.write(Map.of("name", name + "x",
                "steps", List.of(Map.of("task_name", "nope"))))).statusCode());
        assertEquals(409, hub.send("DELETE", "/api/templates/standard-pipeline", null).statusCode());
        assertEquals(200, hub.send("DELETE", "/api/templates/" + name, null).statusCode());
        assertEquals(404, hub.get("/api/templates/" + name).statusCode());
    }

    @Test
    void tasksWithDependenciesAndQueues() throws Exception {
        JsonNode first = post("/api/tasks", Map.of("queue_name", "dsa110-pipeline", "task_name", "imaging",
                "params", Map.of("key", "solo"), "priority", 7, "max_retries", 0), 201);
        assertEquals(7, first.get("priority").asInt());
        JsonNode second = post("/api/tasks/with-deps", Map.of("task_name", "photometry",
                "depends_on", List.of(first.get("task_id").asText())), 201);
        assertEquals(List.of(first.get("task_id").asText()), texts(second.get("depends_on")));
        await("/api/tasks/" + second.get("task_id").asText(), n -> n.get("status").asText().equals("completed"));

        post("/api/tasks", Map.of("task_name", "no-such-task"), 422);
        post("/api/tasks", Map.of("task_name", "imaging", "queue_name", "nowhere"), 422);
        post("/api/tasks/with-deps", Map.of("task_name", "imaging", "depends_on", List.of("missing")), 422);
        assertEquals(404, hub.get("/api/tasks/" + UUID.randomUUID()).statusCode());

        JsonNode enq = post("/api/queues/maintenance/enqueue", Map.of("task_name", "housekeeping",
                "params", Map.of("retention_days", 3650)), 201);
        JsonNode hk = await("/api/tasks/" + enq.get("task_id").asText(), n -> n.get("status").asText()
                .equals("completed"));
        assertEquals(3650, hk.get("result").get("retention_days").asInt());
        assertTrue(hk.get("result").has("events_deleted"));
        assertEquals(404, hub.post("/api/queues/nowhere/enqueue", "{\"task_name\":\"imaging\"}").statusCode());
        assertEquals(422, hub.post("/api/queues/maintenance/enqueue", "{\"task_name\":\"nope\"}").statusCode());
        JsonNode stats = getJson("/api/queues/maintenance/stats");
        assertTrue(stats.get("completed").asInt() >= 1);
        assertEquals(stats.get("total").asLong(), stats.get("pending").asLong() + stats.get("claimed").asLong()
                + stats.get("completed").asLong() + stats.get("failed").asLong() + stats.get("cancelled").asLong());
        assertTrue(texts(getJson("/api/queues")).containsAll(List.of("dsa110-pipeline", "maintenance")));
        assertEquals(9, getJson("/api/available").get("total").asInt());
    }

    @Test
    void aTaskWithoutAStageRouteFailsWithAClearError() throws Exception {
        JsonNode t = post("/api/tasks", Map.of("task_name", "create-mosaic", "max_retries", 0), 201);
        JsonNode failed = await("/api/tasks/" + t.get("task_id").asText(), n -> n.get("status").asText()
                .equals("failed"));
        assertTrue(failed.get("error").asText().contains("no route consumes direct:test.stage.mosaic"),
                failed.get("error").asText());
    }

    @Test
    void scheduledTaskRowsOfAnyTaskNameAreRun() throws Exception {
        // what the ingest scheduler does when a cron schedule fires: insert a pending task row
        String id = UUID.randomUUID().toString();
        hub.bean("db", org.dsa110.contimg.store.Db.class).update("INSERT INTO tasks (task_id, queue_name, task_name,"
                + " params, priority, status, created_at) VALUES (?, 'dsa110-pipeline', 'publish', ?, 5, 'pending', ?)",
                id, "{\"data_id\":\"img-1\",\"key\":\"sched\"}", java.time.Instant.now());
        JsonNode done = await("/api/tasks/" + id, n -> n.get("status").asText().equals("completed"));
        assertEquals("/products/publishing/sched.out", done.get("result").get("artifacts").get(0).asText());
    }

    @Test
    void cancellingAPendingTaskBlocksItsDependents() throws Exception {
        Path marker = Files.createTempFile("hold", ".marker");
        // the upstream task fails while the marker exists and has retries with back-off, so it stays unfinished
        JsonNode upstream = post("/api/tasks", Map.of("task_name", "imaging", "params",
                Map.of("fail_while", marker.toString()), "max_retries", 100), 201);
        JsonNode downstream = post("/api/tasks/with-deps", Map.of("task_name", "photometry", "depends_on",
                List.of(upstream.get("task_id").asText())), 201);
        var response = hub.send("DELETE", "/api/tasks/" + upstream.get("task_id").asText(), null);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("cancelled", json(response).get("status").asText());
        await("/api/tasks/" + downstream.get("task_id").asText(), n -> n.get("status").asText().equals("blocked"));
        // cancel is idempotent: a second cancel answers as the first did
        var again = hub.send("DELETE", "/api/tasks/" + upstream.get("task_id").asText(), null);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("cancelled", json(again).get("status").asText());
        Files.deleteIfExists(marker);
    }

    private static JsonNode json(java.net.http.HttpResponse<String> r) throws Exception {
        return OrchestrationTestHub.json(r);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
