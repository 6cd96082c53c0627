package org.dsa110.contimg.ops.dlq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.store.Db;

/** SQL of the persistent dead-letter queue (dlq_items). */
public final class DlqStore {
    public static final List<String> STATUSES = List.of("pending", "retrying", "resolved", "failed");

    /** A new item. context and originalHeaders are JSON objects (text). */
    public record NewItem(String component, String operation, String errorType, String errorMessage, String context,
            String resubmitTarget, String originalBody, String originalHeaders) {
    }

    private final Db db;

    public DlqStore(Db db) {
        this.db = db;
    }

    public long insert(NewItem i) {
        Instant now = Instant.now();
        return db.insert("INSERT INTO dlq_items (component, operation, error_type, error_message, context, "
                + "resubmit_target, original_body, original_headers, status, retry_count, created_at, updated_at, "
                + "group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)", "id",
                cut(i.component(), 64), cut(i.operation(), 128), cut(i.errorType(), 255), cut(i.errorMessage(), 10000),
                i.context(), cut(i.resubmitTarget(), 512), i.originalBody(), i.originalHeaders(), now, now,
                groupOf(i.context()));
    }

    /** The {@code group_id} of an item's context (null when it has none or it is not a group id). */
    static String groupOf(String contextJson) {
        if (contextJson == null || contextJson.isBlank()) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode g = org.dsa110.contimg.core.Json.MAPPER.readTree(contextJson)
                    .path("group_id");
            return g.isTextual() && g.asText().length() <= 32 ? g.asText() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** Open (pending or retrying) items of a group; their ids. */
    public List<Long> openForGroup(String groupId) {
        return db.query("SELECT id FROM dlq_items WHERE group_id = ? AND status IN ('pending', 'retrying') ORDER BY id",
                groupId).stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    public Optional<Map<String, Object>> get(long id) {
        return db.one("SELECT * FROM dlq_items WHERE id = ?", id);
    }

    public List<Map<String, Object>> list(String component, String status, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        String where = where(component, status, args);
        args.add(limit);
        args.add(offset);
        return db.query("SELECT * FROM dlq_items" + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                args.toArray());
    }

    public long count(String component, String status) {
        List<Object> args = new ArrayList<>();
        return db.scalarLong("SELECT COUNT(*) FROM dlq_items" + where(component, status, args), args.toArray());
    }

    /** pending|failed → retrying, retry_count + 1. False when the item is not in a retryable state. */
    public boolean markRetrying(long id, String note) {
        Instant now = Instant.now();
        return db.update("UPDATE dlq_items SET status = 'retrying', retry_count = retry_count + 1, last_retry_at = ?, "
                + "updated_at = ?, resolution_note = COALESCE(?, resolution_note) "
                + "WHERE id = ? AND status IN ('pending', 'failed')", now, now, cut(note, 4000), id) == 1;
    }

    /** The retried work failed again: back to pending with the new error. */
    public void repend(long id, String errorType, String errorMessage, String context) {
        db.update("UPDATE dlq_items SET status = 'pending', error_type = ?, error_message = ?, "
                + "context = COALESCE(?, context), updated_at = ? WHERE id = ?",
                cut(errorType, 255), cut(errorMessage, 10000), context, Instant.now(), id);
    }

    /** Sets a terminal status (resolved | failed) unless the item already is resolved. */
    public boolean close(long id, String status, String note, Collection<String> from) {
        Instant now = Instant.now();
        String in = String.join(", ", from.stream().map(s -> "'" + s + "'").toList());
        return db.update("UPDATE dlq_items SET status = ?, resolution_note = COALESCE(?, resolution_note), "
                + "updated_at = ?, resolved_at = ? WHERE id = ? AND status IN (" + in + ")",
                status, cut(note, 4000), now, "resolved".equals(status) ? now : null, id) == 1;
    }

    public boolean delete(long id) {
        return db.update("DELETE FROM dlq_items WHERE id = ?", id) == 1;
    }

    public List<Long> pendingIds(String component) {
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id FROM dlq_items WHERE component = ? AND status = 'pending' "
                + "ORDER BY created_at, id", component)) {
            ids.add(((Number) r.get("id")).longValue());
        }
        return ids;
    }

    /** Pending items of the given error types tried fewer than maxRetries times, oldest first. */
    public List<Long> pendingOfTypes(Collection<String> errorTypes, int maxRetries, int limit) {
        if (errorTypes.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(errorTypes);
        args.add(maxRetries);
        args.add(limit);
        String marks = String.join(", ", errorTypes.stream().map(t -> "?").toList());
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id FROM dlq_items WHERE status = 'pending' AND error_type IN ("
                + marks + ") AND retry_count < ? ORDER BY created_at, id LIMIT ?", args.toArray())) {
            ids.add(((Number) r.get("id")).longValue());
        }
        return ids;
    }

    /** DLQStatsResponse (total, per status) plus counts by component and by error type. */
    /** Counts of all items, by status, by component (each with its own counts by status) and by error type. */
    public record Stats(long total, long pending, long retrying, long resolved, long failed,
            Map<String, Map<String, Long>> byComponent, Map<String, Long> byErrorType) {
    }

    public Stats stats() {
        long total = db.scalarLong("SELECT COUNT(*) FROM dlq_items");
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT status, COUNT(*) AS n FROM dlq_items GROUP BY status")) {
            byStatus.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        Map<String, Map<String, Long>> byComponent = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT component, status, COUNT(*) AS n FROM dlq_items "
                + "GROUP BY component, status ORDER BY component, status")) {
            Map<String, Long> c = byComponent.computeIfAbsent((String) r.get("component"), k -> {
                Map<String, Long> m = new LinkedHashMap<>();
                m.put("total", 0L);
                STATUSES.forEach(s -> m.put(s, 0L));
                return m;
            });
            long n = ((Number) r.get("n")).longValue();
            c.put((String) r.get("status"), n);
            c.merge("total", n, Long::sum);
        }
        Map<String, Long> byType = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT error_type, COUNT(*) AS n FROM dlq_items "
                + "GROUP BY error_type ORDER BY error_type")) {
            byType.put((String) r.get("error_type"), ((Number) r.get("n")).longValue());
        }
        // the status column's CHECK constraint allows exactly STATUSES
        return new Stats(total, byStatus.getOrDefault("pending", 0L), byStatus.getOrDefault("retrying", 0L),
                byStatus.getOrDefault("resolved", 0L), byStatus.getOrDefault("failed", 0L), byComponent, byType);
    }

    private static String where(String component, String status, List<Object> args) {
        List<String> conds = new ArrayList<>();
        if (component != null) {
            conds.add("component = ?");
            args.add(component);
        }
        if (status != null) {
            conds.add("status = ?");
            args.add(status);
        }
        return conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds);
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
