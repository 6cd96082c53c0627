package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HubCacheTest {

    @Test
    void loadsOnceAndCountsHitsAndMisses() {
        HubCache c = new HubCache(1 << 20, 60);
        AtomicInteger loads = new AtomicInteger();
        assertEquals("v", c.get("k", () -> {
            loads.incrementAndGet();
            return "v";
        }));
        assertEquals("v", c.get("k", () -> "other"));
        assertEquals(1, loads.get());
        HubCache.Stats s = c.stats();
        assertEquals(1L, s.hits());
        assertEquals(1L, s.misses());
        assertEquals(0.5, s.hitRate());
        assertEquals(1L, s.entries());
        // the earlier backend's names of the same counters
        assertEquals(1L, s.totalKeys());
        assertEquals(1L, s.activeKeys());
        assertEquals(2L, s.totalRequests());
        assertEquals(1L, s.sets());
    }

    @Test
    void globPatternsSelectKeys() {
        HubCache c = new HubCache(1 << 20, 60);
        for (String k : List.of("plot:a:hours=24", "plot:b:hours=1", "cone:ra=1", "plot:a:hours=48")) {
            c.get(k, () -> new byte[10]);
        }
        assertEquals(List.of("plot:a:hours=24", "plot:a:hours=48"), c.keys("plot:a:*", 100));
        assertEquals(List.of("plot:b:hours=1"), c.keys("plot:?:hours=1", 100));
        assertEquals(2, c.keys(null, 2).size());
        assertEquals(List.of(), c.keys("plot.*", 100), "regex characters are literal");
        assertTrue(c.invalidate("cone:ra=1"));
        assertFalse(c.invalidate("cone:ra=1"));
        assertEquals(3L, c.clear());
        assertEquals(0L, c.size());
        assertEquals(4L, c.stats().deletes(), "one invalidated, three cleared");
    }

    @Test
    void weightBoundsTheCache() {
        HubCache c = new HubCache(10_000, 60);
        for (int i = 0; i < 50; i++) {
            int n = i;
            c.get("k" + n, () -> new byte[1000]);
        }
        assertTrue(c.size() <= 10, "about 10 kB of 1 kB values fit: " + c.size());
        assertTrue(c.stats().evictions() > 0);
        assertTrue(c.stats().deletes() >= c.stats().evictions());
        assertEquals(1000 + 2 * 3, HubCache.weigh("k10", new byte[1000]));
    }
}
