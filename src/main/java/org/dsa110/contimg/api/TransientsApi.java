package org.dsa110.contimg.api;

import java.util.List;
import java.util.Map;
import org.dsa110.contimg.transients.TransientStore;

/**
 * /api/candidates* and /api/alerts* (image-plane transient candidates and their alerts; the legacy
 * /api/transients/... paths reach them through {@link LegacyAliases}). /api/alerts/history is EseApi's.
 */
public class TransientsApi extends ApiRoutes {

    public record ClassifyRequest(String classification, String classifiedBy, String notes) {
        public ClassifyRequest {
            oneOf("classification", classification, TransientStore.CLASSIFICATIONS);
            required("classified_by", classifiedBy);
        }
    }

    public record FollowUpRequest(String status, String notes) {
        public FollowUpRequest {
            oneOf("status", status, TransientStore.FOLLOW_UP);
        }
    }

    public record NotesRequest(String notes, Boolean append) {
        public NotesRequest {
            if (notes == null) {
                throw new IllegalArgumentException("notes is required");
            }
        }
    }

    public record AcknowledgeRequest(String acknowledgedBy, String notes) {
        public AcknowledgeRequest {
            required("acknowledged_by", acknowledgedBy);
        }
    }

    public record BulkClassifyRequest(List<Long> candidateIds, String classification, String classifiedBy,
                                      String notes) {
        public BulkClassifyRequest {
            ids("candidate_ids", candidateIds);
            oneOf("classification", classification, TransientStore.CLASSIFICATIONS);
            required("classified_by", classifiedBy);
        }
    }

    public record BulkAcknowledgeRequest(List<Long> alertIds, String acknowledgedBy, String notes) {
        public BulkAcknowledgeRequest {
            ids("alert_ids", alertIds);
            required("acknowledged_by", acknowledgedBy);
        }
    }

    static void oneOf(String name, String v, List<String> allowed) {
        if (v == null || !allowed.contains(v)) {
            throw new IllegalArgumentException(name + " must be one of " + allowed + (v == null ? "" : ", got '"
                    + v + "'"));
        }
    }

