package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.orchestration.OrchestrationTestHub.await;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.awaitTrue;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.getJson;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs over HTTP: defaults, asynchronous run through the stage routes, cancel of a real process, log SSE. */
class JobsApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = OrchestrationTestHub.get();
    }

    @Test
    void calibrateJobTakesDefaultsAndRunsToDone() throws Exception {
        JsonNode job = post("/api/jobs/calibrate", Map.of("ms_path", hub.stagedMs("2025-10-24T13:28:03.ms")),
                201);
        assertEquals("calibrate", job.get("type").asText());
        assertEquals(hub.stagedMs("2025-10-24T13:28:03.ms"), job.get("ms_path").asText());
        JsonNode params = job.get("params");
        assertEquals("103", params.get("refant").asText());
        assertTrue(params.get("solve_bandpass").asBoolean());
        assertTrue(params.get("solve_gains").asBoolean());
        assertEquals("ap", params.get("gain_calmode").asText());
        long id = job.get("id").asLong();
        JsonNode done = await("/api/jobs/id/" + id, j -> j.get("status").asText().equals("done"));
        assertNotNull(done.get("started_at").asText());
        assertNotNull(done.get("finished_at").asText());
        assertEquals(1, done.get("artifacts").size());
        assertTrue(done.get("artifacts").get(0).asText().startsWith("/products/calibration_solve/"));
        assertTrue(done.get("logs").asText().contains("calibration_solve starting on "
                + hub.stagedMs("2025-10-24T13:28:03.ms")));
        // the same job by its task id (legacy /api/tasks/jobs/{job_id})
        String taskId = hub.bean("db", org.dsa110.contimg.store.Db.class)
                .one("SELECT task_id FROM jobs WHERE id = ?", id).orElseThrow().get("task_id").toString();
        assertEquals(id, getJson("/api/jobs/" + taskId).get("id").asLong());
        assertEquals(id, getJson("/api/jobs/" + id).get("id").asLong());
    }

    @Test
    void imageJobDefaultsAndValidation() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", hub.stagedMs("a.ms")), 201);
        assertEquals("corrected", job.get("params").get("datacolumn").asText());
        assertEquals("standard", job.get("params").get("quality_tier").asText());
        assertEquals("wproject", job.get("params").get("gridder").asText());
        assertEquals(422, hub.post("/api/jobs/image", "{\"params\":{}}").statusCode());
        assertEquals(422, hub.post("/api/jobs/image", Json.write(Map.of("ms_path", "/a.ms", "params",
                Map.of("quality_tier", "ultra")))).statusCode());
        assertEquals(400, hub.post("/api/jobs/image", Json.write(Map.of("ms_path", "/a.ms", "colour", 1)))
                .statusCode());
        assertEquals(422, hub.post("/api/jobs/convert", Json.write(Map.of("params", Map.of(
                "start_time", "2025-10-24T14:00:00", "end_time", "2025-10-24T13:00:00")))).statusCode());
        JsonNode conv = post("/api/jobs/convert", Map.of("params", Map.of("start_time", "2025-10-24T13:00:00",
                "end_time", "2025-10-24T14:00:00", "input_dir", hub.dataDir().resolve("incoming").toString(),
                "output_dir", hub.stagedMs("ms"))), 201);
        assertEquals("auto", conv.get("params").get("writer").asText());
        assertTrue(conv.get("ms_path").isNull());
        JsonNode ese = post("/api/jobs/ese-detect", "", 201);
        assertEquals(5.0, ese.get("params").get("min_sigma").asDouble());
        await("/api/jobs/id/" + ese.get("id").asLong(), j -> j.get("status").asText().equals("done"));
    }

    @Test
    void workflowJobRunsCalibrateApplyImage() throws Exception {
        JsonNode job = post("/api/jobs/workflow", Map.of("ms_path", hub.stagedMs("wf.ms")), 201);
        JsonNode done = await("/api/jobs/id/" + job.get("id").asLong(), j -> j.get("status").asText().equals("done"));
        List<String> stages = new ArrayList<>();
        done.get("artifacts").forEach(a -> stages.add(a.asText().split("/")[2]));
        assertEquals(List.of("calibration_solve", "calibration_apply", "imaging"), stages);
    }

    @Test
    void cancellingARunningJobEndsItsExternalProcess() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", hub.stagedMs("sleep-cancel.ms")), 201);
        long id = job.get("id").asLong();
        RunningProcesses processes = hub.bean("runningProcesses", RunningProcesses.class);
        awaitTrue(() -> !processes.processes(RunningProcesses.jobKey(id)).isEmpty(), "the job's process to start");
        Process p = processes.processes(RunningProcesses.jobKey(id)).get(0);
        List<ProcessHandle> tree = new ArrayList<>(p.toHandle().descendants().toList());
        tree.add(p.toHandle());
        assertTrue(p.isAlive());
        assertEquals("running", getJson("/api/jobs/id/" + id).get("status").asText());

        JsonNode cancelled = post("/api/jobs/id/" + id + "/cancel", "", 200);
        assertTrue(List.of("running", "cancelled").contains(cancelled.get("status").asText()));
        awaitTrue(() -> tree.stream().noneMatch(ProcessHandle::isAlive), "the process tree to end");
        JsonNode after = await("/api/jobs/id/" + id, j -> j.get("status").asText().equals("cancelled"));
        assertTrue(after.get("logs").asText().contains("job cancelled by operator"));
        // cancel is idempotent: a second cancel answers the cancelled job again
        assertEquals("cancelled", post("/api/jobs/id/" + id + "/cancel", "", 200).get("status").asText());
    }

    @Test
    void logStreamSendsLinesWhileTheJobRunsThenEnds() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", hub.stagedMs("sleep-logs.ms")), 201);
        long id = job.get("id").asLong();
        HttpResponse<InputStream> sse = hub.http().send(HttpRequest.newBuilder(hub.uri("/api/jobs/id/" + id + "/logs"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, sse.statusCode());
        assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> ticks = new ArrayList<>();
        String endData = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "log".equals(event)) {
                    JsonNode data = Json.MAPPER.readTree(line.substring(6));
                    if (data.get("line").asText().startsWith("tick")) {
                        ticks.add(data);
                        if (ticks.size() == 3) {
                            // three lines arrived live while the job is still running: now stop it
                            assertEquals("running", getJson("/api/jobs/id/" + id).get("status").asText());
                            hub.post("/api/jobs/id/" + id + "/cancel", "");
                        }
                    }
                } else if (line.startsWith("data: ") && "end".equals(event)) {
                    endData = line.substring(6);
                }
            }
        }
        assertTrue(ticks.size() >= 3);
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i).get("seq").asInt() > ticks.get(i - 1).get("seq").asInt());
        }
        assertNotNull(endData, "the stream ends with an end event");
        assertEquals("cancelled", Json.MAPPER.readTree(endData).get("status").asText());

        // a finished job's stream is its full log, then the end event
        String full = hub.get("/api/jobs/id/" + id + "/logs").body();
        assertTrue(full.contains("tick 0"));
        assertTrue(full.contains("event: end"));
        assertEquals(404, hub.get("/api/jobs/id/999999/logs").statusCode());
        assertEquals(400, hub.get("/api/jobs/id/abc/logs").statusCode());
    }

    @Test
    void listFiltersAndHealth() throws Exception {
        post("/api/jobs/apply", Map.of("ms_path", hub.stagedMs("list.ms")), 201);
        JsonNode applies = getJson("/api/jobs?type=apply&limit=5");
        assertFalse(applies.get("items").isEmpty());
        applies.get("items").forEach(j -> assertEquals("apply", j.get("type").asText()));
        assertTrue(applies.get("items").size() <= 5);
        assertEquals(400, hub.get("/api/jobs?status=weird").statusCode());
        JsonNode health = getJson("/api/jobs/healthz");
        assertEquals("ok", health.get("status").asText());
        assertEquals("test-hub-worker", health.get("worker_id").asText());
        assertEquals(404, hub.get("/api/jobs/id/987654").statusCode());
    }
}
