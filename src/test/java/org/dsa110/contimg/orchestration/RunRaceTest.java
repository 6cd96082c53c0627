package org.dsa110.contimg.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * The two races behind the once-flaky job and batch tests: a job's task finishing before the job was linked to it
 * (the job then stayed pending for ever), and a cancel arriving before the run had started its process (the
 * process then ran on, holding a task slot).
 */
class RunRaceTest {

    private static Db h2() {
        var ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        return new Db(ds, Db.Dialect.H2);
    }

    @Test
    void theOwnerIsLinkedInTheTasksTransaction() {
        Db db = h2();
        TaskStore store = new TaskStore(db);
        long job = db.insert("INSERT INTO jobs (type, status, params, created_at) VALUES ('image', 'pending', '{}',"
                + " CURRENT_TIMESTAMP)", "id");
        AtomicReference<String> seenByListener = new AtomicReference<>();
        // a listener stands for the claimer: when it first hears of the task, the job must already point at it
        store.addListener(t -> seenByListener.compareAndSet(null, db.one("SELECT task_id FROM jobs WHERE id = ?", job)
                .map(r -> (String) r.get("task_id")).orElse(null)));
        Task t = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 5, null, 0, null, List.of()),
                id -> db.update("UPDATE jobs SET task_id = ? WHERE id = ?", id, job));
        assertEquals(t.taskId(), seenByListener.get());

        // a failing link rolls the task back: no task without its owner
        long before = db.scalarLong("SELECT COUNT(*) FROM tasks");
        assertThrows(IllegalStateException.class, () -> store.create(new TaskStore.NewTask("q", "imaging", Map.of(),
                5, null, 0, null, List.of()), id -> {
                    throw new IllegalStateException("link failed");
                }));
        assertEquals(before, db.scalarLong("SELECT COUNT(*) FROM tasks"));
    }

    @Test
    void aProcessStartedAfterItsRunWasCancelledIsStoppedAtOnce() throws Exception {
        RunningProcesses processes = new RunningProcesses();
        assertEquals(0, processes.cancelRun("task-1")); // nothing started yet
        Process late = new ProcessBuilder("sleep", "30").start();
        processes.register("task-1", late);
        assertTrue(late.waitFor(10, TimeUnit.SECONDS), "the late process was not stopped");
        processes.finished("task-1");

        // after the run is over, the id carries no cancel mark any more
        Process next = new ProcessBuilder("sleep", "30").start();
        try {
            processes.register("task-1", next);
            assertFalse(next.waitFor(300, TimeUnit.MILLISECONDS));
            assertEquals(1, processes.cancel("task-1"));
            assertTrue(next.waitFor(10, TimeUnit.SECONDS));
        } finally {
            next.destroyForcibly();
        }
    }
}
