package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /api/jolokia over real HTTP, with requests shaped as Hawtio's Camel plugin sends them (POST, JSON, operation
 * names with their signature): what an admin and a read key may do, what nobody may do, and that an anonymous
 * or cross-site client gets nothing.
 */
class JolokiaAccessTest {
    private static final String ROUTE = "jolokia-access-test";
    private static TestHub hub;
    private static String context;
    private static String route;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
        if (hub.context().getRoute(ROUTE) == null) {
            RouteBuilder.addRoutes(hub.context(), rb -> rb.from("direct:" + ROUTE).routeId(ROUTE).log("probe"));
        }
        context = "org.apache.camel:context=" + hub.context().getName() + ",type=context,name=\""
                + hub.context().getName() + "\"";
        route = "org.apache.camel:context=" + hub.context().getName() + ",type=routes,name=\"" + ROUTE + "\"";
    }

    /** One Jolokia request (POST) with a key, an Authorization header or nothing; returns the HTTP response. */
    private static HttpResponse<String> post(Object request, String apiKey, String authorization, String origin)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri("/api/jolokia/")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(request)));
        if (apiKey != null) {
            b.header("X-API-Key", apiKey);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return hub.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Jolokia status of one request sent with {@code key} (HTTP must be 200: Jolokia's own protocol). */
    private static JsonNode call(Object request, String key) throws Exception {
        HttpResponse<String> r = post(request, key, null, null);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static Map<String, Object> exec(String mbean, String operation, Object... args) {
        return Map.of("type", "exec", "mbean", mbean, "operation", operation, "arguments", List.of(args));
    }

    private static void assertDenied(Object request, String key, String what) throws Exception {
        JsonNode r = call(request, key);
        assertEquals(403, r.path("status").asInt(), what + ": " + r);
        assertFalse(r.has("value"), what + " returned a value: " + r);
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(("hawtio:" + key).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anonymousAndWrongCredentialsGetNothing() throws Exception {
        HttpResponse<String> r = post(Map.of("type", "version"), null, null, null);
        AccessControlTest.assertRefused(r, 401, "UNAUTHORIZED", "anonymous Jolokia");
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        AccessControlTest.assertRefused(post(Map.of("type", "version"), null, basic("guess"), null), 401,
                "UNAUTHORIZED", "Basic with a wrong key");
        AccessControlTest.assertRefused(hub.sendWithKey("GET", "/api/jolokia/read/java.lang:type=Runtime/Name", null,
                null), 401, "UNAUTHORIZED", "anonymous GET read");
        // reads stay closed to anonymous clients even though the REST reads are public
        AccessControlTest.assertRefused(post(Map.of("type", "search", "mbean", "org.apache.camel:*"), null, null,
                null), 401, "UNAUTHORIZED", "anonymous search");
    }

    @Test
    void aReadKeyInspectsRoutesAsHawtioDoes() throws Exception {
        String key = TestHub.READ_KEY;
        assertEquals(200, call(Map.of("type", "version"), key).path("status").asInt());
        JsonNode routes = call(Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*"), key);
        assertTrue(routes.path("value").toString().contains(ROUTE), routes.toString());
        JsonNode list = call(Map.of("type", "list", "path", "org.apache.camel", "config",
                Map.of("maxDepth", 2, "ignoreErrors", true)), key);
        assertEquals(200, list.path("status").asInt(), list.toString());
        JsonNode attrs = call(Map.of("type", "read", "mbean", route), key);
        assertEquals(ROUTE, attrs.path("value").path("RouteId").asText(), attrs.toString());
        JsonNode xml = call(exec(context, "dumpRoutesAsXml()"), key);
        assertTrue(xml.path("value").asText().contains(ROUTE), xml.toString());
        JsonNode stats = call(exec(context, "dumpRoutesStatsAsXml(boolean,boolean)", true, true), key);
        assertEquals(200, call(exec(route, "dumpRouteStatsAsXml(boolean,boolean)", true, true), key)
                .path("status").asInt(), stats.toString());
        assertDenied(exec(route, "stop()"), key, "read key stopping a route");
        assertEquals(ServiceStatus.Started, hub.context().getRouteController().getRouteStatus(ROUTE));
    }

    @Test
    void anAdminStopsAndStartsARouteWithBasicCredentials() throws Exception {
        // Hawtio connects with Basic auth: any user name, the key as password
        HttpResponse<String> stop = post(exec(route, "stop()"), null, basic(TestHub.ADMIN_KEY), null);
        assertEquals(200, Json.MAPPER.readTree(stop.body()).path("status").asInt(), stop.body());
        assertEquals(ServiceStatus.Stopped, hub.context().getRouteController().getRouteStatus(ROUTE));
        JsonNode start = call(exec(route, "start()"), TestHub.ADMIN_KEY);
        assertEquals(200, start.path("status").asInt(), start.toString());
        assertEquals(ServiceStatus.Started, hub.context().getRouteController().getRouteStatus(ROUTE));
        assertDenied(exec(route, "stop()"), TestHub.WRITE_KEY, "write key stopping a route");
        // exec decisions are in the audit trail, under the key's name
        hub.bean("auditLog", AuditLog.class).flush(Duration.ofSeconds(10));
        JsonNode audit = Json.MAPPER.readTree(hub.get("/api/operations/audit?key_name=test-admin&path="
                + URLEncoder.encode(new ObjectName(route).getCanonicalName(), StandardCharsets.UTF_8)).body());
        assertTrue(audit.path("total").asInt() >= 2, audit.toString());
        assertEquals("EXEC", audit.path("items").get(0).path("method").asText());
    }

    @Test
    void nobodyMayDoTheDangerousThings() throws Exception {
        String admin = TestHub.ADMIN_KEY;
        for (String gc : List.of("gc", "gc()", " gc() ")) {
            assertDenied(exec("java.lang:type=Memory", gc), admin, "Memory." + gc);
        }
        assertDenied(exec("jdk.management.jfr:type=FlightRecorder", "newRecording()"), admin, "JFR newRecording");
        assertDenied(Map.of("type", "read", "mbean", "jdk.management.jfr:type=FlightRecorder"), admin, "JFR read");
        assertDenied(exec("java.util.logging:type=Logging", "setLoggerLevel(java.lang.String,java.lang.String)",
                "", "OFF"), admin, "setLoggerLevel");
        assertDenied(exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                "/tmp/heap.hprof", true), admin, "dumpHeap");
        assertDenied(exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()"), admin,
                "DiagnosticCommand");
        assertDenied(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value",
                true), admin, "attribute write");
        assertDenied(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties"),
                admin, "system properties");
        for (String op : List.of("sendBody(java.lang.String,java.lang.Object)",
                "requestBody(java.lang.String,java.lang.Object)", "sendStringBody(java.lang.String,java.lang.String)",
                "requestStringBody(java.lang.String,java.lang.String)")) {
            assertDenied(exec(context, op, "jdbc:dataSource", "SELECT 1"), admin, op);
        }
        assertDenied(exec(context, "addOrUpdateRoutesFromXml(java.lang.String)", "<routes/>"), admin,
                "route injection");
        assertDenied(exec(route, "updateRouteFromXml(java.lang.String)", "<route/>"), admin, "route update");
        assertDenied(exec(route, "remove()"), admin, "route removal");
        // exec only by POST: a GET (which any page a browser loads could send) is refused
        HttpResponse<String> get = hub.get("/api/jolokia/exec/" + route.replace("\"", "%22") + "/stop()");
        assertEquals(403, Json.MAPPER.readTree(get.body()).path("status").asInt(), get.body());
        assertEquals(ServiceStatus.Started, hub.context().getRouteController().getRouteStatus(ROUTE));
        // the JFR and diagnostic MBeans are not even listed
        JsonNode all = call(Map.of("type", "search", "mbean", "*:*"), admin);
        assertFalse(all.path("value").toString().contains("jdk.management.jfr"), all.toString());
        assertFalse(all.path("value").toString().contains("DiagnosticCommand"));
    }

    @Test
    void aCrossSitePageCannotUseCachedCredentials() throws Exception {
        HttpResponse<String> r = post(exec(route, "stop()"), null, basic(TestHub.ADMIN_KEY), "http://evil.example");
        AccessControlTest.assertRefused(r, 403, "FORBIDDEN", "cross-site Jolokia exec");
        assertEquals(ServiceStatus.Started, hub.context().getRouteController().getRouteStatus(ROUTE));
        // the hub's own origin is fine
        HttpResponse<String> own = post(Map.of("type", "version"), TestHub.READ_KEY, null,
                "http://localhost:" + hub.port());
        assertEquals(200, own.statusCode(), own.body());
    }
}
