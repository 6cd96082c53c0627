package org.dsa110.contimg.ops;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exceptions of the live WebSocket's connections. A client going away (a closed tab, a dropped network, a reset
 * connection) is the normal end of a WebSocket, not a fault of the hub: one DEBUG line. Anything else is one WARN
 * line without a stack trace (Camel's default handler logged every disconnect as a WARN with a trace).
 */
public final class WebSocketErrors implements ExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketErrors.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (isDisconnect(exception)) {
            LOG.debug("WebSocket client disconnected: {}", describe(exception));
        } else {
            LOG.warn("WebSocket connection error: {}", describe(exception));
        }
    }

    /** Closed channels, resets and closed-connection exceptions of Vert.x. */
    static boolean isDisconnect(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (t instanceof ClosedChannelException || name.endsWith("HttpClosedException")
                    || name.endsWith("VertxException") && msg.contains("closed")
                    || t instanceof IOException && (msg.contains("reset") || msg.contains("broken pipe")
                            || msg.contains("closed"))
                    || msg.contains("websocket is closed") || msg.contains("connection was closed")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        return e == null ? "(no detail)" : e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage());
    }
}
