package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getPng;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.newGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queue health from transitions recorded by store.GroupStates. */
class QueueHealthApiTest {
    static TestHub hub;
    static JsonNode before;

    @BeforeAll
    static void seed() throws Exception {
        hub = TestHub.shared();
        before = getJson(hub, "/api/queue-health/metrics");
        GroupStates states = hub.bean("groupStates", GroupStates.class);
        // three groups: one completes, one fails, one waits as pending
        newGroup(hub, "2031-01-01T00:00:00", GroupStates.COLLECTING);
        newGroup(hub, "2031-01-01T00:05:00", GroupStates.COLLECTING);
        newGroup(hub, "2031-01-01T00:10:00", GroupStates.COLLECTING);
        for (String g : new String[] {"2031-01-01T00:00:00", "2031-01-01T00:05:00", "2031-01-01T00:10:00"}) {
            assertTrue(states.transition(g, GroupStates.COLLECTING, GroupStates.PENDING, null));
        }
        states.transition("2031-01-01T00:00:00", GroupStates.PENDING, GroupStates.IN_PROGRESS, null);
        states.transition("2031-01-01T00:00:00", GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null);
        states.transition("2031-01-01T00:05:00", GroupStates.PENDING, GroupStates.IN_PROGRESS, null);
        states.transition("2031-01-01T00:05:00", GroupStates.IN_PROGRESS, GroupStates.FAILED, "test failure");
    }

    static long delta(JsonNode after, String... path) {
        JsonNode a = after;
        JsonNode b = before;
        for (String p : path) {
            a = a.path(p);
            b = b.path(p);
        }
        return a.asLong() - b.asLong();
    }

    @Test
    void metricsCountTheRecordedTransitions() throws Exception {
        JsonNode m = getJson(hub, "/api/queue-health/metrics?hours=24");
        assertEquals(1, delta(m, "current_depth", "pending"));
        assertEquals(1, delta(m, "current_depth", "completed"));
        assertEquals(1, delta(m, "current_depth", "failed"));
        assertEquals(1, delta(m, "queue_depth"));
        assertEquals(3, delta(m, "processing", "created"));
        assertEquals(1, delta(m, "processing", "completed"));
        assertEquals(1, delta(m, "processing", "failed"));
        assertEquals(1, delta(m, "time_to_completion", "groups"));
        long pendingToInProgress = 0;
        for (JsonNode t : m.path("transitions")) {
            if ("pending".equals(t.path("from_state").asText()) && "in_progress".equals(t.path("to_state").asText())) {
                pendingToInProgress = t.path("count").asLong();
            }
        }
        assertTrue(pendingToInProgress >= 2);
        assertTrue(m.path("time_to_completion").path("max_sec").asDouble() >= 0);
        assertEquals(400, hub.get("/api/queue-health/metrics?hours=0").statusCode());
    }

    @Test
    void plotsDrawTheTransitions() throws Exception {
        for (String p : new String[] {"depth-trends", "processing-rate", "state-transitions", "time-to-completion"}) {
            assertFalse(getPng(hub, "/api/queue-health/plots/" + p + "?hours=24"), p + " has data");
        }
    }
}
