package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dsa110.contimg.store.Db;

/**
 * The stored events (table {@code events}) in the earlier event bus's terms, for the dashboard's Events page
 * ({@code /api/events/stream|types|stats}). The hub publishes its own event types ({@code stage_update},
 * {@code ese_update}, ...); where one of them is what an earlier event type meant, it is shown under that type:
 *
 * <table>
 * <tr><th>earlier type</th><th>hub event</th></tr>
 * <tr><td>calibration_solved</td><td>stage_update of calibration_solve, completed</td></tr>
 * <tr><td>calibration_applied</td><td>stage_update of calibration_apply, completed</td></tr>
 * <tr><td>photometry_measurement_completed</td><td>stage_update of photometry, completed</td></tr>
 * <tr><td>pipeline_stage_started / _failed / _completed</td><td>any other stage_update: running / failed /
 * completed or skipped</td></tr>
 * <tr><td>ese_candidate_detected</td><td>ese_update with action new or rise</td></tr>
 * <tr><td>error_occurred</td><td>dlq_update of a pending item (a failure dead-lettered)</td></tr>
 * </table>
 * Every other event keeps the hub's type. The classification is one SQL CASE over the stored JSON (written by the
 * hub's one mapper, so {@code "key":"value"} appears verbatim), evaluated by the database.
 */
public final class LegacyEvents {
    /** The earlier event bus's types (wire ids), in its order. */
    public static final List<String> LEGACY_TYPES = List.of("photometry_measurement_completed",
            "photometry_normalization_completed", "ese_candidate_detected", "variability_stats_updated",
            "calibration_solved", "calibration_applied", "pipeline_stage_started", "pipeline_stage_completed",
            "pipeline_stage_failed", "error_occurred");

    /** A stored event of {@code storedType} whose payload contains every one of {@code fragments} is {@code type}. */
    record Rule(String type, String storedType, List<String> fragments) {
    }

    /** First match wins. Fragments are constants (never client input): they are written into the SQL. */
    static final List<Rule> RULES = List.of(
            new Rule("calibration_solved", "stage_update",
                    List.of("\"stage\":\"calibration_solve\"", "\"status\":\"completed\"")),
            new Rule("calibration_applied", "stage_update",
                    List.of("\"stage\":\"calibration_apply\"", "\"status\":\"completed\"")),
            new Rule("photometry_measurement_completed", "stage_update",
                    List.of("\"stage\":\"photometry\"", "\"status\":\"completed\"")),
            new Rule("pipeline_stage_started", "stage_update", List.of("\"status\":\"running\"")),
            new Rule("pipeline_stage_failed", "stage_update", List.of("\"status\":\"failed\"")),
            new Rule("pipeline_stage_completed", "stage_update", List.of()),
            new Rule("ese_candidate_detected", "ese_update", List.of("\"action\":\"new\"")),
            new Rule("ese_candidate_detected", "ese_update", List.of("\"action\":\"rise\"")),
            new Rule("error_occurred", "dlq_update", List.of("\"status\":\"pending\"")));

    /** The CASE expression giving an events row its shown type. */
    static final String TYPE_SQL = typeSql();

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

    private static String typeSql() {
        StringBuilder sql = new StringBuilder("CASE");
        for (Rule r : RULES) {
            sql.append(" WHEN event_type = '").append(r.storedType()).append('\'');
            for (String f : r.fragments()) {
                // '_' is LIKE's one-character wildcard: matched literally (backslash is the default escape of
                // H2 and PostgreSQL)
                sql.append(" AND payload LIKE '%").append(f.replace("_", "\\_")).append("%'");
            }
            sql.append(" THEN '").append(r.type()).append('\'');
        }
        return sql.append(" ELSE event_type END").toString();
    }

    /** The stored types an event shown as {@code type} may have: those the rules map to it, and itself. */
    static Set<String> storedTypesOf(String type) {
        Set<String> stored = RULES.stream().filter(r -> r.type().equals(type)).map(Rule::storedType)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        stored.add(type);
        return stored;
    }

    /** Newest first; {@code type} (a shown type) and {@code sinceMinutes} may be null. */
    public List<Event> recent(String type, Integer sinceMinutes, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, event_type, payload, created_at, " + TYPE_SQL
                + " AS shown_type FROM events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (type != null) {
            Set<String> stored = storedTypesOf(type);
            sql.append(" AND event_type IN (").append(stored.stream().map(s -> "?").collect(Collectors.joining(", ")))
                    .append(") AND ").append(TYPE_SQL).append(" = ?");
            args.addAll(stored);
            args.add(type);
        }
        if (sinceMinutes != null) {
            sql.append(" AND created_at >= ?");
            args.add(Instant.now().minus(Duration.ofMinutes(sinceMinutes)));
        }
        sql.append(" ORDER BY created_at DESC, id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        List<Event> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql.toString(), args.toArray())) {
            Instant t = (Instant) r.get("created_at");
            out.add(new Event(((Number) r.get("id")).longValue(), (String) r.get("shown_type"),
                    (String) r.get("event_type"), t.toEpochMilli() / 1000.0, t, EventLog.parse((String) r.get(
                            "payload"))));
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
        for (Map<String, Object> r : db.query("SELECT shown_type, COUNT(*) AS n FROM (SELECT " + TYPE_SQL
                + " AS shown_type FROM events) t GROUP BY shown_type ORDER BY n DESC, shown_type")) {
            counts.put((String) r.get("shown_type"), ((Number) r.get("n")).longValue());
        }
        return counts;
    }

    public Stats stats(Map<String, Long> subscribers) {
        Instant now = Instant.now();
        Map<String, Long> perType = perType();
        return new Stats(db.scalarLong("SELECT COALESCE(MAX(id), 0) FROM events"),
                db.scalarLong("SELECT COUNT(*) FROM events"), perType,
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofMinutes(1))),
                db.scalarLong("SELECT COUNT(*) FROM events WHERE created_at >= ?", now.minus(Duration.ofHours(1))),
                subscribers, List.copyOf(perType.keySet()));
    }
}
