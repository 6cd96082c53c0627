package org.dsa110.contimg.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;

import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.dlq.DeadLetters;
import org.dsa110.contimg.ops.dlq.DlqStore;
import org.dsa110.contimg.security.Role;

/**
 * Dead-letter queue triage: /api/operations/dlq/*, with the same operations on the short paths /api/items* and the
 * legacy /api/dlq/* (whose list is wrapped as DLQListResponse); and /api/operations/error-analytics (dead letters,
 * stage failures and HTTP errors over a time range).
 */
public class DlqApi extends ApiRoutes {

    /** DLQRetryRequest / DLQResolveRequest / DLQActionRequest: an optional note (legacy spelling: notes). */
    public record NoteRequest(String note, String notes, String action) {
        String text() {
            return note != null ? note : notes;
        }
    }

    @Override
    public void configure() {
        DeadLetters dlq = lookup("deadLetters", DeadLetters.class);
        DlqStore store = dlq.store();
        org.dsa110.contimg.monitoring.ErrorAnalytics analytics = lookup("errorAnalytics",
                org.dsa110.contimg.monitoring.ErrorAnalytics.class);
        get("/operations/error-analytics", "operations.error-analytics",
                "Errors over a time range (24h, 7d, 30d): by type and HTTP status, recent ones, rate and trend",
                req -> analytics.analytics(req.oneOf("time_range", "24h", "24h", "7d", "30d")))
                .queryEnum("time_range", "24h", "24h", "7d", "30d")
                .returns(org.dsa110.contimg.monitoring.ErrorAnalytics.Analytics.class);

        // /api/operations/dlq/... and the seed's short /api/items/...; the legacy /api/dlq/... paths are aliases
        // of the former (api.LegacyAliases).
        for (String prefix : List.of("/operations/dlq", "")) {
            String op = prefix.isEmpty() ? "items" : "dlq";
            get(prefix + "/items", op + ".list", "Dead-letter items, newest first (filters: component, status)",
                    req -> {
                        String component = req.query("component");
                        String status = req.oneOf("status", null, "pending", "retrying", "resolved", "failed");
                        int limit = req.intQuery("limit", 100, 1, 1000);
                        int offset = req.intQuery("offset", 0, 0, Integer.MAX_VALUE);
                        return store.list(component, status, limit, offset).stream()
                                .map(r -> view(dlq, r)).toList();
                    })
                    .queryString("component", "Only items of this component (ingest, calibration, imaging, ...)")
                    .queryEnum("status", null, "pending", "retrying", "resolved", "failed")
                    .page(100, 1000)
                    .returnsList(DlqItem.class)
                    .example("[{\"id\": 7, \"component\": \"imaging\", \"operation\": \"stage.imaging\", "
                            + "\"error_type\": \"java.io.IOException\", \"error_message\": \"No space left on device\", "
                            + "\"context\": {\"group_id\": \"2026-01-16T08:46:11\"}, \"created_at\": "
                            + "\"2026-01-16T09:00:02Z\", \"updated_at\": \"2026-01-16T09:00:02Z\", \"retry_count\": 0, "
                            + "\"last_retry_at\": null, \"status\": \"pending\", \"resolved_at\": null, "
                            + "\"resolution_note\": null, \"resubmit_target\": \"direct:stage.imaging\", "
                            + "\"transient\": true}]");
            get(prefix + "/items/{item_id}", op + ".detail", "One dead-letter item with its stored message",
                    req -> detail(dlq, item(store, req)))
                    .returns(DlqItemDetail.class);
            post(prefix + "/items/{item_id}/retry", op + ".retry",
                    "Resend the item's message to its resubmit target and record the attempt", req -> {
                        long id = req.pathLong("item_id");
                        item(store, req);
                        try {
                            return dlq.retry(id, req.bodyOrDefaults(NoteRequest.class).text());
                        } catch (IllegalStateException e) {
                            throw HubException.conflict(e.getMessage(), Map.of("item_id", id));
                        }
                    })
                    .optionalBody(NoteRequest.class).returns(DeadLetters.RetryStarted.class);
            post(prefix + "/items/{item_id}/resolve", op + ".resolve", "Mark the item resolved (optional note)",
                    req -> close(dlq, store, req, "resolved")).optionalBody(NoteRequest.class).returns(Closed.class);
            post(prefix + "/items/{item_id}/fail", op + ".fail", "Mark the item permanently failed (optional note)",
                    req -> close(dlq, store, req, "failed")).optionalBody(NoteRequest.class).returns(Closed.class);
            delete(prefix + "/items/{item_id}", op + ".delete", "Delete a dead-letter item", Role.ADMIN, req -> {
                long id = req.pathLong("item_id");
                if (!store.delete(id)) {
                    throw HubException.notFound("dlq item", id);
                }
                return new Deleted("deleted", id);
            }).returns(Deleted.class);
        }
        get("/operations/dlq/stats", "dlq.stats", "Counts by status, component and error type", req -> store.stats())
                .returns(DlqStore.Stats.class);
        post("/operations/dlq/retry-all", "dlq.retry-all", "Retry every pending item of a component", req -> {
            String component = req.requiredQuery("component");
            List<Long> ids = dlq.retryAll(component, req.bodyOrDefaults(NoteRequest.class).text());
            return new RetriedAll(component, ids.size(), ids);
        })
                .requiredQuery("component", "The component whose pending items are retried")
                .optionalBody(NoteRequest.class).returns(RetriedAll.class);
    }

