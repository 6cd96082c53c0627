package org.dsa110.contimg.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/**
 * The pipeline's state as the dashboard sees it, read from the store: queue counts by group state, the most
 * recent groups, calibration sets, and active ESE candidates. Shared by /api/status and the live channels.
 */
public final class StatusReport {
    private final Db db;
    private final SystemProbe system;

    public StatusReport(Db db, SystemProbe system) {
        this.db = db;
        this.system = system;
    }

    /**
     * QueueStats: every group ({@code total}, whatever its state) and the groups in each known state (zero when
     * none).
     */
    public record QueueCounts(long total, long collecting, long pending, long inProgress, long completed,
            long failed) {
    }

    public QueueCounts queueCounts() {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (Map<String, Object> row : db.query("SELECT state, COUNT(*) AS n FROM ingest_groups GROUP BY state")) {
            byState.put((String) row.get("state"), ((Number) row.get("n")).longValue());
        }
        return new QueueCounts(byState.values().stream().mapToLong(Long::longValue).sum(),
                byState.getOrDefault("collecting", 0L), byState.getOrDefault("pending", 0L),
                byState.getOrDefault("in_progress", 0L), byState.getOrDefault("completed", 0L),
                byState.getOrDefault("failed", 0L));
    }

    /** The most recent groups (QueueGroup), newest first, with their calibrator matches. */
    public List<Map<String, Object>> recentGroups(int limit) {
        List<Map<String, Object>> groups = db.query(
                "SELECT group_id, state, received_at, last_update, subbands_present, expected_subbands, "
                        + "has_calibrator FROM ingest_groups ORDER BY received_at DESC, group_id DESC "
                        + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY");
        for (Map<String, Object> g : groups) {
            List<Map<String, Object>> matches = db.query(
                    "SELECT name, ra_deg, dec_deg, sep_deg, weighted_flux FROM group_calibrator_matches "
                            + "WHERE group_id = ? ORDER BY weighted_flux DESC", g.get("group_id"));
            g.put("matches", matches.isEmpty() && !Boolean.TRUE.equals(g.get("has_calibrator")) ? null : matches);
        }
        return groups;
    }

    /** Active calibration sets with their table counts (CalibrationSet). */
    public List<Map<String, Object>> calibrationSets() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : db.query("SELECT set_name, cal_group_id, created_at FROM calibration_sets "
                + "WHERE active = TRUE ORDER BY created_at DESC")) {
            List<Map<String, Object>> tables = db.query(
                    "SELECT path, status FROM caltables WHERE set_name = ? ORDER BY order_index", s.get("set_name"));
            Map<String, Object> set = new LinkedHashMap<>(s);
            set.put("tables", tables.stream().map(t -> t.get("path")).toList());
            set.put("active", tables.stream().filter(t -> "active".equals(t.get("status"))).count());
            set.put("total", tables.size());
            out.add(set);
        }
        return out;
    }

    /** PipelineStatus. */
    public Map<String, Object> pipelineStatus() {
        return pipelineStatus(20);
    }

    /** PipelineStatus with the {@code recentLimit} most recent groups. */
    public Map<String, Object> pipelineStatus(int recentLimit) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("queue", queueCounts());
        List<Map<String, Object>> recent = recentGroups(recentLimit);
        p.put("recent_groups", recent);
        p.put("calibration_sets", calibrationSets());
        p.put("matched_recent", recent.stream().filter(g -> Boolean.TRUE.equals(g.get("has_calibrator"))).count());
        return p;
    }

    /** Active ESE candidates: count and the ten most significant. */
    public Map<String, Object> eseSummary() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("active_count", db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE status = 'active'"));
        e.put("candidates", db.query("SELECT id, source_id, ra_deg, dec_deg, max_sigma_dev, status, "
                + "last_detection_at FROM ese_candidates WHERE status = 'active' "
                + "ORDER BY max_sigma_dev DESC FETCH FIRST 10 ROWS ONLY"));
        return e;
    }

    /** The data of a status_update message. */
    public Map<String, Object> liveStatus() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pipeline_status", pipelineStatus());
        d.put("metrics", system.snapshot());
        d.put("ese_candidates", eseSummary());
        return d;
    }
}
