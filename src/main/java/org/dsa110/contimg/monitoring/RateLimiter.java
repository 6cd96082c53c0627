package org.dsa110.contimg.monitoring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets: each client may make {@code burst} requests at once and {@code ratePerSecond} per
 * second sustained. A bucket refills continuously; a request takes one token or is refused with the time until
 * the next token. Idle buckets are dropped once they would be full again (so dropping them changes nothing),
 * and at most {@code maxClients} are tracked.
 */
public final class RateLimiter {
    /** The answer for one request: allowed, or refused with the seconds to wait. */
    public record Decision(boolean allowed, long retryAfterSeconds, double tokensLeft) {
    }

    private final boolean enabled;
    private final double ratePerSecond;
    private final double burst;
    private final boolean exemptLoopback;
    private final List<String> exemptPaths;
    private final LongSupplier nanoClock;
    private final Cache<String, Bucket> buckets;
    private final LongAdder requests = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder exempt = new LongAdder();

    public RateLimiter(boolean enabled, double ratePerSecond, int burst, boolean exemptLoopback,
            List<String> exemptPaths, int maxClients) {
        this(enabled, ratePerSecond, burst, exemptLoopback, exemptPaths, maxClients, System::nanoTime);
    }

    RateLimiter(boolean enabled, double ratePerSecond, int burst, boolean exemptLoopback, List<String> exemptPaths,
            int maxClients, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate limit needs rate > 0 and burst >= 1");
        }
        this.enabled = enabled;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.exemptLoopback = exemptLoopback;
        this.exemptPaths = List.copyOf(exemptPaths);
        this.nanoClock = nanoClock;
        long refillSeconds = (long) Math.ceil(burst / ratePerSecond);
        this.buckets = Caffeine.newBuilder().maximumSize(Math.max(1, maxClients))
                .expireAfterAccess(Duration.ofSeconds(Math.max(60, refillSeconds))).build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** True when this request is not counted against any budget (limiter off, loopback client, exempt path). */
    public boolean isExempt(String path, boolean loopbackClient) {
        if (!enabled || (exemptLoopback && loopbackClient)) {
            return true;
        }
        for (String p : exemptPaths) {
            if (!p.isBlank() && path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Takes one token from {@code client}'s bucket. */
    public Decision acquire(String client) {
        requests.increment();
        Bucket b = buckets.get(client, k -> new Bucket(burst, nanoClock.getAsLong()));
        Decision d = b.take(nanoClock.getAsLong(), ratePerSecond, burst);
        if (!d.allowed()) {
            limited.increment();
        }
        return d;
    }

    public void countExempt() {
        exempt.increment();
    }

    /** Configuration, totals and the busiest tracked clients ({@code /api/rate-limiting/stats}). */
    public record RateLimitStats(boolean enabled, double ratePerSecond, long burst, boolean exemptLoopback,
            List<String> exemptPaths, long requestsChecked, long requestsAllowed, long requestsLimited,
            long requestsExempt, double limitedRate, long clientsTracked, List<ClientUse> topClients) {
    }

    /** One tracked client: its requests, those refused, the tokens left now, and when it was first and last seen. */
    public record ClientUse(String client, long requests, long limited, double tokens, Instant firstSeen,
            Instant lastSeen) {
    }

    public RateLimitStats stats(int topClients) {
        long total = requests.sum();
        long refused = limited.sum();
        buckets.cleanUp();
        long now = nanoClock.getAsLong();
        List<ClientUse> clients = buckets.asMap().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Bucket> e) -> e.getValue().requests()).reversed())
                .limit(topClients)
                .map(e -> e.getValue().describe(e.getKey(), now, ratePerSecond, burst)).toList();
        return new RateLimitStats(enabled, ratePerSecond, (long) burst, exemptLoopback, exemptPaths, total,
                total - refused, refused, exempt.sum(), total == 0 ? 0.0 : Math.round(10000.0 * refused / total) / 10000.0,
                buckets.estimatedSize(), clients);
    }

    /** One client's bucket; synchronized because Vert.x event loops may serve the same client concurrently. */
    static final class Bucket {
        private double tokens;
        private long lastNanos;
        private long requests;
        private long refused;
        private final Instant firstSeen = Instant.now();
        private Instant lastSeen = firstSeen;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastNanos = nowNanos;
        }

        synchronized Decision take(long nowNanos, double rate, double burst) {
            refill(nowNanos, rate, burst);
            requests++;
            lastSeen = Instant.now();
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return new Decision(true, 0, tokens);
            }
            refused++;
            long wait = (long) Math.ceil((1.0 - tokens) / rate);
            return new Decision(false, Math.max(1, wait), tokens);
        }

        private void refill(long nowNanos, double rate, double burst) {
            double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
            tokens = Math.min(burst, tokens + elapsed * rate);
            lastNanos = nowNanos;
        }

        synchronized long requests() {
            return requests;
        }

        synchronized ClientUse describe(String client, long nowNanos, double rate, double burst) {
            refill(nowNanos, rate, burst);
            return new ClientUse(client, requests, refused, Math.floor(tokens * 100) / 100, firstSeen, lastSeen);
        }
    }
}
