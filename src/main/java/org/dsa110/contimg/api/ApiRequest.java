package org.dsa110.contimg.api;

import org.dsa110.contimg.core.ErrorKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.core.Timestamps;
import org.dsa110.contimg.security.Role;

/**
 * Typed access to one HTTP request: path and query parameters with validation (a bad value is a 400 naming the
 * parameter) and the JSON body bound to a record with the hub's one mapper.
 */
public final class ApiRequest {
    private final Exchange exchange;
    private final Map<String, Object> headers;

    public ApiRequest(Exchange exchange) {
        this.exchange = exchange;
        this.headers = Map.copyOf(exchange.getMessage().getHeaders().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a)));
    }

    public Exchange exchange() {
        return exchange;
    }

    /**
     * A path parameter, as the HTTP layer decoded it once (so "+" stays "+" and a greedy parameter rerouted
     * as %2F-encoded arrives with its slashes).
     */
    public String path(String name) {
        Object v = headers.get(name);
        if (v == null || v.toString().isBlank()) {
            throw HubException.badRequest("missing path parameter '" + name + "'", Map.of("parameter", name));
        }
        return v.toString();
    }

    public long pathLong(String name) {
        String v = path(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw HubException.invalidParameter(name, v, "an integer id");
        }
    }

    public String query(String name) {
        Object v = headers.get(name);
        if (v instanceof List<?> list) {
            v = list.isEmpty() ? null : list.get(0);
        }
        if (v == null) {
            return null;
        }
        String s = v.toString();
        return s.isEmpty() ? null : s;
    }

    public String query(String name, String defaultValue) {
        String v = query(name);
        return v == null ? defaultValue : v;
    }

    public String requiredQuery(String name) {
        String v = query(name);
        if (v == null) {
            throw new HubException(ErrorKind.BAD_REQUEST, "MISSING_PARAMETER", "missing required query parameter '" + name + "'",
                    Map.of("parameter", name));
        }
        return v;
    }

    public String oneOf(String name, String defaultValue, String... allowed) {
        String v = query(name, defaultValue);
        if (v == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw HubException.invalidParameter(name, v, "one of " + String.join(", ", allowed));
    }

    public int intQuery(String name, int defaultValue, int min, int max) {
        String v = query(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw HubException.invalidParameter(name, v, "an integer in [" + min + ", " + max + "]");
            }
            return i;
        } catch (NumberFormatException e) {
            throw HubException.invalidParameter(name, v, "an integer in [" + min + ", " + max + "]");
        }
    }

    public Double doubleQuery(String name, Double defaultValue, double min, double max) {
        String v = query(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d) || d < min || d > max) {
                throw HubException.invalidParameter(name, v, "a number in [" + min + ", " + max + "]");
            }
            return d;
        } catch (NumberFormatException e) {
            throw HubException.invalidParameter(name, v, "a number in [" + min + ", " + max + "]");
        }
    }

    public double requiredDouble(String name, double min, double max) {
        requiredQuery(name);
        return doubleQuery(name, null, min, max);
    }

    public boolean boolQuery(String name, boolean defaultValue) {
        String v = query(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw HubException.invalidParameter(name, v, "true or false");
        };
    }

    /** ISO-8601 instant; a value without an offset is taken as UTC (the pipeline's clock). */
    public Instant instantQuery(String name) {
        String v = query(name);
        return v == null ? null : Timestamps.parse(name, v);
    }

    public String rawBody() {
        String body = exchange.getMessage().getBody(String.class);
        return body == null ? "" : body;
    }

    public boolean hasBody() {
        return !rawBody().isBlank();
    }

    /** The JSON body bound to {@code type}; 400 when missing or malformed, naming the offending field. */
    public <T> T body(Class<T> type) {
        String body = rawBody();
        if (body.isBlank()) {
            throw new HubException(ErrorKind.BAD_REQUEST, "BODY_MISSING", "request body is missing", Map.of());
        }
        return parse(body, type);
    }

    /** The JSON body bound to {@code type}, or {@code "{}"} bound when there is no body (all defaults). */
    public <T> T bodyOrDefaults(Class<T> type) {
        String body = rawBody();
        return parse(body.isBlank() ? "{}" : body, type);
    }

    public JsonNode bodyTree() {
        String body = rawBody();
        try {
            return objectTree(body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /**
     * The body as a JSON object: every operation takes an object, so {@code null}, an array or a scalar is a 400
     * {@code VALIDATION_ERROR} here rather than a null record (a 500 in the handler) later.
     */
    private static JsonNode objectTree(String body) throws JsonProcessingException {
        JsonNode tree = Json.MAPPER.readTree(body);
        if (tree == null || !tree.isObject()) {
            String found = tree == null || tree.isNull() ? "null" : tree.isArray() ? "an array" : "a " +
                    tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            throw new HubException(ErrorKind.BAD_REQUEST, "VALIDATION_ERROR", "request body must be a JSON object, not "
                    + found, Map.of("expected", "object", "found", found));
        }
        return tree;
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(objectTree(body), type);
        } catch (ValueInstantiationException e) {
            // Records validate in their constructors: a well-formed request with invalid values.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw HubException.unprocessable(cause.getMessage(), Map.of());
        } catch (UnrecognizedPropertyException e) {
            throw new HubException(ErrorKind.BAD_REQUEST, "UNKNOWN_FIELD", "unknown field '" + e.getPropertyName() + "'",
                    Map.of("field", e.getPropertyName(), "known_fields",
                            e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds()));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", field);
            details.put("reason", e.getOriginalMessage());
            throw new HubException(ErrorKind.BAD_REQUEST, "INVALID_FIELD",
                    field.isEmpty() ? "request body has the wrong shape" : "invalid value for field '" + field + "'",
                    details);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    private static HubException malformed(JsonProcessingException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (e.getLocation() != null) {
            details.put("line", e.getLocation().getLineNr());
            details.put("column", e.getLocation().getColumnNr());
        }
        return new HubException(ErrorKind.BAD_REQUEST, "INVALID_JSON", "malformed JSON body: " + e.getOriginalMessage(), details);
    }

    /** The authenticated caller's key (or token) name, as access control set it; null when anonymous. */
    public String callerName() {
        return exchange.getMessage().getHeader(AccessControl.CALLER_HEADER, String.class);
    }

    /** The authenticated caller's role; null when anonymous. */
    public Role callerRole() {
        String role = exchange.getMessage().getHeader(AccessControl.ROLE_HEADER, String.class);
        return role == null ? null : Role.parse(role);
    }

    public String header(String name) {
        Object v = headers.get(name);
        return v == null ? null : v.toString();
    }
}
