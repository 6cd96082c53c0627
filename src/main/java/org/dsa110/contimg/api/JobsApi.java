package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.orchestration.JobRequests;
import org.dsa110.contimg.orchestration.JobService;
import org.dsa110.contimg.orchestration.TaskRunner;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.orchestration.Validated;

/**
 * /api/jobs: dashboard jobs (calibrate, apply, image, convert, ese-detect, workflow), each run through the task
 * queue and the stage routes. The live log stream GET /api/jobs/id/{job_id}/logs is the SSE route of
 * {@code api.JobLogSse}.
 */
public class JobsApi extends ApiRoutes {

    public record JobList(List<JobService.Job> items) {
    }

    /** The job runner of this node: its worker id, load and the queue's pending tasks (503 when stopped). */
    public record RunnerHealth(String status, String workerId, int runningTasks, int maxConcurrent,
            Long pendingTasks) {
    }

    @Override
    public void configure() {
        JobService jobs = lookup("jobService", JobService.class);
        TaskRunner runner = lookup("taskRunner", TaskRunner.class);
        TaskStore tasks = lookup("taskStore", TaskStore.class);

        post("/jobs/calibrate", "jobs.calibrate", "Create a calibration job (solve K/BP/G tables on an MS)", req -> {
            JobRequests.CalibrateJobCreateRequest body = req.body(JobRequests.CalibrateJobCreateRequest.class);
            return ApiResponse.created(jobs.create("calibrate", body.msPath(), params(body.params()), null, 5));
        })
                .body(JobRequests.CalibrateJobCreateRequest.class).returns(201, JobService.Job.class);
        post("/jobs/apply", "jobs.apply", "Create a job applying calibration tables to an MS", req -> {
            JobRequests.JobCreateRequest body = req.body(JobRequests.JobCreateRequest.class);
            return ApiResponse.created(jobs.create("apply", body.msPath(), params(body.params()), null, 5));
        })
                .body(JobRequests.JobCreateRequest.class).returns(201, JobService.Job.class);
        post("/jobs/image", "jobs.image", "Create an imaging job", req -> {
            JobRequests.JobCreateRequest body = req.body(JobRequests.JobCreateRequest.class);
            return ApiResponse.created(jobs.create("image", body.msPath(), params(body.params()), null, 5));
        })
                .body(JobRequests.JobCreateRequest.class).returns(201, JobService.Job.class);
        post("/jobs/convert", "jobs.convert", "Create a UVH5 to MS conversion job for a time window", req -> {
            JobRequests.ConversionJobCreateRequest body = req.body(JobRequests.ConversionJobCreateRequest.class);
            return ApiResponse.created(jobs.create("convert", null, params(body.params()), null, 5));
        })
                .body(JobRequests.ConversionJobCreateRequest.class).returns(201, JobService.Job.class);
        post("/jobs/ese-detect", "jobs.ese_detect", "Create an ESE detection job", req -> {
            JobRequests.EseDetectJobCreateRequest body = req.bodyOrDefaults(JobRequests.EseDetectJobCreateRequest.class);
            return ApiResponse.created(jobs.create("ese-detect", null, params(body.params()), null, 5));
        })
                .optionalBody(JobRequests.EseDetectJobCreateRequest.class).returns(201, JobService.Job.class);
        post("/jobs/workflow", "jobs.workflow", "Create a workflow job: (convert →) calibrate → apply → image", req -> {
            JobRequests.WorkflowJobCreateRequest body = req.body(JobRequests.WorkflowJobCreateRequest.class);
            return ApiResponse.created(jobs.createWorkflow(body.msPath(), params(body.params())));
        })
                .body(JobRequests.WorkflowJobCreateRequest.class).returns(201, JobService.Job.class);
        get("/jobs", "jobs.list", "List jobs (newest first), filtered by status and type", req -> {
            String status = req.oneOf("status", null, "pending", "running", "done", "failed", "cancelled");
            String type = req.oneOf("type", null, "calibrate", "apply", "image", "convert", "ese-detect", "workflow",
                    "photometry", "publish");
            int limit = req.intQuery("limit", 50, 1, 1000);
            int offset = req.intQuery("offset", 0, 0, Integer.MAX_VALUE);
            return new JobList(jobs.list(status, type, limit, offset));
        })
                .queryEnum("status", null, "pending", "running", "done", "failed", "cancelled")
                .queryEnum("type", null, "calibrate", "apply", "image", "convert", "ese-detect", "workflow", "photometry", "publish")
                .page(50, 1000).returns(JobList.class);
        // declared before /jobs/{job_id} so the literal path wins
        get("/jobs/healthz", "jobs.healthz", "Job runner health: this worker, its load and the queue", req -> {
            RunnerHealth out = new RunnerHealth(runner.isRunning() ? "ok" : "stopped", runner.workerId(),
                    runner.inFlightTaskIds().size(), runner.maxConcurrent(),
                    tasks.countsByStatus(null, null).get("pending"));
            return ApiResponse.status(runner.isRunning() ? 200 : 503, out);
        }).returns(RunnerHealth.class).returns(503, RunnerHealth.class);
        get("/jobs/id/{job_id}", "jobs.detail", "One job with its log", req -> job(jobs, req.pathLong("job_id")))
                .returns(JobService.Job.class);
        get("/jobs/{job_id}", "jobs.by_id", "One job by its id or by the id of its task", req -> {
            String id = req.path("job_id");
            if (id.matches("\\d{1,18}")) {
                return job(jobs, Long.parseLong(id));
            }
            Long jobId = jobs.jobIdOfTask(id);
            if (jobId == null) {
                throw HubException.notFound("job", id);
            }
            return job(jobs, jobId);
        }).returns(JobService.Job.class);
        post("/jobs/id/{job_id}/cancel", "jobs.cancel", "Cancel a job: queued work dropped, running processes ended",
                req -> {
                    long id = req.pathLong("job_id");
                    job(jobs, id);
                    if (!jobs.cancel(id)) {
                        throw HubException.conflict("job " + id + " has already finished", Map.of("job_id", id));
                    }
                    return job(jobs, id);
                }).returns(JobService.Job.class);
    }

    private static JobService.Job job(JobService jobs, long id) {
        return jobs.get(id).orElseThrow(() -> HubException.notFound("job", id));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Object record) {
        return Validated.call(() -> Json.MAPPER.convertValue(record, LinkedHashMap.class));
    }
}
