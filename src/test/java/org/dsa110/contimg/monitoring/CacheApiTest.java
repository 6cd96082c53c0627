package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The result cache over HTTP: stats, key listing, one key (GET, DELETE), clear, plot caching. */
class CacheApiTest {
    static TestHub hub;
    static HubCache cache;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
        cache = hub.bean("hubCache", HubCache.class);
    }

    @Test
    void keyRoundTrip() throws Exception {
        String key = "test/roundtrip:cone=1";
        cache.get(key, () -> Map.of("sources", List.of(1, 2, 3)));
        JsonNode keys = getJson(hub, "/api/keys?pattern=test/*");
        assertTrue(keys.path("keys").toString().contains(key), keys.toString());
        JsonNode entry = keys.path("keys").get(0);
        assertEquals(key, entry.path("key").asText());
        assertTrue(entry.path("exists").asBoolean() && entry.path("has_value").asBoolean());
        assertEquals(1, keys.path("total").asInt());
        JsonNode one = getJson(hub, "/api/keys/" + key);
        assertEquals(key, one.path("key").asText());
        assertEquals("json", one.path("type").asText());
        assertEquals(3, one.path("value").path("sources").size());
        assertEquals("json", one.path("value_type").asText());
        assertEquals("{\"sources\":[1,2,3]}".length(), one.path("value_size").asInt());
        assertEquals(200, hub.send("DELETE", "/api/keys/" + key, null).statusCode());
        assertEquals(404, hub.get("/api/keys/" + key).statusCode());
        assertEquals(404, hub.send("DELETE", "/api/keys/" + key, null).statusCode());
        assertEquals(400, hub.get("/api/keys?limit=0").statusCode());
    }

    @Test
    void plotsAreCachedAndCounted() throws Exception {
        // the plot's key names the queue's data version: a group another test left running on the shared hub
        // may move it between two requests, so try a few pairs
        boolean hit = false;
        for (int attempt = 0; attempt < 10 && !hit; attempt++) {
            MonitoringTestSupport.getPng(hub, "/api/queue-health/plots/state-transitions?hours=7");
            JsonNode before = getJson(hub, "/api/cache/stats");
            MonitoringTestSupport.getPng(hub, "/api/queue-health/plots/state-transitions?hours=7");
            JsonNode after = getJson(hub, "/api/cache/stats");
            hit = after.path("hits").asLong() == before.path("hits").asLong() + 1;
        }
        assertTrue(hit, "the second request of a pair is a cache hit");
        JsonNode keys = getJson(hub, "/api/keys?pattern=plot:queue-health/state-transitions:hours=7:*");
        assertTrue(keys.path("count").asInt() >= 1, keys.toString());
        String key = keys.path("keys").get(0).path("key").asText();
        JsonNode one = getJson(hub, "/api/keys/" + key);
        assertEquals("image/png", one.path("type").asText());
        assertTrue(one.path("size_bytes").asLong() > 100);
        assertEquals(one.path("size_bytes").asLong(), one.path("value_size").asLong());
        JsonNode perf = getJson(hub, "/api/performance");
        assertTrue(perf.path("cached_plots").asInt() >= 1);
        assertTrue(perf.path("cache").path("hits").asLong() >= 1);
        assertEquals(perf.path("cache").path("hits").asLong(), perf.path("hits").asLong(), "top-level copies");
        assertEquals("in-memory (Caffeine)", perf.path("backend_type").asText());
    }

    @Test
    void clearEmptiesTheCache() throws Exception {
        cache.get("test/clear-me", () -> "x");
        JsonNode r = MonitoringTestSupport.json(hub.send("DELETE", "/api/clear", null));
        assertTrue(r.path("cleared").asLong() >= 1);
        assertEquals(0, getJson(hub, "/api/cache/stats").path("entries").asLong());
        assertEquals(200, hub.post("/api/clear", null).statusCode());
    }
}
