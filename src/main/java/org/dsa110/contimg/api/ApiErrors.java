package org.dsa110.contimg.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.dsa110.contimg.core.ErrorKind;
import org.dsa110.contimg.core.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from a failure to an HTTP error response. Client mistakes are 4xx with a message saying what
 * was wrong; anything unexpected is a 500 whose body names no internals (the stack trace goes to the log only).
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static ApiResponse toResponse(Throwable failure, String routeId) {
        Throwable t = unwrap(failure);
        if (t instanceof HubException e) {
            return ApiResponse.status(status(e.kind()), ErrorBody.of(e.getMessage(), e.code(), e.details()));
        }
        if (t instanceof JsonProcessingException e) {
            return ApiResponse.status(400, ErrorBody.of("malformed JSON body: " + e.getOriginalMessage(),
                    "INVALID_JSON", Map.of()));
        }
        if (t instanceof RejectedExecutionException) {
            return ApiResponse.status(503, ErrorBody.of("the hub is busy with heavy requests; retry shortly",
                    "SERVICE_BUSY", Map.of())).withHeader("Retry-After", "5");
        }
        if (t instanceof SQLTransientConnectionException) {
            LOG.warn("database unavailable in {}: {}", routeId, t.getMessage());
            return ApiResponse.status(503, ErrorBody.of("database unavailable", "DATABASE_UNAVAILABLE", Map.of()));
        }
        if (t instanceof SQLException) {
            LOG.error("database error in {}", routeId, t);
            return ApiResponse.status(500, ErrorBody.of("database error", "DATABASE_ERROR", Map.of()));
        }
        LOG.error("unexpected failure in {}", routeId, t);
        return ApiResponse.status(500, ErrorBody.of("internal error", "INTERNAL_ERROR",
                Map.of("route", String.valueOf(routeId))));
    }

    /** The HTTP status of each kind of failure. */
    public static int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNPROCESSABLE -> 422;
            case TOO_MANY_REQUESTS -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t instanceof org.dsa110.contimg.store.StoreException se ? se.sqlException() : t;
        while (cur.getCause() != null && cur != cur.getCause()
                && !(cur instanceof HubException) && !(cur instanceof JsonProcessingException)
                && !(cur instanceof SQLException)
                && (cur instanceof org.apache.camel.RuntimeCamelException
                        || cur instanceof java.util.concurrent.CompletionException
                        || cur instanceof java.util.concurrent.ExecutionException)) {
            cur = cur.getCause();
        }
        return cur;
    }
}
