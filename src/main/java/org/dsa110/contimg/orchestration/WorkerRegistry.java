package org.dsa110.contimg.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/**
 * The workers table: every hub process (its task runner) and every external worker that calls the heartbeat
 * endpoint. A worker's state is read from its heartbeat age: {@code active} (running a task) or {@code idle}
 * while fresh, {@code stale} after {@code staleAfter} and {@code crashed} after {@code crashedAfter}; tasks held
 * by a crashed worker are handed back to the queue.
 */
public final class WorkerRegistry {
    /** WorkerResponse. */
    public record Worker(String workerId, String state, long taskCount, String currentTaskId, Instant firstSeen,
            Instant lastSeen, double uptimeSeconds) {
    }

    private final Db db;
    private final TaskStore tasks;
    private final Duration staleAfter;
    private final Duration crashedAfter;

    public WorkerRegistry(Db db, TaskStore tasks, Duration staleAfter, Duration crashedAfter) {
        this.db = db;
        this.tasks = tasks;
        this.staleAfter = staleAfter;
        this.crashedAfter = crashedAfter;
    }

    /** Records a heartbeat; {@code taskId} (may be null) is what the worker is running now. */
    public void heartbeat(String workerId, String taskId, String hostname, Long pid) {
        Instant now = Instant.now();
        String state = taskId == null ? "idle" : "busy";
        int n = db.update("UPDATE workers SET last_heartbeat = ?, state = ?, current_task_id = ?,"
                + " hostname = COALESCE(?, hostname), pid = COALESCE(?, pid) WHERE worker_id = ?", now, state, taskId,
                hostname, pid, workerId);
        if (n == 0) {
            try {
                db.update("INSERT INTO workers (worker_id, hostname, pid, state, started_at, last_heartbeat,"
                        + " current_task_id) VALUES (?, ?, ?, ?, ?, ?, ?)", workerId, hostname, pid, state, now, now,
                        taskId);
            } catch (StoreException e) {
                // another heartbeat of the same worker inserted first
                db.update("UPDATE workers SET last_heartbeat = ?, state = ?, current_task_id = ? WHERE worker_id = ?",
                        now, state, taskId, workerId);
            }
        }
    }

    /**
     * A worker (re)starts: its row is created or reset to a fresh start time, and tasks a previous life of the same
     * worker id still held are handed back at once (that process is gone).
     */
    public void started(String workerId, String hostname, Long pid) {
        Instant now = Instant.now();
        heartbeat(workerId, null, hostname, pid);
        db.update("UPDATE workers SET started_at = ?, state = 'idle' WHERE worker_id = ?", now, workerId);
        for (String taskId : tasks.heldBy(workerId)) {
            tasks.requeue(taskId, workerId, "worker " + workerId + " restarted while running it");
        }
    }

    /** A worker shut down cleanly: it stays listed (with its counters) until pruned. */
    public void stopped(String workerId) {
        db.update("UPDATE workers SET state = 'stopped', current_task_id = NULL WHERE worker_id = ?", workerId);
    }

    /** Counts a finished task for the worker that ran it. */
    public void recordOutcome(String workerId, boolean succeeded) {
        db.update("UPDATE workers SET " + (succeeded ? "tasks_completed = tasks_completed + 1"
                : "tasks_failed = tasks_failed + 1") + " WHERE worker_id = ?", workerId);
    }

    public List<Worker> list() {
        Instant now = Instant.now();
        return db.query("SELECT * FROM workers ORDER BY worker_id").stream().map(r -> toWorker(r, now)).toList();
    }

    public Optional<Worker> get(String workerId) {
        return db.one("SELECT * FROM workers WHERE worker_id = ?", workerId).map(r -> toWorker(r, Instant.now()));
    }

    private Worker toWorker(Map<String, Object> r, Instant now) {
        Instant first = (Instant) r.get("started_at");
        Instant last = (Instant) r.get("last_heartbeat");
        String state = stateOf((String) r.get("state"), Duration.between(last, now));
        long count = ((Number) r.get("tasks_completed")).longValue() + ((Number) r.get("tasks_failed")).longValue();
        // uptime runs to the last sign of life: a crashed worker's uptime does not keep growing
        Instant end = "active".equals(state) || "idle".equals(state) ? now : last;
        double uptime = Math.max(0, Duration.between(first, end).toMillis() / 1000.0);
        return new Worker((String) r.get("worker_id"), state, count, (String) r.get("current_task_id"), first, last,
                uptime);
    }

    String stateOf(String stored, Duration age) {
        if ("stopped".equals(stored)) {
            return "stopped";
        }
        if (age.compareTo(crashedAfter) > 0) {
            return "crashed";
        }
        if (age.compareTo(staleAfter) > 0) {
            return "stale";
        }
        return "busy".equals(stored) ? "active" : "idle";
    }

    /** WorkerListResponse: the workers and how many are in each state. */
    public record WorkerList(List<Worker> workers, int total, long active, long idle, long stale, long crashed) {
    }

    /** WorkerMetricsResponse (averages are null when there are no workers; stale workers count as timed out). */
    public record WorkerMetrics(int totalWorkers, long activeWorkers, long idleWorkers, long crashedWorkers,
            long timedOutWorkers, Double avgTasksPerWorker, Double avgWorkerUptimeSec) {
    }

    public WorkerList listResponse() {
        List<Worker> all = list();
        return new WorkerList(all, all.size(), count(all, "active"), count(all, "idle"), count(all, "stale"),
                count(all, "crashed"));
    }

    public WorkerMetrics metrics() {
        List<Worker> all = list();
        return new WorkerMetrics(all.size(), count(all, "active"), count(all, "idle"), count(all, "crashed"),
                count(all, "stale"),
                all.isEmpty() ? null : all.stream().mapToLong(Worker::taskCount).average().orElse(0),
                all.isEmpty() ? null : all.stream().mapToDouble(Worker::uptimeSeconds).average().orElse(0));
    }

    private static long count(List<Worker> all, String state) {
        return all.stream().filter(w -> state.equals(w.state())).count();
    }

    /**
     * Hands back the tasks of workers silent for longer than {@code crashedAfter}: requeued while attempts
     * remain, else failed. Returns the ids of the tasks handled.
     */
    public List<String> reapCrashed() {
        Instant cutoff = Instant.now().minus(crashedAfter);
        List<String> handled = new ArrayList<>();
        for (Map<String, Object> w : db.query("SELECT worker_id FROM workers WHERE last_heartbeat < ?"
                + " AND state <> 'stopped'", cutoff)) {
            String workerId = (String) w.get("worker_id");
            for (String taskId : tasks.heldBy(workerId)) {
                if (tasks.requeue(taskId, workerId, "worker " + workerId + " stopped heart-beating") != null) {
                    handled.add(taskId);
                }
            }
            db.update("UPDATE workers SET current_task_id = NULL WHERE worker_id = ?", workerId);
        }
        return handled;
    }

    /** Deletes rows of workers silent for longer than {@code age} (housekeeping). */
    public int prune(Duration age) {
        return db.update("DELETE FROM workers WHERE last_heartbeat < ?", Instant.now().minus(age));
    }
}
