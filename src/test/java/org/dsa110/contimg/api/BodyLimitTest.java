package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies over hub.http.max.body get 413 with the JSON error body, declared (Content-Length) or chunked. */
class BodyLimitTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of("hub.http.max.body", "1024"));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static String json(int size) {
        char[] pad = new char[size];
        Arrays.fill(pad, 'x');
        return "{\"name\":\"" + new String(pad) + "\"}";
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> r = hub.post("/api/regions", json(4000));
        FoundationApiTest.assertErrorBody(r, 413, "PAYLOAD_TOO_LARGE");
        assertEquals(1024, Json.MAPPER.readTree(r.body()).get("details").get("max_bytes").asInt());
        // under the limit the same endpoint answers with its own validation
        assertEquals(422, hub.post("/api/regions", "{\"region_type\":\"hexagon\"}").statusCode());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = json(8000).getBytes();
        HttpRequest req = hub.request("/api/regions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> r = hub.http().send(req, HttpResponse.BodyHandlers.ofString());
        FoundationApiTest.assertErrorBody(r, 413, "PAYLOAD_TOO_LARGE");
    }
}
