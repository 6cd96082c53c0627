package org.dsa110.contimg.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.pipeline.PipelineRuns;
import org.dsa110.contimg.pipeline.PipelineStore;
import org.dsa110.contimg.store.ClaimFence;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hub's heartbeat, on a thread of its own (a long stage never delays it): every
 * {@code hub.cluster.heartbeat-seconds} it renews the leases of everything it holds (its node row, its in-progress
 * groups, its claimed and running tasks), then takes over what other hubs let run out:
 * <ul>
 * <li>an in_progress group whose lease has expired is claimed with a compare-and-set on its claim version (one hub
 * wins) and its execution resumed here at its unfinished stage ({@link PipelineRuns#continueTakenOver}), as many
 * groups per heartbeat as this hub has free group workers, at least one;</li>
 * <li>a claimed or running task whose lease has expired goes back to the queue (its run counts as an attempt);</li>
 * <li>a hub whose node lease has expired is marked lost (a {@code node_lost} event).</li>
 * </ul>
 */
public final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Db db;
    private final String workerId;
    private final LeaseTerms lease;
    private final HubNodes nodes;
    private final PipelineStore pipeline;
    private final PipelineRuns runs;
    private final TaskStore tasks;
    private final IntSupplier freeGroupWorkers;
    private final BiConsumer<String, Object> events;
    private ScheduledExecutorService timer;
    /** Take-overs wait until every route runs (a resumed execution needs the stage routes); renewal does not. */
    private volatile boolean takingOver;

    public LeaseKeeper(Db db, String workerId, LeaseTerms lease, HubNodes nodes, PipelineStore pipeline,
            PipelineRuns runs, TaskStore tasks, IntSupplier freeGroupWorkers, BiConsumer<String, Object> events) {
        this.db = db;
        this.workerId = workerId;
        this.lease = lease;
        this.nodes = nodes;
        this.pipeline = pipeline;
        this.runs = runs;
        this.tasks = tasks;
        this.freeGroupWorkers = freeGroupWorkers;
        this.events = events;
    }

    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lease-keeper");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::tick, 0, lease.heartbeatSeconds(), TimeUnit.SECONDS);
            LOG.info("lease keeper of {}: heartbeat every {} s, lease {} s", workerId, lease.heartbeatSeconds(),
                    lease.leaseSeconds());
        }
    }

    /** From now on this hub also takes over what other hubs let run out (called once its routes run). */
    public void enableTakeOver() {
        takingOver = true;
    }

    /** Stops renewing (a clean stop); what this hub still holds is taken over once its leases run out. */
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
            try {
                nodes.stopped(workerId);
            } catch (RuntimeException e) {
                LOG.debug("could not mark {} stopped: {}", workerId, e.getMessage());
            }
        }
    }

    /** One heartbeat: renew, then take over what expired. */
    public void tick() {
        try {
            renew();
            if (!takingOver) {
                return;
            }
            takeOverGroups();
            requeueExpiredTasks();
            for (Map<String, Object> lost : nodes.markLost()) {
                Map<String, Object> data = new LinkedHashMap<>(lost);
                data.put("noticed_by", workerId);
                LOG.warn("hub {} ({}) stopped renewing its lease (last heartbeat {}): its work is being taken over",
                        lost.get("worker_id"), lost.get("hostname"), lost.get("last_heartbeat"));
                events.accept("node_lost", data);
            }
        } catch (RuntimeException e) {
            // the store may be briefly unreachable: the next tick tries again (leases are several ticks long)
            LOG.warn("lease heartbeat of {} failed: {}", workerId, e.getMessage());
        }
    }

    void renew() {
        nodes.heartbeat(workerId);
        db.update("UPDATE ingest_groups SET lease_until = " + lease.untilSql() + " WHERE claimed_by = ?"
                + " AND state = 'in_progress'", workerId);
        tasks.renewLeases(workerId);
    }

    private void takeOverGroups() {
        // as many as this hub has free group workers, and at least one per heartbeat even when it is busy: a dead
        // hub's groups are claimed (and queued here) within a lease, not when some hub happens to finish a group;
        // the claimer takes no new pending groups while this hub holds more than max_workers, so the work spreads
        int free = Math.max(1, freeGroupWorkers.getAsInt());
        List<Map<String, Object>> expired = db.query("SELECT group_id, claimed_by, claim_version FROM ingest_groups"
                + " WHERE state = 'in_progress' AND lease_until < CURRENT_TIMESTAMP AND (claimed_by IS NULL OR"
                + " claimed_by <> ?) ORDER BY lease_until, group_id FETCH FIRST " + free + " ROWS ONLY", workerId);
        for (Map<String, Object> g : expired) {
            String groupId = (String) g.get("group_id");
            String from = (String) g.get("claimed_by");
            ClaimFence won = pipeline.takeClaim(groupId, workerId, ((Number) g.get("claim_version")).longValue(),
                    lease, true);
            if (won != null) {
                runs.continueTakenOver(won, from == null ? "nobody" : from, "takeover");
            }
        }
    }

    private void requeueExpiredTasks() {
        tasks.expiredLeases(workerId).forEach((taskId, owner) -> {
            String status = tasks.requeue(taskId, owner, "the lease of worker " + owner + " expired; requeued by "
                    + workerId, true);
            if (status != null) {
                LOG.warn("task {} of {} {} (its lease expired)", taskId, owner, status);
            }
        });
    }
}
