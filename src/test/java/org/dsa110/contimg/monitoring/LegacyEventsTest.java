package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub's events in the earlier event bus's types, on both engines: the broadcaster stores each event's shown type,
 * the stream filters by it, the counts add up (events stored before the column existed count under their own
 * type), and the error analytics count the same store.
 */
class LegacyEventsTest {

    static Db db(String engine) {
        DataSource ds = "postgres".equals(engine) ? TestDatabases.postgres() : TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        return new Db(ds, "postgres".equals(engine) ? Db.Dialect.POSTGRESQL : Db.Dialect.H2);
    }

    static Map<String, Object> stage(String stage, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("execution_id", 1);
        m.put("stage", stage);
        m.put("status", status);
        m.put("error", "failed".equals(status) ? "upstream said \"status\":\"completed\"" : null);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void storedEventsGetTheEarlierTypes(String engine) {
        Db db = db(engine);
        EventBroadcaster events = new EventBroadcaster(db, new SseChannel(30), new StatusReport(db, new SystemProbe()));
        events.publish("stage_update", stage("calibration_solve", "completed"));
        events.publish("stage_update", stage("calibration_apply", "completed"));
        events.publish("stage_update", stage("photometry", "completed"));
        events.publish("stage_update", stage("imaging", "running"));
        events.publish("stage_update", stage("imaging", "failed"));
        events.publish("stage_update", stage("imaging", "completed"));
        events.publish("stage_update", stage("mosaic", "skipped"));
        events.publish("ese_update", Map.of("action", "new", "source_id", "S1"));
        events.publish("ese_update", Map.of("action", "status", "source_id", "S1", "status", "dismissed"));
        events.publish("dlq_update", Map.of("item_id", 4, "status", "pending"));
        events.publish("dlq_update", Map.of("item_id", 4, "status", "resolved"));
        events.publish("group_update", Map.of("group_id", "g"));
        // an event stored before events had a legacy_type is shown under its own type
        db.update("INSERT INTO events (event_type, payload, created_at) VALUES ('stage_update', "
                + "'{\"stage\":\"imaging\",\"status\":\"running\"}', ?)", Instant.now().minusSeconds(5));

        LegacyEvents legacy = new LegacyEvents(db);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("pipeline_stage_completed", 2L);
        expected.put("calibration_applied", 1L);
        expected.put("calibration_solved", 1L);
        expected.put("dlq_update", 1L);
        expected.put("error_occurred", 1L);
        expected.put("ese_candidate_detected", 1L);
        expected.put("ese_update", 1L);
        expected.put("group_update", 1L);
        expected.put("photometry_measurement_completed", 1L);
        expected.put("pipeline_stage_failed", 1L);
        expected.put("pipeline_stage_started", 1L);
        expected.put("stage_update", 1L);
        LegacyEvents.Stats stats = legacy.stats(Map.of("sse", 0L));
        assertEquals(expected, Map.copyOf(stats.eventsPerType()));
        assertEquals(13, stats.eventsInHistory());
        assertEquals(13, stats.eventsLastMinute());
        assertEquals(13, stats.totalEvents());
        assertEquals(1, legacy.recent("stage_update", null, 100).size());

        List<LegacyEvents.Event> failed = legacy.recent("pipeline_stage_failed", 60, 100);
        assertEquals(1, failed.size());
        assertEquals("stage_update", failed.get(0).hubType());
        List<LegacyEvents.Event> completed = legacy.recent("pipeline_stage_completed", null, 100);
        assertEquals(List.of("mosaic", "imaging"), completed.stream()
                .map(e -> ((com.fasterxml.jackson.databind.JsonNode) e.data()).path("stage").asText()).toList());
        assertEquals(1, legacy.recent("ese_update", null, 100).size(), "the hub's own type, where no rule renames it");
        assertEquals(13, legacy.recent(null, null, 100).size());
        assertEquals(2, legacy.recent(null, null, 2).size());
        LegacyEvents.Event newest = legacy.recent(null, null, 1).get(0);
        assertEquals("group_update", newest.eventType());
        assertEquals(newest.timestampIso().toEpochMilli() / 1000.0, newest.timestamp(), 1e-9);
        assertTrue(legacy.types().eventTypes().stream().map(LegacyEvents.EventType::value).toList()
                .containsAll(LegacyEvents.LEGACY_TYPES));

        // the error analytics read the same store: one failed stage run in the last day
        db.update("INSERT INTO pipeline_executions (status) VALUES ('failed')");
        long execution = db.scalarLong("SELECT MAX(id) FROM pipeline_executions");
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, finished_at, error) "
                + "VALUES (?, 'imaging', 'failed', 1, ?, 'out of memory')", execution, Instant.now());
        HttpErrorLog http = new HttpErrorLog();
        http.record(404, "GET", "/api/nothing", Instant.now());
        http.record(200, "GET", "/api/ok", Instant.now());
        ErrorAnalytics.Analytics a = new ErrorAnalytics(db, http).analytics("24h");
        assertEquals(2, a.totalErrors());
        assertEquals(Map.of("stage_imaging", 1L, "http_client_error", 1L), a.errorsByType());
        assertEquals(Map.of("404", 1L), a.errorsByStatus());
        assertEquals(2, a.recentErrors().size());
        assertEquals("up", a.errorRate().trend());
    }
}