    static void required(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    static void ids(String name, List<Long> ids) {
        if (ids == null || ids.isEmpty() || ids.size() > 1000 || ids.contains(null)) {
            throw new IllegalArgumentException(name + " must be a list of 1 to 1000 ids");
        }
    }

    @Override
    public void configure() {
        TransientStore store = lookup("transientStore", TransientStore.class);

        get("/candidates", "candidates.list", "Transient candidates, newest first (TransientCandidateResponse[])",
                req -> {
                    String type = req.oneOf("detection_type", null, TransientStore.TYPES.toArray(new String[0]));
                    String level = req.oneOf("alert_level", null, TransientStore.LEVELS.toArray(new String[0]));
                    String cls = req.oneOf("classification", null,
                            TransientStore.CLASSIFICATIONS.toArray(new String[0]));
                    String follow = req.oneOf("follow_up_status", null,
                            TransientStore.FOLLOW_UP.toArray(new String[0]));
                    String image = req.query("image_id");
                    Long imageId = image == null ? null : (long) req.intQuery("image_id", 0, 1, Integer.MAX_VALUE);
                    return store.candidates(new TransientStore.CandidateFilter(
                            req.doubleQuery("min_significance", 5.0, 0, 1e9), type, level, cls, follow, imageId),
                            req.intQuery("limit", 50, 1, 1000), req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
                })
                .queryString("detection_type", null)
                .queryString("alert_level", null)
                .queryString("classification", null)
                .queryString("follow_up_status", null)
                .queryString("image_id", null)
                .queryNumber("min_significance", 5.0, 0, 1e9, null)
                .queryInt("limit", 50, 1, 1000)
                .queryInt("offset", 0, 0, Integer.MAX_VALUE);
        post("/candidates/bulk-classify", "candidates.bulk.classify", "Classify several candidates", req -> {
            BulkClassifyRequest b = req.body(BulkClassifyRequest.class);
            return store.bulk(b.candidateIds(), id -> store.classify(id, b.classification(), b.classifiedBy(),
                    b.notes()));
        })
                .body(BulkClassifyRequest.class);
        get("/candidates/{candidate_id}", "candidates.get", "One transient candidate",
                req -> store.candidate(req.pathLong("candidate_id")));
        put("/candidates/{candidate_id}/classify", "candidates.classify",
                "Classify a candidate (real, artifact, variable, uncertain)", req -> {
                    long id = req.pathLong("candidate_id");
                    ClassifyRequest b = req.body(ClassifyRequest.class);
                    return message("Candidate classified", "candidate",
                            store.classify(id, b.classification(), b.classifiedBy(), b.notes()));
                })
                .body(ClassifyRequest.class);
        put("/candidates/{candidate_id}/follow-up", "candidates.followup",
                "Follow-up status of a candidate (pending, scheduled, completed, declined)", req -> {
                    long id = req.pathLong("candidate_id");
                    FollowUpRequest b = req.body(FollowUpRequest.class);
                    return message("Follow-up status updated", "candidate",
                            store.candidateFollowUp(id, b.status(), b.notes()));
                })
                .body(FollowUpRequest.class);
        put("/candidates/{candidate_id}/notes", "candidates.notes", "Notes of a candidate (replace or append)",
                req -> {
                    long id = req.pathLong("candidate_id");
                    NotesRequest b = req.body(NotesRequest.class);
                    return message("Notes updated", "candidate",
                            store.candidateNotes(id, b.notes(), Boolean.TRUE.equals(b.append())));
                })
                .body(NotesRequest.class);

        get("/alerts", "alerts.list", "Transient alerts, newest first (TransientAlertResponse[])", req -> {
            String level = req.oneOf("alert_level", null, TransientStore.LEVELS.toArray(new String[0]));
            return store.alerts(level, req.boolQuery("acknowledged", false), req.intQuery("limit", 50, 1, 1000),
                    req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
        })
                .queryString("alert_level", null)
                .queryBool("acknowledged", null)
                .queryInt("limit", 50, 1, 1000)
                .queryInt("offset", 0, 0, Integer.MAX_VALUE);
        post("/alerts/bulk-acknowledge", "alerts.bulk.acknowledge", "Acknowledge several alerts", req -> {
            BulkAcknowledgeRequest b = req.body(BulkAcknowledgeRequest.class);
            return store.bulk(b.alertIds(), id -> store.acknowledge(id, b.acknowledgedBy(), b.notes()));
        })
                .body(BulkAcknowledgeRequest.class);
        get("/alerts/{alert_id}", "alerts.get", "One transient alert", req -> store.alert(req.pathLong("alert_id")));
        put("/alerts/{alert_id}/acknowledge", "alerts.acknowledge", "Acknowledge an alert", req -> {
            long id = req.pathLong("alert_id");
            AcknowledgeRequest b = req.body(AcknowledgeRequest.class);
            return message("Alert acknowledged", "alert", store.acknowledge(id, b.acknowledgedBy(), b.notes()));
        })
                .body(AcknowledgeRequest.class);
        put("/alerts/{alert_id}/follow-up", "alerts.followup", "Follow-up status of an alert", req -> {
            long id = req.pathLong("alert_id");
            FollowUpRequest b = req.body(FollowUpRequest.class);
            return message("Follow-up status updated", "alert", store.alertFollowUp(id, b.status(), b.notes()));
        })
                .body(FollowUpRequest.class);
        put("/alerts/{alert_id}/notes", "alerts.notes", "Notes of an alert (replace or append)", req -> {
            long id = req.pathLong("alert_id");
            NotesRequest b = req.body(NotesRequest.class);
            return message("Notes updated", "alert", store.alertNotes(id, b.notes(), Boolean.TRUE.equals(b.append())));
        })
                .body(NotesRequest.class);
    }

    private static Map<String, Object> message(String message, String key, Map<String, Object> value) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("status", "success");
        out.put("message", message);
        out.put(key, value);
        return out;
    }
}
