package org.dsa110.contimg.ops;

import io.vertx.core.http.ServerWebSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;

/**
 * The WebSocket clients connected to /api/ws/status, by connection key, from the connection events of
 * {@link LiveRoutes}: the event statistics count them (SSE clients are counted by {@link SseChannel}), and the
 * status-on-connect, the {@code pong} and every broadcast are written to the clients' own sockets. Writing through
 * the component's producer instead raced with a client that went away: the producer logged a WARN for every such
 * client (also with {@code sendToAll}) and, not finding the connection, opened a client connection to the hub
 * itself.
 */
public final class LiveClients {
    private final Map<String, ServerWebSocket> connections = new ConcurrentHashMap<>();

    /** OPEN event: the body is the client's socket. */
    public void opened(@Header(VertxWebsocketConstants.CONNECTION_KEY) String connectionKey, @Body Object socket) {
        if (connectionKey != null && socket instanceof ServerWebSocket ws) {
            connections.put(connectionKey, ws);
        }
    }

    /** CLOSE event. */
    public void closed(@Header(VertxWebsocketConstants.CONNECTION_KEY) String connectionKey) {
        if (connectionKey != null) {
            connections.remove(connectionKey);
        }
    }

    /** Writes {@code text} to one client if it is still connected; a client that went away is simply skipped. */
    public void send(@Header(VertxWebsocketConstants.CONNECTION_KEY) String connectionKey, @Body String text) {
        ServerWebSocket ws = connectionKey == null ? null : connections.get(connectionKey);
        if (ws != null) {
            write(connectionKey, ws, text);
        }
    }

    /** Writes {@code text} to every connected client; clients that went away are skipped and forgotten. */
    public void broadcast(String text) {
        connections.forEach((key, ws) -> write(key, ws, text));
    }

    /** A client that went away is forgotten instead of written to. */
    private void write(String key, ServerWebSocket ws, String text) {
        if (ws.isClosed()) {
            connections.remove(key, ws);
        } else {
            ws.writeTextMessage(text).onFailure(e -> connections.remove(key, ws));
        }
    }

    public int count() {
        return connections.size();
    }
}
