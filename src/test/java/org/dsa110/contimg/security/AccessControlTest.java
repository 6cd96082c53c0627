package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access control on the shared test hub (keys: admin, write, read; reads public), over real HTTP. The first test
 * walks every operation of the served OpenAPI document, so an operation added later is covered without anyone
 * remembering to add it here.
 */
class AccessControlTest {
    private static final String WRONG_KEY = "not-a-key-of-this-hub-0123456789";
    private static final List<String> MUTATING = List.of("post", "put", "patch", "delete");
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static void assertRefused(HttpResponse<String> r, int status, String code, String what) throws Exception {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        JsonNode b = json(r);
        assertEquals("error", b.path("status").asText(), what);
        assertEquals(code, b.path("code").asText(), what);
        assertFalse(b.path("error").asText().isBlank(), what);
        assertTrue(b.has("details"), what);
    }

    /** Operations of the served document: method, path with parameters filled, declared role. */
    record Op(String method, String template, String path, Role role) {
    }

    static List<Op> operations() throws Exception {
        JsonNode paths = json(hub.get("/api/openapi.json")).path("paths");
        List<Op> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ms = p.getValue().fields(); ms.hasNext();) {
                Map.Entry<String, JsonNode> m = ms.next();
                Role role = Role.READ;
                for (JsonNode req : m.getValue().path("security")) {
                    for (JsonNode scope : req.path("api_key")) {
                        role = Role.parse(scope.asText());
                    }
                }
                ops.add(new Op(m.getKey().toUpperCase(), p.getKey(),
                        "/api" + p.getKey().replaceAll("\\{[^}]+}", "x1"), role));
            }
        }
        return ops;
    }

    @Test
    void everyMutatingOperationRefusesAMissingAWrongAndATooWeakKey() throws Exception {
        int checked = 0;
        for (Op op : operations()) {
            if (!MUTATING.contains(op.method().toLowerCase())) {
                continue;
            }
            String what = op.method() + " " + op.template();
            assertTrue(op.role() == Role.WRITE || op.role() == Role.ADMIN,
                    what + " must declare write or admin in the OpenAPI document, not " + op.role());
            assertRefused(hub.sendWithKey(op.method(), op.path(), "{}", null), 401, "UNAUTHORIZED", what + " without key");
            assertRefused(hub.sendWithKey(op.method(), op.path(), "{}", WRONG_KEY), 401, "UNAUTHORIZED",
                    what + " with a wrong key");
            assertRefused(hub.sendWithKey(op.method(), op.path(), "{}", TestHub.READ_KEY), 403, "FORBIDDEN",
                    what + " with a read key");
            if (op.role() == Role.ADMIN) {
                HttpResponse<String> r = hub.sendWithKey(op.method(), op.path(), "{}", TestHub.WRITE_KEY);
                assertRefused(r, 403, "FORBIDDEN", what + " with a write key");
                assertEquals("admin", json(r).path("details").path("required_role").asText());
            }
            checked++;
        }
        assertTrue(checked >= 60, "walked only " + checked + " mutating operations");
    }

    @Test
    void operationsThatChangeHowTheHubRunsNeedAdmin() throws Exception {
        Set<String> admin = new TreeSet<>();
        for (Op op : operations()) {
            if (op.role() == Role.ADMIN) {
                admin.add(op.method() + " " + op.template());
            }
        }
        for (String expected : List.of("POST /operations/circuit-breakers/{name}/reset", "POST /streaming/config",
                "POST /streaming/start", "POST /streaming/stop", "POST /streaming/restart", "POST /schedules",
                "PATCH /schedules/{name}", "DELETE /schedules/{name}", "POST /templates",
                "PUT /templates/{template_name}", "DELETE /templates/{template_name}", "DELETE /clear", "POST /clear",
                "DELETE /keys/{key}", "DELETE /operations/dlq/items/{item_id}", "DELETE /items/{item_id}",
                "POST /test/streaming/broadcast", "GET /operations/audit")) {
            assertTrue(admin.contains(expected), expected + " is not admin-only; admin operations: " + admin);
        }
    }

    @Test
    void readsArePublicButAdminReadsAreNot() throws Exception {
        assertEquals(200, hub.sendWithKey("GET", "/api/sources?limit=2", null, null).statusCode());
        assertEquals(200, hub.sendWithKey("GET", "/api/health", null, null).statusCode());
        assertRefused(hub.sendWithKey("GET", "/api/operations/audit", null, null), 401, "UNAUTHORIZED", "anonymous audit");
        assertRefused(hub.sendWithKey("GET", "/api/operations/audit", null, TestHub.WRITE_KEY), 403, "FORBIDDEN",
                "audit with a write key");
        // a wrong key is refused even where none is needed: the client learns its key is bad
        assertRefused(hub.sendWithKey("GET", "/api/sources", null, WRONG_KEY), 401, "UNAUTHORIZED", "wrong key on a read");
        // an unknown path is not probed anonymously with a mutating method
        assertRefused(hub.sendWithKey("POST", "/api/no/such/thing", "{}", null), 401, "UNAUTHORIZED", "unknown path");
        assertEquals(404, hub.sendWithKey("POST", "/api/no/such/thing", "{}", TestHub.WRITE_KEY).statusCode());
    }

    @Test
    void pathTricksDoNotLowerTheRoleNeeded() throws Exception {
        // the router normalises these to the admin operation; access control must see the same path
        for (String p : List.of("/api/./clear", "/api/tasks/../clear", "/api/%63lear", "/api//clear",
                "/api/cache/clear")) {
            HttpResponse<String> r = hub.sendWithKey("POST", p, null, TestHub.WRITE_KEY);
            assertTrue(r.statusCode() == 403 || r.statusCode() == 404, p + ": " + r.body());
            assertFalse(r.body().contains("\"cleared\""), p + " cleared the cache with a write key");
        }
    }

    @Test
    void mutatingCallsAcceptOnlyJsonBodies() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
            HttpResponse<String> r = hub.http().send(hub.request("/api/schedules").header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"csrf\",\"task_name\":\"housekeeping\","
                            + "\"cron_expression\":\"0 0 * * * ?\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertRefused(r, 415, "UNSUPPORTED_MEDIA_TYPE", type);
        }
        assertEquals(404, hub.get("/api/schedules/csrf").statusCode(), "nothing was created");
        HttpResponse<String> r = hub.http().send(hub.request("/api/clear")
                .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(
                        "{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        // a POST without a body needs no Content-Type
        assertEquals(200, hub.http().send(hub.request("/api/clear").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void crossSiteOriginsGetNoCorsHeaders() throws Exception {
        HttpResponse<String> pre = hub.http().send(HttpRequest.newBuilder(hub.uri("/api/schedules"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(pre, 403, "FORBIDDEN", "preflight from an unlisted origin");
        HttpResponse<String> get = hub.http().send(HttpRequest.newBuilder(hub.uri("/api/sources"))
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode());
        assertTrue(get.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void callerHeadersFromClientsAreIgnored() throws Exception {
        // a client cannot pose as a worker (or anyone) by sending the internal caller headers itself
        HttpResponse<String> r = hub.http().send(HttpRequest.newBuilder(hub.uri("/api/workers/w-1/heartbeat"))
                .header("Content-Type", "application/json").header("X-API-Key", TestHub.WRITE_KEY)
                .header("X-Contimg-Caller", "w-1").header("X-Contimg-Caller-Role", "admin")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 403, "FORBIDDEN", "heartbeat with forged caller headers");
    }

    @Test
    void heartbeatsNeedTheWorkersOwnKeyOrAdmin() throws Exception {
        // the write key is named test-writer: it may report as worker test-writer, not as another worker
        assertEquals(200, hub.sendWithKey("POST", "/api/workers/test-writer/heartbeat", "{}", TestHub.WRITE_KEY)
                .statusCode());
        assertRefused(hub.sendWithKey("POST", "/api/workers/other-worker/heartbeat", "{}", TestHub.WRITE_KEY), 403,
                "FORBIDDEN", "someone else's heartbeat");
        assertEquals(200, hub.sendWithKey("POST", "/api/workers/other-worker/heartbeat", "{}", TestHub.ADMIN_KEY)
                .statusCode());
    }

    @Test
    void mutatingCallsAndRefusalsAreAudited() throws Exception {
        assertEquals(200, hub.sendWithKey("POST", "/api/clear", null, TestHub.ADMIN_KEY).statusCode());
        assertEquals(401, hub.sendWithKey("DELETE", "/api/clear", null, null).statusCode());
        hub.bean("auditLog", AuditLog.class).flush(Duration.ofSeconds(10));
        JsonNode mine = json(hub.get("/api/operations/audit?key_name=test-admin&path=/api/clear&limit=5"));
        assertTrue(mine.path("total").asInt() >= 1, mine.toString());
        JsonNode e = mine.path("items").get(0);
        assertEquals("POST", e.path("method").asText());
        assertEquals(200, e.path("status").asInt());
        assertEquals("admin", e.path("role").asText());
        assertFalse(e.path("remote_addr").asText().isBlank());
        assertFalse(e.path("at").asText().isBlank());
        JsonNode refused = json(hub.get("/api/operations/audit?key_name=anonymous&path=/api/clear"));
        assertTrue(refused.path("total").asInt() >= 1, refused.toString());
        assertEquals(401, refused.path("items").get(0).path("status").asInt());
        assertNull(refused.path("items").get(0).get("role").textValue());
        // time filters and paging
        assertEquals(0, json(hub.get("/api/operations/audit?since=2999-01-01T00:00:00Z")).path("total").asInt());
        assertEquals(1, json(hub.get("/api/operations/audit?limit=1")).path("items").size());
        assertEquals(400, hub.get("/api/operations/audit?since=yesterday").statusCode());
    }

    @Test
    void theOpenApiDocumentDeclaresBothSchemes() throws Exception {
        JsonNode schemes = json(hub.get("/api/openapi.json")).path("components").path("securitySchemes");
        assertEquals("apiKey", schemes.path("api_key").path("type").asText());
        assertEquals("header", schemes.path("api_key").path("in").asText());
        assertEquals("X-API-Key", schemes.path("api_key").path("name").asText());
        assertEquals("http", schemes.path("bearer").path("type").asText());
        assertEquals("bearer", schemes.path("bearer").path("scheme").asText());
        Map<Role, Integer> byRole = new LinkedHashMap<>();
        for (Op op : operations()) {
            byRole.merge(op.role(), 1, Integer::sum);
        }
        assertTrue(byRole.getOrDefault(Role.ADMIN, 0) >= 16, byRole.toString());
    }
}
