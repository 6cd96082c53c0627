package org.dsa110.contimg.ops;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events at GET /api/sse/status: a plain Vert.x route on the platform-http router (a Camel route
 * returning an endless stream would pin a worker and send no headers). Each client gets the current status at
 * connect, then every broadcast event, plus a heartbeat comment; clients that go away are dropped.
 */
public final class SseChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SseChannel.class);
    public static final String PATH = "/api/sse/status";

    private final Set<HttpServerResponse> clients = ConcurrentHashMap.newKeySet();
    private final long heartbeatMillis;
    private Long heartbeatTimer;
    private Vertx vertx;

    public SseChannel(long heartbeatSeconds) {
        this.heartbeatMillis = Math.max(1, heartbeatSeconds) * 1000L;
    }

    /** Mounts the route; {@code greeting} produces the first message each client receives (JSON text). */
    public void install(Router router, Vertx vertx, Supplier<String> greeting) {
        this.vertx = vertx;
        router.get(PATH).order(-1000).handler(ctx -> {
            HttpServerResponse res = ctx.response();
            res.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("Connection", "keep-alive")
                    .putHeader("X-Accel-Buffering", "no");
            res.closeHandler(v -> clients.remove(res));
            res.exceptionHandler(e -> clients.remove(res));
            res.write("retry: 5000\n\n");
            clients.add(res);
            // Build the greeting off the event loop: it reads the store.
            vertx.executeBlocking(() -> greeting.get(), false).onSuccess(json -> send(res, "status_update", json))
                    .onFailure(e -> LOG.warn("SSE greeting failed: {}", e.getMessage()));
        });
        heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
    }

    public int clientCount() {
        return clients.size();
    }

    /** Sends one event to every connected client. */
    public void broadcast(String eventType, String json) {
        for (HttpServerResponse res : clients) {
            send(res, eventType, json);
        }
    }

    private void send(HttpServerResponse res, String eventType, String json) {
        if (res.closed() || res.ended()) {
            clients.remove(res);
            return;
        }
        res.write("event: " + eventType + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n")
                .onFailure(e -> clients.remove(res));
    }

    private void heartbeat() {
        for (HttpServerResponse res : clients) {
            if (res.closed() || res.ended()) {
                clients.remove(res);
            } else {
                res.write(": heartbeat\n\n").onFailure(e -> clients.remove(res));
            }
        }
    }

    /** Ends every stream (graceful shutdown) so clients see a clean close. */
    public void close() {
        if (heartbeatTimer != null && vertx != null) {
            vertx.cancelTimer(heartbeatTimer);
        }
        for (HttpServerResponse res : clients) {
            if (!res.ended() && !res.closed()) {
                res.end();
            }
        }
        clients.clear();
    }
}
