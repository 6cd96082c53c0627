package org.dsa110.contimg.monitoring;

import org.dsa110.contimg.ops.breakers.Breakers;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/**
 * One call the dashboard's landing page renders: queue counts, the newest group and image, active ESE
 * candidates, DLQ items waiting, open breakers, free space on the data volume, and activity of the last hours.
 */
public final class DashboardSummary {
    private final Db db;
    private final StatusReport status;
    private final Breakers breakers;
    private final Volumes volumes;
    private final HubSettings settings;

    public DashboardSummary(Db db, StatusReport status, Breakers breakers, Volumes volumes, HubSettings settings) {
        this.db = db;
        this.status = status;
        this.breakers = breakers;
        this.volumes = volumes;
        this.settings = settings;
    }

    /** GET /api/dashboard/summary. */
    public record LandingSummary(Instant timestamp, StatusReport.QueueCounts queue, LastGroup lastGroup,
            LastImage lastImage, EseCount eseCandidates, DlqWaiting dlq, Breakers.BreakerCounts breakers, Disk disk,
            RecentActivity recent) {
    }

    /** The group received last (null on an empty hub). */
    public record LastGroup(String groupId, String state, Instant receivedAt, Instant lastUpdate, int subbandsPresent,
            int expectedSubbands, Boolean hasCalibrator, String error) {
    }

    /** The image made last (null when there is none). */
    public record LastImage(long id, String name, String path, String type, String groupId, Instant createdAt,
            Double noiseJy, Double peakFluxJy, Double dynamicRange) {
    }

    public record EseCount(long active) {
    }

    /** DLQ items waiting for an operator or a retry. */
    public record DlqWaiting(long pending, long retrying) {
    }

    /** The volume holding the data directory; its figures are null when the volume cannot be read. */
    public record Disk(String path, String mountPoint, Long freeBytes, Long totalBytes, Double freeGb,
            Double percentUsed) {
    }

    /** Activity of the last {@code hours}. */
    public record RecentActivity(int hours, long groupsReceived, long groupsCompleted, long groupsFailed,
            long imagesCreated, long events) {
    }

    /** GET /api/stats. */
    public record HubStats(Instant timestamp, StatusReport.QueueCounts queue, DlqCounts dlq, TaskCounts tasks,
            HubCache.Stats cache, EventLog.EventStats events, RateLimiter.RateLimitStats rateLimiting) {
    }

    /** DLQ items: all of them and those in each status. */
    public record DlqCounts(long total, long pending, long retrying, long resolved, long failed) {
    }

    /** Tasks: all of them and those in each status. */
    public record TaskCounts(long total, long pending, long claimed, long running, long completed, long failed,
            long cancelled, long retrying, long blocked) {
    }

    public LandingSummary summary(int hours) {
        Instant since = Instant.now().minus(Duration.ofHours(hours));
        LastGroup group = db.one("SELECT group_id, state, received_at, last_update, subbands_present, "
                + "expected_subbands, has_calibrator, error FROM ingest_groups "
                + "ORDER BY received_at DESC, group_id DESC FETCH FIRST 1 ROWS ONLY")
                .map(r -> new LastGroup(Rows.str(r, "group_id"), Rows.str(r, "state"), (Instant) r.get("received_at"),
                        (Instant) r.get("last_update"), Rows.integer(r, "subbands_present"),
                        Rows.integer(r, "expected_subbands"), (Boolean) r.get("has_calibrator"), Rows.str(r, "error")))
                .orElse(null);
        LastImage image = db.one("SELECT id, name, path, type, group_id, created_at, noise_jy, peak_flux_jy, "
                + "dynamic_range FROM images ORDER BY created_at DESC, id DESC FETCH FIRST 1 ROWS ONLY")
                .map(r -> new LastImage(Rows.lng(r, "id"), Rows.str(r, "name"), Rows.str(r, "path"),
                        Rows.str(r, "type"), Rows.str(r, "group_id"), (Instant) r.get("created_at"),
                        Rows.dbl(r, "noise_jy"), Rows.dbl(r, "peak_flux_jy"), Rows.dbl(r, "dynamic_range")))
                .orElse(null);
        Volumes.DiskInfo v = volumes.volumeOf(settings.dataDir());
        Disk disk = new Disk(settings.dataDir().toString(), v == null ? null : v.mountPoint(),
                v == null ? null : v.free(), v == null ? null : v.total(),
                v == null ? null : Math.round(v.free() / 1e7) / 100.0, v == null ? null : v.percent());
        RecentActivity recent = new RecentActivity(hours,
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE received_at >= ?", since),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed' AND completed_at >= ?",
                        since),
                db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'failed' AND completed_at >= ?", since),
                db.scalarLong("SELECT COUNT(*) FROM images WHERE created_at >= ?", since),
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", since));
        return new LandingSummary(Instant.now(), status.queueCounts(), group, image,
                new EseCount(db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE status = 'active'")),
                new DlqWaiting(db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'pending'"),
                        db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'retrying'")),
                breakers.summary(), disk, recent);
    }

    /** /api/stats: queue, DLQ, tasks, cache, events and rate-limit figures in one body. */
    public HubStats stats(HubCache cache, EventLog events, RateLimiter limiter) {
        Map<String, Long> dlq = countsBy("dlq_items", "status");
        Map<String, Long> tasks = countsBy("tasks", "status");
        return new HubStats(Instant.now(), status.queueCounts(),
                new DlqCounts(total(dlq), n(dlq, "pending"), n(dlq, "retrying"), n(dlq, "resolved"), n(dlq, "failed")),
                new TaskCounts(total(tasks), n(tasks, "pending"), n(tasks, "claimed"), n(tasks, "running"),
                        n(tasks, "completed"), n(tasks, "failed"), n(tasks, "cancelled"), n(tasks, "retrying"),
                        n(tasks, "blocked")),
                cache.stats(), events.stats(), limiter.stats(0));
    }

    /** Rows per value of {@code column}. */
    private Map<String, Long> countsBy(String table, String column) {
        Map<String, Long> found = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT " + column + " AS v, COUNT(*) AS n FROM " + table
                + " GROUP BY " + column)) {
            found.put(String.valueOf(r.get("v")), ((Number) r.get("n")).longValue());
        }
        return found;
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The count of {@code value}, zero when none. */
    private static long n(Map<String, Long> counts, String value) {
        return counts.getOrDefault(value, 0L);
    }
}
