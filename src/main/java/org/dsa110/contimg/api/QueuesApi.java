package org.dsa110.contimg.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.orchestration.Task;
import org.dsa110.contimg.orchestration.TaskCatalog;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.orchestration.Validated;
import org.dsa110.contimg.orchestration.TaskInputs;

/** /api/queues: queue names, per-queue counts, enqueue. */
public class QueuesApi extends ApiRoutes {

    /** Body of POST /api/queues/{queue_name}/enqueue. */
    public record EnqueueRequest(String taskName, Map<String, Object> params, Integer priority, Integer timeoutSec,
            Integer maxRetries) {
    }

    /** QueueStatsResponse (claimed counts claimed and running tasks). */
    public record QueueStats(String queueName, long pending, long claimed, long completed, long failed,
            long cancelled, long total) {
    }

    @Override
    public void configure() {
        TaskStore tasks = lookup("taskStore", TaskStore.class);
        TaskCatalog catalog = lookup("taskCatalog", TaskCatalog.class);

        get("/queues", "queues.list", "Queue names (configured and in use)", req -> names(tasks, catalog))
                .returnsList(String.class);
        get("/queues/stats", "queues.stats", "Task counts of every queue",
                req -> names(tasks, catalog).stream().map(q -> stats(tasks, q)).toList())
                .returnsList(QueueStats.class);
        get("/queues/{queue_name}/stats", "queues.queue_stats", "Task counts of one queue", req -> {
            String q = known(tasks, catalog, req.path("queue_name"));
            return stats(tasks, q);
        }).returns(QueueStats.class);
        post("/queues/{queue_name}/enqueue", "queues.enqueue", "Enqueue a task on this queue", req -> {
            String q = known(tasks, catalog, req.path("queue_name"));
            EnqueueRequest body = req.body(EnqueueRequest.class);
            TasksApi.SpawnTaskRequest spawn = Validated.call(() -> new TasksApi.SpawnTaskRequest(q, body.taskName(),
                    body.params(), body.priority(), body.timeoutSec(), body.maxRetries(), null, null));
            return ApiResponse.created(TasksApi.spawn(tasks, catalog, lookup("taskInputs", TaskInputs.class), spawn,
                    null));
        })
                .body(EnqueueRequest.class).returns(201, Task.class);
    }

    static List<String> names(TaskStore tasks, TaskCatalog catalog) {
        TreeSet<String> all = new TreeSet<>(catalog.queues());
        all.addAll(tasks.queueNames());
        return new ArrayList<>(all);
    }

    static String known(TaskStore tasks, TaskCatalog catalog, String q) {
        if (!catalog.knowsQueue(q) && !tasks.queueNames().contains(q)) {
            throw HubException.notFound("queue", q);
        }
        return q;
    }

    static QueueStats stats(TaskStore tasks, String queue) {
        Map<String, Long> c = tasks.countsByStatus("queue_name", queue);
        return new QueueStats(queue, c.get(Task.PENDING), c.get(Task.CLAIMED) + c.get(Task.RUNNING),
                c.get(Task.COMPLETED), c.get(Task.FAILED), c.get(Task.CANCELLED),
                c.values().stream().mapToLong(Long::longValue).sum());
    }
}
