package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.newGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Instant;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/dashboard/summary and /api/stats against the store and a running circuit breaker. */
class DashboardApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    @Test
    void summaryReflectsTheStoreAndTheBreakers() throws Exception {
        Db db = hub.bean("db", Db.class);
        JsonNode before = getJson(hub, "/api/dashboard/summary");
        newGroup(hub, "2033-03-03T00:00:00", GroupStates.COLLECTING);
        // DLQ items are written by the engine's dead-letter route (another branch): one pending item as it stores it
        db.update("INSERT INTO dlq_items (component, operation, error_type, error_message) "
                + "VALUES ('imaging', 'image', 'java.io.IOException', 'disk full')");
        // a lambda, not a RouteBuilder subclass: the hub's package scan would pick a test class up
        RouteBuilder.addRoutes(hub.context(), rb -> rb.from("direct:mon-test-breaker").routeId("mon-test-breaker")
                .circuitBreaker().id("mon_test_breaker").to("log:mon-test").end());
        try {
            ResilienceProcessor breaker = (ResilienceProcessor) hub.context().getRoute("mon-test-breaker")
                    .filter("mon_test_breaker").get(0);
            breaker.transitionToForcedOpenState();
            JsonNode s = getJson(hub, "/api/dashboard/summary?hours=1");
            assertEquals(before.path("queue").path("collecting").asLong() + 1,
                    s.path("queue").path("collecting").asLong());
            assertEquals("2033-03-03T00:00:00", s.path("last_group").path("group_id").asText());
            assertEquals(before.path("dlq").path("pending").asLong() + 1, s.path("dlq").path("pending").asLong());
            assertEquals(db.scalarLong("SELECT COUNT(*) FROM ese_candidates WHERE status = 'active'"),
                    s.path("ese_candidates").path("active").asLong());
            assertTrue(s.path("breakers").path("open").asLong() >= 1);
            assertTrue(s.path("breakers").path("breakers").toString().contains("mon_test_breaker"));
            assertEquals(Files.getFileStore(hub.dataDir()).getTotalSpace(),
                    s.path("disk").path("total_bytes").asLong());
            assertTrue(s.path("recent").path("groups_received").asLong() >= 1);
            assertTrue(s.has("last_image"));
            // made "later" than any other image of the shared hub, so it is the last one
            long image = db.insert("INSERT INTO images (name, path, type, group_id, created_at, noise_jy, "
                    + "peak_flux_jy) VALUES ('mon-test.fits', '/data/images/mon-test.fits', 'pbcor', "
                    + "'2033-03-03T00:00:00', ?, 0.0005, 0.25)", "id", Instant.now().plusSeconds(3600));
            try {
                JsonNode last = getJson(hub, "/api/dashboard/summary").path("last_image");
                assertEquals(image, last.path("id").asLong(), last.toString());
                assertEquals("pbcor", last.path("type").asText());
                assertEquals("2033-03-03T00:00:00", last.path("group_id").asText());
                assertEquals(0.25, last.path("peak_flux_jy").asDouble());
                assertTrue(last.path("dynamic_range").isNull(), "not stored for this image");
            } finally {
                db.update("DELETE FROM images WHERE id = ?", image);
            }
            JsonNode stats = getJson(hub, "/api/stats");
            assertEquals(db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'pending'"),
                    stats.path("dlq").path("pending").asLong());
            assertEquals(db.scalarLong("SELECT COUNT(*) FROM tasks"), stats.path("tasks").path("total").asLong());
        } finally {
            hub.context().getRouteController().stopRoute("mon-test-breaker");
            hub.context().removeRoute("mon-test-breaker");
        }
        assertEquals(400, hub.get("/api/dashboard/summary?hours=-1").statusCode());
    }
}
