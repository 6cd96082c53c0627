package org.dsa110.contimg.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.dsa110.contimg.orchestration.Task;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.pipeline.LeaseLostException;
import org.dsa110.contimg.pipeline.PipelineStore;
import org.dsa110.contimg.pipeline.ingest.GroupStore;
import org.dsa110.contimg.store.ClaimFence;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Claims are leases, on both engines: a live lease cannot be taken over, an expired one is taken by exactly one of
 * several racing hubs (compare-and-set on the claim version), and the hub that lost it can no longer commit a stage
 * result, end the group, or complete its task (fencing).
 */
class ClaimLeaseTest {
    private static final LeaseTerms LEASE = new LeaseTerms(1, 30);
    private static final String GROUP = "2025-10-24T15:00:00";

    private static Db db(Db.Dialect dialect) {
        DataSource ds = dialect == Db.Dialect.POSTGRESQL ? TestDatabases.postgres() : TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        return new Db(ds, dialect);
    }

    /** A group claimed by hub-a, with a running execution and a running imaging stage. */
    private static long claimedGroup(Db db) {
        GroupStore groups = new GroupStore(db);
        groups.createGroup(GROUP, Instant.parse("2025-10-24T15:00:00Z"), 16);
        GroupStates states = new GroupStates(db);
        assertTrue(states.transition(GROUP, GroupStates.COLLECTING, GroupStates.PENDING, null));
        assertTrue(states.transition(GROUP, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
        groups.markClaimed(GROUP, "hub-a", Instant.now(), LEASE);
        return new PipelineStore(db).createExecution(GROUP, "streaming", "ingest", "hub-a");
    }

    private static void expireLease(Db db) {
        db.update("UPDATE ingest_groups SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE group_id = ?",
                GROUP);
    }

    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void aTakenOverGroupFencesItsFormerOwner(Db.Dialect dialect) {
        Db db = db(dialect);
        long execution = claimedGroup(db);
        PipelineStore store = new PipelineStore(db);
        ClaimFence a = store.currentClaim(GROUP);
        assertEquals("hub-a", a.workerId());
        PipelineStore.StageRunStart run = store.startStageRun(execution, "imaging", "builtin", a);

        // a live lease is not taken over
        assertNull(store.takeClaim(GROUP, "hub-b", a.version(), LEASE, true));
        assertTrue(a.holds(db));

        expireLease(db);
        ClaimFence b = store.takeClaim(GROUP, "hub-b", a.version(), LEASE, true);
        assertNotNull(b);
        assertEquals(a.version() + 1, b.version());
        assertFalse(a.holds(db));

        // hub-a wakes up: its result is not committed, its next stage does not start, it cannot end the group
        assertThrows(LeaseLostException.class, () -> store.finishStageRun(run.id(), "completed", null,
                Map.of("outputs", List.of("/x.fits")), null, null, a));
        assertEquals("running", store.stageRun(execution, "imaging").orElseThrow().get("status"));
        assertThrows(LeaseLostException.class, () -> store.startStageRun(execution, "photometry", "builtin", a));
        assertFalse(new GroupStates(db).transition(GROUP, GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null, a));

        // the new owner commits
        store.handOver(execution, "hub-b", "interrupted: hub-a lost its lease");
        PipelineStore.StageRunStart again = store.startStageRun(execution, "imaging", "builtin", b);
        assertEquals(2, again.attempt());
        store.finishStageRun(again.id(), "completed", null, Map.of("outputs", List.of("/x.fits")), null, null, b);
        assertEquals("completed", store.stageRun(execution, "imaging").orElseThrow().get("status"));
        assertTrue(new GroupStates(db).transition(GROUP, GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null, b));
    }

    /**
     * An in_progress group nobody holds (after a restart, or an operator's retry) is taken with no expected version:
     * by exactly one of several racing takers (two recoveries on one hub once both resumed the same execution).
     */
    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void racingTakersOfAnUnclaimedGroupWinOnce(Db.Dialect dialect) throws Exception {
        Db db = db(dialect);
        claimedGroup(db);
        db.update("UPDATE ingest_groups SET claimed_by = NULL, lease_until = NULL WHERE group_id = ?", GROUP);
        PipelineStore store = new PipelineStore(db);
        assertNull(store.currentClaim(GROUP));
        List<ClaimFence> won = race(hub -> store.takeClaim(GROUP, hub, null, LEASE));
        assertEquals(1, won.size(), "winners: " + won);
        assertEquals(won.get(0), store.currentClaim(GROUP));
        // and a held claim is not taken without its version
        assertNull(store.takeClaim(GROUP, "hub-x", null, LEASE));
    }

    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void racingHubsTakeAnExpiredClaimOnce(Db.Dialect dialect) throws Exception {
        Db db = db(dialect);
        claimedGroup(db);
        PipelineStore store = new PipelineStore(db);
        long version = store.currentClaim(GROUP).version();
        expireLease(db);
        List<ClaimFence> won = race(hub -> store.takeClaim(GROUP, hub, version, LEASE, true));
        assertEquals(1, won.size(), "winners: " + won);
        assertEquals(won.get(0), store.currentClaim(GROUP));
    }

    /**
     * A restarted hub takes back the claims of its previous life, but not one its lease keeper took over from a lost
     * hub since the start: that execution is already being resumed, and resuming it twice ran its stages twice (the
     * second run's outputs collided with the first's; CI, ClusterKillTest).
     */
    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void aRestartTakesBackOnlyItsPreviousLifesClaims(Db.Dialect dialect) throws Exception {
        Db db = db(dialect);
        claimedGroup(db);
        PipelineStore store = new PipelineStore(db);
        Thread.sleep(5);
        Instant bootedAt = Instant.now();
        ClaimFence before = store.currentClaim(GROUP);
        ClaimFence back = store.reclaimFromPreviousLife(GROUP, "hub-a", before.version(), bootedAt, LEASE);
        assertNotNull(back, "the previous life's claim is taken back");
        assertEquals(before.version() + 1, back.version());
        assertNull(store.reclaimFromPreviousLife(GROUP, "hub-a", back.version(), bootedAt, LEASE),
                "a claim taken in this life is not taken again");

        // hub-b restarts; then its lease keeper takes over hub-a's expired claim: the restart recovery leaves it
        Instant bBootedAt = Instant.now();
        Thread.sleep(5);
        expireLease(db);
        ClaimFence takenOver = store.takeClaim(GROUP, "hub-b", back.version(), LEASE, true);
        assertNotNull(takenOver);
        assertNull(store.reclaimFromPreviousLife(GROUP, "hub-b", takenOver.version(), bBootedAt, LEASE));
        assertEquals(takenOver, store.currentClaim(GROUP), "the take-over's claim stands");
        // nor does anyone take back a claim that is not theirs
        assertNull(store.reclaimFromPreviousLife(GROUP, "hub-a", takenOver.version(), Instant.now(), LEASE));
    }

    /** Six hubs try at once (released together); the claims they won. */
    private static List<ClaimFence> race(java.util.function.Function<String, ClaimFence> take) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClaimFence>> tries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String hub = "hub-" + i;
                tries.add(pool.submit(() -> {
                    go.await();
                    return take.apply(hub);
                }));
            }
            go.countDown();
            List<ClaimFence> won = new ArrayList<>();
            for (Future<ClaimFence> f : tries) {
                if (f.get() != null) {
                    won.add(f.get());
                }
            }
            return won;
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.Dialect.class)
    void aRequeuedTaskCannotBeCompletedByItsFormerWorker(Db.Dialect dialect) {
        TaskStore tasks = new TaskStore(db(dialect));
        tasks.setLease(LEASE);
        String id = tasks.create(new TaskStore.NewTask("q", "imaging", Map.of(), 5, null, 3, null, List.of()))
                .taskId();
        Task first = tasks.claim("hub-a", 1).get(0);
        assertTrue(tasks.markRunning(id, "hub-a"));
        assertEquals(Map.of(), tasks.expiredLeases("hub-b"), "a live lease is not expired");
        assertNull(tasks.requeue(id, "hub-a", "lease expired", true));
        tasks.db().update("UPDATE tasks SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE task_id = ?",
                id);
        assertEquals(Map.of(id, "hub-a"), tasks.expiredLeases("hub-b"));
        assertEquals(Task.PENDING, tasks.requeue(id, "hub-a", "lease expired", true));
        Task second = tasks.claim("hub-b", 1).get(0);
        assertTrue(tasks.markRunning(id, "hub-b"));
        // hub-a's run ends late: neither its success nor its failure is recorded
        assertFalse(tasks.complete(id, first, Map.of("from", "hub-a")));
        assertNull(tasks.fail(id, first, "late failure", 0));
        assertTrue(tasks.complete(id, second, Map.of("from", "hub-b")));
        assertEquals(Map.of("from", "hub-b"), tasks.get(id).orElseThrow().result());
    }
}
