package org.dsa110.contimg.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.security.AccessPolicy;
import org.dsa110.contimg.security.AuditLog;
import org.dsa110.contimg.security.Caller;
import org.dsa110.contimg.security.Role;

/**
 * Authentication and authorisation at the HTTP edge, before the REST DSL, the WebSocket, SSE and Jolokia see a
 * request (docs/security.md). Once per request:
 * <ol>
 * <li>CORS: a configured origin ({@code hub.cors.origins}) gets the CORS headers and its preflights answered;
 * any other origin gets none (the browser then refuses the response to the page);</li>
 * <li>the caller: {@code X-API-Key} (header name configurable), {@code Authorization: Bearer <JWT>}, HTTP Basic
 * with a key as password (Jolokia only), {@code ?api_key=} or a {@code Sec-WebSocket-Protocol} entry (live
 * channels only); credentials that do not check out are 401 even where none are needed;</li>
 * <li>the role the operation declares ({@link HttpEdge#requiredRole}; Jolokia: at least read, always): none
 * given → 401 {@code UNAUTHORIZED}, too low → 403 {@code FORBIDDEN};</li>
 * <li>a mutating call with a body must say {@code Content-Type: application/json} (else 415), so a cross-site
 * HTML form cannot post to the API;</li>
 * <li>when reads are not public, the WebSocket handshake's {@code Origin} must be the hub's own or a CORS
 * origin.</li>
 * </ol>
 * Every mutating call, refused or not, goes to the audit log with the status the hub answered. The caller's name
 * and role travel on to the handlers as request headers ({@link #CALLER_HEADER}, {@link #ROLE_HEADER}); values a
 * client sent under those names are removed first.
 */
public final class AccessControl implements Handler<RoutingContext> {
    /** After the body-size check (-2000), the rate limit and the legacy aliases (-1500); before greedy reroutes. */
    public static final int ORDER = -1200;
    /** Routing-context key of the {@link Caller} (the Jolokia endpoint reads it). */
    public static final String CALLER = "contimg.caller";
    public static final String CALLER_HEADER = "X-Contimg-Caller";
    public static final String ROLE_HEADER = "X-Contimg-Caller-Role";
    static final String JOLOKIA = "/api/jolokia";
    /** Live channels: the only paths that take a key from the query string (EventSource cannot set headers). */
    private static final String[] LIVE = {"/api/ws/", "/api/sse/", "/api/jobs/id/"};

    private final AccessPolicy policy;
    private final HttpEdge edge;
    private final AuditLog audit;
    private final ClientAddress clients;

    public AccessControl(AccessPolicy policy, HttpEdge edge, AuditLog audit, ClientAddress clients) {
        this.policy = policy;
        this.edge = edge;
        this.audit = audit;
        this.clients = clients;
    }

    public void install(Router router) {
        router.route().order(ORDER).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path == null || !path.startsWith("/api") || ctx.get(CALLER) != null) {
            ctx.next(); // not ours, or already decided (a rerouted request passes here again)
            return;
        }
        HttpServerRequest req = ctx.request();
        MultiMap headers = req.headers();
        headers.remove(CALLER_HEADER);
        headers.remove(ROLE_HEADER);
        HttpMethod method = req.method();
        String origin = headers.get("Origin");
        boolean corsOrigin = origin != null && policy.isCorsOrigin(origin);
        if (corsOrigin) {
            ctx.response().putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
        }
        if (method == HttpMethod.OPTIONS && headers.contains("Access-Control-Request-Method")) {
            preflight(ctx, corsOrigin);
            return;
        }
        boolean jolokia = path.equals(JOLOKIA) || path.startsWith(JOLOKIA + "/");
        boolean mutating = !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
        boolean live = isLive(path);

