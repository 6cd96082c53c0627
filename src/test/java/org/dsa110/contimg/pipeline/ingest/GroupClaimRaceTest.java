package org.dsa110.contimg.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Several claimers racing for the same pending groups take each group exactly once: threads of one hub on H2,
 * and two hub processes (two hubs in this JVM, distinct worker ids) on one embedded PostgreSQL database.
 */
class GroupClaimRaceTest {
    static final int GROUPS = 40;
    static final int THREADS_PER_HUB = 4;

    @Test
    void twoHubsOnOnePostgresDatabaseNeverClaimTheSameGroup() throws Exception {
        String url = TestDatabases.postgresUrl();
        Map<String, String> common = Map.of("hub.db.url", url, "hub.db.user", TestDatabases.POSTGRES_USER,
                "hub.db.password", "", "hub.streaming.autostart", "false",
                // hubs of one cluster share their data directory (a hub refuses to join from another one)
                "hub.data.dir", java.nio.file.Files.createTempDirectory("cluster-data").toString());
        try (TestHub a = TestHub.start(with(common, "hub.worker.id", "hub-a"));
                TestHub b = TestHub.start(with(common, "hub.worker.id", "hub-b"))) {
            assertEquals(Db.Dialect.POSTGRESQL, a.bean("db", Db.class).dialect());
            List<String> ids = pendingGroups(a);
            Map<String, List<String>> byWorker = race(List.of(a, b));
            assertClaimedExactlyOnce(ids, byWorker, a.bean("db", Db.class));
        }
    }

    @Test
    void threadsOfOneHubOnH2NeverClaimTheSameGroup() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.streaming.autostart", "false", "hub.worker.id", "solo"))) {
            List<String> ids = pendingGroups(hub);
            Map<String, List<String>> byWorker = race(List.of(hub));
            assertClaimedExactlyOnce(ids, byWorker, hub.bean("db", Db.class));
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /** GROUPS pending groups, created through the hub's own store classes. */
    private static List<String> pendingGroups(TestHub hub) {
        GroupStore store = hub.bean("groupStore", GroupStore.class);
        GroupStates states = hub.bean("groupStates", GroupStates.class);
        List<String> ids = new ArrayList<>();
        Instant t0 = Instant.parse("2025-10-24T00:00:00Z");
        for (int i = 0; i < GROUPS; i++) {
            Instant t = t0.plusSeconds(300L * i);
            String id = t.toString().substring(0, 19);
            store.createGroup(id, t, 16);
            assertTrue(states.transition(id, GroupStates.COLLECTING, GroupStates.PENDING, null));
            ids.add(id);
        }
        return ids;
    }

    /** Every hub's claimer on THREADS_PER_HUB threads, all released at once, claiming until nothing is left. */
    private static Map<String, List<String>> race(List<TestHub> hubs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(hubs.size() * THREADS_PER_HUB);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        List<String> workers = new ArrayList<>();
        try {
            for (TestHub hub : hubs) {
                GroupClaimer claimer = hub.bean("groupClaimer", GroupClaimer.class);
                for (int t = 0; t < THREADS_PER_HUB; t++) {
                    workers.add(claimer.workerId());
                    Callable<List<String>> task = () -> {
                        go.await();
                        List<String> mine = new ArrayList<>();
                        int idle = 0;
                        while (idle < 3) {
                            Optional<String> g = claimer.claimOne();
                            if (g.isPresent()) {
                                mine.add(g.get());
                                idle = 0;
                            } else {
                                idle++; // empty or lost a race: make sure the queue is really drained
                            }
                        }
                        return mine;
                    };
                    futures.add(pool.submit(task));
                }
            }
            go.countDown();
            Map<String, List<String>> byWorker = new java.util.HashMap<>();
            for (int i = 0; i < futures.size(); i++) {
                byWorker.computeIfAbsent(workers.get(i), k -> new ArrayList<>())
                        .addAll(futures.get(i).get(60, TimeUnit.SECONDS));
            }
            return byWorker;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertClaimedExactlyOnce(List<String> ids, Map<String, List<String>> byWorker, Db db) {
        List<String> all = new ArrayList<>();
        byWorker.values().forEach(all::addAll);
        assertEquals(ids.size(), all.size(), "claims: " + byWorker);
        assertEquals(new HashSet<>(ids), new HashSet<>(all));
        for (Map.Entry<String, List<String>> e : byWorker.entrySet()) {
            for (String id : e.getValue()) {
                Map<String, Object> row = db.one("SELECT state, claimed_by, attempts FROM ingest_groups "
                        + "WHERE group_id = ?", id).orElseThrow();
                assertEquals("in_progress", row.get("state"));
                assertEquals(e.getKey(), row.get("claimed_by"));
                assertEquals(1, ((Number) row.get("attempts")).intValue());
            }
        }
        Set<String> transitions = new HashSet<>();
        for (Map<String, Object> r : db.query("SELECT group_id FROM group_state_history WHERE to_state = 'in_progress'")) {
            assertTrue(transitions.add((String) r.get("group_id")), "claimed twice: " + r.get("group_id"));
        }
        assertEquals(ids.size(), transitions.size());
    }
}
