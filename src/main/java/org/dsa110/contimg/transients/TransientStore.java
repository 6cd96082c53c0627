package org.dsa110.contimg.transients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/**
 * Transient candidates and alerts as the API reads and changes them: lists with filters, detail, classification,
 * follow-up, notes, acknowledgement and their bulk forms. A candidate's {@code significance} is its S/N for a new
 * source, else its σ_var.
 */
public final class TransientStore {
    public static final List<String> TYPES = List.of("new", "brightening", "fading", "variable");
    public static final List<String> LEVELS = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");
    public static final List<String> CLASSIFICATIONS = List.of("real", "artifact", "variable", "uncertain");
    public static final List<String> FOLLOW_UP = List.of("pending", "scheduled", "completed", "declined");

    private static final String CANDIDATE_SELECT = "SELECT c.*, COALESCE(c.sigma_var, c.snr) AS significance, "
            + "i.path AS image_path, i.name AS image_name FROM transient_candidates c "
            + "LEFT JOIN images i ON i.id = c.image_id";
    private static final String ALERT_SELECT = "SELECT a.*, c.candidate_type, c.source_id, c.ra_deg, c.dec_deg, "
            + "c.image_id, c.flux_jy, COALESCE(c.sigma_var, c.snr) AS significance, c.classification "
            + "FROM transient_alerts a JOIN transient_candidates c ON c.id = a.candidate_id";

    /** Filters of the candidate list (null = any). */
    public record CandidateFilter(double minSignificance, String type, String alertLevel, String classification,
                                  String followUpStatus, Long imageId) {
    }

    /**
     * TransientCandidateResponse. {@code significance} is {@code sigma_var} or else {@code snr};
     * {@code detection_type} repeats {@code candidate_type} under the earlier backend's name.
     */
    public record Candidate(long id, Long imageId, String imagePath, String imageName, String sourceId, Double raDeg,
            Double decDeg, Double fluxJy, Double fluxErrJy, Double snr, Double baselineFluxJy, Double sigmaVar,
            Double significance, String candidateType, String detectionType, String alertLevel,
            String classification, String classifiedBy, Instant classifiedAt, String followUpStatus, String notes,
            Instant detectedAt, Double mjd) {
    }

    /** TransientAlertResponse: the alert with the fields of its candidate the alert list shows. */
    public record Alert(long id, Long candidateId, String alertLevel, String message, Instant createdAt,
            boolean acknowledged, Instant acknowledgedAt, String acknowledgedBy, String followUpStatus, String notes,
            String candidateType, String sourceId, Double raDeg, Double decDeg, Long imageId, Double fluxJy,
            Double significance, String classification) {
    }

    /** The outcome of a bulk action: how many ids were changed, which, and which do not exist. */
    public record BulkResult(int updated, List<Long> updatedIds, List<Long> notFound) {
    }

    private final Db db;

    public TransientStore(Db db) {
        this.db = db;
    }

    public List<Candidate> candidates(CandidateFilter f, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE COALESCE(c.sigma_var, c.snr, 0) >= ?");
        List<Object> args = new ArrayList<>(List.of(f.minSignificance()));
        and(where, args, "c.candidate_type", f.type());
        and(where, args, "c.alert_level", f.alertLevel());
        and(where, args, "c.classification", f.classification());
        and(where, args, "c.follow_up_status", f.followUpStatus());
        and(where, args, "c.image_id", f.imageId());
        args.add(limit);
        args.add(offset);
        List<Candidate> out = new ArrayList<>();
        db.query(CANDIDATE_SELECT + where + " ORDER BY c.detected_at DESC, c.id DESC LIMIT ? OFFSET ?",
                args.toArray()).forEach(r -> out.add(candidate(r)));
        return out;
    }

    public Candidate candidate(long id) {
        return candidate(db.one(CANDIDATE_SELECT + " WHERE c.id = ?", id)
                .orElseThrow(() -> HubException.notFound("transient candidate", id)));
    }

    public List<Alert> alerts(String level, boolean acknowledged, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE a.acknowledged = ?");
        List<Object> args = new ArrayList<>(List.of(acknowledged));
        and(where, args, "a.alert_level", level);
        args.add(limit);
        args.add(offset);
        List<Alert> out = new ArrayList<>();
        db.query(ALERT_SELECT + where + " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?", args.toArray())
                .forEach(r -> out.add(alert(r)));
        return out;
    }

