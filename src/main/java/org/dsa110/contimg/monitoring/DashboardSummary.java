package org.dsa110.contimg.monitoring;

import org.dsa110.contimg.ops.breakers.Breakers;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.StatusReport;
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

    public Map<String, Object> summary(int hours) {
        Instant since = Instant.now().minus(Duration.ofHours(hours));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.now());
        m.put("queue", status.queueStats());
        m.put("last_group", db.one("SELECT group_id, state, received_at, last_update, subbands_present, "
                + "expected_subbands, has_calibrator, error FROM ingest_groups "
                + "ORDER BY received_at DESC, group_id DESC FETCH FIRST 1 ROWS ONLY").orElse(null));
        m.put("last_image", db.one("SELECT id, name, path, type, group_id, created_at, noise_jy, peak_flux_jy, "
                + "dynamic_range FROM images ORDER BY created_at DESC, id DESC FETCH FIRST 1 ROWS ONLY").orElse(null));
        Map<String, Object> ese = new LinkedHashMap<>();
        ese.put("active", db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE status = 'active'"));
        m.put("ese_candidates", ese);
        Map<String, Object> dlq = new LinkedHashMap<>();
        dlq.put("pending", db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'pending'"));
        dlq.put("retrying", db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'retrying'"));
        m.put("dlq", dlq);
        Map<String, Object> b = breakers.summary();
        b.remove("half_open");
        m.put("breakers", b);
        Volumes.DiskInfo v = volumes.volumeOf(settings.dataDir());
        Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("path", settings.dataDir().toString());
        disk.put("mount_point", v == null ? null : v.mountPoint());
        disk.put("free_bytes", v == null ? null : v.free());
        disk.put("total_bytes", v == null ? null : v.total());
        disk.put("free_gb", v == null ? null : Math.round(v.free() / 1e7) / 100.0);
        disk.put("percent_used", v == null ? null : v.percent());
        m.put("disk", disk);
        Map<String, Object> recent = new LinkedHashMap<>();
        recent.put("hours", hours);
        recent.put("groups_received", db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE received_at >= ?", since));
        recent.put("groups_completed", db.scalarLong(
                "SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed' AND completed_at >= ?", since));
        recent.put("groups_failed", db.scalarLong(
                "SELECT COUNT(*) FROM ingest_groups WHERE state = 'failed' AND completed_at >= ?", since));
        recent.put("images_created", db.scalarLong("SELECT COUNT(*) FROM images WHERE created_at >= ?", since));
        recent.put("events", db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", since));
        m.put("recent", recent);
        return m;
    }

    /** /api/stats: queue, DLQ, tasks, cache, events and rate-limit figures in one body. */
    public Map<String, Object> stats(HubCache cache, EventLog events, RateLimiter limiter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.now());
        m.put("queue", status.queueStats());
        m.put("dlq", countsBy("dlq_items", "status", "pending", "retrying", "resolved", "failed"));
        m.put("tasks", countsBy("tasks", "status", "pending", "claimed", "running", "completed", "failed",
                "cancelled", "retrying", "blocked"));
        m.put("cache", cache.stats());
        m.put("events", events.stats());
        m.put("rate_limiting", limiter.stats(0));
        return m;
    }

    /** total plus a count for each listed value of {@code column} (zero when none). */
    private Map<String, Object> countsBy(String table, String column, String... values) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> found = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT " + column + " AS v, COUNT(*) AS n FROM " + table
                + " GROUP BY " + column)) {
            found.put(String.valueOf(r.get("v")), ((Number) r.get("n")).longValue());
        }
        m.put("total", found.values().stream().mapToLong(Long::longValue).sum());
        for (String v : values) {
            m.put(v, found.getOrDefault(v, 0L));
        }
        return m;
    }
}
