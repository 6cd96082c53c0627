package org.dsa110.contimg.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator jobs with the real task catalog: each runs through the stage's own route (exec executor here), as a
 * pipeline execution with trigger api, its stage log copied to the job log, its process stopped by a cancel, and
 * a failure dead-lettered with a retry that retries the task.
 */
class OperatorStageRunTest {
    @TempDir
    static Path tmp;
    static TestHub hub;
    static Db db;

    @BeforeAll
    static void start() throws Exception {
        Path script = tmp.resolve("stage.sh");
        // args: stage output_dir inputs...; "bad" in an input fails, "sleep" in an input runs until killed
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"; shift 2
                echo "operator run of $stage on $* (tier $CONTIMG_TIER)"
                case "$*" in *bad*) echo "cannot read $*" >&2; exit 4;; esac
                case "$*" in *sleep*) while true; do echo tick; sleep 0.2; done;; esac
                echo "image of $*" > "$out/$stage.fits"
                printf '{"outputs": ["%s.fits"]}' "$stage" > "$out/manifest.json"
                """);
        Map<String, String> props = new HashMap<>();
        for (String s : List.of("calibration_solve", "calibration_apply", "imaging")) {
            props.put("hub.stage." + s + ".executor", "exec");
            props.put("hub.stage." + s + ".command", "env CONTIMG_TIER={param.quality_tier} sh '" + script
                    + "' {stage} {output_dir} {inputs}");
            props.put("hub.stage." + s + ".param.quality_tier", "quick");
        }
        props.put("hub.stage.redelivery.max-redeliveries", "0");
        props.put("hub.tasks.poll-interval-ms", "200");
        props.put("hub.tasks.retry-backoff-seconds", "0");
        props.put("hub.worker.id", "operator-test");
        hub = TestHub.start(props);
        db = hub.bean("db", Db.class);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void anImageJobRunsTheImagingStageRoute() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", hub.stagedMs("2025-10-24T13:28:03.ms"),
                "params", Map.of("quality_tier", "high")));
        long id = job.get("id").asLong();
        JsonNode done = awaitJob(id, "done");
        String artifact = done.get("artifacts").get(0).asText();
        assertTrue(artifact.endsWith("/imaging/imaging.fits"), artifact);
        assertEquals("image of " + hub.stagedMs("2025-10-24T13:28:03.ms"), Files.readString(Path.of(artifact)).trim());
        // the stage's own output reached the job's log
        // the stage's own output reached the job's log, and the job's params the command (over the config's quick)
        assertTrue(done.get("logs").asText().contains("operator run of imaging on "
                + hub.stagedMs("2025-10-24T13:28:03.ms") + " (tier high)"), done.get("logs").asText());
        Map<String, Object> exec = db.one("SELECT * FROM pipeline_executions WHERE job_id = ?", id).orElseThrow();
        assertEquals("api", exec.get("trigger_source"));
        assertEquals("completed", exec.get("status"));
        assertEquals(hub.stagedMs("2025-10-24T13:28:03.ms"), exec.get("ms_path"));
        assertNotNull(exec.get("task_id"));
        Map<String, Object> run = db.one("SELECT * FROM stage_runs WHERE execution_id = ?", exec.get("id"))
                .orElseThrow();
        assertEquals("imaging", run.get("stage_name"));
        assertEquals("exec", run.get("executor"));
        assertEquals("completed", run.get("status"));
    }

    @Test
    void aFailedRunIsDeadLetteredAndItsRetryRetriesTheTask() throws Exception {
        JsonNode job = post("/api/jobs/calibrate", Map.of("ms_path", hub.stagedMs("bad.ms")));
        long id = job.get("id").asLong();
        JsonNode failed = awaitJob(id, "failed");
        assertTrue(failed.get("logs").asText().contains("cannot read " + hub.stagedMs("bad.ms")), failed.toString());
        assertTrue(((String) db.one("SELECT error FROM jobs WHERE id = ?", id).orElseThrow().get("error"))
                .contains("exited with code 4"));
        Map<String, Object> item = await("the DLQ item", () -> db.one("SELECT * FROM dlq_items WHERE context LIKE ?",
                "%" + hub.stagedMs("bad.ms") + "%").orElse(null));
        assertEquals("direct:task.retry", item.get("resubmit_target"));
        assertEquals("calibration_solve", item.get("component"));
        String taskId = (String) db.one("SELECT task_id FROM jobs WHERE id = ?", id).orElseThrow().get("task_id");
        assertEquals("failed", db.one("SELECT status FROM tasks WHERE task_id = ?", taskId).orElseThrow()
                .get("status"));
        // retrying the DLQ item puts the task back in the queue: it runs (and fails) again
        HttpResponse<String> retry = hub.post("/api/operations/dlq/items/" + item.get("id") + "/retry", "{}");
        assertEquals(200, retry.statusCode(), retry.body());
        await("a second execution of the job", () -> db.scalarLong("SELECT COUNT(*) FROM pipeline_executions"
                + " WHERE task_id = ?", taskId) >= 2 ? true : null);
    }

    @Test
    void cancellingAJobStopsTheStagesProcess() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", hub.stagedMs("sleep.ms")));
        long id = job.get("id").asLong();
        RunningProcesses processes = hub.bean("runningProcesses", RunningProcesses.class);
        await("the stage's process", () -> processes.processes(RunningProcesses.jobKey(id)).isEmpty() ? null : true);
        ProcessHandle p = processes.processes(RunningProcesses.jobKey(id)).get(0).toHandle();
        assertTrue(p.isAlive());
        assertEquals(200, hub.post("/api/jobs/id/" + id + "/cancel", "").statusCode());
        awaitJob(id, "cancelled");
        await("the process to end", () -> p.isAlive() ? null : true);
        assertFalse(p.isAlive());
    }

    private static JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = hub.post(path, Json.write(body));
        assertEquals(201, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static JsonNode awaitJob(long id, String status) throws Exception {
        return await("job " + id + " " + status, () -> {
            JsonNode j = Json.MAPPER.readTree(hub.get("/api/jobs/id/" + id).body());
            return status.equals(j.get("status").asText()) ? j : null;
        });
    }

    static <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
