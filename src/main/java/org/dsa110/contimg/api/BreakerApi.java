package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.breakers.Breakers;
import org.dsa110.contimg.security.Role;

/** /api/operations/circuit-breakers: state of every breaker, one breaker, reset. */
public class BreakerApi extends ApiRoutes {

    @Override
    public void configure() {
        Breakers breakers = lookup("breakers", Breakers.class);
        get("/operations/circuit-breakers", "breakers.list", "Every circuit breaker: state, failures, recovery",
                req -> Map.of("circuit_breakers", breakers.list()));
        get("/operations/circuit-breakers/{name}", "breakers.detail", "One circuit breaker's state",
                req -> breakers.state(req.path("name"))
                        .orElseThrow(() -> HubException.notFound("circuit breaker", req.path("name"))));
        post("/operations/circuit-breakers/{name}/reset", "breakers.reset",
                "Close the breaker and clear its failure counts", Role.ADMIN, req -> {
                    String name = req.path("name");
                    Map<String, Object> state = breakers.reset(name)
                            .orElseThrow(() -> HubException.notFound("circuit breaker", name));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("status", "reset");
                    out.put("name", name);
                    out.put("breaker", state);
                    return out;
                });
    }
}
