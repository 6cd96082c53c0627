package org.dsa110.contimg.ops;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;

/**
 * The WebSocket at /api/ws/status (same port as the API: the component shares the hub's Vert.x). A new client
 * gets the current status at once; the text {@code ping} is answered with {@code {"type":"pong"}}. Periodic
 * status updates come from routes/live-status.camel.yaml through the broadcaster. Connections are counted in
 * {@link LiveClients}.
 */
public class LiveRoutes extends RouteBuilder {
    static final String WS_URI = "vertx-websocket:/api/ws/status";

    @Override
    public void configure() {
        from(WS_URI + "?fireWebSocketConnectionEvents=true").routeId("live.websocket")
                .choice()
                    .when(header(VertxWebsocketConstants.EVENT).isEqualTo(VertxWebsocketEvent.OPEN))
                        .bean("liveClients", "opened(${header." + VertxWebsocketConstants.CONNECTION_KEY + "})")
                        .setBody(method("eventBroadcaster", "statusJson"))
                        .to(WS_URI)
                    .when(header(VertxWebsocketConstants.EVENT).isEqualTo(VertxWebsocketEvent.CLOSE))
                        .bean("liveClients", "closed(${header." + VertxWebsocketConstants.CONNECTION_KEY + "})")
                    .when(header(VertxWebsocketConstants.EVENT).isEqualTo(VertxWebsocketEvent.MESSAGE))
                        .filter(simple("${bodyAs(String).trim()} == 'ping'"))
                            .setBody(constant("{\"type\":\"pong\"}"))
                            .to(WS_URI)
                        .end()
                .end();
    }
}
