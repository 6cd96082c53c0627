package org.dsa110.contimg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket and SSE live channels, and the broadcast endpoint, over real connections. */
class LiveChannelsTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    /** Collects text frames (joined when fragmented). */
    static class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode next(String type, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String m = messages.poll(200, TimeUnit.MILLISECONDS);
                if (m != null) {
                    JsonNode n = Json.MAPPER.readTree(m);
                    if (type.equals(n.path("type").asText())) {
                        return n;
                    }
                }
            }
            return null;
        }
    }

    static long websocketSubscribers() throws Exception {
        return Json.MAPPER.readTree(hub.get("/api/events/stats").body()).path("subscribers").path("websocket")
                .asLong(-1);
    }

    @Test
    void webSocketAnswersPingAndPushesStatus() throws Exception {
        long before = websocketSubscribers();
        Collector c = new Collector();
        WebSocket ws = hub.http().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + hub.port() + "/api/ws/status"), c)
                .get(10, TimeUnit.SECONDS);
        try {
            JsonNode first = c.next("status_update", 10);
            assertNotNull(first, "status_update within 10 s");
            JsonNode data = first.path("data");
            assertTrue(data.path("pipeline_status").path("queue").has("total"), first.toString());
            assertTrue(data.has("metrics"));
            assertTrue(data.path("ese_candidates").has("active_count"));
            assertNotNull(java.time.Instant.parse(first.path("timestamp").asText()));

            ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
            assertNotNull(c.next("pong", 10), "pong for ping");

            // a published event reaches the socket
            hub.post("/api/test/streaming/broadcast", "{\"type\":\"ws_check\",\"message\":\"hello\"}");
            JsonNode ev = c.next("ws_check", 10);
            assertNotNull(ev);
            assertEquals("hello", ev.path("data").path("message").asText());
            // the event statistics count the connection
            assertEquals(before + 1, websocketSubscribers());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (websocketSubscribers() > before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before, websocketSubscribers(), "the closed connection is no longer counted");
    }

    @Test
    void sseStreamsStatusAndEvents() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(hub.uri("/api/sse/status")).GET().build();
        HttpResponse<InputStream> res = hub.http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "status_update".equals(event)) {
                    JsonNode n = Json.MAPPER.readTree(line.substring(6));
                    assertEquals("status_update", n.path("type").asText());
                    assertTrue(n.path("data").path("pipeline_status").has("recent_groups"));
                    return;
                }
            }
        }
        throw new AssertionError("no status_update event on the SSE stream");
    }

    @Test
    void shutdownClosesLiveClientsCleanly() throws Exception {
        TestHub own = TestHub.start(java.util.Map.of());
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        Collector c = new Collector() {
            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };
        own.http().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + own.port() + "/api/ws/status"), c)
                .get(10, TimeUnit.SECONDS);
        assertNotNull(c.next("status_update", 10));
        HttpResponse<InputStream> sse = own.http().send(
                HttpRequest.newBuilder(own.uri("/api/sse/status")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        own.close();
        // the WebSocket gets a close frame (not a dropped connection) and the SSE stream ends
        assertNotNull(closed.get(20, TimeUnit.SECONDS));
        java.util.concurrent.CompletableFuture<byte[]> rest = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sse.body().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // readAllBytes returns only when the server ends the stream; a hung stream fails the timeout
        assertNotNull(rest.get(20, TimeUnit.SECONDS));
    }

    @Test
    void broadcastValidatesItsBody() throws Exception {
        HttpResponse<String> bad = hub.post("/api/test/streaming/broadcast", "{\"type\": ");
        assertEquals(400, bad.statusCode());
        assertEquals("INVALID_JSON", Json.MAPPER.readTree(bad.body()).path("code").asText());
        HttpResponse<String> unknown = hub.post("/api/test/streaming/broadcast", "{\"typo\": 1}");
        assertEquals(400, unknown.statusCode());
        assertEquals("UNKNOWN_FIELD", Json.MAPPER.readTree(unknown.body()).path("code").asText());
        HttpResponse<String> invalid = hub.post("/api/test/streaming/broadcast", "{\"type\": \"Bad Type\"}");
        assertEquals(422, invalid.statusCode());
        HttpResponse<String> ok = hub.post("/api/test/streaming/broadcast", "{}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(Json.MAPPER.readTree(ok.body()).path("success").asBoolean());
    }
}
