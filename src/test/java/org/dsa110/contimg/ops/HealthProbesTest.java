package org.dsa110.contimg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.dsa110.contimg.ContractCheckingHttpClient;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Cheap health: /api/health, /ready and /live serve the results of background probes (no probe per request), a
 * probe that hangs on the store turns into degraded / DOWN instead of a hanging endpoint, and liveness does not
 * depend on the store.
 */
class HealthProbesTest {

    @Test
    void theEndpointsServeTheLatestBackgroundProbe() throws Exception {
        TestHub hub = TestHub.shared();
        // two requests in a row get the same probe result (same timestamp), not a probe each
        boolean same = false;
        for (int i = 0; i < 5 && !same; i++) {
            same = hub.get("/api/health").body().equals(hub.get("/api/health").body());
        }
        assertTrue(same, "consecutive /api/health answers come from one probe");
        // ... and the probes go on in the background: a newer result appears without anyone asking for a probe
        Instant first = Instant.parse(json(hub.get("/api/health")).get("timestamp").asText());
        waitFor(() -> timestamp(hub).isAfter(first), "a newer /api/health probe");

        // readiness: the hub's own checks (the store) and every check that is not UP, with the counts of all
        JsonNode ready = json(hub.get("/api/health/ready"));
        assertEquals("UP", ready.get("status").asText());
        assertTrue(ready.get("checks_total").asInt() > 100, ready.toString());
        assertEquals(ready.get("checks_total").asInt(), ready.get("checks_up").asInt());
        assertEquals(1, ready.get("checks").size(), ready.toString());
        assertEquals("store", ready.get("checks").get(0).get("name").asText());
        // the detailed view still lists every check
        assertEquals(ready.get("checks_total").asInt(),
                json(hub.get("/api/health/detailed")).get("readiness").get("checks").size());
        assertEquals("UP", json(hub.get("/api/health/live")).get("status").asText());
    }

    @Test
    void aProbeHangingOnTheStoreIsReportedAndLivenessStaysUp() throws Exception {
        HangingStore store = new HangingStore();
        Path dir = Files.createTempDirectory("health-probes");
        HubSettings settings = HubSettings.of("test", dir.toString(), "", 0);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            HealthProbes health = new HealthProbes(new HealthReport(context, new Db(store.proxy(), Db.Dialect.H2),
                    settings, new SseChannel(30)), Duration.ofMillis(20), Duration.ofMillis(400));
            assertFalse(health.readiness().ok(), "not started: not ready");
            // the degraded answers are served with 503 and have the declared shapes too
            OpenApiInteractionValidator contract = ContractCheckingHttpClient.validatorFor(
                    TestHub.shared().get("/api/openapi.json").body());
            assertMatches(contract, "/api/health", health.summary());
            assertMatches(contract, "/api/health/ready", health.readiness());
            health.start();
            try {
                // start() took the first results
                assertTrue(health.summary().ok(), health.summary().body().toString());
                assertTrue(health.readiness().ok());

                store.hang();
                // readiness and the summary are probed on one thread, which now waits for the store
                waitFor(() -> !health.summary().ok() && !health.readiness().ok(),
                        "the stalled probes reported");
                HealthReport.Summary summary = health.summary().body();
                assertEquals("degraded", summary.status());
                assertEquals("inaccessible", summary.databases().queue());
                HealthReport.Checks ready = health.readiness().body();
                assertEquals("DOWN", ready.status());
                assertEquals("health-probes", ready.checks().get(0).name());
                assertMatches(contract, "/api/health", health.summary());
                assertMatches(contract, "/api/health/ready", health.readiness());
                // liveness is probed on its own thread and never touches the store
                assertTrue(health.liveness().ok(), health.liveness().body().toString());
                // what is served is the body, written as JSON
                assertEquals("DOWN", Json.MAPPER.readTree(health.readiness().json()).get("status").asText());

                store.release();
                waitFor(() -> health.summary().ok(), "recovery once the store answers");
            } finally {
                store.release();
                health.stop();
            }
        }
    }

    @Test
    void compactKeepsTheHubsChecksAndTheFailingOnes() {
        HealthReport.Check a = check("route:a", "camel", "UP");
        HealthReport.Check b = check("route:b", "camel", "DOWN");
        HealthReport.Check store = check("store", "hub", "UP");
        HealthReport.Checks c = new HealthReport.Checks("DOWN", Instant.now(), List.of(a, b, store), 3, 2).compact();
        assertEquals(List.of(b, store), c.checks());
        assertEquals(3, c.checksTotal());
        assertEquals(2L, c.checksUp());
        assertEquals("DOWN", c.status());
    }

    private static HealthReport.Check check(String name, String group, String status) {
        return new HealthReport.Check(name, group, status, null);
    }

    private static void assertMatches(OpenApiInteractionValidator contract, String path, HealthProbes.Served<?> s) {
        assertFalse(s.ok());
        assertEquals(List.of(), ContractCheckingHttpClient.mismatches(contract, "GET", path, 503, "application/json",
                new String(s.json(), StandardCharsets.UTF_8)));
    }

    private static Instant timestamp(TestHub hub) {
        try {
            return Instant.parse(json(hub.get("/api/health")).get("timestamp").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(java.net.http.HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** An in-memory H2 store whose connections block while it "hangs" (an unresponsive database server). */
    private static final class HangingStore {
        private final JdbcDataSource h2 = new JdbcDataSource();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        HangingStore() {
            h2.setURL("jdbc:h2:mem:health-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        }

        void hang() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        DataSource proxy() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (p, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            gate.await();
                            return (Connection) h2.getConnection();
                        }
                        if (method.getName().equals("getLogWriter")) {
                            return (PrintWriter) null;
                        }
                        if (method.getName().equals("getParentLogger")) {
                            return Logger.getGlobal();
                        }
                        return method.invoke(h2, args);
                    });
        }
    }
}
