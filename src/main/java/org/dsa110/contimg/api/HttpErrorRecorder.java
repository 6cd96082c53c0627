package org.dsa110.contimg.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.dsa110.contimg.monitoring.HttpErrorLog;

/**
 * Counts every /api response with status ≥ 400 into the {@link HttpErrorLog} once it has been sent, whichever
 * handler answered (a route, the edge's 404/405/413, the rate limit's 429). Installed first on the router; a
 * rerouted request (aliases, greedy paths) is recorded once.
 */
public final class HttpErrorRecorder implements Handler<RoutingContext> {
    public static final int ORDER = -4000;
    private static final String RECORDED = "contimg.httpErrorRecorded";

    private final HttpErrorLog log;

    public HttpErrorRecorder(HttpErrorLog log) {
        this.log = log;
    }

    public void install(Router router) {
        router.route().order(ORDER).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path != null && path.startsWith("/api") && ctx.get(RECORDED) == null) {
            ctx.put(RECORDED, Boolean.TRUE);
            String method = ctx.request().method() == null ? "" : ctx.request().method().name();
            ctx.addBodyEndHandler(v -> log.record(ctx.response().getStatusCode(), method, path, Instant.now()));
        }
        ctx.next();
    }
}
