package org.dsa110.contimg.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket clients connected to /api/ws/status (by connection key, from the connection events of
 * {@link LiveRoutes}), so the event statistics can say who listens. SSE clients are counted by {@link SseChannel}.
 */
public final class LiveClients {
    private final Set<String> connections = ConcurrentHashMap.newKeySet();

    public void opened(String connectionKey) {
        if (connectionKey != null) {
            connections.add(connectionKey);
        }
    }

    public void closed(String connectionKey) {
        if (connectionKey != null) {
            connections.remove(connectionKey);
        }
    }

    public int count() {
        return connections.size();
    }
}
