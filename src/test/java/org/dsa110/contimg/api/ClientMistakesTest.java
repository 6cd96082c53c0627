package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client mistakes at the HTTP layer get a 4xx with the JSON error body, never a 500: a body that is not a JSON
 * object on every operation that takes one (walked from the served OpenAPI document, on a hub of its own since
 * the operations really run), malformed %-escapes and over-long URIs.
 */
class ClientMistakesTest {
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of("hub.streaming.autostart", "false"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400Everywhere() throws Exception {
        JsonNode paths = Json.MAPPER.readTree(hub.get("/api/openapi.json").body()).path("paths");
        int validation = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            String path = "/api" + p.getKey().replaceAll("\\{[^}]+}", "x1");
            for (String method : List.of("post", "put", "patch")) {
                if (!p.getValue().has(method)) {
                    continue;
                }
                for (String body : List.of("null", "[]", "[{}]", "5", "\"text\"", "true")) {
                    HttpResponse<String> r = hub.send(method.toUpperCase(), path, body);
                    String what = method.toUpperCase() + " " + p.getKey() + " with " + body;
                    assertNotEquals(500, r.statusCode(), what + ": " + r.body());
                    assertFalse(r.body().contains("Exception"), what + ": " + r.body());
                    if (r.statusCode() == 400 && r.body().contains("\"VALIDATION_ERROR\"")) {
                        validation++;
                    }
                }
            }
        }
        assertTrue(validation >= 100, "only " + validation + " VALIDATION_ERROR answers");
    }

    @Test
    void oversizedHeadersAndGarbageGetTheErrorBody() throws Exception {
        String[] bigHeader = rawRequest("GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(9000)
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(bigHeader[0].contains(" 431 "), bigHeader[0]);
        assertTrue(bigHeader[1].contains("\"code\":\"HEADERS_TOO_LARGE\""), bigHeader[1]);
        String[] garbage = rawRequest("NOT AN HTTP REQUEST\r\nHost: localhost\r\n\r\n");
        assertTrue(garbage[0].contains(" 400 "), garbage[0]);
        assertTrue(garbage[1].contains("\"status\":\"error\""), garbage[1]);
        assertFalse(garbage[1].contains("Exception"), garbage[1]);
    }

    /** A request sent as raw bytes (java.net.URI refuses malformed escapes): status line and body. */
    private static String[] raw(String target) throws Exception {
        return rawRequest("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private static String[] rawRequest(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", hub.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return new String[] {response.substring(0, response.indexOf("\r\n")),
                    end < 0 ? "" : response.substring(end + 4)};
        }
    }

    @Test
    void malformedEscapesAndOverlongUrisGetTheErrorBody() throws Exception {
        for (String uri : List.of("/api/sources/%zz", "/api/sources?limit=%zz", "/api/sources?q=%4", "/api/x%g1/y", "/api/%")) {
            String[] r = raw(uri);
            assertTrue(r[0].contains(" 400 "), uri + ": " + r[0]);
            assertTrue(r[1].contains("\"code\":\"INVALID_URI\""), uri + ": " + r[1]);
        }
        String[] longUri = raw("/api/sources?q=" + "a".repeat(4050));
        assertTrue(longUri[0].contains(" 414 "), longUri[0]);
        assertTrue(longUri[1].contains("\"code\":\"URI_TOO_LONG\""), longUri[1]);
        // longer than Vert.x's decoder accepts (4 096 bytes): refused before any route, still with the envelope
        String[] overDecoderLimit = raw("/api/sources?q=" + "a".repeat(5000));
        assertTrue(overDecoderLimit[0].contains(" 414 "), overDecoderLimit[0]);
        assertTrue(overDecoderLimit[1].contains("\"code\":\"URI_TOO_LONG\""), overDecoderLimit[1]);
        assertTrue(overDecoderLimit[1].contains("\"status\":\"error\""), overDecoderLimit[1]);
        // a well-formed escape still works
        assertTrue(hub.get("/api/sources?limit=%32").statusCode() == 200);
    }
}
