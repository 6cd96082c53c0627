package org.dsa110.contimg.api;

import java.util.List;
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

    /** GET /api/ese-candidates/list: the list with the filter it applied. */
    public record MonitoringList(List<EseCandidates.Candidate> candidates, long total, String status,
            double minSigma) {
    }

    /** One row of the alert log; {@code resolved_at} null while open. */
    public record AlertHistory(long id, String sourceId, String alertType, String severity, String message,
            java.time.Instant triggeredAt, java.time.Instant resolvedAt) {
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
                .queryInt("limit", 100, 1, 1000).returns(EseCandidates.CandidateList.class)
                .example("{\"candidates\": [{\"id\": 7, \"source_id\": \"NVSS J083452.1+553412\", \"ra_deg\": "
                        + "128.71708, \"dec_deg\": 55.57, \"first_detection_at\": \"2026-01-12T08:31:40Z\", "
                        + "\"last_detection_at\": \"2026-01-16T08:46:11Z\", \"max_sigma_dev\": 7.4, "
                        + "\"significance\": 6.1, \"current_flux_jy\": 0.0412, \"baseline_flux_jy\": 0.0635, "
                        + "\"peak_flux_jy\": 0.0671, \"status\": \"active\", \"flag_type\": \"auto\", "
                        + "\"composite_score\": 6.8, \"confidence\": \"medium\", \"notes\": null, "
                        + "\"created_at\": \"2026-01-14T09:05:02Z\", \"updated_at\": \"2026-01-16T09:04:51Z\"}], "
                        + "\"total\": 1}");
        get("/ese-candidates/list", "ese.monitoring_list", "Monitoring list of ESE candidates (min_sigma 3)", req -> {
            String status = req.oneOf("status", "active", "active", "resolved", "false_positive", "all");
            double minSigma = req.doubleQuery("min_sigma", 3.0, 0, 1e6);
            EseCandidates.CandidateList list = candidates.list("all".equals(status) ? null : status, minSigma,
                    req.intQuery("limit", 500, 1, 5000));
            return new MonitoringList(list.candidates(), list.total(), status, minSigma);
        })
                .queryEnum("status", "active", "active", "resolved", "false_positive", "all")
                .queryNumber("min_sigma", 3.0, 0, 1e6, null)
                .queryInt("limit", 500, 1, 5000).returns(MonitoringList.class);
        get("/ese/candidates/{candidate_id}", "ese.candidate", "One ESE candidate",
                req -> candidates.get(req.pathLong("candidate_id"))).returns(EseCandidates.Candidate.class);
        patch("/ese/candidates/{candidate_id}", "ese.candidate.status", "Review an ESE candidate (status, notes)",
                req -> {
                    long id = req.pathLong("candidate_id");
                    StatusChange c = req.body(StatusChange.class);
                    return candidates.setStatus(id, c.status(), c.notes());
                })
                .body(StatusChange.class).returns(EseCandidates.Candidate.class);
        get("/alerts/history", "alerts.history", "ESE and system alert log, newest first (AlertHistory[])", req -> {
            return db.query("SELECT id, source_id, alert_type, severity, message, triggered_at, resolved_at FROM "
                    + "alert_history ORDER BY triggered_at DESC, id DESC LIMIT ?", req.intQuery("limit", 50, 1, 1000))
                    .stream().map(r -> new AlertHistory(((Number) r.get("id")).longValue(), (String) r.get("source_id"),
                            (String) r.get("alert_type"), (String) r.get("severity"), (String) r.get("message"),
                            (java.time.Instant) r.get("triggered_at"), (java.time.Instant) r.get("resolved_at")))
                    .toList();
        })
                .queryInt("limit", 50, 1, 1000).returnsList(AlertHistory.class);
    }
}
