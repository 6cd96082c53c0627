package org.dsa110.contimg.api;

import org.dsa110.contimg.core.ErrorKind;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.pipeline.ingest.IngestService;
import org.dsa110.contimg.pipeline.ingest.StreamingConfig;
import org.dsa110.contimg.pipeline.ingest.StreamingMetrics;
import org.dsa110.contimg.pipeline.ingest.StreamingService;
import org.dsa110.contimg.security.Role;

/** /api/streaming/*: control and report the streaming ingest service (poll + claim routes). */
public class StreamingApi extends ApiRoutes {

    /** POST /api/streaming/config: the control answer with the configuration now in force. */
    public record ConfigUpdated(boolean success, String status, String message, long pid, StreamingConfig config) {
    }

    @Override
    public void configure() {
        StreamingService streaming = lookup("streamingService", StreamingService.class);
        IngestService ingest = lookup("ingestService", IngestService.class);
        StatusReport status = lookup("statusReport", StatusReport.class);
        StreamingMetrics metrics = lookup("streamingMetrics", StreamingMetrics.class);

        get("/streaming/status", "streaming.status",
                "Running state, uptime, files seen, groups by state, last poll, errors (StreamingStatusResponse)",
                req -> streaming.status(status.queueCounts()))
                .returns(StreamingService.StreamingStatus.class)
                .example("{\"running\": true, \"pid\": 4242, \"worker_id\": \"hub-1\", \"started_at\": "
                        + "\"2026-01-16T08:00:00Z\", \"uptime_seconds\": 2825.4, \"cpu_percent\": 3.1, "
                        + "\"memory_mb\": 812.5, \"last_heartbeat\": \"2026-01-16T08:47:05Z\", \"config\": "
                        + "{\"input_dir\": \"/data/incoming\", \"output_dir\": \"/data/products/ms\", "
                        + "\"queue_db\": null, \"registry_db\": null, \"scratch_dir\": null, "
                        + "\"expected_subbands\": 16, "
                        + "\"chunk_duration\": 5.0, \"log_level\": \"INFO\", \"use_subprocess\": false, "
                        + "\"monitoring\": true, \"monitor_interval\": 60.0, \"poll_interval\": 5.0, "
                        + "\"worker_poll_interval\": 5.0, \"max_workers\": 4, \"stage_to_tmpfs\": false, "
                        + "\"tmpfs_path\": \"/dev/shm\"}, \"queue_stats\": {\"total\": 3, \"collecting\": 1, "
                        + "\"pending\": 0, \"in_progress\": 1, \"completed\": 1, \"failed\": 0}, \"polls\": 565, "
                        + "\"files_seen\": 48, "
                        + "\"files_recorded\": 47, \"files_invalid\": 1, \"duplicates_ignored\": 0, "
                        + "\"late_files\": 0, \"errors\": 1, \"poll_errors\": 0, \"last_poll\": "
                        + "\"2026-01-16T08:47:05Z\", \"last_error\": null, \"last_error_at\": null}");
        get("/streaming/health", "streaming.health", "Whether polling is running and on time (StreamingHealthResponse)",
                req -> streaming.health())
                .returns(StreamingService.Health.class);
        get("/streaming/config", "streaming.config", "Stored streaming configuration (StreamingConfigRequest)",
                req -> streaming.config())
                .returns(StreamingConfig.class);
        post("/streaming/config", "streaming.config.update",
                "Change the streaming configuration; persisted and applied without restart", Role.ADMIN, req -> {
                    StreamingConfig cfg = streaming.updateConfig(update(req, true));
                    return new ConfigUpdated(true, "updated", "Configuration updated successfully",
                            ProcessHandle.current().pid(), cfg);
                })
                .body(StreamingConfig.Update.class).returns(ConfigUpdated.class);
        post("/streaming/start", "streaming.start", "Resume polling and claiming (optionally with new config)", Role.ADMIN,
                req -> {
                    StreamingConfig.Update u = update(req, false);
                    if (u != null && !u.changesNothing()) {
                        streaming.updateConfig(u);
                    }
                    return streaming.start();
                })
                .optionalBody(StreamingConfig.Update.class).returns(StreamingService.Control.class);
        post("/streaming/stop", "streaming.stop", "Suspend polling and claiming", Role.ADMIN,
                req -> streaming.stop())
                .returns(StreamingService.Control.class);
        post("/streaming/restart", "streaming.restart", "Stop, re-apply the configuration and start", Role.ADMIN,
                req -> streaming.restart(update(req, false)))
                .optionalBody(StreamingConfig.Update.class).returns(StreamingService.Control.class);
        get("/streaming/metrics", "streaming.metrics", "Ingest counters and throughput",
                req -> new StreamingMetrics.ThroughputReport(ingest.stats(),
                        metrics.metrics(streaming.workerId(), streaming.config().maxWorkers()), status.queueCounts(),
                        streaming.polling()))
                .returns(StreamingMetrics.ThroughputReport.class);
        get("/streaming/mosaic-queue", "streaming.mosaic-queue", "Mosaic groups waiting or being built",
                req -> metrics.mosaicQueue())
                .returns(StreamingMetrics.MosaicQueue.class);
    }

    private static StreamingConfig.Update update(ApiRequest req, boolean required) {
        // the body may be a one-shot stream: keep the text so it can be checked and then bound
        req.exchange().getMessage().setBody(req.rawBody());
        if (!req.hasBody()) {
            if (required) {
                throw new HubException(ErrorKind.BAD_REQUEST, "BODY_MISSING", "request body is missing", Map.of());
            }
            return null;
        }
        return req.body(StreamingConfig.Update.class);
    }

}
