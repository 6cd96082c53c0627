package org.dsa110.contimg.monitoring;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.resilience4j.ResilienceProcessor;

/**
 * The circuit breakers the engine's routes run (Resilience4j, in memory): every breaker of a
 * {@link CircuitBreakerRegistry} bean if one is bound, and every Resilience4j EIP found by walking the routes.
 * Read-only: the engine owns resetting them.
 */
public final class Breakers {
    static final Set<String> OPEN_STATES = Set.of("OPEN", "FORCED_OPEN");

    private final CamelContext context;

    public Breakers(CamelContext context) {
        this.context = context;
    }

    /** One entry per breaker name: name, state, route_id (when found on a route), failure_rate (%). */
    public List<Map<String, Object>> list() {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (CircuitBreakerRegistry registry : context.getRegistry().findByType(CircuitBreakerRegistry.class)) {
            for (CircuitBreaker cb : registry.getAllCircuitBreakers()) {
                byName.put(cb.getName(), entry(cb.getName(), cb.getState().name(), null,
                        cb.getMetrics().getFailureRate()));
            }
        }
        for (Route route : context.getRoutes()) {
            List<Processor> processors;
            try {
                processors = route.filter("*");
            } catch (RuntimeException e) {
                continue;
            }
            for (Processor p : processors) {
                if (p instanceof ResilienceProcessor rp && rp.getId() != null) {
                    try {
                        byName.put(rp.getId(), entry(rp.getId(), rp.getCircuitBreakerState(), route.getRouteId(),
                                rp.getFailureRate()));
                    } catch (RuntimeException e) {
                        // a breaker not started yet has no state to report
                    }
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** Counts: total, open (OPEN or FORCED_OPEN), half_open, and the list itself. */
    public Map<String, Object> summary() {
        List<Map<String, Object>> all = list();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", all.size());
        m.put("open", all.stream().filter(b -> OPEN_STATES.contains(b.get("state"))).count());
        m.put("half_open", all.stream().filter(b -> "HALF_OPEN".equals(b.get("state"))).count());
        m.put("breakers", all);
        return m;
    }

    private static Map<String, Object> entry(String name, String state, String routeId, float failureRate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("state", state);
        m.put("route_id", routeId);
        // Resilience4j reports -1 until the minimum number of calls has been recorded
        m.put("failure_rate", failureRate < 0 ? null : (double) failureRate);
        return m;
    }
}
