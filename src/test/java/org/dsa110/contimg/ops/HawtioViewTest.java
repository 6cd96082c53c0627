package org.dsa110.contimg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.Route;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.breakers.Breakers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Hawtio shows is what runs. Hawtio reads Camel's MBeans through Jolokia; this test reads the same MBeans from
 * the in-process MBean server (so it needs no Jolokia credentials): every circuit breaker's thresholds in JMX equal
 * {@code /api/operations/circuit-breakers/{name}} (and the configured values, not Resilience4j's defaults), and
 * every route's source dumps as YAML, the stage routes with their breaker configuration and error handling.
 */
class HawtioViewTest {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    private static ObjectName processor(String id) throws Exception {
        return new ObjectName("org.apache.camel:context=" + hub.context().getManagementName()
                + ",type=processors,name=" + ObjectName.quote(id));
    }

    private static JsonNode api(String path) throws Exception {
        var r = hub.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void breakerThresholdsInJmxAreTheOnesTheApiReports() throws Exception {
        Set<String> routeBreakers = new TreeSet<>();
        for (Route r : hub.context().getRoutes()) {
            if (r.getRouteId().startsWith("stage.")) {
                r.filter("*").stream()
                        .filter(p -> p.getClass().getSimpleName().equals("ResilienceProcessor"))
                        .forEach(p -> routeBreakers.add(((org.apache.camel.spi.IdAware) p).getId()));
            }
        }
        assertTrue(routeBreakers.containsAll(Set.of("conversion", "calibration_solve", "imaging", "photometry",
                "publishing")), routeBreakers.toString());
        for (String name : routeBreakers) {
            ObjectName mbean = processor(name);
            JsonNode api = api("/api/operations/circuit-breakers/" + name);
            assertEquals(api.get("failure_threshold").asInt(),
                    JMX.getAttribute(mbean, "CircuitBreakerMinimumNumberOfCalls"), name);
            assertEquals(api.get("failure_threshold").asInt(),
                    JMX.getAttribute(mbean, "CircuitBreakerSlidingWindowSize"), name);
            assertEquals(api.get("failure_rate_threshold").asDouble(),
                    ((Number) JMX.getAttribute(mbean, "CircuitBreakerFailureRateThreshold")).doubleValue(), name);
            assertEquals(api.get("recovery_timeout").asLong(),
                    JMX.getAttribute(mbean, "CircuitBreakerWaitDurationInOpenState"), name);
            assertEquals(1, JMX.getAttribute(mbean, "CircuitBreakerPermittedNumberOfCallsInHalfOpenState"), name);
            assertEquals("COUNT_BASED", JMX.getAttribute(mbean, "CircuitBreakerSlidingWindowType"), name);
            assertEquals(api.get("state").asText(), Breakers.stateName(
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.State.valueOf(
                            (String) JMX.getAttribute(mbean, "CircuitBreakerState"))), name);
            assertEquals(api.get("failure_count").asInt(), JMX.getAttribute(mbean, "NumberOfFailedCalls"), name);
        }
        // the configured values (config/application.properties), not Resilience4j's defaults (100 calls, 50 %, 60 s)
        ObjectName solve = processor("calibration_solve");
        assertEquals(3, JMX.getAttribute(solve, "CircuitBreakerMinimumNumberOfCalls"));
        assertEquals(300L, JMX.getAttribute(solve, "CircuitBreakerWaitDurationInOpenState"));
        assertEquals(100.0f, JMX.getAttribute(solve, "CircuitBreakerFailureRateThreshold"));
        assertEquals(10, JMX.getAttribute(processor("photometry"), "CircuitBreakerMinimumNumberOfCalls"));
    }

    @Test
    void everyRouteInJmxDumpsAsYaml() throws Exception {
        ObjectName context = new ObjectName("org.apache.camel:context=" + hub.context().getManagementName()
                + ",type=context,name=" + ObjectName.quote(hub.context().getName()));
        String all = (String) JMX.invoke(context, "dumpRoutesAsYaml", new Object[] {false},
                new String[] {"boolean"});
        assertTrue(YAML.readTree(all).size() > 10, "routes in the context dump");

        Map<String, JsonNode> routes = new HashMap<>();
        for (ObjectName route : JMX.queryNames(new ObjectName("org.apache.camel:context="
                + hub.context().getManagementName() + ",type=routes,*"), null)) {
            String yaml = (String) JMX.invoke(route, "dumpRouteAsYaml", new Object[] {}, new String[] {});
            JsonNode tree = YAML.readTree(yaml);
            String id = tree.get(0).get("route").get("id").asText();
            routes.put(id, tree.get(0).get("route"));
        }
        assertFalse(routes.isEmpty());
        // Hawtio's source view of a stage: its error handling and the breaker configuration it runs with
        JsonNode imaging = routes.get("stage.imaging");
        assertEquals("stage-errors.imaging", imaging.get("routeConfigurationId").asText());
        assertTrue(imaging.toString().contains("\"configuration\":\"breaker.imaging\""), imaging.toString());
        assertTrue(imaging.toString().contains("direct:pipeline.dead-letter"), imaging.toString());
        // a predicate of a Java route is dumped with its condition
        JsonNode ws = routes.get("live.websocket");
        assertTrue(ws.toString().contains("== 'MESSAGE'"), ws.toString());
        assertNotEquals(null, routes.get("pipeline.run"));
    }
}
