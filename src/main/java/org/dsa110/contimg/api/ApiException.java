package org.dsa110.contimg.api;

import java.util.Map;

/**
 * A failure with an HTTP meaning. Thrown anywhere below the REST layer; the central error mapping turns it into
 * the seed-001 error body {@code {"error","status":"error","code","details"}}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : details;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiException badRequest(String message, Map<String, Object> details) {
        return new ApiException(400, "BAD_REQUEST", message, details);
    }

    public static ApiException invalidParameter(String name, Object value, String expected) {
        return new ApiException(400, "INVALID_PARAMETER", "invalid parameter '" + name + "': " + expected,
                Map.of("parameter", name, "value", String.valueOf(value), "expected", expected));
    }

    public static ApiException notFound(String kind, Object id) {
        return new ApiException(404, "NOT_FOUND", kind + " not found: " + id,
                Map.of("resource", kind, "id", String.valueOf(id)));
    }

    public static ApiException conflict(String message, Map<String, Object> details) {
        return new ApiException(409, "CONFLICT", message, details);
    }

    public static ApiException unprocessable(String message, Map<String, Object> details) {
        return new ApiException(422, "VALIDATION_ERROR", message, details);
    }

    public static ApiException unavailable(String message, Map<String, Object> details) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", message, details);
    }
}
