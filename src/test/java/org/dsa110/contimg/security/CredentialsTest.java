package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys, tokens and the Jolokia allow-list without HTTP (the HTTP behaviour is in the *AccessTest classes). */
class CredentialsTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void keysParseMatchAndNeverCollide() {
        ApiKeys keys = ApiKeys.builder()
                .addEntries("ops:k-ops-0123456789abcdefghijkl:admin, dash:k:with:colons-0123456789abc:read", "env")
                .addEntries("# comment\nbot:k-bot-0123456789abcdefghijkl:write\n", "file")
                .addLegacyWriteKeys("legacy-0123456789abcdefghijklm").build();
        assertEquals(List.of("ops", "dash", "bot", "dsa110-key-1"), keys.names());
        assertEquals(Role.ADMIN, keys.match("k-ops-0123456789abcdefghijkl", "api-key").orElseThrow().role());
        assertEquals("dash", keys.match("k:with:colons-0123456789abc", "api-key").orElseThrow().name());
        assertEquals(Role.WRITE, keys.match("legacy-0123456789abcdefghijklm", "api-key").orElseThrow().role());
        assertTrue(keys.match("k-ops-0123456789abcdefghijk", "api-key").isEmpty());
        assertTrue(keys.match("", "api-key").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.builder().addEntries("a:x:root", "env"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.builder().addEntries("a:x:read,a:y:read", "env"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.builder().addEntries("a:x:read,b:x:read", "env"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.builder().addEntries("nokey", "env"));
        assertEquals(List.of("short"), ApiKeys.builder().add("short", "abc", Role.READ).build().weakKeyNames());
        assertEquals(43, ApiKeys.generate().length());
    }

    @Test
    void tokensNeedTheSecretAnExpiryAndGiveTheirHighestScope() {
        JwtVerifier jwt = new JwtVerifier(vertx, "a-test-secret-of-enough-length-0123456789");
        Caller c = jwt.verify(jwt.issue("alice", List.of("read", "write"), 60)).orElseThrow();
        assertEquals("jwt:alice", c.name());
        assertEquals(Role.WRITE, c.role());
        assertEquals(Role.ADMIN, jwt.verify(jwt.issue("a", List.of("admin"), 60)).orElseThrow().role());
        assertEquals(Role.READ, jwt.verify(jwt.issue("a", List.of(), 60)).orElseThrow().role());
        assertFalse(jwt.verify(jwt.issue("a", List.of("admin"), -120)).isPresent(), "expired");
        JwtVerifier other = new JwtVerifier(vertx, "another-secret-0123456789abcdefghijklmn");
        assertFalse(other.verify(jwt.issue("a", List.of("admin"), 60)).isPresent(), "signed with another secret");
        assertFalse(jwt.verify("not.a.token").isPresent());
    }

    @Test
    void theJolokiaAllowListIsTight() throws Exception {
        ObjectName route = new ObjectName("org.apache.camel:context=hub,type=routes,name=\"r\"");
        ObjectName ctx = new ObjectName("org.apache.camel:context=hub,type=context,name=\"hub\"");
        assertTrue(JolokiaPolicy.decide(Role.READ, ctx, "dumpRoutesAsXml()"));
        assertFalse(JolokiaPolicy.decide(Role.READ, route, "stop()"));
        assertTrue(JolokiaPolicy.decide(Role.ADMIN, route, "stop()"));
        assertTrue(JolokiaPolicy.decide(Role.ADMIN, ctx, "suspend"));
        assertFalse(JolokiaPolicy.decide(Role.ADMIN, ctx, "sendBody(java.lang.String,java.lang.Object)"));
        assertFalse(JolokiaPolicy.decide(Role.ADMIN, ctx, "requestStringBody"));
        assertFalse(JolokiaPolicy.decide(Role.ADMIN, new ObjectName("java.lang:type=Memory"), "gc"));
        assertFalse(JolokiaPolicy.decide(Role.ADMIN, new ObjectName("org.apache.camel:type=components,name=x"),
                "stop()"), "control only on the context, routes and processors");
        assertFalse(JolokiaPolicy.decide(null, ctx, "dumpRoutesAsXml()"));
        JolokiaPolicy policy = new JolokiaPolicy(Set.of("http://dash.example"));
        assertTrue(policy.isOriginAllowed(null, true));
        assertTrue(policy.isOriginAllowed("http://dash.example", true));
        assertTrue(policy.isOriginAllowed("http://dash.example/page.html", true), "a Referer of that origin");
        assertFalse(policy.isOriginAllowed("http://evil.example", true));
        assertFalse(policy.isOriginAllowed("http://evil.example", false));
    }
}
