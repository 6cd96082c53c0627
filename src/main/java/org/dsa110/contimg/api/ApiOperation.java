package org.dsa110.contimg.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.security.Role;

/**
 * What one REST operation declares beyond its path and handler: its query and header parameters, its request
 * body type and its response types. {@link ApiRoutes}' get/post/put/patch/delete return it, so a route builder
 * states the contract next to the handler:
 *
 * <pre>
 * get("/images", "images.list", "Images, newest first", req -&gt; ...)
 *         .queryInt("limit", 100, 1, 1000).queryString("ms_path", "Only images of this MS")
 *         .returnsList(ImageSummary.class);
 * </pre>
 *
 * {@link ApiDocument} renders the declarations into /api/openapi.json (schemas from Jackson's own view of the
 * records, so the names are the snake_case names the hub writes). The declared ranges and defaults must be the
 * ones the handler applies ({@code req.intQuery(name, default, min, max)}): the document describes, the handler
 * enforces. An operation that declares no response type is listed as untyped (docs/api.md) and its body is not
 * checked by the suite's response validation.
 */
public final class ApiOperation {
    /** A declared query or header parameter. {@code type} is the OpenAPI type (integer, number, string, boolean). */
    public record Param(String name, String in, String type, String format, Object defaultValue, Number minimum,
            Number maximum, List<String> allowed, boolean required, String description) {
    }

    /** A declared response: a JSON body of {@code type} (an array of it when {@code list}), or a non-JSON media type. */
    public record Response(int status, Class<?> type, boolean list, String mediaType, String description) {
    }

    private final String method;
    private final String path;
    private final String operationId;
    private final String summary;
    private final Role role;
    private final List<Param> params = new ArrayList<>();
    private final Map<Integer, Response> responses = new LinkedHashMap<>();
    private Class<?> bodyType;
    private boolean bodyRequired;
    private String example;

    ApiOperation(String method, String path, String operationId, String summary, Role role) {
        this.method = method;
        this.path = path;
        this.operationId = operationId;
        this.summary = summary;
        this.role = role;
    }

    /** The paging pair of a list: {@code limit} (default, 1..max) and {@code offset} (0 and up). */
    public ApiOperation page(int defaultLimit, int maxLimit) {
        return queryInt("limit", defaultLimit, 1, maxLimit).queryInt("offset", 0, 0, Integer.MAX_VALUE);
    }

    /** An integer query parameter with the handler's default and inclusive range. */
    public ApiOperation queryInt(String name, int defaultValue, int min, int max) {
        return param(new Param(name, "query", "integer", "int32", defaultValue, min, max, null, false, null));
    }

    /** An integer query parameter without a default (absent means "not filtered"). */
    public ApiOperation queryInt(String name, int min, int max, String description) {
        return param(new Param(name, "query", "integer", "int32", null, min, max, null, false, description));
    }

    /** A number query parameter (absent means the handler's own default or "not filtered"). */
    public ApiOperation queryNumber(String name, Double defaultValue, double min, double max, String description) {
        return param(new Param(name, "query", "number", "double", defaultValue, min, max, null, false, description));
    }

    /** A required number query parameter with its inclusive range ({@code req.requiredDouble}). */
    public ApiOperation requiredNumber(String name, double min, double max) {
        return param(new Param(name, "query", "number", "double", null, min, max, null, true, null));
    }

    /** An integer query parameter without a default or a declared range. */
    public ApiOperation queryInt(String name, String description) {
        return param(new Param(name, "query", "integer", null, null, null, null, null, false, description));
    }

    /** A boolean query parameter without a default (absent means "not filtered"). */
    public ApiOperation queryBool(String name, String description) {
        return param(new Param(name, "query", "boolean", null, null, null, null, null, false, description));
    }

    /** A number query parameter without a default or a declared range. */
    public ApiOperation queryNumber(String name, String description) {
        return param(new Param(name, "query", "number", null, null, null, null, null, false, description));
    }

    public ApiOperation queryString(String name, String description) {
        return param(new Param(name, "query", "string", null, null, null, null, null, false, description));
    }

    /** A string query parameter the handler defaults when absent ({@code req.query(name, default)}). */
    public ApiOperation queryString(String name, String defaultValue, String description) {
        return param(new Param(name, "query", "string", null, defaultValue, null, null, null, false, description));
    }

    public ApiOperation requiredQuery(String name, String description) {
        return param(new Param(name, "query", "string", null, null, null, null, null, true, description));
    }

    /** An ISO-8601 timestamp query parameter. */
    public ApiOperation queryTime(String name, String description) {
        return param(new Param(name, "query", "string", "date-time", null, null, null, null, false, description));
    }

    public ApiOperation queryBool(String name, boolean defaultValue, String description) {
        return param(new Param(name, "query", "boolean", null, defaultValue, null, null, null, false, description));
    }

    /** A query parameter with a closed set of values ({@code req.oneOf(name, default, allowed...)}). */
    public ApiOperation queryEnum(String name, String defaultValue, String... allowed) {
        return param(new Param(name, "query", "string", null, defaultValue, null, null, Arrays.asList(allowed), false,
                null));
    }

    public ApiOperation header(String name, String description) {
        return param(new Param(name, "header", "string", null, null, null, null, null, false, description));
    }

    /** Declares {@code p}, replacing an earlier declaration of the same name and location. */
    public ApiOperation param(Param p) {
        params.removeIf(q -> q.name().equals(p.name()) && q.in().equals(p.in()));
        params.add(p);
        return this;
    }

    /** The JSON request body, bound to {@code type} by {@code req.body(type)} (required) . */
    public ApiOperation body(Class<?> type) {
        this.bodyType = type;
        this.bodyRequired = true;
        return this;
    }

    /** An optional JSON request body ({@code req.bodyOrDefaults(type)}). */
    public ApiOperation optionalBody(Class<?> type) {
        this.bodyType = type;
        this.bodyRequired = false;
        return this;
    }

    /** 200 with a JSON body of {@code type}. */
    public ApiOperation returns(Class<?> type) {
        return returns(200, type);
    }

    public ApiOperation returns(int status, Class<?> type) {
        responses.put(status, new Response(status, type, false, null, null));
        return this;
    }

    /** 200 with a JSON array of {@code item}. */
    public ApiOperation returnsList(Class<?> item) {
        responses.put(200, new Response(200, item, true, null, null));
        return this;
    }

    /** A non-JSON body (an image, a FITS file, text) of {@code mediaType}. */
    public ApiOperation returnsMedia(int status, String mediaType, String description) {
        responses.put(status, new Response(status, null, false, mediaType, description));
        return this;
    }

    /** 204 No Content. */
    public ApiOperation returnsNothing() {
        responses.put(204, new Response(204, null, false, null, "No content"));
        return this;
    }

    /** An example of the 200 body (JSON text), shown by documentation tools. */
    public ApiOperation example(String json) {
        this.example = json;
        return this;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String operationId() {
        return operationId;
    }

    public String summary() {
        return summary;
    }

    public Role role() {
        return role;
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    public Map<Integer, Response> responses() {
        return Map.copyOf(responses);
    }

    public Class<?> bodyType() {
        return bodyType;
    }

    public boolean bodyRequired() {
        return bodyRequired;
    }

    public String example() {
        return example;
    }

    /** Whether the operation declares what its successful response is. */
    public boolean typed() {
        return !responses.isEmpty();
    }
}
