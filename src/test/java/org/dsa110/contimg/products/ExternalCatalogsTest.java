package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TAP JSON parsing against a local stub service, and the circuit breaker around a failing one. */
class ExternalCatalogsTest {
    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    String stub(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tap/sync", ex -> {
            calls.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tap/sync";
    }

    @Test
    void parsesTheNearestSimbadObject() throws Exception {
        // 3C 123-like answer 2″ north of the query position
        String url = stub(200, "{\"metadata\":[{\"name\":\"main_id\"},{\"name\":\"otype\"},{\"name\":\"rvz_redshift\"},"
                + "{\"name\":\"ra\"},{\"name\":\"dec\"}],\"data\":[[\"3C 123\",\"Rad\",0.2177,69.26823,29.67128]]}");
        ExternalCatalogs ext = new ExternalCatalogs(ExternalCatalogs.endpoints(url, url, url), Duration.ofSeconds(5),
                3, Duration.ofSeconds(60));
        ExternalCatalogs.Match simbad = ext.query(69.26823, 29.67128 - 2.0 / 3600, 5, List.of("simbad"),
                Duration.ofSeconds(5)).get("simbad");
        assertEquals(true, simbad.matched(), simbad.toString());
        assertEquals("3C 123", simbad.mainId());
        assertEquals("Rad", simbad.objectType());
        assertEquals(0.2177, simbad.redshift(), 1e-12);
        assertEquals(2.0, simbad.separationArcsec(), 1e-3);
        assertNull(simbad.error());
        assertEquals("CLOSED", simbad.breakerState());
        ext.close();
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresAndThenAnswersWithoutCalling() throws Exception {
        String url = stub(503, "down");
        ExternalCatalogs ext = new ExternalCatalogs(ExternalCatalogs.endpoints(url, url, url), Duration.ofSeconds(5),
                3, Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            ExternalCatalogs.Match g = ext.query(1, 2, 5, List.of("gaia"), Duration.ofSeconds(5)).get("gaia");
            assertTrue(g.error().contains("unreachable"), g.toString());
        }
        assertEquals(3, calls.get());
        assertEquals(CircuitBreaker.State.OPEN, ext.breaker("gaia").getState());
        ExternalCatalogs.Match g = ext.query(1, 2, 5, List.of("gaia"), Duration.ofSeconds(5)).get("gaia");
        assertTrue(g.error().contains("circuit breaker open"), g.toString());
        assertEquals("OPEN", g.breakerState());
        assertEquals(3, calls.get(), "an open breaker does not call the service");
        assertEquals(CircuitBreaker.State.CLOSED, ext.breaker("simbad").getState(), "breakers are per catalog");
        ext.close();
    }
}
