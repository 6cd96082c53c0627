package org.dsa110.contimg.api;

/** Handles one REST operation: returns a body to serialise as JSON, or an {@link ApiResponse}. */
@FunctionalInterface
public interface ApiHandler {
    Object handle(ApiRequest request) throws Exception;
}
