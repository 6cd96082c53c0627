package org.dsa110.contimg.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.orchestration.Task;
import org.dsa110.contimg.orchestration.TaskCatalog;
import org.dsa110.contimg.orchestration.TaskInputs;
import org.dsa110.contimg.orchestration.TaskMetrics;
import org.dsa110.contimg.orchestration.TaskRunner;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.orchestration.Validated;

/** /api/tasks, /api/available and the task metrics /api/metrics, /api/metrics/history. */
public class TasksApi extends ApiRoutes {

    /** SpawnTaskRequest / TaskWithDepsRequest (depends_on and workflow_id only for the latter). */
    public record SpawnTaskRequest(String queueName, String taskName, Map<String, Object> params, Integer priority,
            Integer timeoutSec, Integer maxRetries, List<String> dependsOn, String workflowId) {
        public SpawnTaskRequest {
            if (taskName == null || taskName.isBlank()) {
                throw new IllegalArgumentException("task_name is required");
            }
            if (timeoutSec != null && timeoutSec <= 0) {
                throw new IllegalArgumentException("timeout_sec must be positive");
            }
            if (maxRetries != null && (maxRetries < 0 || maxRetries > 100)) {
                throw new IllegalArgumentException("max_retries must be in [0, 100]");
            }
        }
    }

    /** The answer to a spawn with dependencies. */
    public record SpawnedTask(String taskId, String status, List<String> dependsOn, String workflowId,
            String message) {
    }

    /** A page of tasks and how many match the filter. */
    public record TaskList(List<Task> tasks, long total) {
    }

    public record CancelledTask(String taskId, String status, String message) {
    }

    /** A task name that can be enqueued ({@code GET /api/available}). */
    public record AvailableTask(String taskName, String description, String queueName, String endpoint,
            Map<String, Object> parameters) {
    }

    public record AvailableTasks(List<AvailableTask> tasks, int total) {
    }

