package org.dsa110.contimg.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Requests that Vert.x's HTTP/1.x decoder refuses before any route runs (a request line over
 * {@link HttpServerOptions#DEFAULT_MAX_INITIAL_LINE_LENGTH} bytes, headers over
 * {@link HttpServerOptions#DEFAULT_MAX_HEADER_SIZE} bytes, a line that is not HTTP) get the hub's JSON error
 * envelope instead of Vert.x's bare status line: 414 {@code URI_TOO_LONG}, 431 {@code HEADERS_TOO_LARGE},
 * 400 {@code BAD_REQUEST}; the connection is closed afterwards, as Vert.x does.
 *
 * <p>Why a wrapped {@link Vertx}: Camel's platform-http server (and the WebSocket component's server on the same
 * port) create their {@link HttpServer} themselves, and Vert.x reads a server's invalid-request handler when it
 * starts listening. Both look the shared Vert.x up in the registry, so wrapping its
 * {@code createHttpServer(...)} is the one place where every server the hub listens with gets the handler before
 * it listens. Every other call goes straight to the real instance (all of its interfaces, so Vert.x's internal
 * casts keep working).
 */
public final class HttpDecoderErrors {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpDecoderErrors.class);

    private HttpDecoderErrors() {
    }

    /** The hub's Vert.x: {@code vertx} itself, except that every HTTP server it creates answers decoder errors. */
    public static Vertx wrap(Vertx vertx) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = vertx.getClass(); c != null; c = c.getSuperclass()) {
            collect(c, interfaces);
        }
        InvocationHandler calls = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(vertx, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof HttpServer server && isCreateHttpServer(method)) {
                server.invalidRequestHandler(HttpDecoderErrors::answer);
            }
            return result;
        };
        return (Vertx) Proxy.newProxyInstance(HttpDecoderErrors.class.getClassLoader(),
                interfaces.toArray(new Class<?>[0]), calls);
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        for (Class<?> i : type.getInterfaces()) {
            if (java.lang.reflect.Modifier.isPublic(i.getModifiers()) && into.add(i)) {
                collect(i, into);
            }
        }
    }

    private static boolean isCreateHttpServer(Method method) {
        return method.getName().equals("createHttpServer");
    }

    /** Answers one request the decoder refused. */
    static void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "URI_TOO_LONG";
            message = "request line longer than " + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            code = "HEADERS_TOO_LARGE";
            message = "request headers larger than " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes";
        } else if (cause instanceof TooLongFrameException) {
            status = 400;
            code = "BAD_REQUEST";
            message = "request too large to decode";
        } else {
            status = 400;
            code = "BAD_REQUEST";
            message = "malformed HTTP request";
        }
        LOG.warn("{} {} from {}: {}", status, code, request.remoteAddress(), message);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", request.method() == null ? "" : request.method().name());
        String body = ErrorBody.json(message, code, details);
        request.response().setStatusCode(status)
                .putHeader("Content-Type", ApiResponse.JSON)
                .putHeader("Connection", "close")
                .end(body);
    }
}
