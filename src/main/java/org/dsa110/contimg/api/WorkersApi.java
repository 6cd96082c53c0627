package org.dsa110.contimg.api;

import java.util.Map;
import org.dsa110.contimg.core.ErrorKind;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.security.Role;
import org.dsa110.contimg.orchestration.WorkerRegistry;

/**
 * /api/workers: hub processes and external workers, their states from heartbeats, pool metrics. A heartbeat
 * registers the worker, so it needs the worker's own key (a key whose name is the worker id) or an admin key.
 */
public class WorkersApi extends ApiRoutes {

    /** Optional body of the heartbeat (task_id may also be a query parameter). */
    public record HeartbeatRequest(String taskId, String hostname, Long pid) {
    }

    /** A recorded heartbeat and the worker's state after it. */
    public record Heartbeat(String status, String workerId, String state) {
    }

    @Override
    public void configure() {
        WorkerRegistry workers = lookup("workerRegistry", WorkerRegistry.class);

        get("/workers", "workers.list", "Workers with their state (active, idle, stale, crashed)",
                req -> workers.listResponse()).returns(WorkerRegistry.WorkerList.class);
        get("/workers/metrics", "workers.metrics", "Worker pool metrics", req -> workers.metrics())
                .returns(WorkerRegistry.WorkerMetrics.class);
        post("/workers/{worker_id}/heartbeat", "workers.heartbeat",
                "Record a worker's heartbeat (the worker's own key, named as the worker, or an admin key)", req -> {
            String id = req.path("worker_id");
            if (id.isBlank() || id.length() > 128) {
                throw HubException.invalidParameter("worker_id", id, "1-128 characters");
            }
            if (req.callerRole() != Role.ADMIN && !id.equals(req.callerName())) {
                throw new HubException(ErrorKind.FORBIDDEN, "FORBIDDEN", "a heartbeat for worker '" + id
                        + "' needs that worker's own key or an admin key", Map.of("worker_id", id));
            }
            HeartbeatRequest body = req.bodyOrDefaults(HeartbeatRequest.class);
            String taskId = body.taskId() != null ? body.taskId() : req.query("task_id");
            workers.heartbeat(id, taskId, body.hostname(), body.pid());
            return new Heartbeat("ok", id, workers.get(id).map(WorkerRegistry.Worker::state).orElse(null));
        })
                .queryString("task_id", "The task the worker is running (or task_id in the body)")
                .optionalBody(HeartbeatRequest.class).returns(Heartbeat.class);
    }
}
