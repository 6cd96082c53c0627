package org.dsa110.contimg.api;

import java.util.List;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.breakers.Breakers;
import org.dsa110.contimg.security.Role;

/** /api/operations/circuit-breakers: state of every breaker, one breaker, reset. */
public class BreakerApi extends ApiRoutes {

    /** GET /api/operations/circuit-breakers. */
    public record BreakerList(List<Breakers.BreakerState> circuitBreakers) {
    }

    /** The outcome of a reset: {@code status} is always "reset". */
    public record BreakerReset(String status, String name, Breakers.BreakerState breaker) {
    }

    @Override
    public void configure() {
        Breakers breakers = lookup("breakers", Breakers.class);
        get("/operations/circuit-breakers", "breakers.list", "Every circuit breaker: state, failures, recovery",
                req -> new BreakerList(breakers.list()))
                .returns(BreakerList.class);
        get("/operations/circuit-breakers/{name}", "breakers.detail", "One circuit breaker's state",
                req -> breakers.state(req.path("name"))
                        .orElseThrow(() -> HubException.notFound("circuit breaker", req.path("name"))))
                .returns(Breakers.BreakerState.class);
        post("/operations/circuit-breakers/{name}/reset", "breakers.reset",
                "Close the breaker and clear its failure counts", Role.ADMIN, req -> {
                    String name = req.path("name");
                    Breakers.BreakerState state = breakers.reset(name)
                            .orElseThrow(() -> HubException.notFound("circuit breaker", name));
                    return new BreakerReset("reset", name, state);
                }).returns(BreakerReset.class);
    }
}