    public Alert alert(long id) {
        return alert(db.one(ALERT_SELECT + " WHERE a.id = ?", id)
                .orElseThrow(() -> HubException.notFound("transient alert", id)));
    }

    public Candidate classify(long id, String classification, String by, String notes) {
        candidate(id);
        Instant now = Instant.now();
        db.update("UPDATE transient_candidates SET classification = ?, classified_by = ?, classified_at = ?, "
                + "notes = COALESCE(?, notes) WHERE id = ?", classification, by, now, notes, id);
        return candidate(id);
    }

    public Candidate candidateFollowUp(long id, String status, String notes) {
        candidate(id);
        db.update("UPDATE transient_candidates SET follow_up_status = ?, notes = COALESCE(?, notes) WHERE id = ?",
                status, notes, id);
        return candidate(id);
    }

    public Candidate candidateNotes(long id, String notes, boolean append) {
        Candidate c = candidate(id);
        db.update("UPDATE transient_candidates SET notes = ? WHERE id = ?", merged(c.notes(), notes, append), id);
        return candidate(id);
    }

    public Alert acknowledge(long id, String by, String notes) {
        alert(id);
        db.update("UPDATE transient_alerts SET acknowledged = TRUE, acknowledged_by = ?, "
                + "acknowledged_at = COALESCE(acknowledged_at, ?), notes = COALESCE(?, notes) WHERE id = ?", by,
                Instant.now(), notes, id);
        return alert(id);
    }

    public Alert alertFollowUp(long id, String status, String notes) {
        alert(id);
        db.update("UPDATE transient_alerts SET follow_up_status = ?, notes = COALESCE(?, notes) WHERE id = ?",
                status, notes, id);
        return alert(id);
    }

    public Alert alertNotes(long id, String notes, boolean append) {
        Alert a = alert(id);
        db.update("UPDATE transient_alerts SET notes = ? WHERE id = ?", merged(a.notes(), notes, append), id);
        return alert(id);
    }

    /** Applies {@code action} to each id; ids that do not exist are reported, not fatal. */
    public BulkResult bulk(List<Long> ids, java.util.function.LongConsumer action) {
        List<Long> done = new ArrayList<>();
        List<Long> missing = new ArrayList<>();
        db.inTransaction(() -> {
            for (Long id : ids) {
                try {
                    action.accept(id);
                    done.add(id);
                } catch (HubException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                    missing.add(id);
                }
            }
        });
        return new BulkResult(done.size(), done, missing);
    }

    private static String merged(Object old, String notes, boolean append) {
        if (!append || old == null || old.toString().isEmpty()) {
            return notes;
        }
        return old + "\n" + notes;
    }

    private static void and(StringBuilder where, List<Object> args, String column, Object value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static Candidate candidate(Map<String, Object> r) {
        return new Candidate(Rows.lng(r, "id"), Rows.lng(r, "image_id"), Rows.str(r, "image_path"),
                Rows.str(r, "image_name"), Rows.str(r, "source_id"), Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"),
                Rows.dbl(r, "flux_jy"), Rows.dbl(r, "flux_err_jy"), Rows.dbl(r, "snr"),
                Rows.dbl(r, "baseline_flux_jy"), Rows.dbl(r, "sigma_var"), Rows.dbl(r, "significance"),
                Rows.str(r, "candidate_type"), Rows.str(r, "candidate_type"), Rows.str(r, "alert_level"),
                Rows.str(r, "classification"), Rows.str(r, "classified_by"), (Instant) r.get("classified_at"),
                Rows.str(r, "follow_up_status"), Rows.str(r, "notes"), (Instant) r.get("detected_at"),
                Rows.dbl(r, "mjd"));
    }

    private static Alert alert(Map<String, Object> r) {
        return new Alert(Rows.lng(r, "id"), Rows.lng(r, "candidate_id"), Rows.str(r, "alert_level"),
                Rows.str(r, "message"), (Instant) r.get("created_at"), Rows.bool(r, "acknowledged"),
                (Instant) r.get("acknowledged_at"), Rows.str(r, "acknowledged_by"), Rows.str(r, "follow_up_status"),
                Rows.str(r, "notes"), Rows.str(r, "candidate_type"), Rows.str(r, "source_id"),
                Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"), Rows.lng(r, "image_id"), Rows.dbl(r, "flux_jy"),
                Rows.dbl(r, "significance"), Rows.str(r, "classification"));
    }
}
