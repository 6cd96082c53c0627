package org.dsa110.contimg.api;

import java.util.List;
import org.dsa110.contimg.transients.TransientStore;

/**
 * /api/candidates* and /api/alerts* (image-plane transient candidates and their alerts; the legacy
 * /api/transients/... paths reach them through {@link LegacyAliases}). /api/alerts/history is EseApi's.
 */
public class TransientsApi extends ApiRoutes {
    private static final String SUCCESS = "success";

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

    /** A changed candidate: {@code status} is always "success". */
    public record CandidateUpdated(String status, String message, TransientStore.Candidate candidate) {
    }

    /** A changed alert: {@code status} is always "success". */
    public record AlertUpdated(String status, String message, TransientStore.Alert alert) {
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
                .queryEnum("detection_type", null, TransientStore.TYPES.toArray(new String[0]))
                .queryEnum("alert_level", null, TransientStore.LEVELS.toArray(new String[0]))
                .queryEnum("classification", null, TransientStore.CLASSIFICATIONS.toArray(new String[0]))
                .queryEnum("follow_up_status", null, TransientStore.FOLLOW_UP.toArray(new String[0]))
                .queryInt("image_id", 1, Integer.MAX_VALUE, "Only candidates found on this image")
                .queryNumber("min_significance", 5.0, 0, 1e9, null)
                .page(50, 1000)
                .returnsList(TransientStore.Candidate.class)
                .example("[{\"id\": 12, \"image_id\": 3, \"image_path\": \"products/images/2026-01-16T08:46:11.fits\", "
                        + "\"image_name\": \"2026-01-16T08:46:11\", \"source_id\": null, \"ra_deg\": 202.78, "
                        + "\"dec_deg\": 30.51, \"flux_jy\": 0.0412, \"flux_err_jy\": 0.0021, \"snr\": 19.6, "
                        + "\"baseline_flux_jy\": null, \"sigma_var\": null, \"significance\": 19.6, "
                        + "\"candidate_type\": \"new\", \"detection_type\": \"new\", \"alert_level\": \"HIGH\", "
                        + "\"classification\": null, \"classified_by\": null, \"classified_at\": null, "
                        + "\"follow_up_status\": \"pending\", \"notes\": null, "
                        + "\"detected_at\": \"2026-01-16T09:02:40Z\", \"mjd\": 61056.3657}]");
        post("/candidates/bulk-classify", "candidates.bulk.classify", "Classify several candidates", req -> {
            BulkClassifyRequest b = req.body(BulkClassifyRequest.class);
            return store.bulk(b.candidateIds(), id -> store.classify(id, b.classification(), b.classifiedBy(),
                    b.notes()));
        })
                .body(BulkClassifyRequest.class).returns(TransientStore.BulkResult.class);
        get("/candidates/{candidate_id}", "candidates.get", "One transient candidate",
                req -> store.candidate(req.pathLong("candidate_id")))
                .returns(TransientStore.Candidate.class);
        put("/candidates/{candidate_id}/classify", "candidates.classify",
                "Classify a candidate (real, artifact, variable, uncertain)", req -> {
                    long id = req.pathLong("candidate_id");
                    ClassifyRequest b = req.body(ClassifyRequest.class);
                    return new CandidateUpdated(SUCCESS, "Candidate classified",
                            store.classify(id, b.classification(), b.classifiedBy(), b.notes()));
                })
                .body(ClassifyRequest.class).returns(CandidateUpdated.class);
        put("/candidates/{candidate_id}/follow-up", "candidates.followup",
                "Follow-up status of a candidate (pending, scheduled, completed, declined)", req -> {
                    long id = req.pathLong("candidate_id");
                    FollowUpRequest b = req.body(FollowUpRequest.class);
                    return new CandidateUpdated(SUCCESS, "Follow-up status updated",
                            store.candidateFollowUp(id, b.status(), b.notes()));
                })
                .body(FollowUpRequest.class).returns(CandidateUpdated.class);
        put("/candidates/{candidate_id}/notes", "candidates.notes", "Notes of a candidate (replace or append)",
                req -> {
                    long id = req.pathLong("candidate_id");
                    NotesRequest b = req.body(NotesRequest.class);
                    return new CandidateUpdated(SUCCESS, "Notes updated",
                            store.candidateNotes(id, b.notes(), Boolean.TRUE.equals(b.append())));
                })
                .body(NotesRequest.class).returns(CandidateUpdated.class);

