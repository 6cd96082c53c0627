package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.security.Role;

/** POST /api/test/streaming/broadcast: publish a test event to live clients (checks a dashboard's connection). */
public class LiveApi extends ApiRoutes {

    /** Request: an event type (default {@code test}) and any JSON data or a message text. */
    public record BroadcastRequest(String type, JsonNode data, String message) {
        public BroadcastRequest {
            if (type != null && !type.matches("[a-z][a-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("type must be snake_case (a-z, 0-9, _), at most 64 characters");
            }
        }
    }

    /** What was published and to how many SSE clients ({@code success} is always true). */
    public record Broadcast(boolean success, String type, int sseClients) {
    }

    @Override
    public void configure() {
        EventBroadcaster events = lookup("eventBroadcaster", EventBroadcaster.class);
        SseChannel sse = lookup("sseChannel", SseChannel.class);
        post("/test/streaming/broadcast", "live.broadcast", "Publish a test event to WebSocket and SSE clients", Role.ADMIN,
                req -> {
                    BroadcastRequest body = req.bodyOrDefaults(BroadcastRequest.class);
                    String type = body.type() == null ? "test" : body.type();
                    Object data = body.data() != null ? body.data()
                            : Map.of("message", body.message() == null ? "test broadcast" : body.message());
                    events.publish(type, data);
                    return new Broadcast(true, type, sse.clientCount());
                })
                .optionalBody(BroadcastRequest.class).returns(Broadcast.class);
    }
}
