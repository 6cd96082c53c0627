package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation's HTTP conventions over real HTTP: health, OpenAPI, Prometheus, Jolokia, error bodies. */
class FoundationApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "content type of " + r.uri() + ": " + r.headers().firstValue("Content-Type"));
        return Json.MAPPER.readTree(r.body());
    }

    static void assertErrorBody(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode b = json(r);
        assertEquals("error", b.path("status").asText());
        assertEquals(code, b.path("code").asText());
        assertFalse(b.path("error").asText().isBlank());
        assertTrue(b.has("details"));
        assertFalse(r.body().contains("Exception"), "no stack traces in responses: " + r.body());
    }

    @Test
    void healthHasTheSeedShape() throws Exception {
        HttpResponse<String> r = hub.get("/api/health");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = json(r);
        assertEquals("healthy", b.path("status").asText());
        // ISO-8601 UTC timestamp, parseable
        assertNotNull(Instant.parse(b.path("timestamp").asText()));
        assertEquals("accessible", b.path("databases").path("queue").asText());
        assertTrue(b.path("disk").path("total_gb").asDouble() > 0);
        assertEquals("0.1.0", b.path("version").asText());
    }

    @Test
    void liveAndReadyIncludeTheStore() throws Exception {
        assertEquals(200, hub.get("/api/health/live").statusCode());
        HttpResponse<String> ready = hub.get("/api/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode checks = json(ready).path("checks");
        boolean store = false;
        for (JsonNode c : checks) {
            store |= "store".equals(c.path("name").asText()) && "UP".equals(c.path("status").asText());
        }
        assertTrue(store, "readiness lists the store check: " + ready.body());
        JsonNode detailed = json(hub.get("/api/health/detailed"));
        assertTrue(detailed.path("routes").path("started").asInt() > 0);
        JsonNode services = json(hub.get("/api/health/services")).path("services");
        assertEquals("running", services.get(0).path("status").asText());
    }

    @Test
    void openApiDescribesTheSurface() throws Exception {
        JsonNode doc = json(hub.get("/api/openapi.json"));
        assertTrue(doc.path("openapi").asText().startsWith("3."), "OpenAPI 3");
        assertTrue(doc.path("paths").has("/health"), "paths are listed relative to /api: " + doc.path("paths"));
        assertTrue(doc.path("paths").has("/metrics/prometheus"));
    }

    @Test
    void prometheusHasCamelAndJvmSeries() throws Exception {
        hub.get("/api/health");
        HttpResponse<String> r = hub.get("/api/metrics/prometheus");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.body().contains("camel_exchanges_total"), "camel route series present");
        assertTrue(r.body().contains("jvm_memory_used_bytes"));
    }

    @Test
    void jolokiaAnswersVersion() throws Exception {
        HttpResponse<String> r = hub.get("/api/jolokia/version");
        assertEquals(200, r.statusCode());
        JsonNode b = Json.MAPPER.readTree(r.body());
        assertFalse(b.path("value").path("agent").asText().isBlank(), r.body());
    }

    @Test
    void unknownPathsAndMethodsGetTheErrorBody() throws Exception {
        assertErrorBody(hub.get("/api/no/such/thing"), 404, "ROUTE_NOT_FOUND");
        assertErrorBody(hub.get("/nothing-here"), 404, "ROUTE_NOT_FOUND");
        assertErrorBody(hub.send("DELETE", "/api/health", null), 405, "METHOD_NOT_ALLOWED");
    }
}
