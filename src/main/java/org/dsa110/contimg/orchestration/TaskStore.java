package org.dsa110.contimg.orchestration;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;

/**
 * SQL of the task queue: tasks, their dependencies and the workflows that group them. Every status change is an
 * UPDATE guarded by the expected current status, so two hub processes (or a cancel racing a completion) cannot
 * both win; listeners hear about each change after it is stored.
 */
public final class TaskStore {
    /** What to enqueue: the fields of SpawnTaskRequest / TaskWithDepsRequest. */
    public record NewTask(String queueName, String taskName, Map<String, Object> params, int priority,
            Integer timeoutSec, int maxRetries, String workflowId, List<String> dependsOn) {
    }

    /** Filters of {@code GET /api/tasks}. */
    public record Filter(String queueName, String status, String taskName, String workflowId, int limit, int offset) {
    }

    static final String READY = "t.status = 'pending' AND (t.not_before IS NULL OR t.not_before <= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks u ON u.task_id = d.depends_on_task_id"
            + " WHERE d.task_id = t.task_id AND u.status <> 'completed')";
    private static final String ORDER = " ORDER BY t.priority DESC, t.created_at, t.task_id";
    /** With (unfenced?, worker_id, attempt) as its arguments: true when unfenced, else the run's claim must hold. */
    private static final String FENCE_IF = " AND (? OR (worker_id = ? AND attempt = ?))";
    private static final Set<String> BAD_UPSTREAM = Set.of(Task.FAILED, Task.CANCELLED, Task.BLOCKED);

    private final Db db;
    private final List<Consumer<Task>> listeners = new CopyOnWriteArrayList<>();
    private volatile LeaseTerms lease = LeaseTerms.DEFAULT;

    public TaskStore(Db db) {
        this.db = db;
    }

    /** The lease a claim carries (renewed by the claiming hub's heartbeat, {@link #renewLeases}). */
    public void setLease(LeaseTerms lease) {
        this.lease = lease;
    }

    public Db db() {
        return db;
    }

    /** Called with the task after each stored status change (claim, start, finish, retry, block, cancel). */
    public void addListener(Consumer<Task> listener) {
        listeners.add(listener);
    }

    private void changed(List<String> taskIds) {
        for (String id : taskIds) {
            get(id).ifPresent(t -> listeners.forEach(l -> l.accept(t)));
        }
    }

    // ------------------------------------------------------------------------------------------ create and read

    /** Inserts a task (blocked at once when an upstream already failed); unknown upstream ids are rejected. */
    public Task create(NewTask n) {
        return create(n, id -> { });
    }