        get("/alerts", "alerts.list", "Transient alerts, newest first (TransientAlertResponse[])", req -> {
            String level = req.oneOf("alert_level", null, TransientStore.LEVELS.toArray(new String[0]));
            return store.alerts(level, req.boolQuery("acknowledged", false), req.intQuery("limit", 50, 1, 1000),
                    req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
        })
                .queryEnum("alert_level", null, TransientStore.LEVELS.toArray(new String[0]))
                .queryBool("acknowledged", false, "Acknowledged alerts instead of open ones")
                .page(50, 1000)
                .returnsList(TransientStore.Alert.class)
                .example("[{\"id\": 4, \"candidate_id\": 12, \"alert_level\": \"HIGH\", "
                        + "\"message\": \"New source at RA 202.7800, Dec 30.5100 (S/N 19.6)\", "
                        + "\"created_at\": \"2026-01-16T09:02:40Z\", \"acknowledged\": false, \"acknowledged_at\": null, "
                        + "\"acknowledged_by\": null, \"follow_up_status\": \"pending\", \"notes\": null, "
                        + "\"candidate_type\": \"new\", \"source_id\": null, \"ra_deg\": 202.78, \"dec_deg\": 30.51, "
                        + "\"image_id\": 3, \"flux_jy\": 0.0412, \"significance\": 19.6, \"classification\": null}]");
        post("/alerts/bulk-acknowledge", "alerts.bulk.acknowledge", "Acknowledge several alerts", req -> {
            BulkAcknowledgeRequest b = req.body(BulkAcknowledgeRequest.class);
            return store.bulk(b.alertIds(), id -> store.acknowledge(id, b.acknowledgedBy(), b.notes()));
        })
                .body(BulkAcknowledgeRequest.class).returns(TransientStore.BulkResult.class);
        get("/alerts/{alert_id}", "alerts.get", "One transient alert", req -> store.alert(req.pathLong("alert_id")))
                .returns(TransientStore.Alert.class);
        put("/alerts/{alert_id}/acknowledge", "alerts.acknowledge", "Acknowledge an alert", req -> {
            long id = req.pathLong("alert_id");
            AcknowledgeRequest b = req.body(AcknowledgeRequest.class);
            return new AlertUpdated(SUCCESS, "Alert acknowledged", store.acknowledge(id, b.acknowledgedBy(),
                    b.notes()));
        })
                .body(AcknowledgeRequest.class).returns(AlertUpdated.class);
        put("/alerts/{alert_id}/follow-up", "alerts.followup", "Follow-up status of an alert", req -> {
            long id = req.pathLong("alert_id");
            FollowUpRequest b = req.body(FollowUpRequest.class);
            return new AlertUpdated(SUCCESS, "Follow-up status updated", store.alertFollowUp(id, b.status(),
                    b.notes()));
        })
                .body(FollowUpRequest.class).returns(AlertUpdated.class);
        put("/alerts/{alert_id}/notes", "alerts.notes", "Notes of an alert (replace or append)", req -> {
            long id = req.pathLong("alert_id");
            NotesRequest b = req.body(NotesRequest.class);
            return new AlertUpdated(SUCCESS, "Notes updated", store.alertNotes(id, b.notes(),
                    Boolean.TRUE.equals(b.append())));
        })
                .body(NotesRequest.class).returns(AlertUpdated.class);
    }
}
