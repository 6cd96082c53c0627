package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.security.Role;

/** /api/cache/stats, /api/keys, /api/keys/{key}, /api/clear: the hub's result cache. */
public class CacheApi extends ApiRoutes {

    @Override
    public void configure() {
        HubCache cache = lookup("hubCache", HubCache.class);

        get("/cache/stats", "cache.stats", "Hits, misses, loads, evictions, size of the result cache",
                req -> cache.stats());
        get("/keys", "cache.keys", "Cached keys matching a glob pattern (* and ?)", req -> {
            String pattern = req.query("pattern");
            int limit = req.intQuery("limit", 100, 1, 1000);
            List<String> keys = cache.keys(pattern, limit);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("keys", keys);
            out.put("count", keys.size());
            out.put("total_entries", cache.size());
            out.put("pattern", pattern);
            out.put("limit", limit);
            return out;
        });
        get("/keys/{key:path}", "cache.keys.get", "One cached entry: its type, size and (for JSON values) value",
                req -> describe(req.path("key"), cache));
        delete("/keys/{key:path}", "cache.keys.delete", "Removes one cached entry", Role.ADMIN, req -> {
            String key = req.path("key");
            if (!cache.invalidate(key)) {
                throw HubException.notFound("cache key", key);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("deleted", true);
            return out;
        });
        delete("/clear", "cache.clear", "Empties the result cache", Role.ADMIN, req -> cleared(cache));
        post("/clear", "cache.clear.post", "Empties the result cache (POST form)", Role.ADMIN,
                req -> cleared(cache));
    }

    private static Map<String, Object> cleared(HubCache cache) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cleared", cache.clear());
        out.put("status", "cleared");
        return out;
    }

    private static Map<String, Object> describe(String key, HubCache cache) {
        Object v = cache.peek(key).orElseThrow(() -> HubException.notFound("cache key", key));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key);
        out.put("exists", true);
        if (v instanceof Plot p) {
            out.put("type", "image/png");
            out.put("size_bytes", p.png().length);
            out.put("value", null);
        } else if (v instanceof byte[] b) {
            out.put("type", "bytes");
            out.put("size_bytes", b.length);
            out.put("value", null);
        } else if (v instanceof CharSequence s) {
            out.put("type", "string");
            out.put("size_bytes", 2L * s.length());
            out.put("value", s.toString());
        } else {
            out.put("type", v instanceof Map<?, ?> || v instanceof List<?> ? "json" : v.getClass().getSimpleName());
            out.put("size_bytes", null);
            Object value;
            try {
                value = Json.MAPPER.valueToTree(v);
            } catch (IllegalArgumentException e) {
                value = null; // not representable as JSON: describe it without its value
            }
            out.put("value", value);
        }
        return out;
    }
}
