package org.dsa110.contimg.pipeline.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;
import org.dsa110.contimg.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims pending groups for this hub process, at most {@code max_workers} in progress at a time. A claim is one
 * transaction: pick the oldest pending group (row-locked with SKIP LOCKED on PostgreSQL), move it
 * pending → in_progress with the guarded update of {@link GroupStates} (which lets only one writer win), and stamp
 * claimed_by / claimed_at / attempts. So several threads, or several hubs on one database, never take a group
 * twice. The claimed ids go to the engine's {@code seda:pipeline.group}.
 */
public final class GroupClaimer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupClaimer.class);
    /** Candidates fetched per attempt on H2, where losers of a race move on to the next one. */
    private static final int H2_CANDIDATES = 4;

    private final Db db;
    private final GroupStore groups;
    private final GroupStates states;
    private final GroupEvents events;
    private final Supplier<StreamingConfig> config;
    private final String workerId;
    private final LeaseTerms lease;
    private final Object h2ClaimLock = new Object();

    public GroupClaimer(Db db, GroupStore groups, GroupEvents events, Supplier<StreamingConfig> config,
            String workerId, LeaseTerms lease) {
        this.db = db;
        this.groups = groups;
        this.states = new GroupStates(db);
        this.events = events;
        this.config = config;
        this.workerId = workerId;
        this.lease = lease;
    }

    public String workerId() {
        return workerId;
    }

    /** Claims as many pending groups as this process has free workers; returns their ids, oldest first. */
    public synchronized List<String> claimAvailable() {
        int capacity = config.get().maxWorkers() - groups.inProgressClaimedBy(workerId);
        List<String> claimed = new ArrayList<>();
        while (claimed.size() < capacity) {
            Optional<String> g = claimOne();
            if (g.isEmpty()) {
                break;
            }
            claimed.add(g.get());
        }
        return claimed;
    }

    /** Claims the oldest pending group, if there is one this process can win. */
    public Optional<String> claimOne() {
        if (db.dialect() == Db.Dialect.H2) {
            // Embedded H2 serves this one process: claiming one at a time avoids row-lock waits between our own
            // threads (the guarded update still decides the winner).
            synchronized (h2ClaimLock) {
                return claimInTransaction();
            }
        }
        return claimInTransaction();
    }

    private Optional<String> claimInTransaction() {
        Instant now = Instant.now();
        String won;
        try {
            won = db.inTransaction(() -> {
                int n = db.dialect() == Db.Dialect.POSTGRESQL ? 1 : H2_CANDIDATES;
                for (String id : groups.pendingCandidates(n)) {
                    if (states.transition(id, GroupStates.PENDING, GroupStates.IN_PROGRESS, null)) {
                        groups.markClaimed(id, workerId, now, lease);
                        return id;
                    }
                }
                return null;
            });
        } catch (StoreException e) {
            // a concurrent claimer held the row (H2 lock timeout / serialization): try again on the next tick
            LOG.debug("claim attempt lost a race: {}", e.getMessage());
            return Optional.empty();
        }
        if (won != null) {
            events.stateChanged(won, GroupStates.PENDING, GroupStates.IN_PROGRESS,
                    Map.of("claimed_by", workerId));
            LOG.info("claimed group {} ({})", won, workerId);
        }
        return Optional.ofNullable(won);
    }

    /**
     * Returns to pending the groups a dead process of this host left in progress: those claimed under this worker id
     * (this process has just started, so it is not working on them) or under {@code host:pid} of a pid that no
     * longer runs, unless this worker has a running execution for the group (restart recovery resumes it).
     * Attempts are kept.
     */
    public List<String> releaseOrphanedClaims() {
        List<String> released = new ArrayList<>();
        String host = workerId.contains(":") ? workerId.substring(0, workerId.lastIndexOf(':')) : workerId;
        // a group whose execution this worker left running is not released: the pipeline's restart recovery
        // resumes that execution at its unfinished stage (releasing it would run the finished stages again)
        for (Map<String, Object> r : db.query("SELECT g.group_id, g.claimed_by FROM ingest_groups g "
                + "WHERE g.state = 'in_progress' AND g.claimed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                + "pipeline_executions e WHERE e.group_id = g.group_id AND e.status = 'running' AND e.worker_id = ?)",
                workerId)) {
            String by = (String) r.get("claimed_by");
            if (by.equals(workerId) || isDeadLocalProcess(by, host)) {
                String id = (String) r.get("group_id");
                if (states.transition(id, GroupStates.IN_PROGRESS, GroupStates.PENDING,
                        "released: worker " + by + " is gone")) {
                    events.stateChanged(id, GroupStates.IN_PROGRESS, GroupStates.PENDING,
                            Map.of("released_from", by));
                    released.add(id);
                }
            }
        }
        if (!released.isEmpty()) {
            LOG.warn("released {} group(s) claimed by processes that are gone: {}", released.size(), released);
        }
        return released;
    }

    private static boolean isDeadLocalProcess(String claimedBy, String host) {
        int colon = claimedBy.lastIndexOf(':');
        if (colon < 0 || !claimedBy.substring(0, colon).equals(host)) {
            return false;
        }
        try {
            long pid = Long.parseLong(claimedBy.substring(colon + 1));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
