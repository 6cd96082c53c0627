package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.ops.LegacyEventTypes;
import org.dsa110.contimg.store.Db;

/**
 * The stored events (table {@code events}) in the earlier event bus's terms, for the dashboard's Events page
 * ({@code /api/events/stream|types|stats}). Each event's shown type ({@link LegacyEventTypes}) is stored with it in
 * {@code legacy_type}, so counting and filtering use an index; an event stored before that column existed is shown
 * under its own type.
 */
public final class LegacyEvents {
    /** The earlier event bus's types (wire ids), in its order. */
    public static final List<String> LEGACY_TYPES = LegacyEventTypes.TYPES;

    /** One row of GET /api/events/stream; {@code timestamp} in Unix seconds. */
    public record Event(long id, String eventType, String hubType, double timestamp, Instant timestampIso,
            Object data) {
    }

    /** {@code value} = wire id, {@code name} = the enum-style name. */
    public record EventType(String value, String name) {
    }

    public record EventTypes(List<EventType> eventTypes) {
    }

    /**
     * GET /api/events/stats. {@code total_events}: events stored since the store was created (the highest event
     * id, pruned ones included); {@code events_in_history}: those still kept; {@code subscribers}: live clients by
     * channel.
     */
    public record Stats(long totalEvents, long eventsInHistory, Map<String, Long> eventsPerType,
            long eventsLastMinute, long eventsLastHour, Map<String, Long> subscribers, List<String> eventTypes) {
    }

    private final Db db;

    public LegacyEvents(Db db) {
        this.db = db;
    }

    /**
     * Newest first; {@code type} (a shown type) and {@code sinceMinutes} may be null. A filtered read is two indexed
     * reads, one by {@code legacy_type} and one for the events stored before it existed, merged.
     */
    public List<Event> recent(String type, Integer sinceMinutes, int limit) {
        Instant since = sinceMinutes == null ? null : Instant.now().minus(Duration.ofMinutes(sinceMinutes));
        List<Event> out = new ArrayList<>();
        if (type == null) {
            out.addAll(read("1 = 1", since, limit));
        } else {
            out.addAll(read("legacy_type = ?", since, limit, type));
            out.addAll(read("legacy_type IS NULL AND event_type = ?", since, limit, type));
            out.sort(Comparator.comparing(Event::timestampIso).thenComparingLong(Event::id).reversed());
        }
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private List<Event> read(String condition, Instant since, int limit, Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        String sql = "SELECT id, event_type, legacy_type, payload, created_at FROM events WHERE " + condition;
        if (since != null) {
            sql += " AND created_at >= ?";
            all.add(since);
        }
        List<Event> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql + " ORDER BY created_at DESC, id DESC FETCH FIRST " + limit
                + " ROWS ONLY", all.toArray())) {
            Instant t = (Instant) r.get("created_at");
            String hubType = (String) r.get("event_type");
            String shown = (String) r.get("legacy_type");
            out.add(new Event(((Number) r.get("id")).longValue(), shown != null ? shown : hubType, hubType,
                    t.toEpochMilli() / 1000.0, t, EventLog.parse((String) r.get("payload"))));
        }
        return out;
    }

    /** The earlier types, then the hub's own types seen in the store that no rule renames entirely. */
    public EventTypes types() {
        Set<String> values = new LinkedHashSet<>(LEGACY_TYPES);
        values.addAll(perType().keySet());
        return new EventTypes(values.stream().map(v -> new EventType(v, v.toUpperCase(Locale.ROOT))).toList());
    }

    /** Counts by shown type, most frequent first. */
    Map<String, Long> perType() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT legacy_type AS t, COUNT(*) AS n FROM events "
                + "WHERE legacy_type IS NOT NULL GROUP BY legacy_type")) {
            counts.merge((String) r.get("t"), ((Number) r.get("n")).longValue(), Long::sum);
        }
        for (Map<String, Object> r : db.query("SELECT event_type AS t, COUNT(*) AS n FROM events "
                + "WHERE legacy_type IS NULL GROUP BY event_type")) {
            counts.merge((String) r.get("t"), ((Number) r.get("n")).longValue(), Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    public Stats stats(Map<String, Long> subscribers) {
        Instant now = Instant.now();
        Map<String, Long> perType = perType();
        return new Stats(db.scalarLong("SELECT COALESCE(MAX(id), 0) FROM events"),
                perType.values().stream().mapToLong(Long::longValue).sum(), perType,
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofMinutes(1))),
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofHours(1))),
                subscribers, List.copyOf(perType.keySet()));
    }
}
