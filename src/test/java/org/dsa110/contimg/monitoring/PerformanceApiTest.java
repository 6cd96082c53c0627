package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getPng;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.newGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stage statistics over HTTP. The engine that writes pipeline_executions and stage_runs lives on another branch,
 * so its rows are written here as it writes them: one execution, finished stage runs with durations.
 */
class PerformanceApiTest {
    static final String STAGE = "mon_test_stage";
    static TestHub hub;

    @BeforeAll
    static void seed() throws Exception {
        hub = TestHub.shared();
        Db db = hub.bean("db", Db.class);
        Instant now = Instant.now();
        long exec = db.insert("INSERT INTO pipeline_executions (status, started_at, finished_at, duration_sec) "
                + "VALUES ('completed', ?, ?, 100.0)", "id", now.minusSeconds(200), now.minusSeconds(100));
        double[] durations = {10, 20, 30, 40};
        for (int i = 0; i < durations.length; i++) {
            Instant end = now.minus(Duration.ofMinutes(10L * (i + 1)));
            db.update("INSERT INTO stage_runs (execution_id, stage_name, status, started_at, finished_at, duration_sec) "
                    + "VALUES (?, ?, 'completed', ?, ?, ?)", exec, STAGE,
                    end.minusSeconds((long) durations[i]), end, durations[i]);
        }
        db.update("INSERT INTO stage_runs (execution_id, stage_name, status, started_at, finished_at, duration_sec, "
                + "error) VALUES (?, ?, 'failed', ?, ?, 5.0, 'boom')", exec, STAGE, now.minusSeconds(65),
                now.minusSeconds(60));
        // a conversion timed with its writer, on a completed group
        newGroup(hub, "2032-02-02T00:00:00", GroupStates.PENDING);
        GroupStates states = hub.bean("groupStates", GroupStates.class);
        states.transition("2032-02-02T00:00:00", GroupStates.PENDING, GroupStates.IN_PROGRESS, null);
        states.transition("2032-02-02T00:00:00", GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null);
        db.update("UPDATE ingest_groups SET writer_type = 'mon_test_writer', perf_total_time = 42.0 "
                + "WHERE group_id = '2032-02-02T00:00:00'");
    }

    @Test
    void stageStatisticsFromTheRuns() throws Exception {
        JsonNode m = getJson(hub, "/api/performance/metrics?hours=24");
        JsonNode stage = null;
        for (JsonNode s : m.path("stages")) {
            if (STAGE.equals(s.path("stage_name").asText())) {
                stage = s;
            }
        }
        assertNotNull(stage, m.toString());
        assertEquals(5, stage.path("runs").asInt());
        assertEquals(4, stage.path("completed").asInt());
        assertEquals(1, stage.path("failed").asInt());
        assertEquals(0.2, stage.path("failure_rate").asDouble(), 1e-9);
        assertEquals(25.0, stage.path("mean_duration_sec").asDouble(), 1e-9);
        assertEquals(25.0, stage.path("median_duration_sec").asDouble(), 1e-9);
        // p95 by linear interpolation: position 0.95 * 3 = 2.85 between 30 and 40
        assertEquals(38.5, stage.path("p95_duration_sec").asDouble(), 1e-9);
        assertEquals(40.0, stage.path("max_duration_sec").asDouble(), 1e-9);
        assertEquals(4.0 / 24.0, stage.path("throughput_per_hour").asDouble(), 1e-3);
        JsonNode writer = null;
        for (JsonNode w : m.path("writers")) {
            if ("mon_test_writer".equals(w.path("writer_type").asText())) {
                writer = w;
            }
        }
        assertNotNull(writer);
        assertEquals(42.0, writer.path("mean_total_time_sec").asDouble(), 1e-9);
        assertFalse(m.path("executions").path("completed").asLong() < 1);
    }

    @Test
    void plotsRenderTheRuns() throws Exception {
        for (String p : new String[] {"stage-duration", "throughput", "failure-rate", "writer-comparison"}) {
            assertFalse(getPng(hub, "/api/performance/plots/" + p + "?hours=24"), p + " has data");
        }
        assertEquals(400, hub.get("/api/performance/plots/throughput?hours=abc").statusCode());
    }
}
