package org.dsa110.contimg.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsa110.contimg.security.Role;

/**
 * What happens at the HTTP edge before or instead of a Camel route:
 * <ul>
 * <li>a request whose path matches no operation gets 404 {@code ROUTE_NOT_FOUND}, and one whose path exists
 * for other methods gets 405 {@code METHOD_NOT_ALLOWED} with {@code Allow}, both with the JSON error body. This
 * is a last-order catch-all on the platform router (not Vert.x error handlers): the router is mounted as a
 * sub-router, and the WebSocket component serves the same router from its own server on the same port;</li>
 * <li>the legacy dashboard's own paths are rerouted to their canonical routes ({@link LegacyAliases});</li>
 * <li>a declared body larger than {@code hub.http.max.body} gets 413 before it is read;</li>
 * <li>greedy path parameters ({@code {ms_path:path}}): Vert.x's {x} never matches a '/', so a request whose
 * greedy part contains slashes is rerouted with that part URL-encoded, which the declared route matches.</li>
 * </ul>
 */
public final class HttpEdge {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpEdge.class);

    /** A REST path with one greedy parameter, e.g. /api/ms/{ms_path:path}/metadata. */
    record GreedyPath(Pattern pattern, String prefix, String suffix) {
    }

    /**
     * An operation the REST DSL declares: method, the path as a regular expression, the path as the REST DSL
     * itself matches it (every parameter, greedy or not, one segment), and the role a caller needs for it.
     */
    record Operation(String method, Pattern path, Pattern declared, Role role) {
    }

    private final List<GreedyPath> greedyPaths = new CopyOnWriteArrayList<>();
    private final List<Operation> operations = new CopyOnWriteArrayList<>();
    /** GET operations that need more than {@code read}: the only GETs access control has to look up. */
    private final List<Operation> elevatedReads = new CopyOnWriteArrayList<>();
    private volatile boolean installed;

    /** The role an operation needs unless its declaration says otherwise: GET read, anything else write. */
    public static Role defaultRole(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method) ? Role.READ : Role.WRITE;
    }

    /** Records an operation ({@code fullPath} from the root, e.g. /api/images/{image_id}) with its default role. */
    public void registerOperation(String method, String fullPath) {
        registerOperation(method, fullPath, defaultRole(method));
    }

    /** Records an operation and the role a caller needs for it. */
    public void registerOperation(String method, String fullPath, Role role) {
        Operation op = new Operation(method.toUpperCase(Locale.ROOT), Pattern.compile(templateRegex(fullPath)),
                Pattern.compile(templateRegex(fullPath.replace(":path}", "}"))), role);
        operations.add(op);
        if (op.method().equals("GET") && role != Role.READ) {
            elevatedReads.add(op);
        }
        if (fullPath.contains(":path}")) {
            int start = fullPath.indexOf('{');
            int end = fullPath.indexOf(":path}", start);
            String prefix = fullPath.substring(0, start);
            String suffix = fullPath.substring(end + ":path}".length());
            // Plain parameters after the greedy one (…/bandpass-plots/{filename}) match one segment.
            String suffixRegex = templateRegex(suffix);
            Pattern p = Pattern.compile("^" + Pattern.quote(prefix) + "(.+?)"
                    + suffixRegex.substring(1, suffixRegex.length() - "/?$".length()) + "$");
            greedyPaths.add(new GreedyPath(p, prefix, suffix));
            // The most specific template (longest literal text) gets the first chance to reroute.
            greedyPaths.sort(java.util.Comparator.comparingInt(
                    (GreedyPath g) -> g.prefix().length() + g.suffix().length()).reversed());
        }
    }

    /**
     * The role a request needs: that of the matching operation (the highest, should two templates match), else
     * {@code read} for GET/HEAD and {@code write} for any other method, so a path the hub does not serve cannot
     * be probed with mutating methods anonymously. {@code path} is the router's normalised path.
     */
    public Role requiredRole(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        Role needed = null;
        for (Operation op : read ? elevatedReads : operations) {
            if ((read || op.method().equals(method)) && op.path().matcher(path).matches()
                    && (needed == null || op.role().covers(needed))) {
                needed = op.role();
            }
        }
        return needed != null ? needed : read ? Role.READ : Role.WRITE;
    }

    /** Every declared operation: method, path template regex and role (for documentation and tests). */
    public List<String> describeRoles() {
        return operations.stream().map(o -> o.method() + " " + o.path().pattern() + " " + o.role().word()).toList();
    }

    /** {a} matches one segment, {a:path} any number; everything else literally. */
    static String templateRegex(String template) {
        StringBuilder re = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)(:path)?}").matcher(template);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(template.substring(last, m.start())));
            re.append(m.group(2) != null ? ".+" : "[^/]+");
            last = m.end();
        }
        re.append(Pattern.quote(template.substring(last))).append("/?$");
        return re.toString();
    }

    /** True once the edge handlers are on the router (the hub answers every path with JSON from then on). */
    public boolean installed() {
        return installed;
    }

    /** Longest request line target (path and query) served; Vert.x itself refuses lines over 4096 bytes. */
    static final int MAX_URI = 4000;

    public void install(Router router, long maxBodyBytes) {
        // malformed URIs first, with the JSON error body and one WARN line (Vert.x would log a stack trace)
        router.route().order(-3500).handler(ctx -> {
            String uri = ctx.request().uri();
            if (uri.length() > MAX_URI) {
                LOG.warn("refused a {}-character URI from {}", uri.length(), remote(ctx));
                error(ctx, 414, "URI_TOO_LONG", "request URI longer than " + MAX_URI + " characters",
                        Map.of("max_length", MAX_URI));
                return;
            }
            int bad = badEscape(uri);
            if (bad >= 0) {
                LOG.warn("refused a URI with a malformed %-escape at {} from {}", bad, remote(ctx));
                error(ctx, 400, "INVALID_URI", "malformed %-escape in the request URI at character " + bad,
                        Map.of("position", bad));
                return;
            }
            ctx.next();
        });
        router.route().order(-2000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && parseLong(length) > maxBodyBytes) {
                error(ctx, 413, "PAYLOAD_TOO_LARGE", "request body larger than " + maxBodyBytes + " bytes",
                        Map.of("max_bytes", maxBodyBytes));
                return;
            }
            ctx.next();
        });
        router.route().order(-1500).handler(HttpEdge::legacyAlias);
        for (GreedyPath g : greedyPaths) {
            // matched against the raw path in reroute (a regex route would see Vert.x's normalised path, in which
            // "../" segments are already resolved, and let a traversal attempt slip past the greedy parameter)
            router.route().order(-1000).handler(ctx -> reroute(ctx, g));
        }
        router.route().last().handler(this::unmatched);
        router.errorHandler(500, ctx -> error(ctx, 500, "INTERNAL_ERROR", "internal error", Map.of()));
        // a chunked body (no Content-Length) over the limit is stopped by the server's body handler while read;
        // it fails the routing with 413, answered here with the error body
        router.route().order(-3000).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().ended()) {
                error(ctx, 413, "PAYLOAD_TOO_LARGE", "request body larger than " + maxBodyBytes + " bytes",
                        Map.of("max_bytes", maxBodyBytes));
            } else {
                ctx.next();
            }
        });
        installed = true;
    }

    private void unmatched(RoutingContext ctx) {
        String path = ctx.request().path();
        Set<String> allowed = new TreeSet<>();
        for (Operation op : operations) {
            if (op.path().matcher(path).matches()) {
                allowed.add(op.method());
            }
        }
        if (allowed.isEmpty()) {
            error(ctx, 404, "ROUTE_NOT_FOUND", "no such endpoint: " + ctx.request().method() + " " + path, Map.of());
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            error(ctx, 405, "METHOD_NOT_ALLOWED", "method " + ctx.request().method() + " not allowed on " + path,
                    Map.of("allowed", List.copyOf(allowed)));
        }
    }

    /** The legacy dashboard's paths answer exactly like their canonical routes (see {@link LegacyAliases}). */
    private static void legacyAlias(RoutingContext ctx) {
        String canonical = LegacyAliases.canonical(ctx.request().path());
        if (canonical == null) {
            ctx.next();
            return;
        }
        String query = ctx.request().query();
        ctx.reroute(ctx.request().method(), canonical + (query == null ? "" : "?" + query));
    }

    private void reroute(RoutingContext ctx, GreedyPath g) {
        Matcher m = g.pattern().matcher(ctx.request().path());
        if (!m.matches() || !m.group(1).contains("/") || declaredMatch(ctx.request().path())) {
            // Nothing to encode, or the REST DSL already matches the path as it is (e.g. /api/qa/thumbs or a
            // path a more specific greedy template has already rerouted, which /api/qa/{ms_path:path} would
            // otherwise capture again).
            ctx.next();
            return;
        }
        String encoded = URLEncoder.encode(m.group(1), StandardCharsets.UTF_8).replace("+", "%20");
        String query = ctx.request().query();
        String path = ctx.request().path();
        ctx.reroute(ctx.request().method(), path.substring(0, m.start(1)) + encoded + path.substring(m.end(1))
                + (query == null ? "" : "?" + query));
    }

    private boolean declaredMatch(String path) {
        for (Operation op : operations) {
            if (op.declared().matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server's outer router (the platform router is mounted below it): a path Vert.x cannot even normalise
     * (a malformed %-escape) fails there, before any handler of ours runs. Its 400 gets the JSON error body and
     * one WARN line instead of Vert.x's plain text and logged stack trace.
     */
    public void installOuter(Router outer) {
        outer.errorHandler(400, ctx -> {
            LOG.warn("refused an unparseable request URI from {}", remote(ctx));
            error(ctx, 400, "INVALID_URI", "malformed request URI", Map.of());
        });
    }

    /** Index of the first '%' not followed by two hex digits, or -1. */
    static int badEscape(String uri) {
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                    || Character.digit(uri.charAt(i + 2), 16) < 0) {
                return i;
            }
        }
        return -1;
    }

    private static String remote(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void error(RoutingContext ctx, int status, String code, String message, Map<String, Object> extra) {
        if (ctx.response().ended()) {
            return;
        }
        Map<String, Object> details = new java.util.LinkedHashMap<>(extra);
        String path = ctx.request().path();
        details.put("path", path != null && path.length() > 200 ? path.substring(0, 200) + "..." : path);
        details.put("method", ctx.request().method() == null ? "" : ctx.request().method().name());
        ctx.response().setStatusCode(status).putHeader("Content-Type", ApiResponse.JSON);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
            return;
        }
        ctx.response().end(ErrorBody.json(message, code, details));
    }
}