    @Override
    public void configure() {
        TaskStore tasks = lookup("taskStore", TaskStore.class);
        TaskCatalog catalog = lookup("taskCatalog", TaskCatalog.class);
        TaskRunner runner = lookup("taskRunner", TaskRunner.class);
        TaskMetrics metrics = lookup("taskMetrics", TaskMetrics.class);
        TaskInputs inputs = lookup("taskInputs", TaskInputs.class);

        post("/tasks", "tasks.spawn", "Enqueue a task", req -> {
            SpawnTaskRequest body = req.body(SpawnTaskRequest.class);
            if (body.dependsOn() != null || body.workflowId() != null) {
                throw HubException.unprocessable("depends_on and workflow_id belong to POST /api/tasks/with-deps",
                        Map.of());
            }
            return ApiResponse.created(spawn(tasks, catalog, inputs, body, null));
        })
                .body(SpawnTaskRequest.class).returns(201, Task.class);
        post("/tasks/with-deps", "tasks.spawn_with_deps", "Enqueue a task that runs after the tasks it depends on",
                req -> {
                    SpawnTaskRequest body = req.body(SpawnTaskRequest.class);
                    Task t = spawn(tasks, catalog, inputs, body, body.workflowId());
                    return ApiResponse.created(new SpawnedTask(t.taskId(), t.status(), t.dependsOn(), t.workflowId(),
                            "Task spawned with " + t.dependsOn().size() + " dependencies"));
                })
                .body(SpawnTaskRequest.class).returns(201, SpawnedTask.class);
        get("/tasks", "tasks.list", "List tasks (newest first) by queue, status, task name or workflow", req -> {
            String status = req.oneOf("status", null, Task.STATUSES.toArray(String[]::new));
            TaskStore.Filter f = new TaskStore.Filter(req.query("queue_name"), status, req.query("task_name"),
                    req.query("workflow_id"), req.intQuery("limit", 100, 1, 1000),
                    req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
            return new TaskList(tasks.list(f), tasks.count(f));
        })
                .queryEnum("status", null, Task.STATUSES.toArray(String[]::new))
                .queryString("queue_name", null)
                .queryString("task_name", null)
                .queryString("workflow_id", null)
                .page(100, 1000).returns(TaskList.class);
        get("/tasks/{task_id}", "tasks.detail", "One task", req -> task(tasks, req.path("task_id")))
                .returns(Task.class);
        delete("/tasks/{task_id}", "tasks.cancel", "Cancel a task that has not finished (its dependents block)",
                req -> {
                    String id = req.path("task_id");
                    task(tasks, id);
                    // idempotent: cancelling a cancelled task answers as the first cancel did
                    String before = tasks.cancel(id, "cancelled by operator")
                            .or(() -> Task.CANCELLED.equals(task(tasks, id).status()) ? Optional.of(Task.CANCELLED)
                                    : Optional.empty())
                            .orElseThrow(() -> HubException.conflict("task " + id + " has already finished",
                                    Map.of("task_id", id)));
                    if (Task.CLAIMED.equals(before) || Task.RUNNING.equals(before)) {
                        runner.stopRun(id);
                    }
                    return new CancelledTask(id, Task.CANCELLED, "Task " + id + " cancelled");
                }).returns(CancelledTask.class);
        post("/tasks/{task_id}/retry", "tasks.retry", "Run a failed or cancelled task again (unblocks its dependents)",
                req -> {
                    String id = req.path("task_id");
                    task(tasks, id);
                    if (!tasks.retry(id)) {
                        throw HubException.conflict("only failed or cancelled tasks can be retried",
                                Map.of("task_id", id));
                    }
                    return task(tasks, id);
                }).returns(Task.class);
        get("/available", "tasks.available", "Task names that can be enqueued, with their parameters", req -> {
            List<AvailableTask> list = catalog.all().stream().map(d -> new AvailableTask(d.name(), d.description(),
                    d.queue(), d.endpointUri(), d.parameters())).toList();
            return new AvailableTasks(list, list.size());
        }).returns(AvailableTasks.class);
        get("/metrics", "tasks.metrics", "Task queue metrics: totals, wait/execution times, throughput, success",
                req -> metrics.metrics()).returns(TaskMetrics.MetricsResponse.class);
        get("/metrics/history", "tasks.metrics_history", "Task metrics over time from the stored task rows",
                req -> metrics.history(req.query("queue_name", TaskCatalog.DEFAULT_QUEUE),
                        req.intQuery("hours", 24, 1, 168), req.oneOf("resolution", "1h", "5m", "15m", "1h", "6h")))
                .queryString("queue_name", TaskCatalog.DEFAULT_QUEUE, "The queue whose tasks are counted")
                .queryInt("hours", 24, 1, 168)
                .queryEnum("resolution", "1h", "5m", "15m", "1h", "6h")
                .returns(TaskMetrics.MetricsHistory.class);
    }

    static Task task(TaskStore tasks, String id) {
        return tasks.get(id).orElseThrow(() -> HubException.notFound("task", id));
    }

    /** Validates names against the catalog (422) and the inputs ({@link TaskInputs}, 400), and enqueues. */
    static Task spawn(TaskStore tasks, TaskCatalog catalog, TaskInputs inputs, SpawnTaskRequest r,
            String workflowId) {
        TaskCatalog.TaskDefinition def = catalog.find(r.taskName()).orElseThrow(() -> HubException.unprocessable(
                "unknown task_name '" + r.taskName() + "' (see GET /api/available)", Map.of("task_name", r.taskName())));
        String queue = r.queueName() != null ? r.queueName() : def.queue();
        if (!catalog.knowsQueue(queue)) {
            throw HubException.unprocessable("unknown queue_name '" + queue + "'", Map.of("queue_name", queue));
        }
        if (workflowId != null && tasks.workflow(workflowId).isEmpty()) {
            throw HubException.unprocessable("unknown workflow_id '" + workflowId + "'", Map.of("workflow_id", workflowId));
        }
        Map<String, Object> params = inputs.check(r.params());
        return Validated.call(() -> tasks.create(new TaskStore.NewTask(queue, r.taskName(), params, r.priority() == null ? 5 : r.priority(), r.timeoutSec(),
                r.maxRetries() == null ? 3 : r.maxRetries(), workflowId, r.dependsOn())));
    }
}
