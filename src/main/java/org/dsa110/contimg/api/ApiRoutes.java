package org.dsa110.contimg.api;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.dsa110.contimg.security.AccessPolicy;
import org.dsa110.contimg.security.Role;

/**
 * Base of the REST route builders (one per /api area). Each operation is declared in the REST DSL (so it appears
 * in /api/openapi.json) and dispatched to its own {@code direct:} route, id = operation id, which runs the handler.
 * The role a caller needs is declared with the operation: by default {@code read} for GET and {@code write} for
 * every other method; the overloads taking a {@link Role} state more ({@code admin} for operations that change
 * how the hub itself runs). The HTTP edge ({@link AccessControl}) enforces it before any route runs, and the
 * OpenAPI document lists the security schemes every non-public operation accepts.
 *
 * <p>Each helper returns the operation's {@link ApiOperation}, on which the route builder declares query
 * parameters, request body and response types; {@link ApiDocument} renders them into the document.
 */
public abstract class ApiRoutes extends RouteBuilder {
    /** camel.rest.contextPath: every operation path below is relative to it. */
    public static final String CONTEXT_PATH = "/api";

    /** Declares {@code GET path} (relative to /api) handled by {@code handler}; needs {@code read}. */
    protected final ApiOperation get(String path, String operationId, String summary, ApiHandler handler) {
        return operation("get", path, operationId, summary, Role.READ, handler);
    }

    /** A GET that needs more than {@code read}. */
    protected final ApiOperation get(String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        return operation("get", path, operationId, summary, role, handler);
    }

    protected final ApiOperation post(String path, String operationId, String summary, ApiHandler handler) {
        return operation("post", path, operationId, summary, Role.WRITE, handler);
    }

    protected final ApiOperation post(String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        return operation("post", path, operationId, summary, role, handler);
    }

    protected final ApiOperation put(String path, String operationId, String summary, ApiHandler handler) {
        return operation("put", path, operationId, summary, Role.WRITE, handler);
    }

    protected final ApiOperation put(String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        return operation("put", path, operationId, summary, role, handler);
    }

    protected final ApiOperation patch(String path, String operationId, String summary, ApiHandler handler) {
        return operation("patch", path, operationId, summary, Role.WRITE, handler);
    }

    protected final ApiOperation patch(String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        return operation("patch", path, operationId, summary, role, handler);
    }

    protected final ApiOperation delete(String path, String operationId, String summary, ApiHandler handler) {
        return operation("delete", path, operationId, summary, Role.WRITE, handler);
    }

    protected final ApiOperation delete(String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        return operation("delete", path, operationId, summary, role, handler);
    }

    private ApiOperation operation(String method, String path, String operationId, String summary, Role role,
            ApiHandler handler) {
        // The edge answers 404/405 for paths the REST DSL does not serve, reroutes greedy parameters (values
        // with slashes, declared to the REST DSL as plain {name}) and enforces the role.
        lookup("httpEdge", HttpEdge.class).registerOperation(method, CONTEXT_PATH + path, role);
        path = path.replace(":path}", "}");
        String tag = tagOf(path);
        RestDefinition rest = rest().tag(tag);
        ApiSecurity.declareSchemes(rest, lookup("accessPolicy", AccessPolicy.class).keyHeader());
        RestDefinition verb = switch (method) {
            case "get" -> rest.get(path);
            case "post" -> rest.post(path);
            case "put" -> rest.put(path);
            case "patch" -> rest.patch(path);
            case "delete" -> rest.delete(path);
            default -> throw new IllegalArgumentException(method);
        };
        verb.id("rest." + operationId).description(summary);
        ApiSecurity.require(verb, role);
        verb.to("direct:api." + operationId);
        from("direct:api." + operationId).routeId("api." + operationId).process(new ApiDispatch(handler));
        ApiOperation declared = new ApiOperation(method, path, operationId, summary, role);
        lookup("apiDocument", ApiDocument.class).register(declared);
        return declared;
    }

    /** A bean from the registry, failing fast at start-up when wiring is missing. */
    protected final <T> T lookup(String name, Class<T> type) {
        return org.dsa110.contimg.Beans.bean(getCamelContext(), name, type);
    }

    private static String tagOf(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }
}
