package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events published through the broadcaster, read back from /api/stream, /api/types and /api/stats. */
class EventsApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
        EventBroadcaster events = hub.bean("eventBroadcaster", EventBroadcaster.class);
        events.publish("mon_test_alpha", Map.of("n", 1));
        events.publish("mon_test_beta", Map.of("n", 2));
        events.publish("mon_test_alpha", Map.of("n", 3, "label", "third"));
    }

    @Test
    void streamFiltersByTypeNewestFirst() throws Exception {
        JsonNode r = getJson(hub, "/api/stream?event_type=mon_test_alpha");
        assertEquals(2, r.path("count").asInt());
        JsonNode first = r.path("events").get(0);
        assertEquals("mon_test_alpha", first.path("type").asText());
        assertEquals(3, first.path("data").path("n").asInt());
        assertEquals("third", first.path("data").path("label").asText());
        assertEquals(1, r.path("events").get(1).path("data").path("n").asInt());
        // the short `type` form and the limit
        JsonNode one = getJson(hub, "/api/stream?type=mon_test_alpha&limit=1");
        assertEquals(1, one.path("events").size());
        assertEquals(3, one.path("events").get(0).path("data").path("n").asInt());
        JsonNode recent = getJson(hub, "/api/stream?event_type=mon_test_beta&since_minutes=60");
        assertEquals(1, recent.path("count").asInt());
        assertEquals(400, hub.get("/api/stream?limit=1001").statusCode());
        assertEquals(400, hub.get("/api/stream?since_minutes=0").statusCode());
    }

    @Test
    void typesAndStatsCountStoredEvents() throws Exception {
        JsonNode types = getJson(hub, "/api/types").path("types");
        Map<String, Integer> counts = new java.util.HashMap<>();
        types.forEach(t -> counts.put(t.path("event_type").asText(), t.path("count").asInt()));
        assertEquals(2, counts.get("mon_test_alpha"));
        assertEquals(1, counts.get("mon_test_beta"));
        JsonNode stats = getJson(hub, "/api/stats");
        assertEquals(2, stats.path("events").path("by_type").path("mon_test_alpha").asInt());
        assertTrue(stats.path("events").path("last_hour").asLong() >= 3);
        for (String section : new String[] {"queue", "dlq", "tasks", "cache", "events", "rate_limiting"}) {
            assertTrue(stats.has(section), section);
        }
    }
}
