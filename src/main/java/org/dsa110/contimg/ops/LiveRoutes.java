package org.dsa110.contimg.ops;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;

/**
 * The WebSocket at /api/ws/status (same port as the API: the component shares the hub's Vert.x). A new client
 * gets the current status at once; the text {@code ping} is answered with {@code {"type":"pong"}}; both are written
 * to the client's own socket by {@link LiveClients}, which also counts the connections. Periodic status updates
 * come from routes/live-status.camel.yaml through the broadcaster.
 *
 * <p>Written with EIPs that camel-yaml-io can dump (Hawtio shows every route's source as YAML): simple
 * predicates rather than {@code header(..).isEqualTo(..)}, which dumps without its condition, and the bean EIP
 * rather than {@code setBody(method(..))}, which does not dump at all.
 */
public class LiveRoutes extends RouteBuilder {
    static final String WS_URI = "vertx-websocket:/api/ws/status";

    @Override
    public void configure() {
        // a client going away is a DEBUG line, not a WARN with a stack trace (WebSocketErrors)
        getCamelContext().getRegistry().bind("webSocketErrors", new WebSocketErrors());
        String event = "${header." + VertxWebsocketConstants.EVENT + "}";
        from(WS_URI + "?fireWebSocketConnectionEvents=true&exceptionHandler=#webSocketErrors").routeId("live.websocket")
                .choice()
                    .when(simple(event + " == 'OPEN'"))
                        .bean("liveClients", "opened")
                        .bean("eventBroadcaster", "statusJson")
                        .bean("liveClients", "send")
                    .when(simple(event + " == 'CLOSE'"))
                        .bean("liveClients", "closed")
                    .when(simple(event + " == 'MESSAGE'"))
                        .filter(simple("${bodyAs(String).trim()} == 'ping'"))
                            .setBody(constant("{\"type\":\"pong\"}"))
                            .bean("liveClients", "send")
                        .end()
                .end();
    }
}
