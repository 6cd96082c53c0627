package org.dsa110.contimg.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place typed events leave the hub: every event goes to WebSocket clients, SSE clients, in-process
 * listeners, and the events table (so /api/stream can replay recent ones). Message shape:
 * {@code {"type", "timestamp", "data"}}.
 */
public final class EventBroadcaster {
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    static final int MAX_STORED_PAYLOAD = 100_000;

    private final Db db;
    private final SseChannel sse;
    private final StatusReport status;
    private final LiveClients webSockets;
    private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();

    public EventBroadcaster(Db db, SseChannel sse, StatusReport status) {
        this(db, sse, status, new LiveClients());
    }

    /** @param webSockets the clients of /api/ws/status (connected once the Camel context runs) */
    public EventBroadcaster(Db db, SseChannel sse, StatusReport status, LiveClients webSockets) {
        this.db = db;
        this.sse = sse;
        this.status = status;
        this.webSockets = webSockets;
    }

    public void addListener(Consumer<Map<String, Object>> listener) {
        listeners.add(listener);
    }

    public static Map<String, Object> message(String type, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("timestamp", Instant.now());
        m.put("data", data);
        return m;
    }

    /** Publishes a typed event everywhere and stores it. */
    public void publish(String type, Object data) {
        Map<String, Object> message = message(type, data);
        String json = Json.write(message);
        deliver(type, json, message);
        String payload = Json.write(data);
        if (payload.length() > MAX_STORED_PAYLOAD) {
            // the live clients got it whole; the replay log keeps a marker rather than failing the insert
            payload = Json.write(Map.of("truncated", true, "size", payload.length()));
        }
        try {
            db.update("INSERT INTO events (event_type, legacy_type, payload, created_at) VALUES (?, ?, ?, ?)",
                    type, LegacyEventTypes.of(type, data), payload, message.get("timestamp"));
        } catch (StoreException e) {
            LOG.warn("could not store {} event: {}", type, e.getMessage());
        }
    }

    /** The periodic status_update (not stored: it is a snapshot, replayable from the store itself). */
    public void broadcastStatus() {
        Map<String, Object> message = message("status_update", status.liveStatus());
        deliver("status_update", Json.write(message), message);
    }

    public String statusJson() {
        return Json.write(message("status_update", status.liveStatus()));
    }

    private void deliver(String type, String json, Map<String, Object> message) {
        try {
            webSockets.broadcast(json);
        } catch (RuntimeException e) {
            LOG.debug("WebSocket broadcast of {} failed: {}", type, e.getMessage());
        }
        sse.broadcast(type, json);
        for (Consumer<Map<String, Object>> l : listeners) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("event listener failed on {}: {}", type, e.getMessage());
            }
        }
    }
}
