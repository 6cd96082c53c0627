package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.Test;

/** The legacy dashboard's paths answer exactly like the canonical ones. */
class LegacyAliasesTest {

    @Test
    void tableRewritesPrefixesAndExactPaths() {
        assertEquals("/api/tasks/abc", LegacyAliases.canonical("/api/absurd/tasks/abc"));
        assertEquals("/api/operations/dlq/items/7/retry", LegacyAliases.canonical("/api/dlq/items/7/retry"));
        assertEquals("/api/queues/default/stats", LegacyAliases.canonical("/api/tasks/queues/default/stats"));
        assertEquals("/api/available", LegacyAliases.canonical("/api/tasks/available"));
        assertEquals("/api/health/live", LegacyAliases.canonical("/health/liveness"));
        assertNull(LegacyAliases.canonical("/api/tasks/abc"), "canonical paths are left alone");
        assertNull(LegacyAliases.canonical("/api/monitoring/publish/status"), "seed paths under /monitoring stay");
        assertNull(LegacyAliases.canonical("/api/absurdity"), "prefixes match whole segments");
    }

    static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void aliasesAnswerLikeTheirCanonicalRoutes() throws Exception {
        TestHub hub = TestHub.shared();
        String[][] pairs = {
            {"/health/liveness", "/api/health/live"},
            {"/health/readiness", "/api/health/ready"},
            {"/health/detailed", "/api/health/detailed"},
            {"/api/absurd/health", "/api/health"},
            {"/api/absurd/schedules", "/api/schedules"},
        };
        for (String[] p : pairs) {
            HttpResponse<String> alias = hub.get(p[0]);
            HttpResponse<String> canonical = hub.get(p[1]);
            assertEquals(canonical.statusCode(), alias.statusCode(), p[0]);
            assertEquals(keys(Json.MAPPER.readTree(canonical.body())), keys(Json.MAPPER.readTree(alias.body())),
                    p[0] + " has the shape of " + p[1]);
        }
        // an alias of a path that does not exist is still a JSON 404
        assertEquals(404, hub.get("/api/absurd/no-such-thing").statusCode());
    }
}
