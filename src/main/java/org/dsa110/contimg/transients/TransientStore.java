package org.dsa110.contimg.transients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
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

    private final Db db;

    public TransientStore(Db db) {
        this.db = db;
    }

    public List<Map<String, Object>> candidates(CandidateFilter f, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE COALESCE(c.sigma_var, c.snr, 0) >= ?");
        List<Object> args = new ArrayList<>(List.of(f.minSignificance()));
        and(where, args, "c.candidate_type", f.type());
        and(where, args, "c.alert_level", f.alertLevel());
        and(where, args, "c.classification", f.classification());
        and(where, args, "c.follow_up_status", f.followUpStatus());
        and(where, args, "c.image_id", f.imageId());
        args.add(limit);
        args.add(offset);
        List<Map<String, Object>> out = new ArrayList<>();
        db.query(CANDIDATE_SELECT + where + " ORDER BY c.detected_at DESC, c.id DESC LIMIT ? OFFSET ?",
                args.toArray()).forEach(r -> out.add(candidate(r)));
        return out;
    }

    public Map<String, Object> candidate(long id) {
        return candidate(db.one(CANDIDATE_SELECT + " WHERE c.id = ?", id)
                .orElseThrow(() -> HubException.notFound("transient candidate", id)));
    }

    public List<Map<String, Object>> alerts(String level, boolean acknowledged, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE a.acknowledged = ?");
        List<Object> args = new ArrayList<>(List.of(acknowledged));
        and(where, args, "a.alert_level", level);
        args.add(limit);
        args.add(offset);
        List<Map<String, Object>> out = new ArrayList<>();
        db.query(ALERT_SELECT + where + " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?", args.toArray())
                .forEach(r -> out.add(alert(r)));
        return out;
    }

    public Map<String, Object> alert(long id) {
        return alert(db.one(ALERT_SELECT + " WHERE a.id = ?", id)
                .orElseThrow(() -> HubException.notFound("transient alert", id)));
    }

    public Map<String, Object> classify(long id, String classification, String by, String notes) {
        candidate(id);
        Instant now = Instant.now();
        db.update("UPDATE transient_candidates SET classification = ?, classified_by = ?, classified_at = ?, "
                + "notes = COALESCE(?, notes) WHERE id = ?", classification, by, now, notes, id);
        return candidate(id);
    }

    public Map<String, Object> candidateFollowUp(long id, String status, String notes) {
        candidate(id);
        db.update("UPDATE transient_candidates SET follow_up_status = ?, notes = COALESCE(?, notes) WHERE id = ?",
                status, notes, id);
        return candidate(id);
    }

    public Map<String, Object> candidateNotes(long id, String notes, boolean append) {
        Map<String, Object> c = candidate(id);
        db.update("UPDATE transient_candidates SET notes = ? WHERE id = ?", merged(c.get("notes"), notes, append), id);
        return candidate(id);
    }

    public Map<String, Object> acknowledge(long id, String by, String notes) {
        alert(id);
        db.update("UPDATE transient_alerts SET acknowledged = TRUE, acknowledged_by = ?, "
                + "acknowledged_at = COALESCE(acknowledged_at, ?), notes = COALESCE(?, notes) WHERE id = ?", by,
                Instant.now(), notes, id);
        return alert(id);
    }

    public Map<String, Object> alertFollowUp(long id, String status, String notes) {
        alert(id);
        db.update("UPDATE transient_alerts SET follow_up_status = ?, notes = COALESCE(?, notes) WHERE id = ?",
                status, notes, id);
        return alert(id);
    }

    public Map<String, Object> alertNotes(long id, String notes, boolean append) {
        Map<String, Object> a = alert(id);
        db.update("UPDATE transient_alerts SET notes = ? WHERE id = ?", merged(a.get("notes"), notes, append), id);
        return alert(id);
    }

    /** Applies {@code action} to each id; ids that do not exist are reported, not fatal. */
    public Map<String, Object> bulk(List<Long> ids, java.util.function.LongConsumer action) {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("updated", done.size());
        out.put("updated_ids", done);
        out.put("not_found", missing);
        return out;
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

    private static Map<String, Object> candidate(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.get("id"));
        m.put("image_id", r.get("image_id"));
        m.put("image_path", r.get("image_path"));
        m.put("image_name", r.get("image_name"));
        m.put("source_id", r.get("source_id"));
        m.put("ra_deg", r.get("ra_deg"));
        m.put("dec_deg", r.get("dec_deg"));
        m.put("flux_jy", r.get("flux_jy"));
        m.put("flux_err_jy", r.get("flux_err_jy"));
        m.put("snr", r.get("snr"));
        m.put("baseline_flux_jy", r.get("baseline_flux_jy"));
        m.put("sigma_var", r.get("sigma_var"));
        m.put("significance", r.get("significance"));
        m.put("candidate_type", r.get("candidate_type"));
        m.put("detection_type", r.get("candidate_type"));
        m.put("alert_level", r.get("alert_level"));
        m.put("classification", r.get("classification"));
        m.put("classified_by", r.get("classified_by"));
        m.put("classified_at", r.get("classified_at"));
        m.put("follow_up_status", r.get("follow_up_status"));
        m.put("notes", r.get("notes"));
        m.put("detected_at", r.get("detected_at"));
        m.put("mjd", r.get("mjd"));
        return m;
    }

    private static Map<String, Object> alert(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.get("id"));
        m.put("candidate_id", r.get("candidate_id"));
        m.put("alert_level", r.get("alert_level"));
        m.put("message", r.get("message"));
        m.put("created_at", r.get("created_at"));
        m.put("acknowledged", r.get("acknowledged"));
        m.put("acknowledged_at", r.get("acknowledged_at"));
        m.put("acknowledged_by", r.get("acknowledged_by"));
        m.put("follow_up_status", r.get("follow_up_status"));
        m.put("notes", r.get("notes"));
        m.put("candidate_type", r.get("candidate_type"));
        m.put("source_id", r.get("source_id"));
        m.put("ra_deg", r.get("ra_deg"));
        m.put("dec_deg", r.get("dec_deg"));
        m.put("image_id", r.get("image_id"));
        m.put("flux_jy", r.get("flux_jy"));
        m.put("significance", r.get("significance"));
        m.put("classification", r.get("classification"));
        return m;
    }
}
