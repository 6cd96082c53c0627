package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configurable modes on their own hubs: reads that need a key, JWTs, keys from a file and from the earlier
 * backend's DSA110_* variables, a CORS origin, live channels with a key in the query or WebSocket protocol; the
 * first start without keys (a generated admin key); and HUB_AUTH=off.
 */
class AccessModesTest {
    private static final String SECRET = "jwt-secret-for-tests-0123456789abcdefghij";
    private static final String FILE_KEY = "file-read-key-0123456789abcdefgh";
    private static final String LEGACY_KEY = "legacy-write-key-0123456789abcdef";
    private static final String DASHBOARD = "http://dash.example:3000";
    private static TestHub strict;
    private static Vertx vertx;
    private static JWTAuth tokens;

    @BeforeAll
    static void start() throws Exception {
        Path keyFile = Files.createTempFile("keys", ".txt");
        Files.writeString(keyFile, "# operators' keys\nfile-reader:" + FILE_KEY + ":read\n");
        strict = TestHub.start(Map.of("hub.auth.public-reads", "false", "hub.auth.jwt.secret", SECRET,
                "hub.api.keys.file", keyFile.toString(), "DSA110_API_KEYS", LEGACY_KEY,
                "hub.cors.origins", DASHBOARD + "/"));
        vertx = Vertx.vertx();
        tokens = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
                .setBuffer(SECRET)));
    }

    @AfterAll
    static void stop() {
        strict.close();
        vertx.close();
    }

    private static HttpResponse<String> call(TestHub hub, String method, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return hub.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(List<String> scopes, int expiresIn) {
        JWTOptions o = new JWTOptions().setAlgorithm("HS256");
        if (expiresIn != 0) {
            o.setExpiresInSeconds(expiresIn);
        }
        return tokens.generateToken(new JsonObject().put("sub", "ops-bot").put("scopes", scopes), o);
    }

    @Test
    void readsNeedAKeyExceptHealthAndTheScrape() throws Exception {
        AccessControlTest.assertRefused(call(strict, "GET", "/api/sources", Map.of()), 401, "UNAUTHORIZED",
                "anonymous read");
        assertEquals(200, call(strict, "GET", "/api/sources", Map.of("X-API-Key", FILE_KEY)).statusCode());
        assertEquals(200, call(strict, "GET", "/api/health", Map.of()).statusCode());
        assertEquals(200, call(strict, "GET", "/api/health/live", Map.of()).statusCode());
        assertEquals(200, call(strict, "GET", "/api/metrics/prometheus", Map.of()).statusCode());
        // a key from the file is a read key: it may not write
        AccessControlTest.assertRefused(call(strict, "POST", "/api/regions", Map.of("X-API-Key", FILE_KEY)), 403,
                "FORBIDDEN", "file read key writing");
    }

    @Test
    void bearerTokensCarryTheirScopesAndMustExpire() throws Exception {
        String write = "Bearer " + token(List.of("write"), 300);
        HttpResponse<String> created = call(strict, "POST", "/api/regions", Map.of("Authorization", write));
        assertNotEquals(401, created.statusCode(), created.body());
        assertNotEquals(403, created.statusCode(), created.body());
        AccessControlTest.assertRefused(call(strict, "POST", "/api/clear", Map.of("Authorization", write)), 403,
                "FORBIDDEN", "write token on an admin operation");
        assertEquals(200, call(strict, "POST", "/api/clear", Map.of("Authorization",
                "Bearer " + token(List.of("admin"), 300))).statusCode());
        assertEquals(200, call(strict, "GET", "/api/sources", Map.of("Authorization",
                "Bearer " + token(List.of(), 300))).statusCode(), "a token without scopes reads");
        AccessControlTest.assertRefused(call(strict, "GET", "/api/sources", Map.of("Authorization",
                "Bearer " + token(List.of("admin"), -60))), 401, "UNAUTHORIZED", "expired token");
        AccessControlTest.assertRefused(call(strict, "GET", "/api/sources", Map.of("Authorization",
                "Bearer " + token(List.of("admin"), 0))), 401, "UNAUTHORIZED", "token without exp");
        String[] parts = token(List.of("admin"), 300).split("\\.");
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        AccessControlTest.assertRefused(call(strict, "GET", "/api/sources", Map.of("Authorization",
                "Bearer " + unsigned)), 401, "UNAUTHORIZED", "alg none");
        // Basic is for Jolokia only (a browser would replay it cross-site)
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + LEGACY_KEY).getBytes());
        AccessControlTest.assertRefused(call(strict, "GET", "/api/sources", Map.of("Authorization", basic)), 401,
                "UNAUTHORIZED", "Basic on REST");
    }

    @Test
    void theEarlierBackendsKeysAreWriteKeys() throws Exception {
        HttpResponse<String> r = call(strict, "POST", "/api/regions", Map.of("X-API-Key", LEGACY_KEY));
        assertNotEquals(401, r.statusCode(), r.body());
        assertNotEquals(403, r.statusCode(), r.body());
        AccessControlTest.assertRefused(call(strict, "POST", "/api/streaming/stop", Map.of("X-API-Key", LEGACY_KEY)),
                403, "FORBIDDEN", "legacy key on an admin operation");
    }

    @Test
    void aConfiguredOriginGetsCorsAndOthersDoNot() throws Exception {
        HttpResponse<String> pre = strict.http().send(HttpRequest.newBuilder(strict.uri("/api/regions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", DASHBOARD)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-api-key").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, pre.statusCode(), pre.body());
        assertEquals(DASHBOARD, pre.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(pre.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("X-API-Key"));
        HttpResponse<String> get = call(strict, "GET", "/api/sources", Map.of("Origin", DASHBOARD, "X-API-Key",
                FILE_KEY));
        assertEquals(DASHBOARD, get.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> other = call(strict, "GET", "/api/sources", Map.of("Origin", "http://evil.example",
                "X-API-Key", FILE_KEY));
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void liveChannelsTakeTheKeyFromTheQueryOrTheWebSocketProtocol() throws Exception {
        HttpResponse<InputStream> anonymous = strict.http().send(HttpRequest.newBuilder(strict.uri("/api/sse/status"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(401, anonymous.statusCode());
        anonymous.body().close();
        HttpResponse<InputStream> sse = strict.http().send(HttpRequest.newBuilder(strict.uri(
                "/api/sse/status?api_key=" + FILE_KEY)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, sse.statusCode());
        sse.body().close();
        // the query key is only taken on live channels
        assertEquals(401, call(strict, "GET", "/api/sources?api_key=" + FILE_KEY, Map.of()).statusCode());

        String ws = "ws://localhost:" + strict.port() + "/api/ws/status";
        WebSocket ok = strict.http().newWebSocketBuilder().buildAsync(java.net.URI.create(ws + "?api_key="
                + FILE_KEY), new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS);
        ok.abort();
        WebSocket viaProtocol = strict.http().newWebSocketBuilder().header("Sec-WebSocket-Protocol",
                AccessPolicy.WS_PROTOCOL_PREFIX + FILE_KEY).buildAsync(java.net.URI.create(ws),
                new WebSocket.Listener() { }).exceptionally(t -> null).get(20, TimeUnit.SECONDS);
        if (viaProtocol != null) {
            viaProtocol.abort();
        }
        assertRefusedHandshake(ws, Map.of());
        assertRefusedHandshake(ws + "?api_key=" + FILE_KEY, Map.of("Origin", "http://evil.example"));
        WebSocket fromDashboard = strict.http().newWebSocketBuilder().header("Origin", DASHBOARD)
                .buildAsync(java.net.URI.create(ws + "?api_key=" + FILE_KEY), new WebSocket.Listener() { })
                .get(20, TimeUnit.SECONDS);
        fromDashboard.abort();
    }

    private static void assertRefusedHandshake(String uri, Map<String, String> headers) throws Exception {
        WebSocket.Builder b = strict.http().newWebSocketBuilder();
        headers.forEach(b::header);
        try {
            b.buildAsync(java.net.URI.create(uri), new WebSocket.Listener() { }).join().abort();
            throw new AssertionError("handshake accepted: " + uri + " " + headers);
        } catch (CompletionException e) {
            assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
        }
    }

    @Test
    void theFirstStartWithoutKeysGeneratesAnAdminKey() throws Exception {
        try (TestHub fresh = TestHub.start(Map.of("hub.api.keys", ""))) {
            Path file = fresh.dataDir().resolve(AuthConfiguration.KEY_FILE);
            assertTrue(Files.isRegularFile(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String key = Files.readString(file).strip();
            assertTrue(key.length() >= 40, "a strong key");
            assertFalse(key.equals(TestHub.ADMIN_KEY));
            assertEquals(401, fresh.sendWithKey("POST", "/api/clear", null, null).statusCode());
            assertEquals(401, fresh.sendWithKey("POST", "/api/clear", null, TestHub.ADMIN_KEY).statusCode());
            assertEquals(200, fresh.sendWithKey("POST", "/api/clear", null, key).statusCode());
            assertEquals(200, fresh.sendWithKey("GET", "/api/sources", null, null).statusCode(), "public reads");
        }
    }

    @Test
    void authOffAllowsEverythingForDevelopment() throws Exception {
        try (TestHub open = TestHub.start(Map.of("hub.auth", "off"))) {
            assertEquals(200, open.sendWithKey("POST", "/api/clear", null, null).statusCode());
            assertEquals(200, open.sendWithKey("GET", "/api/operations/audit", null, null).statusCode());
            assertFalse(Files.exists(open.dataDir().resolve(AuthConfiguration.KEY_FILE)));
        }
    }
}
