package org.dsa110.contimg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Hawtio sees through Jolokia: the pipeline's routes with their processors, not the REST edge's. */
class JmxScopeTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    private static List<String> search(String pattern) throws Exception {
        HttpResponse<String> r = hub.get("/api/jolokia/search/" + pattern);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = Json.MAPPER.readTree(r.body());
        List<String> names = new ArrayList<>();
        b.path("value").forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void pipelineRoutesAreManagedAndTheRestEdgeIsNot() throws Exception {
        List<String> routes = search("org.apache.camel:type=routes,*");
        assertTrue(routes.stream().anyMatch(n -> n.contains("name=\"pipeline.group\"")), routes.toString());
        assertFalse(routes.stream().anyMatch(n -> n.contains("name=\"api.")), routes.toString());
        List<String> processors = search("org.apache.camel:type=processors,*");
        assertFalse(processors.isEmpty());
        List<String> endpoints = search("org.apache.camel:type=endpoints,*");
        assertFalse(endpoints.stream().anyMatch(n -> n.contains("platform-http")), endpoints.toString());
        // the context itself, which Hawtio starts from
        assertEquals(1, search("org.apache.camel:type=context,*").size());
    }

    @Test
    void restEdgeEndpointsAreRecognised() {
        org.apache.camel.Endpoint http = hub.context().getEndpoint("platform-http:/api/health");
        org.apache.camel.Endpoint direct = hub.context().getEndpoint("direct:pipeline.run");
        assertTrue(JmxScope.restEdge(http));
        assertFalse(JmxScope.restEdge(direct));
    }
}
