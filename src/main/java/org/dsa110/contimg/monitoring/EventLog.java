package org.dsa110.contimg.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * The stored events (ops.EventBroadcaster writes every published event to the events table): recent events with
 * filters, counts per type, totals, and the retention that keeps the table bounded by age and by row count.
 */
public final class EventLog {
    private final Db db;
    private final Duration maxAge;
    private final long maxRows;

    public EventLog(Db db, Duration maxAge, long maxRows) {
        this.db = db;
        this.maxAge = maxAge;
        this.maxRows = maxRows;
    }

    /** Newest first, each as published: {@code {"id","type","timestamp","data"}}. */
    /** A stored event as published. */
    public record StoredEvent(long id, String type, Instant timestamp, Object data) {
    }

    /** A stored event type with its count and newest time. */
    public record TypeCount(String eventType, long count, Instant lastSeen) {
    }

    public List<StoredEvent> recent(String type, Integer sinceMinutes, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, event_type, payload, created_at FROM events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (type != null) {
            sql.append(" AND event_type = ?");
            args.add(type);
        }
        if (sinceMinutes != null) {
            sql.append(" AND created_at >= ?");
            args.add(Instant.now().minus(Duration.ofMinutes(sinceMinutes)));
        }
        sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        List<StoredEvent> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql.toString(), args.toArray())) {
            out.add(new StoredEvent(((Number) r.get("id")).longValue(), (String) r.get("event_type"),
                    (Instant) r.get("created_at"), parse((String) r.get("payload"))));
        }
        return out;
    }

    /** Every stored event type with its count and newest time, most frequent first. */
    public List<TypeCount> types() {
        return db.query("SELECT event_type, COUNT(*) AS count, MAX(created_at) AS last_seen FROM events "
                + "GROUP BY event_type ORDER BY count DESC, event_type").stream()
                .map(r -> new TypeCount((String) r.get("event_type"), ((Number) r.get("count")).longValue(),
                        (Instant) r.get("last_seen"))).toList();
    }

    /** What the log holds: counts overall, of the last hour and day and per type, its span and its retention. */
    public record EventStats(long total, long lastHour, @JsonProperty("last_24h") long last24h, Map<String, Long> byType,
            Instant oldest, Instant newest, double retentionDays, long retentionMaxRows) {
    }

    public EventStats stats() {
        Instant now = Instant.now();
        Map<String, Object> span = db.one("SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest "
                + "FROM events").orElse(Map.of());
        Map<String, Long> byType = new LinkedHashMap<>();
        for (TypeCount t : types()) {
            byType.put(t.eventType(), t.count());
        }
        return new EventStats(span.get("n") instanceof Number n ? n.longValue() : 0L,
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofHours(1))),
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofHours(24))),
                byType, (Instant) span.get("oldest"), (Instant) span.get("newest"), maxAge.toHours() / 24.0, maxRows);
    }

    /** Deletes events older than the retention age and all but the newest {@code maxRows}; returns the count. */
    public int prune() {
        int n = db.update("DELETE FROM events WHERE created_at < ?", Instant.now().minus(maxAge));
        // The id of the maxRows-th newest row: everything at or below the one after it goes.
        Object cutoff = db.one("SELECT id FROM events ORDER BY id DESC OFFSET " + maxRows
                + " ROWS FETCH FIRST 1 ROWS ONLY").map(r -> r.get("id")).orElse(null);
        if (cutoff != null) {
            n += db.update("DELETE FROM events WHERE id <= ?", cutoff);
        }
        return n;
    }

    static Object parse(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            return payload;
        }
    }
}
