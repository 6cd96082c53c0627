package org.dsa110.contimg.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every HTTP request the hub answers, timed at the edge (first handler on the shared router, so 404s, 405s, 413s
 * and 429s count too): {@code http_server_requests_seconds{method, status, outcome}}, a histogram (1 ms to 30 s) for
 * rate, latency percentiles and error ratio. No path tag: ~250 operations times statuses would make thousands of
 * series; per-operation counts and timings are Camel's ({@code camel_route_policy_seconds{routeId="api.…"}}).
 * Long-lived streams (WebSocket upgrades, server-sent events) are not timed: their duration is a session's, not a
 * request's. A request rerouted inside the router is counted once.
 */
public final class HttpMetrics implements Handler<RoutingContext> {
    public static final int ORDER = -4000;
    private static final String TIMED = "contimg.httpTimed";

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void install(Router router) {
        router.route().order(ORDER).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.get(TIMED) != null || "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            ctx.next();
            return;
        }
        ctx.put(TIMED, Boolean.TRUE);
        long start = System.nanoTime();
        String method = ctx.request().method() == null ? "OTHER" : ctx.request().method().name();
        ctx.addEndHandler(done -> {
            String type = ctx.response().headers().get("Content-Type");
            if (type != null && type.startsWith("text/event-stream")) {
                return;
            }
            int status = ctx.response().getStatusCode();
            Timer.builder("http.server.requests")
                    .description("HTTP requests answered by the hub")
                    .tag("method", method)
                    .tag("status", Integer.toString(status))
                    .tag("outcome", outcome(status, done.succeeded()))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }

    /** SUCCESS, REDIRECTION, CLIENT_ERROR, SERVER_ERROR, or UNKNOWN (the connection closed before the answer). */
    static String outcome(int status, boolean answered) {
        if (!answered) {
            return "UNKNOWN";
        }
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        return status >= 300 ? "REDIRECTION" : "SUCCESS";
    }
}
