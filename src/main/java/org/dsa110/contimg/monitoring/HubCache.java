package org.dsa110.contimg.monitoring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The hub's one bounded cache for expensive read results (plots, cone searches, previews). Entries are weighed by
 * their approximate size in bytes and expire a fixed time after they were computed, so a result is never older
 * than {@code hub.cache.ttl.seconds}. Callers choose keys that name what they computed, e.g.
 * {@code plot:queue-health/depth-trends?hours=24@<data version>}.
 */
public final class HubCache {
    /** Weight of a value whose size cannot be estimated. */
    static final int DEFAULT_WEIGHT = 1024;

    private final Cache<String, Object> cache;
    private final long maxBytes;
    private final long ttlSeconds;
    /** Entries removed on request (invalidate, clear); Caffeine counts only evictions. */
    private final java.util.concurrent.atomic.AtomicLong removed = new java.util.concurrent.atomic.AtomicLong();

    public HubCache(long maxBytes, long ttlSeconds) {
        this.maxBytes = maxBytes;
        this.ttlSeconds = ttlSeconds;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Object v) -> weigh(k, v))
                .expireAfterWrite(Duration.ofSeconds(Math.max(1, ttlSeconds)))
                .recordStats()
                .build();
    }

    /** The cached value of {@code key}, computing and storing it with {@code loader} on a miss. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Supplier<T> loader) {
        return (T) cache.get(key, k -> loader.get());
    }

    /** The value of {@code key} if present (not counted as a hit or miss). */
    public Optional<Object> peek(String key) {
        return Optional.ofNullable(cache.asMap().get(key));
    }

    public boolean invalidate(String key) {
        boolean present = cache.asMap().remove(key) != null;
        if (present) {
            removed.incrementAndGet();
        }
        return present;
    }

    /** Removes every entry; returns how many there were. */
    public long clear() {
        long n = cache.estimatedSize();
        removed.addAndGet(n);
        cache.invalidateAll();
        cache.cleanUp();
        return n;
    }

    /** Keys matching a glob pattern ({@code *} any run, {@code ?} one character; null = all), sorted. */
    public List<String> keys(String glob, int limit) {
        Pattern p = glob == null || glob.isBlank() ? null : globToRegex(glob);
        List<String> out = new ArrayList<>();
        for (String k : cache.asMap().keySet()) {
            if (p == null || p.matcher(k).matches()) {
                out.add(k);
            }
        }
        out.sort(null);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * Counters since start and the current size and weight. The earlier backend's names (read by the dashboard)
     * sit beside Caffeine's: {@code total_keys} = {@code active_keys} = {@code entries} (expired entries are never
     * served), {@code total_requests} = {@code requests}, {@code sets} = {@code loads}, {@code deletes} = evictions
     * plus entries removed on request.
     */
    public record Stats(long entries, long weightBytes, long maxWeightBytes, long ttlSeconds, long requests, long hits,
            long misses, double hitRate, double missRate, long loads, long loadFailures, double averageLoadMs,
            double totalLoadMs, long evictions, String backendType, long totalKeys, long activeKeys, long sets,
            long deletes, long totalRequests) {
    }

    /** The cache's implementation, as the earlier backend's {@code backend_type} names it. */
    public static final String BACKEND = "in-memory (Caffeine)";

    public Stats stats() {
        CacheStats s = cache.stats();
        long entries = size();
        return new Stats(entries, cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L),
                maxBytes, ttlSeconds, s.requestCount(), s.hitCount(), s.missCount(),
                s.requestCount() == 0 ? 0.0 : round4(s.hitRate()), s.requestCount() == 0 ? 0.0 : round4(s.missRate()),
                s.loadCount(), s.loadFailureCount(), round4(s.averageLoadPenalty() / 1e6),
                round4(s.totalLoadTime() / 1e6), s.evictionCount(), BACKEND, entries, entries, s.loadCount(),
                s.evictionCount() + removed.get(), s.requestCount());
    }

    /** Approximate size of a cached value in bytes. */
    static int weigh(String key, Object value) {
        int keyBytes = 2 * key.length();
        if (value instanceof byte[] b) {
            return keyBytes + b.length;
        }
        if (value instanceof CharSequence s) {
            return keyBytes + 2 * s.length();
        }
        if (value instanceof Sized s) {
            return keyBytes + (int) Math.min(Integer.MAX_VALUE, s.sizeBytes());
        }
        return keyBytes + DEFAULT_WEIGHT;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static double round4(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }

    /** A cached value that knows its size (e.g. a rendered plot). */
    public interface Sized {
        long sizeBytes();
    }
}
