package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.orchestration.OrchestrationTestHub.await;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.awaitTrue;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;

/** A task's timeout stops its run (process included); failed runs are retried after the back-off, then fail. */
class TaskTimeoutRetryTest {
    @Test
    void aTaskOverItsTimeoutIsStoppedAndFailed() throws Exception {
        OrchestrationTestHub.get();
        JsonNode task = post("/api/tasks", Map.of("queue_name", "dsa110-pipeline", "task_name", "imaging",
                "params", Map.of("ms_path", OrchestrationTestHub.get().stagedMs("sleep-timeout.ms")), "timeout_sec", 1,
                "max_retries", 0), 201);
        String id = task.get("task_id").asText();
        JsonNode failed = await("/api/tasks/" + id, t -> t.get("status").asText().equals("failed"));
        assertEquals("timed out after 1 s", failed.get("error").asText());
        RunningProcesses processes = OrchestrationTestHub.get().bean("runningProcesses", RunningProcesses.class);
        awaitTrue(() -> processes.processes(id).isEmpty(), "the timed-out run's process to be gone");
    }

    @Test
    void aFailingTaskIsRetriedUntilItSucceeds() throws Exception {
        OrchestrationTestHub.get();
        // its first two runs fail (the test hub retries at once: waiting for a failure and then repairing the
        // cause raced the retries, which a loaded machine could exhaust first), the third succeeds
        JsonNode task = post("/api/tasks", Map.of("queue_name", "dsa110-pipeline", "task_name", "imaging",
                "params", Map.of("fail_first", 2, "key", "retry-until-fixed"), "max_retries", 5), 201);
        String id = task.get("task_id").asText();
        JsonNode done = await("/api/tasks/" + id, t -> t.get("status").asText().equals("completed"));
        assertEquals(2, done.get("retry_count").asInt());
    }

    @Test
    void theBackOffHoldsARetryUntilItsTime() {
        var ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        TaskStore store = new TaskStore(new Db(ds, Db.Dialect.H2));
        String id = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 5, null, 1, null, List.of()))
                .taskId();
        assertEquals(1, store.claim("w", 1).size());
        assertTrue(store.markRunning(id, "w"));
        Instant before = Instant.now();
        assertEquals(Task.RETRYING, store.fail(id, "boom", 30));
        Task t = store.get(id).orElseThrow();
        assertNull(t.workerId());
        // not claimable, and not promoted, before its not_before
        assertEquals(0, store.promoteRetrying());
        assertEquals(List.of(), store.claim("w", 1));
        // once the back-off has passed (moved back here instead of sleeping) it is promoted and claimed again
        Db db = new Db(ds, Db.Dialect.H2);
        Instant notBefore = (Instant) db.one("SELECT not_before FROM tasks WHERE task_id = ?", id).orElseThrow()
                .get("not_before");
        assertTrue(!notBefore.isBefore(before.plus(Duration.ofSeconds(30))), notBefore.toString());
        db.update("UPDATE tasks SET not_before = ? WHERE task_id = ?", Instant.now().minusSeconds(1), id);
        assertEquals(1, store.promoteRetrying());
        assertEquals(id, store.claim("w", 1).get(0).taskId());
        assertTrue(store.markRunning(id, "w"));
        // the second failure uses the last attempt: failed for good
        assertEquals(Task.FAILED, store.fail(id, "boom again", 30));
    }
}
