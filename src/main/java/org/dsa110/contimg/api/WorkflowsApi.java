package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.orchestration.Task;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.orchestration.Validated;
import org.dsa110.contimg.orchestration.WorkflowDag;
import org.dsa110.contimg.orchestration.WorkflowService;

/** /api/workflows: workflows of dependent tasks, their status, DAG and ready tasks. */
public class WorkflowsApi extends ApiRoutes {

    /** One task of WorkflowCreateRequest; {@code key} names it for the others' depends_on. */
    public record WorkflowTaskRequest(String key, String taskName, String queueName, Map<String, Object> params,
            Integer priority, Integer timeoutSec, Integer maxRetries, List<String> dependsOn) {
    }

    /** WorkflowCreateRequest (name, description, metadata) plus its tasks. */
    public record WorkflowCreateRequest(String name, String description, Map<String, Object> metadata,
            List<WorkflowTaskRequest> tasks) {
        public WorkflowCreateRequest {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name is required");
            }
            tasks = tasks == null ? List.of() : tasks;
        }
    }

    /** GET /api/workflows. */
    public record WorkflowList(List<WorkflowService.WorkflowSummary> workflows, int total) {
    }

    /** GET /api/workflows/{id}/ready. */
    public record ReadyTasks(String workflowId, List<Task> readyTasks, int count) {
    }

    @Override
    public void configure() {
        WorkflowService workflows = lookup("workflowService", WorkflowService.class);
        TaskStore tasks = lookup("taskStore", TaskStore.class);

        post("/workflows", "workflows.create", "Create a workflow of tasks with dependencies (cycles rejected)", req -> {
            WorkflowCreateRequest body = req.body(WorkflowCreateRequest.class);
            List<WorkflowService.Step> steps = body.tasks().stream().map(t -> new WorkflowService.Step(t.key(),
                    t.taskName(), t.queueName(), t.params(), t.priority(), t.timeoutSec(), t.maxRetries(),
                    t.dependsOn())).toList();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("description", body.description());
            params.put("metadata", body.metadata() == null ? Map.of() : body.metadata());
            return ApiResponse.created(Validated.call(() -> workflows.create(body.name(), null, params, steps)));
        })
                .body(WorkflowCreateRequest.class).returns(201, WorkflowService.WorkflowCreated.class);
        get("/workflows", "workflows.list", "List workflows (newest first) with progress", req -> {
            String status = req.oneOf("status", null, "pending", "running", "completed", "failed", "cancelled");
            List<WorkflowService.WorkflowSummary> list = tasks.workflows(status, req.intQuery("limit", 100, 1, 1000))
                    .stream().map(workflows::describe).toList();
            return new WorkflowList(list, list.size());
        })
                .queryEnum("status", null, "pending", "running", "completed", "failed", "cancelled")
                .queryInt("limit", 100, 1, 1000)
                .returns(WorkflowList.class)
                .example("{\"workflows\": [{\"workflow_id\": \"6f1c2b9e-3f0a-4a53-9d2e-1f7b8c0a4d11\", "
                        + "\"name\": \"calibrate-and-image 2026-01-16T10:00:00Z\", \"description\": \"Solve, apply "
                        + "and image one MS\", \"template_name\": \"calibrate-and-image\", \"status\": \"running\", "
                        + "\"error\": null, \"metadata\": {}, \"created_at\": \"2026-01-16T10:00:00Z\", "
                        + "\"updated_at\": \"2026-01-16T10:02:13Z\", \"completed_at\": null, \"total_tasks\": 2, "
                        + "\"counts\": {\"pending\": 1, \"claimed\": 0, \"running\": 1, \"completed\": 0, "
                        + "\"failed\": 0, \"cancelled\": 0}, \"progress_percent\": 0.0, \"finished_percent\": 0.0}], "
                        + "\"total\": 1}");
        get("/workflows/{workflow_id}", "workflows.detail", "Workflow status: counts by task status, progress",
                req -> workflows.describe(workflow(tasks, req.path("workflow_id"))))
                .returns(WorkflowService.WorkflowSummary.class);
        get("/workflows/{workflow_id}/dag", "workflows.dag", "Workflow as a DAG: nodes, roots, leaves, depth", req -> {
            Map<String, Object> wf = workflow(tasks, req.path("workflow_id"));
            String id = (String) wf.get("workflow_id");
            return WorkflowDag.of(id, (String) wf.get("name"), tasks.workflowTasks(id));
        }).returns(WorkflowDag.Graph.class);
        get("/workflows/{workflow_id}/ready", "workflows.ready", "Tasks of the workflow ready to run now", req -> {
            String id = (String) workflow(tasks, req.path("workflow_id")).get("workflow_id");
            List<Task> ready = tasks.readyTasks(id);
            return new ReadyTasks(id, ready, ready.size());
        }).returns(ReadyTasks.class);
    }

    static Map<String, Object> workflow(TaskStore tasks, String id) {
        return tasks.workflow(id).orElseThrow(() -> HubException.notFound("workflow", id));
    }
}
