package org.dsa110.contimg.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.management.DefaultManagementObjectStrategy;

/**
 * What the hub enlists in JMX (and so shows to Hawtio through Jolokia): the context, components, services,
 * thread pools, and every route that is not part of the REST edge, with its consumer, processors and endpoints.
 *
 * <p>The REST edge is ~250 one-processor routes (one per operation of the REST DSL) with their HTTP and direct
 * endpoints: about 1 300 of the 1 600 MBeans Camel would register, and most of the JMX share of the cold start.
 * They carry no pipeline state; their exchange counts and timings are in the Prometheus metrics
 * ({@code camel_exchanges_*}, {@code camel_route_policy_*}) like every route's. {@code hub.jmx.rest-routes=true}
 * enlists them too.
 */
public final class JmxScope extends DefaultManagementObjectStrategy {
    private final boolean restRoutes;

    public JmxScope(boolean restRoutes) {
        this.restRoutes = restRoutes;
    }

    /** Endpoints that exist only for the REST edge: the HTTP consumers and the operations' direct hand-offs. */
    static boolean restEdge(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        return uri.startsWith("platform-http:") || uri.startsWith("rest:") || uri.startsWith("rest-api:")
                || uri.startsWith("direct://api.") || uri.startsWith("direct:api.");
    }

    private boolean skip(Route route) {
        return !restRoutes && route != null && route.isCreatedByRestDsl();
    }

    @Override
    public Object getManagedObjectForRoute(CamelContext context, Route route) {
        return skip(route) ? null : super.getManagedObjectForRoute(context, route);
    }

    @Override
    public Object getManagedObjectForConsumer(CamelContext context, Consumer consumer) {
        return !restRoutes && restEdge(consumer.getEndpoint()) ? null
                : super.getManagedObjectForConsumer(context, consumer);
    }

    @Override
    public Object getManagedObjectForProcessor(CamelContext context, Processor processor, NamedNode definition,
            Route route) {
        return skip(route) ? null : super.getManagedObjectForProcessor(context, processor, definition, route);
    }

    @Override
    public Object getManagedObjectForEndpoint(CamelContext context, Endpoint endpoint) {
        return !restRoutes && restEdge(endpoint) ? null : super.getManagedObjectForEndpoint(context, endpoint);
    }
}
