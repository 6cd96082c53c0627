package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.orchestration.OrchestrationTestHub.await;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.getJson;
import static org.dsa110.contimg.orchestration.OrchestrationTestHub.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each orchestration endpoint's JSON keys against its model: Job, JobList, BatchJob, BatchJobStatus, BatchJobList
 * from shared/spec/endpoints.md (Models), the others from the earlier backend's models as documented in
 * docs/orchestration.md.
 */
class ContractKeysTest {
    static final Map<String, Set<String>> MODELS = Map.ofEntries(
            Map.entry("Job", Set.of("id", "type", "status", "ms_path", "params", "logs", "artifacts", "created_at",
                    "started_at", "finished_at")),
            Map.entry("JobList", Set.of("items")),
            Map.entry("BatchJob", Set.of("id", "type", "created_at", "status", "total_items", "completed_items",
                    "failed_items", "params", "items")),
            Map.entry("BatchJobStatus", Set.of("ms_path", "job_id", "status", "error", "started_at", "completed_at")),
            Map.entry("BatchJobList", Set.of("items")),
            Map.entry("TaskResponse", Set.of("task_id", "queue_name", "task_name", "params", "priority", "status",
                    "created_at", "claimed_at", "completed_at", "result", "error", "retry_count", "started_at",
                    "max_retries", "timeout_sec", "workflow_id", "worker_id", "depends_on")),
            Map.entry("TaskListResponse", Set.of("tasks", "total")),
            Map.entry("QueueStatsResponse", Set.of("queue_name", "pending", "claimed", "completed", "failed",
                    "cancelled", "total")),
            Map.entry("WorkerListResponse", Set.of("workers", "total", "active", "idle", "stale", "crashed")),
            Map.entry("WorkerResponse", Set.of("worker_id", "state", "task_count", "current_task_id", "first_seen",
                    "last_seen", "uptime_seconds")),
            Map.entry("WorkerMetricsResponse", Set.of("total_workers", "active_workers", "idle_workers",
                    "crashed_workers", "timed_out_workers", "avg_tasks_per_worker", "avg_worker_uptime_sec")),
            Map.entry("MetricsResponse", Set.of("total_spawned", "total_claimed", "total_completed", "total_failed",
                    "total_cancelled", "total_timed_out", "current_pending", "current_claimed", "avg_wait_time_sec",
                    "avg_execution_time_sec", "p50_wait_time_sec", "p95_wait_time_sec", "p99_wait_time_sec",
                    "p50_execution_time_sec", "p95_execution_time_sec", "p99_execution_time_sec", "throughput_1min",
                    "throughput_5min", "throughput_15min", "success_rate_1min", "success_rate_5min",
                    "success_rate_15min", "error_rate_1min", "error_rate_5min", "error_rate_15min")),
            Map.entry("WorkflowTemplate", Set.of("name", "description", "queue_name", "steps", "default_params",
                    "builtin", "created_at", "updated_at")),
            Map.entry("WorkflowTemplateStep", Set.of("task_name", "params", "priority", "timeout_sec", "max_retries",
                    "queue_name")),
            Map.entry("WorkflowTemplateListResponse", Set.of("templates", "total")),
            Map.entry("WorkflowStatus", Set.of("workflow_id", "name", "description", "template_name", "status",
                    "error", "metadata", "created_at", "updated_at", "completed_at", "total_tasks", "counts",
                    "progress_percent", "finished_percent")),
            Map.entry("WorkflowDag", Set.of("workflow_id", "name", "total_depth", "root_tasks", "leaf_tasks", "nodes")),
            Map.entry("DagNode", Set.of("task_id", "task_name", "status", "depends_on", "dependents", "depth")),
            Map.entry("MetricsHistory", Set.of("queue_name", "hours", "resolution", "timestamps", "series")));

    @BeforeAll
    static void start() throws Exception {
        OrchestrationTestHub.get();
    }

    private static void keys(String model, JsonNode node) {
        Set<String> actual = new TreeSet<>();
        node.fieldNames().forEachRemaining(actual::add);
        assertEquals(new TreeSet<>(MODELS.get(model)), actual, model);
    }

    @Test
    void everyEndpointAnswersWithItsModelsFields() throws Exception {
        JsonNode job = post("/api/jobs/image", Map.of("ms_path", OrchestrationTestHub.get().stagedMs("keys.ms")), 201);
        keys("Job", job);
        keys("Job", await("/api/jobs/id/" + job.get("id").asLong(), j -> j.get("status").asText().equals("done")));
        keys("JobList", getJson("/api/jobs"));
        keys("Job", getJson("/api/jobs").get("items").get(0));

        JsonNode batch = post("/api/batch/calibrate", Map.of("params", Map.of("ms_paths",
                List.of(OrchestrationTestHub.get().stagedMs("k1.ms")))),
                201);
        keys("BatchJob", batch);
        keys("BatchJobStatus", batch.get("items").get(0));
        keys("BatchJobList", getJson("/api/batch"));
        keys("BatchJob", getJson("/api/batch/" + batch.get("id").asLong()));

        JsonNode task = post("/api/tasks", Map.of("task_name", "imaging"), 201);
        keys("TaskResponse", task);
        keys("TaskResponse", getJson("/api/tasks/" + task.get("task_id").asText()));
        keys("TaskListResponse", getJson("/api/tasks"));
        keys("TaskResponse", getJson("/api/tasks").get("tasks").get(0));
        keys("QueueStatsResponse", getJson("/api/queues/dsa110-pipeline/stats"));
        keys("QueueStatsResponse", getJson("/api/queues/stats").get(0));
        keys("TaskResponse", post("/api/queues/dsa110-pipeline/enqueue", Map.of("task_name", "imaging"), 201));

        post("/api/workers/keys-worker/heartbeat", "", 200);
        keys("WorkerListResponse", getJson("/api/workers"));
        keys("WorkerResponse", getJson("/api/workers").get("workers").get(0));
        keys("WorkerMetricsResponse", getJson("/api/workers/metrics"));
        keys("MetricsResponse", getJson("/api/metrics"));
        keys("MetricsHistory", getJson("/api/metrics/history"));

        keys("WorkflowTemplateListResponse", getJson("/api/templates"));
        JsonNode template = getJson("/api/templates/standard-pipeline");
        keys("WorkflowTemplate", template);
        keys("WorkflowTemplateStep", template.get("steps").get(0));
        String wf = post("/api/templates/calibrator/run", "", 201).get("workflow_id").asText();
        keys("WorkflowStatus", getJson("/api/workflows/" + wf));
        keys("WorkflowStatus", getJson("/api/workflows").get("workflows").get(0));
        JsonNode dag = getJson("/api/workflows/" + wf + "/dag");
        keys("WorkflowDag", dag);
        keys("DagNode", dag.get("nodes").get(0));
    }
}