    private static Map<String, Object> item(DlqStore store, ApiRequest req) {
        long id = req.pathLong("item_id");
        return store.get(id).orElseThrow(() -> HubException.notFound("dlq item", id));
    }

    private static Closed close(DeadLetters dlq, DlqStore store, ApiRequest req, String status) {
        Map<String, Object> item = item(store, req);
        long id = ((Number) item.get("id")).longValue();
        String note = req.bodyOrDefaults(NoteRequest.class).text();
        boolean ok = "resolved".equals(status) ? dlq.resolve(id, note) : dlq.fail(id, note);
        if (!ok) {
            throw HubException.conflict("dlq item " + id + " is " + item.get("status") + "; cannot mark it " + status,
                    Map.of("item_id", id, "status", String.valueOf(item.get("status"))));
        }
        return new Closed(status, id, note);
    }

    /** An item marked resolved, failed or deleted (the note given, if any). */
    public record Closed(String status, long itemId, String note) {
    }

    public record Deleted(String status, long itemId) {
    }

    public record RetriedAll(String component, int retried, List<Long> itemIds) {
    }

    /** DLQItemResponse, plus the resubmit target and whether the error type is transient. */
    public record DlqItem(long id, String component, String operation, String errorType, String errorMessage,
            Object context, Instant createdAt, Instant updatedAt, long retryCount, Instant lastRetryAt,
            String status, Instant resolvedAt, String resolutionNote, String resubmitTarget,
            @JsonProperty("transient") boolean transientError) {
    }

    /** One item with the message it stored (body and headers as they were when it failed). */
    public record DlqItemDetail(@JsonUnwrapped DlqItem item, String originalBody, Object originalHeaders) {
    }

    static DlqItem view(DeadLetters dlq, Map<String, Object> r) {
        return new DlqItem(((Number) r.get("id")).longValue(), (String) r.get("component"),
                (String) r.get("operation"), (String) r.get("error_type"), (String) r.get("error_message"),
                json(r.get("context")), (Instant) r.get("created_at"), (Instant) r.get("updated_at"),
                ((Number) r.get("retry_count")).longValue(), (Instant) r.get("last_retry_at"),
                (String) r.get("status"), (Instant) r.get("resolved_at"), (String) r.get("resolution_note"),
                (String) r.get("resubmit_target"), dlq.isTransient((String) r.get("error_type")));
    }

    static DlqItemDetail detail(DeadLetters dlq, Map<String, Object> r) {
        return new DlqItemDetail(view(dlq, r), (String) r.get("original_body"), json(r.get("original_headers")));
    }

    private static Object json(Object text) {
        if (!(text instanceof String s) || s.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            return s;
        }
    }
}
