package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.security.Role;

/**
 * /api/cache/stats, /api/keys, /api/keys/{key}, /api/clear: the hub's result cache (the dashboard reads the keys
 * under their earlier paths /api/cache/keys*, aliases of these).
 */
public class CacheApi extends ApiRoutes {

    /** One key of a listing (the earlier backend's shape: every key listed exists and has a value). */
    public record KeyEntry(String key, boolean exists, boolean hasValue) {
    }

    /** GET /api/keys: {@code total} keys match the pattern, {@code count} of them are listed. */
    public record KeyList(List<KeyEntry> keys, long total, int count, long totalEntries, String pattern, int limit) {
    }

    /**
     * One cached entry. {@code type}/{@code size_bytes} are the hub's names, {@code value_type}/{@code value_size}
     * the earlier backend's (the size of a JSON value is its serialised length); {@code value} is null for binary
     * values and values that are not JSON.
     */
    public record Entry(String key, boolean exists, String type, Long sizeBytes, String valueType, long valueSize,
            Object value) {
    }

    /** DELETE /api/keys/{key}. */
    public record KeyDeleted(String key, boolean deleted) {
    }

    /** DELETE|POST /api/clear: {@code cleared} entries were removed; {@code status} is always "cleared". */
    public record Cleared(long cleared, String status) {
    }

    @Override
    public void configure() {
        HubCache cache = lookup("hubCache", HubCache.class);

        get("/cache/stats", "cache.stats", "Hits, misses, loads, evictions, size of the result cache",
                req -> cache.stats())
                .returns(org.dsa110.contimg.monitoring.HubCache.Stats.class);
        get("/keys", "cache.keys", "Cached keys matching a glob pattern (* and ?)", req -> {
            String pattern = req.query("pattern");
            int limit = req.intQuery("limit", 100, 1, 1000);
            List<String> all = cache.keys(pattern, Integer.MAX_VALUE);
            List<KeyEntry> keys = all.stream().limit(limit).map(k -> new KeyEntry(k, true, true)).toList();
            return new KeyList(keys, all.size(), keys.size(), cache.size(), pattern, limit);
        })
                .queryString("pattern", "Glob of keys (* and ?)")
                .queryInt("limit", 100, 1, 1000).returns(KeyList.class);
        get("/keys/{key:path}", "cache.keys.get", "One cached entry: its type, size and (for JSON values) value",
                req -> describe(req.path("key"), cache))
                .returns(Entry.class);
        delete("/keys/{key:path}", "cache.keys.delete", "Removes one cached entry", Role.ADMIN, req -> {
            String key = req.path("key");
            if (!cache.invalidate(key)) {
                throw HubException.notFound("cache key", key);
            }
            return new KeyDeleted(key, true);
        }).returns(KeyDeleted.class);
        delete("/clear", "cache.clear", "Empties the result cache", Role.ADMIN,
                req -> new Cleared(cache.clear(), "cleared")).returns(Cleared.class);
        post("/clear", "cache.clear.post", "Empties the result cache (POST form)", Role.ADMIN,
                req -> new Cleared(cache.clear(), "cleared")).returns(Cleared.class);
    }

    private static Entry describe(String key, HubCache cache) {
        Object v = cache.peek(key).orElseThrow(() -> HubException.notFound("cache key", key));
        if (v instanceof Plot p) {
            return entry(key, "image/png", (long) p.png().length, null);
        }
        if (v instanceof byte[] b) {
            return entry(key, "bytes", (long) b.length, null);
        }
        if (v instanceof CharSequence s) {
            return entry(key, "string", 2L * s.length(), s.toString());
        }
        String type = v instanceof Map<?, ?> || v instanceof List<?> ? "json" : v.getClass().getSimpleName();
        try {
            JsonNode value = Json.MAPPER.valueToTree(v);
            return new Entry(key, true, type, null, type, Json.writeBytes(value).length, value);
        } catch (IllegalArgumentException e) {
            return new Entry(key, true, type, null, type, 0, null); // not representable as JSON
        }
    }

    private static Entry entry(String key, String type, Long size, Object value) {
        return new Entry(key, true, type, size, type, size, value);
    }
}
