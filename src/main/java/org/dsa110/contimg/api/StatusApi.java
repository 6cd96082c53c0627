package org.dsa110.contimg.api;

import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.pipeline.ingest.GroupQueue;

/** /api/status, /api/groups/{group_id}, /api/reprocess/{group_id}. */
public class StatusApi extends ApiRoutes {
    /** Optional body of a reprocess: also add the group's late files to its subbands first. */
    public record ReprocessRequest(Boolean includeLateFiles) {
    }

    /**
     * GET /api/status (PipelineStatus). {@code running}: the pipeline accepts groups (its group route is started);
     * {@code streaming_running}: the streaming ingest is polling the incoming directory.
     */
    public record PipelineStatus(StatusReport.QueueCounts queue, List<Map<String, Object>> recentGroups,
            List<Map<String, Object>> calibrationSets, long matchedRecent, boolean running, boolean streamingRunning) {
    }

    @Override
    public void configure() {
        StatusReport status = lookup("statusReport", StatusReport.class);
        GroupQueue queue = lookup("groupQueue", GroupQueue.class);

        org.dsa110.contimg.pipeline.ingest.StreamingService streaming = lookup("streamingService",
                org.dsa110.contimg.pipeline.ingest.StreamingService.class);
        get("/status", "status", "Pipeline queue counts, recent groups and calibration sets (PipelineStatus)",
                req -> pipelineStatus(status.pipelineStatus(req.intQuery("limit", 20, 1, 1000)),
                        streaming.isRunning()))
                .queryInt("limit", 20, 1, 1000).returns(PipelineStatus.class)
                .example("{\"queue\": {\"total\": 3, \"pending\": 1, \"in_progress\": 1, \"failed\": 0, "
                        + "\"completed\": 1, \"collecting\": 0}, \"recent_groups\": [{\"group_id\": "
                        + "\"2026-01-16T08:46:11\", \"state\": \"completed\", \"subbands_present\": 16, "
                        + "\"expected_subbands\": 16}], \"calibration_sets\": [], \"matched_recent\": 0, "
                        + "\"running\": true, \"streaming_running\": false}");
        get("/groups/{group_id}", "groups.detail", "One observation group with its subband files (GroupDetail)",
                req -> {
                    String id = req.path("group_id");
                    return queue.detail(id).orElseThrow(() -> HubException.notFound("group", id));
                })
                .returns(GroupQueue.GroupDetail.class)
                .example("{\"group_id\": \"2026-01-16T08:46:11\", \"state\": \"completed\", \"received_at\": "
                        + "\"2026-01-16T08:46:20Z\", \"last_update\": \"2026-01-16T08:52:03Z\", "
                        + "\"subbands_present\": 16, \"expected_subbands\": 16, \"has_calibrator\": true, "
                        + "\"matches\": [{\"name\": \"3C286\", "
                        + "\"ra_deg\": 202.7845, \"dec_deg\": 30.5092, \"sep_deg\": 0.41, \"weighted_flux\": 13.2}], "
                        + "\"qa\": [], \"perf_total_time\": 341.7, \"writer_type\": \"builtin\", \"created_at\": "
                        + "\"2026-01-16T08:46:20Z\", \"completed_at\": \"2026-01-16T08:52:03Z\", \"started_at\": "
                        + "\"2026-01-16T08:46:21Z\", \"pointing_dec_deg\": 30.2, \"incomplete\": false, "
                        + "\"missing_subbands\": [], \"attempts\": 1, \"claimed_by\": \"hub-1\", \"claimed_at\": "
                        + "\"2026-01-16T08:46:21Z\", \"error\": null, \"subbands\": [{\"subband\": 0, \"path\": "
                        + "\"/data/incoming/2026-01-16T08:46:11_sb00.hdf5\", \"filename\": "
                        + "\"2026-01-16T08:46:11_sb00.hdf5\", \"file_time\": \"2026-01-16T08:46:11Z\", "
                        + "\"size_bytes\": 180355072, \"received_at\": \"2026-01-16T08:46:20Z\", \"flagged\": false}], "
                        + "\"late_files\": [], \"history\": [{\"from_state\": null, \"to_state\": \"collecting\", "
                        + "\"changed_at\": \"2026-01-16T08:46:20Z\"}]}");
        post("/reprocess/{group_id}", "groups.reprocess",
                "Send a completed or failed group back to pending (attempts kept); body {\"include_late_files\": "
                        + "true} first adds its late files to its subbands", req -> {
                    String id = req.path("group_id");
                    boolean late = Boolean.TRUE.equals(req.bodyOrDefaults(ReprocessRequest.class).includeLateFiles());
                    try {
                        return queue.reprocess(id, late).orElseThrow(() -> HubException.notFound("group", id));
                    } catch (GroupQueue.NotReprocessable e) {
                        throw HubException.conflict(e.getMessage(), Map.of("group_id", id, "state", e.state()));
                    }
                })
                .optionalBody(ReprocessRequest.class).returns(GroupQueue.Reprocessed.class);
    }

    @SuppressWarnings("unchecked")
    private PipelineStatus pipelineStatus(Map<String, Object> p, boolean streamingRunning) {
        boolean running = getCamelContext().getRouteController().getRouteStatus("pipeline.group")
                == ServiceStatus.Started;
        return new PipelineStatus((StatusReport.QueueCounts) p.get("queue"),
                (List<Map<String, Object>>) p.get("recent_groups"),
                (List<Map<String, Object>>) p.get("calibration_sets"), ((Number) p.get("matched_recent")).longValue(),
                running, streamingRunning);
    }
}