    /**
     * Inserts a task like {@link #create(NewTask)} and runs {@code link} with its id in the same transaction, so
     * whatever refers to the task (a job row) is committed with it: no claimer can see the task before its owner
     * can find it, and no status change of the task is missed by the owner.
     */
    public Task create(NewTask n, Consumer<String> link) {
        String id = UUID.randomUUID().toString();
        List<String> deps = n.dependsOn() == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(n.dependsOn()));
        db.inTransaction(() -> {
            String status = Task.PENDING;
            for (String dep : deps) {
                String s = db.one("SELECT status FROM tasks WHERE task_id = ?", dep)
                        .map(r -> (String) r.get("status"))
                        .orElseThrow(() -> new IllegalArgumentException("depends_on names unknown task " + dep));
                if (BAD_UPSTREAM.contains(s)) {
                    status = Task.BLOCKED;
                }
            }
            db.update("INSERT INTO tasks (task_id, queue_name, task_name, params, priority, status, max_retries,"
                    + " timeout_sec, workflow_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id,
                    n.queueName(), n.taskName(), Json.write(n.params() == null ? Map.of() : n.params()), n.priority(),
                    status, n.maxRetries(), n.timeoutSec(), n.workflowId(), Instant.now());
            for (String dep : deps) {
                db.update("INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)", id, dep);
            }
            link.accept(id);
            return null;
        });
        if (n.workflowId() != null) {
            refreshWorkflow(n.workflowId());
        }
        changed(List.of(id));
        return get(id).orElseThrow();
    }

    public Optional<Task> get(String taskId) {
        return db.one("SELECT * FROM tasks WHERE task_id = ?", taskId).map(r -> toTask(r, dependencies(taskId)));
    }

    public List<Task> list(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT * FROM tasks t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "t.queue_name", f.queueName());
        where(sql, args, "t.status", f.status());
        where(sql, args, "t.task_name", f.taskName());
        where(sql, args, "t.workflow_id", f.workflowId());
        sql.append(" ORDER BY t.created_at DESC, t.task_id LIMIT ? OFFSET ?");
        args.add(f.limit());
        args.add(f.offset());
        return withDependencies(db.query(sql.toString(), args.toArray()));
    }

    public long count(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM tasks t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "t.queue_name", f.queueName());
        where(sql, args, "t.status", f.status());
        where(sql, args, "t.task_name", f.taskName());
        where(sql, args, "t.workflow_id", f.workflowId());
        return db.scalarLong(sql.toString(), args.toArray());
    }

    private static void where(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    public List<Task> workflowTasks(String workflowId) {
        return withDependencies(db.query("SELECT * FROM tasks t WHERE t.workflow_id = ? ORDER BY t.created_at, t.task_id",
                workflowId));
    }

    /** Pending tasks of a workflow whose upstream tasks all completed. */
    public List<Task> readyTasks(String workflowId) {
        return withDependencies(db.query("SELECT * FROM tasks t WHERE t.workflow_id = ? AND " + READY + ORDER,
                workflowId, Instant.now()));
    }

    public List<String> dependencies(String taskId) {
        return db.query("SELECT depends_on_task_id FROM task_dependencies WHERE task_id = ? ORDER BY depends_on_task_id",
                taskId).stream().map(r -> (String) r.get("depends_on_task_id")).toList();
    }

    public List<String> dependents(String taskId) {
        return db.query("SELECT task_id FROM task_dependencies WHERE depends_on_task_id = ? ORDER BY task_id", taskId)
                .stream().map(r -> (String) r.get("task_id")).toList();
    }

    /** Counts by status (every status present, zero when none), optionally for one queue or workflow. */
    public Map<String, Long> countsByStatus(String column, String value) {
        Map<String, Long> out = new LinkedHashMap<>();
        Task.STATUSES.forEach(s -> out.put(s, 0L));
        String sql = "SELECT status, COUNT(*) AS n FROM tasks" + (column == null ? "" : " WHERE " + column + " = ?")
                + " GROUP BY status";
        List<Map<String, Object>> rows = column == null ? db.query(sql) : db.query(sql, value);
        rows.forEach(r -> out.put((String) r.get("status"), ((Number) r.get("n")).longValue()));
        return out;
    }

    public List<String> queueNames() {
        return db.query("SELECT DISTINCT queue_name FROM tasks ORDER BY queue_name").stream()
                .map(r -> (String) r.get("queue_name")).toList();
    }

    // --------------------------------------------------------------------------------------------- claiming

    /**
     * Claims up to {@code max} ready tasks for {@code workerId}: highest priority first, then oldest. On
     * PostgreSQL the candidates are row-locked with SKIP LOCKED so concurrent claimers take different rows; on H2
     * each claim is an UPDATE guarded by {@code status = 'pending'}, so a row taken by another claimer is skipped.
     */
    public List<Task> claim(String workerId, int max) {
        if (max <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        List<String> claimed = db.inTransaction(() -> {
            String select = "SELECT t.task_id FROM tasks t WHERE " + READY + ORDER + " LIMIT ?";
            if (db.dialect() == Db.Dialect.POSTGRESQL) {
                select += " FOR UPDATE OF t SKIP LOCKED";
            }
            List<String> ids = new ArrayList<>();
            for (Map<String, Object> r : db.query(select, now, db.dialect() == Db.Dialect.POSTGRESQL ? max : max * 2)) {
                if (ids.size() >= max) {
                    break;
                }
                String id = (String) r.get("task_id");
                int n = db.update("UPDATE tasks SET status = 'claimed', worker_id = ?, claimed_at = ?,"
                        + " attempt = attempt + 1, error = NULL, lease_until = " + lease.untilSql()
                        + " WHERE task_id = ? AND status = 'pending'", workerId, now, id);
                if (n == 1) {
                    ids.add(id);
                }
            }
            return ids;
        });
        changed(claimed);
        return claimed.stream().map(id -> get(id).orElseThrow()).toList();
    }

    /** claimed → running; false when the task was cancelled meanwhile. */
    public boolean markRunning(String taskId, String workerId) {
        boolean ok = db.update("UPDATE tasks SET status = 'running', started_at = ? WHERE task_id = ?"
                + " AND status = 'claimed' AND worker_id = ?", Instant.now(), taskId, workerId) == 1;
        if (ok) {
            afterChange(taskId);
        }
        return ok;
    }

    /** running → completed with its result; false when it was cancelled or requeued meanwhile. */
    public boolean complete(String taskId, Object result) {
        return complete(taskId, null, result);
    }

    /**
     * {@link #complete(String, Object)} of one run: only while {@code run}'s claim (worker and attempt, the task's
     * fencing token) still holds, so a worker whose lease ran out and whose task was requeued and claimed again
     * cannot complete it over the new run.
     */
    public boolean complete(String taskId, Task run, Object result) {
        boolean ok = db.update("UPDATE tasks SET status = 'completed', result = ?, error = NULL, completed_at = ?"
                + " WHERE task_id = ? AND status = 'running'" + FENCE_IF, result == null ? null : Json.write(result),
                Instant.now(), taskId, run == null, run == null ? "" : run.workerId(),
                run == null ? 0 : run.attempt()) == 1;
        if (ok) {
            afterChange(taskId);
        }
        return ok;
    }

    /**
     * A run failed: back to {@code retrying} (claimable again after {@code backoffSeconds}) while attempts remain,
     * else {@code failed}, which blocks every task downstream. Returns the new status, or null when the task was
     * no longer running (cancelled meanwhile).
     */
    public String fail(String taskId, String error, long backoffSeconds) {
        return fail(taskId, null, error, backoffSeconds);
    }

    /** {@link #fail(String, String, long)} of one run, fenced like {@link #complete(String, Task, Object)}. */
    public String fail(String taskId, Task run, String error, long backoffSeconds) {
        Instant now = Instant.now();
        List<String> touched = new ArrayList<>();
        String status = db.inTransaction(() -> {
            Optional<Map<String, Object>> row = db.one("SELECT attempt, max_retries FROM tasks WHERE task_id = ?"
                    + " AND status IN ('claimed', 'running')" + FENCE_IF, taskId, run == null,
                    run == null ? "" : run.workerId(), run == null ? 0 : run.attempt());
            if (row.isEmpty()) {
                return null;
            }
            int attempt = ((Number) row.get().get("attempt")).intValue();
            int maxRetries = ((Number) row.get().get("max_retries")).intValue();
            String next = attempt <= maxRetries ? Task.RETRYING : Task.FAILED;
            boolean retrying = Task.RETRYING.equals(next);
            db.update("UPDATE tasks SET status = ?, error = ?, completed_at = ?, not_before = ?,"
                    + " worker_id = CASE WHEN ? THEN NULL ELSE worker_id END"
                    + " WHERE task_id = ? AND status IN ('claimed', 'running')", next, truncate(error),
                    retrying ? null : now, retrying ? now.plusSeconds(backoffSeconds) : null, retrying, taskId);
            touched.add(taskId);
            if (Task.FAILED.equals(next)) {
                touched.addAll(blockDownstream(taskId));
            }
            return next;
        });
        if (status != null) {
            afterChange(touched);
        }
        return status;
    }

    /** Retrying tasks whose back-off elapsed become pending again. */
    public int promoteRetrying() {
        List<String> ids = db.query("SELECT task_id FROM tasks WHERE status = 'retrying' AND (not_before IS NULL"
                + " OR not_before <= ?)", Instant.now()).stream().map(r -> (String) r.get("task_id")).toList();
        List<String> done = new ArrayList<>();
        for (String id : ids) {
            if (db.update("UPDATE tasks SET status = 'pending' WHERE task_id = ? AND status = 'retrying'", id) == 1) {
                done.add(id);
            }
        }
        afterChange(done);
        return done.size();
    }

    /**
     * Cancels a task that has not finished; its downstream tasks become blocked. Returns the status it had, or
     * empty when it was already finished (or vanished).
     */
    public Optional<String> cancel(String taskId, String reason) {
        // the task may be moving (claimed, running, retrying) while we look: re-read until the guarded update lands
        for (int tries = 0; tries < 20; tries++) {
            List<String> touched = new ArrayList<>();
            Optional<String> s = db.one("SELECT status FROM tasks WHERE task_id = ?", taskId)
                    .map(r -> (String) r.get("status"));
            if (s.isEmpty() || Set.of(Task.COMPLETED, Task.FAILED, Task.CANCELLED).contains(s.get())) {
                return Optional.empty();
            }
            boolean done = db.inTransaction(() -> {
                int n = db.update("UPDATE tasks SET status = 'cancelled', error = ?, completed_at = ? WHERE task_id = ?"
                        + " AND status = ?", reason, Instant.now(), taskId, s.get());
                if (n == 0) {
                    return false;
                }
                touched.add(taskId);
                touched.addAll(blockDownstream(taskId));
                return true;
            });
            if (done) {
                afterChange(touched);
                return s;
            }
        }
        return Optional.empty();
    }

    /**
     * Puts a failed or cancelled task back in the queue (one more run) and unblocks the downstream tasks it was
     * holding. Returns false when the task is not failed/cancelled.
     */
    public boolean retry(String taskId) {
        List<String> touched = new ArrayList<>();
        boolean ok = db.inTransaction(() -> {
            int n = db.update("UPDATE tasks SET status = 'pending', error = NULL, result = NULL, completed_at = NULL,"
                    + " not_before = NULL, worker_id = NULL WHERE task_id = ? AND status IN ('failed', 'cancelled')",
                    taskId);
            if (n == 0) {
                return false;
            }
            touched.add(taskId);
            touched.addAll(unblockDownstream(taskId));
            return true;
        });
        afterChange(touched);
        return ok;
    }

    /**
     * A task held by a worker that stopped heart-beating goes back to pending while attempts remain (its run is
     * counted), else fails. Returns the new status or null when it was no longer held by that worker.
     */
    public String requeue(String taskId, String workerId, String reason) {
        return requeue(taskId, workerId, reason, false);
    }

    /** {@link #requeue(String, String, String)}; with {@code onlyExpired}, only while the claim's lease has run out. */
    public String requeue(String taskId, String workerId, String reason, boolean onlyExpired) {
        List<String> touched = new ArrayList<>();
        String status = db.inTransaction(() -> {
            Optional<Map<String, Object>> row = db.one("SELECT attempt, max_retries FROM tasks WHERE task_id = ?"
                    + " AND worker_id = ? AND status IN ('claimed', 'running')"
                    + (onlyExpired ? " AND lease_until < CURRENT_TIMESTAMP" : ""), taskId, workerId);
            if (row.isEmpty()) {
                return null;
            }
            boolean again = ((Number) row.get().get("attempt")).intValue()
                    <= ((Number) row.get().get("max_retries")).intValue();
            String next = again ? Task.PENDING : Task.FAILED;
            db.update("UPDATE tasks SET status = ?, error = ?, worker_id = NULL, completed_at = ? WHERE task_id = ?"
                    + " AND worker_id = ? AND status IN ('claimed', 'running')", next, reason,
                    again ? null : Instant.now(), taskId, workerId);
            touched.add(taskId);
            if (!again) {
                touched.addAll(blockDownstream(taskId));
            }
            return next;
        });
        afterChange(touched);
        return status;
    }

    /** Renews the leases of the tasks {@code workerId} holds (its heartbeat); returns how many. */
    public int renewLeases(String workerId) {
        return db.update("UPDATE tasks SET lease_until = " + lease.untilSql() + " WHERE worker_id = ?"
                + " AND status IN ('claimed', 'running')", workerId);
    }

    /** Claimed or running tasks of other workers whose lease has run out: task id → worker id. */
    public Map<String, String> expiredLeases(String exceptWorkerId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT task_id, worker_id FROM tasks WHERE status IN ('claimed',"
                + " 'running') AND lease_until < CURRENT_TIMESTAMP AND worker_id <> ? ORDER BY lease_until",
                exceptWorkerId)) {
            out.put((String) r.get("task_id"), (String) r.get("worker_id"));
        }
        return out;
    }

    /** Tasks a worker holds (claimed or running). */
    public List<String> heldBy(String workerId) {
        return db.query("SELECT task_id FROM tasks WHERE worker_id = ? AND status IN ('claimed', 'running')", workerId)
                .stream().map(r -> (String) r.get("task_id")).toList();
    }

    /** Hands a task back without counting the run (graceful shutdown interrupted it). */
    public void release(String taskId, String workerId) {
        int n = db.update("UPDATE tasks SET status = 'pending', worker_id = NULL, attempt = CASE WHEN attempt > 0"
                + " THEN attempt - 1 ELSE 0 END WHERE task_id = ? AND worker_id = ? AND status IN ('claimed', 'running')",
                taskId, workerId);
        if (n == 1) {
            afterChange(taskId);
        }
    }

    private List<String> blockDownstream(String taskId) {
        List<String> blocked = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(dependents(taskId));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (db.update("UPDATE tasks SET status = 'blocked' WHERE task_id = ? AND status IN ('pending', 'retrying')",
                    id) == 1) {
                blocked.add(id);
                todo.addAll(dependents(id));
            }
        }
        return blocked;
    }

    private List<String> unblockDownstream(String taskId) {
        List<String> freed = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(dependents(taskId));
        while (!todo.isEmpty()) {
            String id = todo.poll();
            boolean upstreamBad = db.scalarLong("SELECT COUNT(*) FROM task_dependencies d JOIN tasks u ON"
                    + " u.task_id = d.depends_on_task_id WHERE d.task_id = ? AND u.status IN ('failed', 'cancelled',"
                    + " 'blocked')", id) > 0;
            if (!upstreamBad && db.update("UPDATE tasks SET status = 'pending' WHERE task_id = ? AND status = 'blocked'",
                    id) == 1) {
                freed.add(id);
                todo.addAll(dependents(id));
            }
        }
        return freed;
    }

    private void afterChange(String taskId) {
        afterChange(List.of(taskId));
    }

    private void afterChange(List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return;
        }
        Set<String> workflows = new java.util.LinkedHashSet<>();
        for (String id : taskIds) {
            db.one("SELECT workflow_id FROM tasks WHERE task_id = ?", id)
                    .map(r -> (String) r.get("workflow_id")).ifPresent(workflows::add);
        }
        workflows.forEach(this::refreshWorkflow);
        changed(taskIds);
    }

    // ------------------------------------------------------------------------------------------------ workflows

    public String createWorkflow(String name, String templateName, Map<String, Object> params) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        db.update("INSERT INTO workflows (workflow_id, name, template_name, status, params, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'pending', ?, ?, ?)", id, name, templateName, Json.write(params == null
                        ? Map.of() : params), now, now);
        return id;
    }

    public Optional<Map<String, Object>> workflow(String workflowId) {
        return db.one("SELECT * FROM workflows WHERE workflow_id = ?", workflowId);
    }

    public List<Map<String, Object>> workflows(String status, int limit) {
        return status == null
                ? db.query("SELECT * FROM workflows ORDER BY created_at DESC LIMIT ?", limit)
                : db.query("SELECT * FROM workflows WHERE status = ? ORDER BY created_at DESC LIMIT ?", status, limit);
    }

    /**
     * Derives a workflow's status from its tasks: completed when all completed; pending/running while any task
     * can still run; otherwise failed (a task failed or is blocked) or cancelled.
     */
    public void refreshWorkflow(String workflowId) {
        // under the workflow row's lock, so concurrent refreshes (a claim and a cancel) apply in turn, each from the
        // tasks as they are then
        db.inTransaction(() -> {
            db.one("SELECT workflow_id FROM workflows WHERE workflow_id = ? FOR UPDATE", workflowId);
            refreshWorkflowLocked(workflowId);
            return null;
        });
    }

    private void refreshWorkflowLocked(String workflowId) {
        Map<String, Long> c = countsByStatus("workflow_id", workflowId);
        long total = c.values().stream().mapToLong(Long::longValue).sum();
        long active = c.get(Task.PENDING) + c.get(Task.CLAIMED) + c.get(Task.RUNNING) + c.get(Task.RETRYING);
        String status;
        if (total == 0) {
            status = "pending";
        } else if (c.get(Task.COMPLETED) == total) {
            status = "completed";
        } else if (active > 0) {
            status = c.get(Task.PENDING) + c.get(Task.BLOCKED) == total ? "pending" : "running";
        } else if (c.get(Task.FAILED) + c.get(Task.BLOCKED) > 0) {
            status = "failed";
        } else {
            status = "cancelled";
        }
        boolean terminal = Set.of("completed", "failed", "cancelled").contains(status);
        String error = "failed".equals(status) ? db.one("SELECT error FROM tasks WHERE workflow_id = ? AND status ="
                + " 'failed' ORDER BY completed_at", workflowId).map(r -> (String) r.get("error")).orElse(null) : null;
        db.update("UPDATE workflows SET status = ?, error = ?, updated_at = ?,"
                + " completed_at = CASE WHEN ? THEN COALESCE(completed_at, ?) ELSE NULL END WHERE workflow_id = ?",
                status, truncate(error), Instant.now(), terminal, Instant.now(), workflowId);
    }

    // ------------------------------------------------------------------------------------------------ mapping

    private List<Task> withDependencies(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> toTask(r, dependencies((String) r.get("task_id")))).toList();
    }

    static Task toTask(Map<String, Object> r, List<String> deps) {
        return new Task((String) r.get("task_id"), (String) r.get("queue_name"), (String) r.get("task_name"),
                jsonMap((String) r.get("params")), ((Number) r.get("priority")).intValue(), (String) r.get("status"),
                (Instant) r.get("created_at"), (Instant) r.get("claimed_at"), (Instant) r.get("started_at"),
                (Instant) r.get("completed_at"), jsonValue((String) r.get("result")), (String) r.get("error"),
                ((Number) r.get("attempt")).intValue(), ((Number) r.get("max_retries")).intValue(),
                r.get("timeout_sec") == null ? null : ((Number) r.get("timeout_sec")).intValue(),
                (String) r.get("workflow_id"), (String) r.get("worker_id"), deps);
    }

    static Map<String, Object> jsonMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            return Map.of("unparsed", json);
        }
    }

    static Object jsonValue(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, Object.class);
        } catch (Exception e) {
            return json;
        }
    }

    static String truncate(String s) {
        return s == null || s.length() <= 9000 ? s : s.substring(0, 9000) + " ...";
    }
}
