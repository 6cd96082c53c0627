package org.dsa110.contimg.pipeline.ingest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/** Throughput of the streaming service and the mosaic grouping queue, read from the store. */
public final class StreamingMetrics {
    private final Db db;

    public StreamingMetrics(Db db) {
        this.db = db;
    }

    /**
     * Files and groups over the last hour, processing time (claim to completion) over the last day, this worker's
     * share; {@code avg_processing_seconds_last_day} is null when no group completed in the day.
     */
    public record IngestThroughput(long filesIndexedLastHour, long filesInvalidLastHour, long groupsCreatedLastHour,
            long groupsCompletedLastHour, long groupsFailedLastHour, Double avgProcessingSecondsLastDay,
            long inProgressHere, int maxWorkers, long openDlqItems) {
    }

    /**
     * GET /api/streaming/metrics: the ingest counters and the throughput (both inline), the queue by state under
     * the hub's name ({@code groups_by_state}) and the dashboard's ({@code queue_stats}), whether the streaming
     * service is polling ({@code service_running}) and {@code processing_rate_per_hour}: the groups completed in
     * the last hour.
     */
    public record ThroughputReport(@JsonUnwrapped IngestService.IngestCounters counters,
            @JsonUnwrapped IngestThroughput throughput, StatusReport.QueueCounts groupsByState, boolean serviceRunning,
            StatusReport.QueueCounts queueStats, long processingRatePerHour) {
        public ThroughputReport(IngestService.IngestCounters counters, IngestThroughput throughput,
                StatusReport.QueueCounts groupsByState, boolean serviceRunning) {
            this(counters, throughput, groupsByState, serviceRunning, groupsByState,
                    throughput.groupsCompletedLastHour());
        }
    }

    /** Files and groups over the last hour, processing time over the last day, this worker's share. */
    public IngestThroughput metrics(String workerId, int maxWorkers) {
        Instant now = Instant.now();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant dayAgo = now.minus(Duration.ofDays(1));
        List<Map<String, Object>> done = db.query("SELECT started_at, completed_at FROM ingest_groups "
                + "WHERE state = 'completed' AND completed_at >= ? AND started_at IS NOT NULL", dayAgo);
        double sum = 0;
        for (Map<String, Object> r : done) {
            sum += Duration.between((Instant) r.get("started_at"), (Instant) r.get("completed_at")).toMillis() / 1e3;
        }
        return new IngestThroughput(
                db.scalarLong("SELECT COUNT(*) FROM hdf5_file_index WHERE valid = TRUE AND indexed_at >= ?", hourAgo),
                db.scalarLong("SELECT COUNT(*) FROM hdf5_file_index WHERE valid = FALSE AND indexed_at >= ?", hourAgo),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE received_at >= ?", hourAgo),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed' AND completed_at >= ?",
                        hourAgo),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'failed' AND completed_at >= ?",
                        hourAgo),
                done.isEmpty() ? null : sum / done.size(),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'in_progress' AND claimed_by = ?",
                        workerId),
                maxWorkers,
                db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE component = 'ingest' "
                        + "AND status IN ('pending', 'retrying')"));
    }

    /** Mosaic groups by status (every status of the table's check constraint, zero when none) and in total. */
    public record MosaicCounts(long collecting, long ready, long building, long completed, long failed, long total) {
    }

    /** A mosaic group not finished yet; the MJDs span its images, null before the first. */
    public record QueuedMosaicGroup(long id, String status, String tier, int imageCount, Double decDeg,
            Double firstMjd, Double lastMjd, Instant createdAt, Instant updatedAt) {
    }

    /** GET /api/streaming/mosaic-queue: the counts and the first 100 groups not finished yet, oldest first. */
    public record MosaicQueue(MosaicCounts counts, List<QueuedMosaicGroup> groups) {
    }

    /** Mosaic groups by status, and the ones not finished yet (oldest first). */
    public MosaicQueue mosaicQueue() {
        Map<String, Long> n = new HashMap<>();
        for (Map<String, Object> r : db.query("SELECT status, COUNT(*) AS n FROM mosaic_groups GROUP BY status")) {
            n.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        MosaicCounts counts = new MosaicCounts(n.getOrDefault("collecting", 0L), n.getOrDefault("ready", 0L),
                n.getOrDefault("building", 0L), n.getOrDefault("completed", 0L), n.getOrDefault("failed", 0L),
                n.values().stream().mapToLong(Long::longValue).sum());
        List<QueuedMosaicGroup> groups = db.query("SELECT id, status, tier, image_count, dec_deg, first_mjd, "
                + "last_mjd, created_at, updated_at FROM mosaic_groups WHERE status IN ('collecting', 'ready', "
                + "'building') ORDER BY created_at, id FETCH FIRST 100 ROWS ONLY").stream()
                .map(r -> new QueuedMosaicGroup(Rows.lng(r, "id"), Rows.str(r, "status"), Rows.str(r, "tier"),
                        Rows.integer(r, "image_count"), Rows.dbl(r, "dec_deg"), Rows.dbl(r, "first_mjd"),
                        Rows.dbl(r, "last_mjd"), (Instant) r.get("created_at"), (Instant) r.get("updated_at")))
                .toList();
        return new MosaicQueue(counts, groups);
    }
}
