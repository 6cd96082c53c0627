package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Dashboard jobs. A job is a thin record over the task queue: creating one enqueues its task (or, for a workflow
 * job, a workflow of dependent tasks), so it runs through the same stage routes as streaming work; the job's
 * status, artifacts and error follow its tasks as they change.
 */
public final class JobService {
    public static final Set<String> FINAL = Set.of("done", "failed", "cancelled");

    /** Job (endpoints.md): logs are the job's log lines joined (null in lists and when there are none). */
    public record Job(long id, String type, String status, String msPath, Map<String, Object> params, String logs,
            List<String> artifacts, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** Job type → task name run for it. */
    static final Map<String, String> TASK_OF_TYPE = Map.of("calibrate", "calibration-solve",
            "apply", "calibration-apply", "image", "imaging", "convert", "convert-uvh5-to-ms",
            "ese-detect", "ese-detect", "photometry", "photometry", "publish", "publish",
            "mosaic", "create-mosaic");

    private final Db db;
    private final TaskStore tasks;
    private final JobLog log;
    private final BiConsumer<String, Object> events;
    private final List<Consumer<Map<String, Object>>> jobListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<String> stopRun = id -> { };
    private final TaskInputs inputs;

    public JobService(Db db, TaskStore tasks, JobLog log, BiConsumer<String, Object> events, TaskInputs inputs) {
        this.inputs = inputs;
        this.db = db;
        this.tasks = tasks;
        this.log = log;
        this.events = events;
        tasks.addListener(this::onTask);
    }

    /** How a running task is stopped on this worker (the runner's stopRun). */
    public void setStopRun(Consumer<String> stopRun) {
        this.stopRun = stopRun;
    }

    /** Hears every job row change (the batch service keeps its items in step). */
    public void addJobListener(Consumer<Map<String, Object>> l) {
        jobListeners.add(l);
    }

    /** Creates a single-task job of {@code type} and enqueues its task. */
    public Job create(String type, String msPath, Map<String, Object> params, Long batchId, int priority) {
        String taskName = TASK_OF_TYPE.get(type);
        if (taskName == null) {
            throw new IllegalArgumentException("unknown job type " + type);
        }
        // checked before the job row exists: a refused input leaves nothing behind
        msPath = inputs.path("ms_path", msPath);
        params = inputs.check(params);
        long id = insertJob(type, msPath, params, batchId, null);
        Map<String, Object> taskParams = new LinkedHashMap<>(params);
        if (msPath != null) {
            taskParams.put("ms_path", msPath);
        }
        log.append(id, "stdout", "job " + id + " (" + type + ") queued as task " + taskName);
        // the job is linked to its task in the task's own transaction: a fast run cannot finish before the job
        // can follow it (the job would stay pending for ever)
        tasks.create(new TaskStore.NewTask(TaskCatalog.DEFAULT_QUEUE, taskName, taskParams, priority, null,
                0, null, List.of()), taskId -> db.update("UPDATE jobs SET task_id = ? WHERE id = ?", taskId, id));
        return get(id).orElseThrow();
    }

    /**
     * A workflow job: calibrate → apply → image on {@code msPath}, or, for a time window, convert first. Every
     * step is a task depending on the previous one in one workflow.
     */
    public Job createWorkflow(String msPath, Map<String, Object> params) {
        msPath = inputs.path("ms_path", msPath);
        params = inputs.check(params);
        long id = insertJob("workflow", msPath, params, null, null);
        List<String> steps = new ArrayList<>();
        if (msPath == null) {
            steps.add("convert-uvh5-to-ms");
        }
        steps.addAll(List.of("calibration-solve", "calibration-apply", "imaging"));
        String workflowId = tasks.createWorkflow("job " + id + " workflow", null, Map.of("job_id", id));
        db.update("UPDATE jobs SET workflow_id = ? WHERE id = ?", workflowId, id);
        Map<String, Object> stepParams = new LinkedHashMap<>(params);
        if (msPath != null) {
            stepParams.put("ms_path", msPath);
        }
        String previous = null;
        for (String step : steps) {
            Task t = tasks.create(new TaskStore.NewTask(TaskCatalog.DEFAULT_QUEUE, step, stepParams, 5, null, 0,
                    workflowId, previous == null ? List.of() : List.of(previous)));
            previous = t.taskId();
        }
        log.append(id, "stdout", "job " + id + " (workflow) queued as " + String.join(" -> ", steps));
        return get(id).orElseThrow();
    }

    private long insertJob(String type, String msPath, Map<String, Object> params, Long batchId, String workflowId) {
        return db.insert("INSERT INTO jobs (type, status, ms_path, params, batch_id, workflow_id, created_at)"
                + " VALUES (?, 'pending', ?, ?, ?, ?, ?)", "id", type, msPath, Json.write(params), batchId,
                workflowId, Instant.now());
    }

    public Optional<Job> get(long id) {
        return db.one("SELECT * FROM jobs WHERE id = ?", id).map(r -> toJob(r, log.text(id)));
    }

    public Optional<Map<String, Object>> row(long id) {
        return db.one("SELECT * FROM jobs WHERE id = ?", id);
    }

    public List<Job> list(String status, String type, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        return db.query(sql.toString(), args.toArray()).stream().map(r -> toJob(r, null)).toList();
    }

    public Long jobIdOfTask(String taskId) {
        return db.one("SELECT j.id FROM jobs j WHERE j.task_id = ? UNION SELECT j.id FROM jobs j JOIN tasks t ON"
                + " t.workflow_id = j.workflow_id WHERE t.task_id = ?", taskId, taskId)
                .map(r -> ((Number) r.get("id")).longValue()).orElse(null);
    }

    /**
     * Cancels a job: its queued tasks are cancelled and running ones stopped (external processes included). Cancel
     * is idempotent: a job already cancelled answers true again. Returns false when the job had already finished
     * otherwise (done or failed).
     */
    public boolean cancel(long id) {
        Map<String, Object> row = row(id).orElseThrow(() -> new java.util.NoSuchElementException("job " + id));
        if ("cancelled".equals(row.get("status"))) {
            return true;
        }
        if (FINAL.contains((String) row.get("status"))) {
            return false;
        }
        List<String> taskIds = new ArrayList<>();
        if (row.get("task_id") != null) {
            taskIds.add((String) row.get("task_id"));
        }
        if (row.get("workflow_id") != null) {
            tasks.workflowTasks((String) row.get("workflow_id")).forEach(t -> taskIds.add(t.taskId()));
        }
        log.append(id, "stderr", "job cancelled by operator");
        for (String taskId : taskIds) {
            tasks.cancel(taskId, "cancelled with job " + id).ifPresent(before -> {
                if (Task.CLAIMED.equals(before) || Task.RUNNING.equals(before)) {
                    stopRun.accept(taskId);
                }
            });
        }
        if (taskIds.isEmpty()) {
            setStatus(id, "cancelled", null, null);
        }
        return true;
    }

    // --------------------------------------------------------------------------------------- following tasks

    /**
     * A task changed: every job following it is brought in step. Listeners of different threads (a claim, a cancel,
     * the run's end, on this hub or another) hear changes in any order, so a job is never set from the event's
     * snapshot: its row is locked and its status derived from its task or workflow as stored now. The last writer
     * therefore always writes the latest state, and a cancelled job cannot be turned back to running by a late claim
     * notification.
     */
    private void onTask(Task t) {
        if (t.workflowId() != null) {
            for (Map<String, Object> j : db.query("SELECT id FROM jobs WHERE workflow_id = ?", t.workflowId())) {
                long id = ((Number) j.get("id")).longValue();
                stepLog(id, t);
                follow(id, row -> workflowTarget(row, t.workflowId()));
            }
        }
        for (Map<String, Object> j : db.query("SELECT id FROM jobs WHERE task_id = ?", t.taskId())) {
            long id = ((Number) j.get("id")).longValue();
            stepLog(id, t);
            follow(id, row -> taskTarget(row, t.taskId()));
        }
    }

    /** What a job's row should say: its status, error and artifacts. */
    private record Target(String status, String error, List<String> artifacts) {
    }

    private Target taskTarget(Map<String, Object> job, String taskId) {
        Task now = tasks.get(taskId).orElse(null);
        if (now == null) {
            return null;
        }
        String status = switch (now.status()) {
            case Task.CLAIMED, Task.RUNNING, Task.RETRYING -> "running";
            case Task.COMPLETED -> "done";
            case Task.FAILED, Task.BLOCKED -> "failed";
            case Task.CANCELLED -> "cancelled";
            default -> "running".equals(job.get("status")) ? "running" : "pending";
        };
        return new Target(status, now.error(), artifactsOf(now.result()));
    }

    private Target workflowTarget(Map<String, Object> job, String workflowId) {
        Map<String, Object> wf = tasks.workflow(workflowId).orElse(null);
        if (wf == null) {
            return null;
        }
        String status = switch ((String) wf.get("status")) {
            case "completed" -> "done";
            case "failed" -> "failed";
            case "cancelled" -> "cancelled";
            case "running" -> "running";
            default -> "running".equals(job.get("status")) ? "running" : "pending";
        };
        List<String> artifacts = new ArrayList<>();
        for (Task t : tasks.workflowTasks(workflowId)) {
            artifacts.addAll(artifactsOf(t.result()));
        }
        return new Target(status, (String) wf.get("error"), artifacts);
    }

    /** Locks the job's row, derives its target from the store as it is now, writes it; events after the commit. */
    private void follow(long jobId, java.util.function.Function<Map<String, Object>, Target> target) {
        Target[] applied = new Target[1];
        boolean changed = db.inTransaction(() -> {
            Map<String, Object> row = db.one("SELECT id, status FROM jobs WHERE id = ? FOR UPDATE", jobId)
                    .orElse(null);
            Target t = row == null ? null : target.apply(row);
            if (t == null) {
                return false;
            }
            applied[0] = t;
            write(jobId, t.status(), t.error(), t.artifacts());
            return !t.status().equals(row.get("status"));
        });
        if (changed) {
            announce(jobId, applied[0].status());
        }
    }

    private void stepLog(long jobId, Task t) {
        if (Task.PENDING.equals(t.status()) || Task.CLAIMED.equals(t.status())) {
            return;
        }
        String line = "task " + t.taskName() + " " + t.status() + (t.retryCount() > 0 ? " (retry "
                + t.retryCount() + ")" : "");
        boolean bad = Task.FAILED.equals(t.status()) || Task.RETRYING.equals(t.status());
        log.append(jobId, bad ? "stderr" : "stdout", t.error() != null && bad ? line + ": " + t.error() : line);
    }

    @SuppressWarnings("unchecked")
    static List<String> artifactsOf(Object result) {
        if (result instanceof Map<?, ?> m) {
            Object a = m.get("artifacts") != null ? m.get("artifacts") : m.get("outputs");
            if (a instanceof List<?> list) {
                return list.stream().map(String::valueOf).toList();
            }
        }
        return List.of();
    }

    private void setStatus(long id, String status, String error, List<String> artifacts) {
        follow(id, row -> new Target(status, error, artifacts));
    }

    private void write(long id, String status, String error, List<String> artifacts) {
        Instant now = Instant.now();
        boolean fin = FINAL.contains(status);
        List<String> arts = artifacts == null ? List.of() : List.copyOf(new LinkedHashSet<>(artifacts));
        db.update("UPDATE jobs SET status = ?, error = ?, artifacts = ?,"
                + " started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END,"
                + " finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END WHERE id = ?", status,
                "failed".equals(status) ? TaskStore.truncate(error) : null, Json.write(arts),
                !"pending".equals(status), now, fin, now, id);
    }

    private void announce(long id, String status) {
        Map<String, Object> after = row(id).orElse(null);
        if (after == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("job_id", id);
        event.put("type", after.get("type"));
        event.put("status", status);
        event.put("batch_id", after.get("batch_id"));
        events.accept("job_update", event);
        jobListeners.forEach(l -> l.accept(after));
        if (FINAL.contains(status)) {
            log.finished(id, status);
        }
    }

    Job toJob(Map<String, Object> r, String logs) {
        Object artifacts = TaskStore.jsonValue((String) r.get("artifacts"));
        List<String> arts = artifacts instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return new Job(((Number) r.get("id")).longValue(), (String) r.get("type"), (String) r.get("status"),
                (String) r.get("ms_path"), TaskStore.jsonMap((String) r.get("params")), logs, arts,
                (Instant) r.get("created_at"), (Instant) r.get("started_at"), (Instant) r.get("finished_at"));
    }
}
