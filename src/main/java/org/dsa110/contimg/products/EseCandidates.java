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

    /**
     * An ESE candidate: {@code significance} the current σ deviation, {@code composite_score} 0-10,
     * {@code flag_type} auto or manual.
     */
    public record Candidate(long id, String sourceId, double raDeg, double decDeg, Instant firstDetectionAt,
            Instant lastDetectionAt, double maxSigmaDev, double significance, Double currentFluxJy,
            Double baselineFluxJy, Double peakFluxJy, String status, String flagType, Double compositeScore,
            String confidence, String notes, Instant createdAt, Instant updatedAt) {
    }

    /** ESECandidatesResponse; {@code total} counts every match, {@code candidates} the first {@code limit}. */
    public record CandidateList(List<Candidate> candidates, long total) {
    }

    /** ESECandidatesResponse: candidates with max σ deviation ≥ minSigma, most significant first. */
    public CandidateList list(String status, double minSigma, int limit) {
        Rows.Where w = new Rows.Where().and("max_sigma_dev >= ?", minSigma)
                .andIf(status != null, "status = ?", status);
        long total = db.scalarLong("SELECT COUNT(*) FROM ese_candidates" + w.sql(), w.args().toArray());
        List<Map<String, Object>> rows = db.query("SELECT * FROM ese_candidates" + w.sql()
                + " ORDER BY max_sigma_dev DESC, id LIMIT ?", w.argsWith(limit));
        return new CandidateList(rows.stream().map(EseCandidates::json).toList(), total);
    }

    public Candidate get(long id) {
        return json(db.one("SELECT * FROM ese_candidates WHERE id = ?", id)
                .orElseThrow(() -> HubException.notFound("ESE candidate", id)));
    }

    /**
     * Sets a candidate's review status (and notes, when given). Leaving 'active' resolves the source's open ESE
     * alerts in the alert history; publishes {@code ese_update}.
     */
    public Candidate setStatus(long id, String status, String notes) {
        if (!STATUSES.contains(status)) {
            throw HubException.unprocessable("status must be one of active, resolved, false_positive",
                    Map.of("field", "status"));
        }
        Candidate c = db.inTransaction(() -> {
            Candidate before = get(id);
            db.update("UPDATE ese_candidates SET status = ?, notes = COALESCE(?, notes), "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ?", status, notes, id);
            if (!"active".equals(status)) {
                db.update("UPDATE alert_history SET resolved_at = ? WHERE source_id = ? AND alert_type = "
                        + "'ese_candidate' AND resolved_at IS NULL", Instant.now(), before.sourceId());
            }
            return get(id);
        });
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("action", "status");
        event.put("candidate_id", id);
        event.put("source_id", c.sourceId());
        event.put("status", status);
        events.publish("ese_update", event);
        return c;
    }

    static Candidate json(Map<String, Object> r) {
        return new Candidate(Rows.lng(r, "id"), Rows.str(r, "source_id"), Rows.dbl(r, "ra_deg"),
                Rows.dbl(r, "dec_deg"), (Instant) r.get("first_detection_at"), (Instant) r.get("last_detection_at"),
                Rows.dbl(r, "max_sigma_dev"), Rows.dbl(r, "significance"), Rows.dbl(r, "current_flux_jy"),
                Rows.dbl(r, "baseline_flux_jy"), Rows.dbl(r, "peak_flux_jy"), Rows.str(r, "status"),
                Rows.str(r, "flag_type"), Rows.dbl(r, "composite_score"), Rows.str(r, "confidence"),
                Rows.str(r, "notes"), (Instant) r.get("created_at"), (Instant) r.get("updated_at"));
    }
}
