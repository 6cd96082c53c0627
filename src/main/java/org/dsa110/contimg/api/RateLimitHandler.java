package org.dsa110.contimg.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dsa110.contimg.monitoring.RateLimiter;

/**
 * The rate limit at the HTTP edge: every /api request takes a token from its client's bucket before any route
 * runs; a refused request gets 429 with {@code Retry-After} and the JSON error body {@code RATE_LIMITED}.
 * Installed after the body-size check (order -2000) and before the greedy-path reroutes (-1000); a rerouted
 * request is counted once.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
    public static final int ORDER = -1500;
    private static final String COUNTED = "contimg.rateLimitChecked";

    private final RateLimiter limiter;
    private final RateLimiter expensive;
    private final List<Pattern> expensivePaths;
    private final ClientAddress clients;

    public RateLimitHandler(RateLimiter limiter, ClientAddress clients) {
        this(limiter, null, List.of(), clients);
    }

    /**
     * @param expensive      a second, stricter budget for the paths matching {@code expensivePaths} (plots,
     *                       cutouts, mosaics, catalog queries), taken on top of the general one; may be null
     * @param expensivePaths globs: {@code *} within one path segment, {@code **} across segments
     */
    public RateLimitHandler(RateLimiter limiter, RateLimiter expensive, List<String> expensivePaths,
            ClientAddress clients) {
        this.limiter = limiter;
        this.expensive = expensive;
        this.expensivePaths = expensivePaths.stream().map(RateLimitHandler::glob).toList();
        this.clients = clients;
    }

    /** A path glob as a regular expression: {@code **} any characters, {@code *} any but '/'. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        String g = glob.strip();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** True when {@code path} is one of the expensive endpoints. */
    public boolean isExpensive(String path) {
        for (Pattern p : expensivePaths) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    public void install(Router router) {
        router.route().order(ORDER).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || !path.startsWith("/api") || ctx.get(COUNTED) != null) {
            ctx.next();
            return;
        }
        ctx.put(COUNTED, Boolean.TRUE);
        String client = clients.of(ctx.request());
        if (limiter.isExempt(path, isLoopback(client))) {
            limiter.countExempt();
            ctx.next();
            return;
        }
        RateLimiter.Decision d = limiter.acquire(client);
        if (d.allowed() && expensive != null && isExpensive(path)) {
            d = expensive.acquire(client); // plots, cutouts, mosaics, catalog queries: a budget of their own
        }
        if (d.allowed()) {
            ctx.response().putHeader("X-RateLimit-Remaining", String.valueOf((long) Math.floor(d.tokensLeft())));
            ctx.next();
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("client", client);
        details.put("retry_after_seconds", d.retryAfterSeconds());
        details.put("path", path);
        details.put("method", ctx.request().method() == null ? "" : ctx.request().method().name());
        ctx.response().setStatusCode(429)
                .putHeader("Retry-After", String.valueOf(d.retryAfterSeconds()))
                .putHeader("Content-Type", ApiResponse.JSON);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
        } else {
            ctx.response().end(ErrorBody.json("too many requests; retry after " + d.retryAfterSeconds() + " s",
                    "RATE_LIMITED", details));
        }
    }

    /** Loopback test on an IP literal (no name lookup: Vert.x reports numeric peer addresses). */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty() || !(Character.isDigit(host.charAt(0)) || host.contains(":"))) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }
}
