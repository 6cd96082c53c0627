package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dsa110.contimg.TestHub;
import org.junit.jupiter.api.Test;

/**
 * Every path of the dashboard's endpoint list (seed 000, copied to seed/seed-000-paths.txt) is served: a request
 * to it never gets 404 ROUTE_NOT_FOUND (a 404 NOT_FOUND for a missing resource, a 405 or a 4xx for a dummy value
 * is fine). Paths not yet built are listed in seed/seed-000-pending.txt; the test also checks that each of those
 * is really still missing, so the list only shrinks.
 */
class SeedSurfaceTest {

    static List<String> lines(String resource) throws IOException {
        try (InputStream in = SeedSurfaceTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                return List.of();
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    /** The path with each parameter replaced by a dummy value (slashes in greedy ones). */
    static String concrete(String template) {
        return template.replaceAll("\\{[a-z_]+:path}", "data/x/sample.ms").replaceAll("\\{[a-z_]+}", "1");
    }

    boolean served(TestHub hub, String template) throws Exception {
        String path = concrete(template);
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            HttpResponse<String> r;
            try {
                r = hub.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}",
                        java.time.Duration.ofSeconds(5));
            } catch (java.net.http.HttpTimeoutException e) {
                return true; // a live stream (SSE, job logs) answered and kept the connection open
            }
            if (r.statusCode() == 405) {
                continue;
            }
            if (r.statusCode() != 404) {
                return true;
            }
            JsonNode body = Json.MAPPER.readTree(r.body());
            return !"ROUTE_NOT_FOUND".equals(body.path("code").asText());
        }
        return true; // 405 for every method we tried: the path exists
    }

    @Test
    void everySeedPathIsServedExceptThePendingOnes() throws Exception {
        // a hub of its own: the probe POSTs and DELETEs with dummy bodies
        TestHub hub = TestHub.start(java.util.Map.of());
        List<String> all = lines("/seed/seed-000-paths.txt");
        Set<String> pending = new LinkedHashSet<>(lines("/seed/seed-000-pending.txt"));
        assertTrue(all.size() > 200, "the seed list is present");
        List<String> missing = new ArrayList<>();
        List<String> nowServed = new ArrayList<>();
        for (String p : all) {
            boolean ok = served(hub, p);
            if (!ok && !pending.contains(p)) {
                missing.add(p);
            }
            if (ok && pending.contains(p)) {
                nowServed.add(p);
            }
        }
        try {
            assertEquals(List.of(), missing, "seed paths answering ROUTE_NOT_FOUND");
            assertEquals(List.of(), nowServed, "remove these from seed-000-pending.txt: they are served now");
        } finally {
            hub.close();
        }
    }

    @Test
    void dummyValuesAreUrlSafe() {
        assertEquals("/api/ms/data/x/sample.ms/metadata", concrete("/api/ms/{ms_path:path}/metadata"));
        assertEquals("/api/images/1/fits", concrete("/api/images/{image_id}/fits"));
        assertEquals(concrete("/api/a"), URLEncoder.encode(concrete("/api/a"), StandardCharsets.UTF_8)
                .replace("%2F", "/"));
    }
}