        AccessPolicy.Authentication auth = policy.authenticate(new AccessPolicy.Credentials(
                headers.get(policy.keyHeader()), headers.get("Authorization"),
                live ? req.getParam("api_key") : null, live ? headers.get("Sec-WebSocket-Protocol") : null),
                jolokia);
        Caller caller = auth.caller();
        ctx.put(CALLER, caller);
        if (auth.refused()) {
            refuse(ctx, 401, "UNAUTHORIZED", auth.refusal(), null, jolokia, mutating, caller);
            return;
        }
        Role needed = needed(method, path, jolokia);
        if (!caller.may(needed)) {
            if (caller.authenticated()) {
                refuse(ctx, 403, "FORBIDDEN", "this needs the '" + needed.word() + "' role; key '" + caller.name()
                        + "' has '" + caller.role().word() + "'", needed, false, mutating, caller);
            } else {
                refuse(ctx, 401, "UNAUTHORIZED", "an API key with the '" + needed.word() + "' role is required"
                        + " (header " + policy.keyHeader() + ")", needed, jolokia, mutating, caller);
            }
            return;
        }
        if (mutating && !jolokia && hasBody(req) && !isJson(headers.get("Content-Type"))) {
            refuse(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be application/json",
                    null, false, true, caller);
            return;
        }
        if (policy.enabled() && !policy.publicReads() && isWebSocketUpgrade(headers) && origin != null
                && !corsOrigin && !sameOrigin(origin, authority(req))) {
            refuse(ctx, 403, "FORBIDDEN", "WebSocket origin not allowed: " + origin, null, false, false, caller);
            return;
        }
        if (caller.authenticated()) {
            headers.set(CALLER_HEADER, caller.name());
            headers.set(ROLE_HEADER, caller.role().word());
        }
        if (mutating && !jolokia) {
            ctx.addEndHandler(done -> record(ctx, caller, ctx.response().getStatusCode()));
        }
        ctx.next();
    }

    /** The role this request needs; null when it may be served to anyone. */
    private Role needed(HttpMethod method, String path, boolean jolokia) {
        if (!policy.enabled()) {
            return null;
        }
        if (jolokia) {
            return Role.READ; // Jolokia always needs credentials; JolokiaPolicy decides per MBean operation
        }
        String m = method.name();
        Role role = edge.requiredRole(m, path);
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (read && role == Role.READ && (policy.publicReads() || policy.isPublicPath(path))) {
            return null;
        }
        return role;
    }

    private void preflight(RoutingContext ctx, boolean corsOrigin) {
        if (!corsOrigin) {
            HttpEdge.error(ctx, 403, "FORBIDDEN", "origin not allowed: " + ctx.request().getHeader("Origin"),
                    Map.of());
            return;
        }
        ctx.response().setStatusCode(204)
                .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
                .putHeader("Access-Control-Allow-Headers", "Content-Type, Authorization, " + policy.keyHeader())
                .putHeader("Access-Control-Max-Age", "600")
                .end();
    }

    private void refuse(RoutingContext ctx, int status, String code, String message, Role needed, boolean basic,
            boolean mutating, Caller caller) {
        if (basic) {
            // Hawtio and browsers answer this with a login prompt (Basic only on Jolokia: elsewhere a browser
            // would replay cached Basic credentials cross-site)
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"contimg-hub\"");
        }
        if (mutating || ctx.normalizedPath().startsWith(JOLOKIA)) {
            record(ctx, caller, status);
        }
        HttpEdge.error(ctx, status, code, message, needed == null ? Map.of() : Map.of("required_role", needed.word()));
    }

    private void record(RoutingContext ctx, Caller caller, int status) {
        HttpServerRequest req = ctx.request();
        audit.record(new AuditLog.Entry(Instant.now(), caller.name(),
                caller.role() == null ? null : caller.role().word(), clients.of(req), req.method().name(),
                ctx.normalizedPath(), status));
    }

    private static boolean isLive(String path) {
        for (String p : LIVE) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length != null) {
            return !length.strip().equals("0");
        }
        return req.getHeader("Transfer-Encoding") != null;
    }

    /** {@code application/json}, with or without parameters such as charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static boolean isWebSocketUpgrade(MultiMap headers) {
        String upgrade = headers.get("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** host:port the request addressed (the Host header, or HTTP/2's :authority). */
    static String authority(HttpServerRequest req) {
        return req.authority() != null ? req.authority().toString() : req.getHeader("Host");
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        int scheme = origin.indexOf("://");
        return scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }
}
