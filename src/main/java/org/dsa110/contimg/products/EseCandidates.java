package org.dsa110.contimg.products;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.store.Db;

/** ESE candidates as reviewed by people: listing and status changes (active / resolved / false_positive). */
public final class EseCandidates {
    public static final Set<String> STATUSES = Set.of("active", "resolved", "false_positive");

    private final Db db;
    private final EventBroadcaster events;

    public EseCandidates(Db db, EventBroadcaster events) {
        this.db = db;
        this.events = events;
    }

    /** ESECandidatesResponse: candidates with max σ deviation ≥ minSigma, most significant first. */
    public Map<String, Object> list(String status, double minSigma, int limit) {
        Rows.Where w = new Rows.Where().and("max_sigma_dev >= ?", minSigma)
                .andIf(status != null, "status = ?", status);
        long total = db.scalarLong("SELECT COUNT(*) FROM ese_candidates" + w.sql(), w.args().toArray());
        List<Map<String, Object>> rows = db.query("SELECT * FROM ese_candidates" + w.sql()
                + " ORDER BY max_sigma_dev DESC, id LIMIT ?", w.argsWith(limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidates", rows.stream().map(EseCandidates::json).toList());
        out.put("total", total);
        return out;
    }

    public Map<String, Object> get(long id) {
        return json(db.one("SELECT * FROM ese_candidates WHERE id = ?", id)
                .orElseThrow(() -> HubException.notFound("ESE candidate", id)));
    }

    /**
     * Sets a candidate's review status (and notes, when given). Leaving 'active' resolves the source's open ESE
     * alerts in the alert history; publishes {@code ese_update}.
     */
    public Map<String, Object> setStatus(long id, String status, String notes) {
        if (!STATUSES.contains(status)) {
            throw HubException.unprocessable("status must be one of active, resolved, false_positive",
                    Map.of("field", "status"));
        }
        Map<String, Object> c = db.inTransaction(() -> {
            Map<String, Object> before = get(id);
            db.update("UPDATE ese_candidates SET status = ?, notes = COALESCE(?, notes), "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ?", status, notes, id);
            if (!"active".equals(status)) {
                db.update("UPDATE alert_history SET resolved_at = ? WHERE source_id = ? AND alert_type = "
                        + "'ese_candidate' AND resolved_at IS NULL", Instant.now(), before.get("source_id"));
            }
            return get(id);
        });
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("action", "status");
        event.put("candidate_id", id);
        event.put("source_id", c.get("source_id"));
        event.put("status", status);
        events.publish("ese_update", event);
        return c;
    }

    static Map<String, Object> json(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : List.of("id", "source_id", "ra_deg", "dec_deg", "first_detection_at", "last_detection_at",
                "max_sigma_dev", "significance", "current_flux_jy", "baseline_flux_jy", "peak_flux_jy", "status",
                "flag_type", "composite_score", "confidence", "notes", "created_at", "updated_at")) {
            m.put(c, r.get(c));
        }
        return m;
    }
}
