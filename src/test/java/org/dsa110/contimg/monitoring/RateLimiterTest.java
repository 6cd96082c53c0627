package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;
import org.dsa110.contimg.api.ClientAddress;
import org.dsa110.contimg.api.RateLimitHandler;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong clock = new AtomicLong(1_000_000_000L);

    RateLimiter limiter(double rate, int burst) {
        return new RateLimiter(true, rate, burst, true, List.of("/api/health"), 100, clock::get);
    }

    @Test
    void burstThenRefusedUntilATokenRefills() {
        RateLimiter l = limiter(1.0, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(l.acquire("10.0.0.1").allowed(), "request " + i);
        }
        RateLimiter.Decision d = l.acquire("10.0.0.1");
        assertFalse(d.allowed());
        assertEquals(1, d.retryAfterSeconds());
        clock.addAndGet(500_000_000L); // half a token
        assertFalse(l.acquire("10.0.0.1").allowed());
        clock.addAndGet(1_000_000_000L); // 0.5 + 1.0 = 1.5 tokens accrued since the refusals
        assertTrue(l.acquire("10.0.0.1").allowed());
        // another client has its own full bucket
        assertTrue(l.acquire("10.0.0.2").allowed());
    }

    @Test
    void retryAfterIsTheTimeToTheNextToken() {
        RateLimiter l = limiter(0.1, 1); // one token per 10 s
        assertTrue(l.acquire("c").allowed());
        assertEquals(10, l.acquire("c").retryAfterSeconds());
        clock.addAndGet(4_000_000_000L);
        assertEquals(6, l.acquire("c").retryAfterSeconds());
    }

    @Test
    void bucketNeverHoldsMoreThanTheBurst() {
        RateLimiter l = limiter(100.0, 2);
        clock.addAndGet(3_600_000_000_000L);
        assertTrue(l.acquire("c").allowed());
        assertTrue(l.acquire("c").allowed());
        assertFalse(l.acquire("c").allowed());
    }

    @Test
    void exemptionsAndStats() {
        RateLimiter l = limiter(1.0, 1);
        assertTrue(l.isExempt("/api/images", true), "loopback");
        assertTrue(l.isExempt("/api/health/live", false), "exempt path");
        assertFalse(l.isExempt("/api/images", false));
        RateLimiter off = new RateLimiter(false, 1.0, 1, false, List.of(), 10, clock::get);
        assertTrue(off.isExempt("/api/images", false));
        l.acquire("a");
        l.acquire("a");
        l.acquire("b");
        RateLimiter.RateLimitStats s = l.stats(5);
        assertEquals(3L, s.requestsChecked());
        assertEquals(1L, s.requestsLimited());
        assertEquals(2L, s.clientsTracked());
        assertEquals("a", s.topClients().get(0).client());
        assertEquals(1L, s.topClients().get(0).limited());
    }

    @Test
    void loopbackDetectionNeedsNoNameLookup() {
        assertTrue(RateLimitHandler.isLoopback("127.0.0.1"));
        assertTrue(RateLimitHandler.isLoopback("0:0:0:0:0:0:0:1"));
        assertFalse(RateLimitHandler.isLoopback("10.1.2.3"));
        assertFalse(RateLimitHandler.isLoopback("localhost.example"));
        // X-Forwarded-For counts only from a trusted proxy, read from the right past the trusted hops
        ClientAddress trusting = new ClientAddress(true, Set.of("127.0.0.1", "10.0.0.1"));
        assertEquals("192.0.2.7", trusting.of("127.0.0.1", "192.0.2.7, 10.0.0.1"));
        assertEquals("198.51.100.9", trusting.of("127.0.0.1", "192.0.2.7, 198.51.100.9"));
        assertEquals("203.0.113.5", trusting.of("203.0.113.5", "192.0.2.7"), "an untrusted peer cannot claim one");
        assertEquals("127.0.0.1", new ClientAddress(false, Set.of("127.0.0.1")).of("127.0.0.1", "192.0.2.7"));
    }

    @Test
    void expensiveEndpointsAreRecognisedByTheirGlobs() {
        RateLimitHandler h = new RateLimitHandler(limiter(1, 1), limiter(1, 1), List.of("/api/**/plots/**",
                "/api/**/*.png", "/api/images/*/cutout", "/api/catalog/**", "/api/mosaics/create"),
                new ClientAddress(false, Set.of()));
        for (String p : List.of("/api/performance/plots/throughput", "/api/qa/images/3/preview.png",
                "/api/images/12/cutout", "/api/catalog/overlay", "/api/mosaics/create")) {
            assertTrue(h.isExpensive(p), p);
        }
        for (String p : List.of("/api/sources", "/api/images/12", "/api/images/12/cutouts/x", "/api/mosaics")) {
            assertFalse(h.isExpensive(p), p);
        }
    }
}
