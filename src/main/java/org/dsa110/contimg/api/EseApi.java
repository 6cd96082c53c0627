package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.products.EseCandidates;
import org.dsa110.contimg.store.Db;

/**
 * /api/ese/candidates, /api/ese-candidates/list, candidate review ({@code PATCH /api/ese/candidates/{id}} with
 * {@code {"status", "notes"}}) and /api/alerts/history.
 */
public class EseApi extends ApiRoutes {

    /** A review decision: status active | resolved | false_positive, optional notes. */
    public record StatusChange(String status, String notes) {
        public StatusChange {
            if (status == null || !EseCandidates.STATUSES.contains(status)) {
                throw new IllegalArgumentException("status must be one of active, resolved, false_positive");
            }
            if (notes != null && notes.length() > 10_000) {
                throw new IllegalArgumentException("notes must be at most 10000 characters");
            }
        }
    }

    @Override
    public void configure() {
        EseCandidates candidates = lookup("eseCandidates", EseCandidates.class);
        Db db = lookup("db", Db.class);

        get("/ese/candidates", "ese.candidates", "ESE candidates above a significance (ESECandidatesResponse)",
                req -> candidates.list(req.oneOf("status", null, "active", "resolved", "false_positive"),
                        req.doubleQuery("min_sigma", 5.0, 0, 1e6), req.intQuery("limit", 100, 1, 1000)))
                .queryEnum("status", null, "active", "resolved", "false_positive")
                .queryNumber("min_sigma", 5.0, 0, 1e6, null)
                .queryInt("limit", 100, 1, 1000);
        get("/ese-candidates/list", "ese.monitoring_list", "Monitoring list of ESE candidates (min_sigma 3)", req -> {
            String status = req.oneOf("status", "active", "active", "resolved", "false_positive", "all");
            double minSigma = req.doubleQuery("min_sigma", 3.0, 0, 1e6);
            Map<String, Object> out = new LinkedHashMap<>(candidates.list("all".equals(status) ? null : status,
                    minSigma, req.intQuery("limit", 500, 1, 5000)));
            out.put("status", status);
            out.put("min_sigma", minSigma);
            return out;
        })
                .queryEnum("status", "active", "active", "resolved", "false_positive", "all")
                .queryNumber("min_sigma", 3.0, 0, 1e6, null)
                .queryInt("limit", 500, 1, 5000);
        get("/ese/candidates/{candidate_id}", "ese.candidate", "One ESE candidate",
                req -> candidates.get(req.pathLong("candidate_id")));
        patch("/ese/candidates/{candidate_id}", "ese.candidate.status", "Review an ESE candidate (status, notes)",
                req -> {
                    long id = req.pathLong("candidate_id");
                    StatusChange c = req.body(StatusChange.class);
                    return candidates.setStatus(id, c.status(), c.notes());
                })
                .body(StatusChange.class);
        get("/alerts/history", "alerts.history", "ESE and system alert log, newest first (AlertHistory[])", req -> {
            List<Map<String, Object>> rows = db.query("SELECT id, source_id, alert_type, severity, message, "
                    + "triggered_at, resolved_at FROM alert_history ORDER BY triggered_at DESC, id DESC LIMIT ?",
                    req.intQuery("limit", 50, 1, 1000));
            return rows;
        })
                .queryInt("limit", 50, 1, 1000);
    }
}
