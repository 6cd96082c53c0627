package org.dsa110.contimg.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Atomic claiming on both engines: concurrent claimers never take the same task; order is priority, then age. */
class TaskClaimTest {

    private static Db db(Db.Dialect dialect) {
        DataSource ds = dialect == Db.Dialect.POSTGRESQL ? TestDatabases.postgres() : TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        return new Db(ds, dialect);
    }

    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void concurrentClaimersTakeEachReadyTaskOnce(Db.Dialect dialect) throws Exception {
        TaskStore store = new TaskStore(db(dialect));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(store.create(new TaskStore.NewTask("q", "imaging", Map.of("i", i), 5, null, 0, null, List.of()))
                    .taskId());
        }
        // a task depending on the first one is not ready while the first is unfinished
        String dependent = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 9, null, 0, null,
                List.of(ids.get(0)))).taskId();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Task>>> rounds = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String worker = "w" + w;
            Callable<List<Task>> claimAll = () -> {
                List<Task> mine = new ArrayList<>();
                for (int r = 0; r < 10; r++) {
                    mine.addAll(store.claim(worker, 3));
                }
                return mine;
            };
            rounds.add(pool.submit(claimAll));
        }
        List<String> claimed = new ArrayList<>();
        for (Future<List<Task>> f : rounds) {
            f.get().forEach(t -> claimed.add(t.taskId()));
        }
        pool.shutdown();
        Set<String> unique = new HashSet<>(claimed);
        assertEquals(claimed.size(), unique.size(), "a task was claimed twice");
        assertEquals(new HashSet<>(ids), unique);
        assertEquals("pending", store.get(dependent).orElseThrow().status());
        assertTrue(store.markRunning(ids.get(0), store.get(ids.get(0)).orElseThrow().workerId()));
        assertTrue(store.complete(ids.get(0), Map.of()));
        assertEquals(List.of(dependent), store.claim("w9", 5).stream().map(Task::taskId).toList());
    }

    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void higherPriorityFirstThenOlder(Db.Dialect dialect) {
        TaskStore store = new TaskStore(db(dialect));
        String low = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 1, null, 0, null, List.of())).taskId();
        String oldHigh = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 8, null, 0, null, List.of()))
                .taskId();
        String newHigh = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 8, null, 0, null, List.of()))
                .taskId();
        assertEquals(List.of(oldHigh), store.claim("w", 1).stream().map(Task::taskId).toList());
        assertEquals(List.of(newHigh), store.claim("w", 1).stream().map(Task::taskId).toList());
        assertEquals(List.of(low), store.claim("w", 1).stream().map(Task::taskId).toList());
        // a failure with no retries left blocks downstream; retry unblocks it
        String down = store.create(new TaskStore.NewTask("q", "imaging", Map.of(), 1, null, 0, null, List.of(low)))
                .taskId();
        store.markRunning(low, "w");
        assertEquals("failed", store.fail(low, "boom", 0));
        assertEquals("blocked", store.get(down).orElseThrow().status());
        assertTrue(store.retry(low));
        assertEquals("pending", store.get(down).orElseThrow().status());
    }
}
