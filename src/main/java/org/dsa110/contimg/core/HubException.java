package org.dsa110.contimg.core;

import java.util.Map;

/**
 * A failure a caller can act on: its {@link ErrorKind}, a stable machine-readable code and details. Thrown anywhere
 * (stores, services, stages); the REST layer turns it into the seed-001 error body
 * {@code {"error","status":"error","code","details"}} with the status its kind maps to.
 */
public class HubException extends RuntimeException {
    private final ErrorKind kind;
    private final String code;
    private final Map<String, Object> details;

    public HubException(ErrorKind kind, String code, String message, Map<String, Object> details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = details == null ? Map.of() : details;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public boolean isNotFound() {
        return kind == ErrorKind.NOT_FOUND;
    }

    public static HubException badRequest(String message, Map<String, Object> details) {
        return new HubException(ErrorKind.BAD_REQUEST, "BAD_REQUEST", message, details);
    }

    public static HubException invalidParameter(String name, Object value, String expected) {
        return new HubException(ErrorKind.BAD_REQUEST, "INVALID_PARAMETER",
                "invalid parameter '" + name + "': " + expected,
                Map.of("parameter", name, "value", String.valueOf(value), "expected", expected));
    }

    public static HubException notFound(String kind, Object id) {
        return new HubException(ErrorKind.NOT_FOUND, "NOT_FOUND", kind + " not found: " + id,
                Map.of("resource", kind, "id", String.valueOf(id)));
    }

    public static HubException conflict(String message, Map<String, Object> details) {
        return new HubException(ErrorKind.CONFLICT, "CONFLICT", message, details);
    }

    public static HubException unprocessable(String message, Map<String, Object> details) {
        return new HubException(ErrorKind.UNPROCESSABLE, "VALIDATION_ERROR", message, details);
    }

    public static HubException unavailable(String message, Map<String, Object> details) {
        return new HubException(ErrorKind.UNAVAILABLE, "SERVICE_UNAVAILABLE", message, details);
    }
}
