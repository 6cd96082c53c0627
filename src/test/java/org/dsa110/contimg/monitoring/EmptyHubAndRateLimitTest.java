package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub of its own: nothing stored yet, so every plot is the "no data" image and every figure is empty; and a
 * tiny rate budget with the loopback exemption off. The plot and metrics paths are exempt here so only /api/stats
 * and /api/cache/stats spend the budget.
 */
class EmptyHubAndRateLimitTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.monitoring.system.sample.seconds", "1",
                "hub.ratelimit.exempt-loopback", "false",
                "hub.ratelimit.rate", "0.01",
                "hub.ratelimit.burst", "3",
                "hub.ratelimit.exempt-paths", "/api/health,/api/performance,/api/queue-health,/api/disk-usage,"
                        + "/api/rate-limiting"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void plotsWithoutDataAreReadableNoDataImages() throws Exception {
        for (String p : new String[] {"/api/performance/plots/stage-duration", "/api/performance/plots/throughput",
            "/api/performance/plots/failure-rate", "/api/performance/plots/writer-comparison",
            "/api/queue-health/plots/depth-trends", "/api/queue-health/plots/processing-rate",
            "/api/queue-health/plots/state-transitions", "/api/queue-health/plots/time-to-completion",
            "/api/disk-usage/plots/projection?days=30"}) {
            assertTrue(getPng(hub, p), p + " is the no-data image");
        }
        assertFalse(getPng(hub, "/api/disk-usage/plots/current"), "the roots exist, even if empty");
        JsonNode q = getJson(hub, "/api/queue-health/metrics");
        assertEquals(0, q.path("queue_depth").asInt());
        assertEquals(0, q.path("time_to_completion").path("groups").asInt());
        assertTrue(q.path("time_to_completion").path("mean_sec").isNull());
        assertTrue(q.path("processing").path("failure_rate").isNull());
        JsonNode perf = getJson(hub, "/api/performance/metrics");
        assertEquals(0, perf.path("stages").size());
        assertEquals(0, perf.path("executions").path("total").asInt());
    }

    @Test
    void theQuartzSamplerStoresSystemMetrics() throws Exception {
        org.dsa110.contimg.store.Db db = hub.bean("db", org.dsa110.contimg.store.Db.class);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (db.scalarLong("SELECT COUNT(*) FROM system_metrics_history") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(db.scalarLong("SELECT COUNT(*) FROM system_metrics_history") >= 2, "sampled every second");
        assertTrue(db.scalarLong("SELECT COUNT(*) FROM system_metrics_history WHERE mem_total > 0") >= 2);
    }

    @Test
    void requestsPastTheBudgetGet429WithRetryAfter() throws Exception {
        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            HttpResponse<String> r = hub.get(i % 2 == 0 ? "/api/stats" : "/api/cache/stats");
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertEquals(200, r.statusCode(), r.body());
                ok++;
            }
        }
        assertEquals(3, ok, "the burst");
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 100, "one token per 100 s: " + retry);
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertEquals("error", body.path("status").asText());
        assertEquals("RATE_LIMITED", body.path("code").asText());
        assertFalse(body.path("error").asText().isBlank());
        assertEquals(retry, body.path("details").path("retry_after_seconds").asLong());
        // exempt paths still answer, and the stats show the refusal
        assertEquals(200, hub.get("/api/health/live").statusCode());
        JsonNode stats = getJson(hub, "/api/rate-limiting/stats");
        assertTrue(stats.path("requests_limited").asLong() >= 1);
        assertEquals(3, stats.path("burst").asInt());
        assertTrue(stats.path("top_clients").get(0).path("limited").asLong() >= 1);
    }
}
