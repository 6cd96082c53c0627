package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates workflows with their tasks (validated as a whole: known task names and queues, dependencies inside the
 * workflow, no cycles) and describes them: counts by status, progress, DAG and ready tasks.
 */
public final class WorkflowService {
    /** One step of a new workflow; {@code key} names it for the other steps' {@code depends_on}. */
    public record Step(String key, String taskName, String queueName, Map<String, Object> params, Integer priority,
            Integer timeoutSec, Integer maxRetries, List<String> dependsOn) {
    }

    private final TaskStore tasks;
    private final TaskCatalog catalog;

    private final TaskInputs inputs;

    public WorkflowService(TaskStore tasks, TaskCatalog catalog, TaskInputs inputs) {
        this.tasks = tasks;
        this.catalog = catalog;
        this.inputs = inputs;
    }

    /**
     * Validates and creates a workflow; returns its id and the task id of each step key.
     *
     * @throws IllegalArgumentException for unknown task names/queues, unknown or duplicate keys, or a cycle
     */
    /** A created workflow: its id and the task id of each step key. */
    public record WorkflowCreated(String workflowId, String name, String templateName, Map<String, String> taskIds,
            String message) {
    }

    /**
     * A workflow's status: its row, counts by task status and progress (completed tasks / all, and finished tasks
     * / all, in percent).
     */
    public record WorkflowSummary(String workflowId, String name, String description, String templateName,
            String status, String error, Object metadata, Instant createdAt, Instant updatedAt,
            Instant completedAt, long totalTasks, Map<String, Long> counts, double progressPercent,
            double finishedPercent) {
    }

    public WorkflowCreated create(String name, String templateName, Map<String, Object> params, List<Step> steps) {
        Map<String, Step> byKey = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.key() == null || s.key().isBlank()) {
                throw new IllegalArgumentException("every task needs a key (its name within the workflow)");
            }
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalArgumentException("duplicate task key '" + s.key() + "'");
            }
            if (!catalog.knows(s.taskName())) {
                throw new IllegalArgumentException("unknown task_name '" + s.taskName() + "' (see GET /api/available)");
            }
            if (s.queueName() != null && !catalog.knowsQueue(s.queueName())) {
                throw new IllegalArgumentException("unknown queue_name '" + s.queueName() + "'");
            }
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Step s : steps) {
            List<String> deps = s.dependsOn() == null ? List.of() : s.dependsOn();
            for (String d : deps) {
                if (!byKey.containsKey(d)) {
                    throw new IllegalArgumentException("task '" + s.key() + "' depends on unknown key '" + d + "'");
                }
            }
            edges.put(s.key(), deps);
        }
        WorkflowDag.Result<String> order = WorkflowDag.order(edges);
        if (order.cycle().isPresent()) {
            throw new CycleException(order.cycle().get());
        }
        // every step's inputs are checked before anything is stored
        Map<String, Map<String, Object>> checked = new LinkedHashMap<>();
        for (Step s : steps) {
            checked.put(s.key(), inputs.check(s.params()));
        }
        String workflowId = tasks.createWorkflow(name, templateName, params);
        Map<String, String> ids = new LinkedHashMap<>();
        for (String key : order.order()) {
            Step s = byKey.get(key);
            List<String> deps = edges.get(key).stream().map(ids::get).toList();
            String queue = s.queueName() != null ? s.queueName()
                    : catalog.find(s.taskName()).map(TaskCatalog.TaskDefinition::queue).orElse(TaskCatalog.DEFAULT_QUEUE);
            Task t = tasks.create(new TaskStore.NewTask(queue, s.taskName(), checked.get(key),
                    s.priority() == null ? 5 : s.priority(), s.timeoutSec(), s.maxRetries() == null ? 3 : s.maxRetries(),
                    workflowId, deps));
            ids.put(key, t.taskId());
        }
        return new WorkflowCreated(workflowId, name, templateName, ids, "Workflow '" + name + "' created with "
                + ids.size() + " task(s)");
    }

    /** A dependency cycle: the API answers 422 naming the keys on it. */
    public static final class CycleException extends IllegalArgumentException {
        private final List<String> keys;

        CycleException(List<String> keys) {
            super("workflow has a dependency cycle through " + keys);
            this.keys = keys;
        }

        public List<String> keys() {
            return keys;
        }
    }

    /** Workflow status: its row, counts by task status and progress (finished tasks / all, in percent). */
    public WorkflowSummary describe(Map<String, Object> wf) {
        String id = (String) wf.get("workflow_id");
        Map<String, Long> counts = tasks.countsByStatus("workflow_id", id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long finished = counts.get(Task.COMPLETED) + counts.get(Task.FAILED) + counts.get(Task.CANCELLED);
        Map<String, Object> params = TaskStore.jsonMap((String) wf.get("params"));
        Object description = params.get("description");
        return new WorkflowSummary(id, (String) wf.get("name"), description == null ? null : description.toString(),
                (String) wf.get("template_name"), (String) wf.get("status"), (String) wf.get("error"),
                params.getOrDefault("metadata", Map.of()), (Instant) wf.get("created_at"),
                (Instant) wf.get("updated_at"), (Instant) wf.get("completed_at"), total, counts,
                total == 0 ? 0.0 : Math.round(1000.0 * counts.get(Task.COMPLETED) / total) / 10.0,
                total == 0 ? 0.0 : Math.round(1000.0 * finished / total) / 10.0);
    }
}
