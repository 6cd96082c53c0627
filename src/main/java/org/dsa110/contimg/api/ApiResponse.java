package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a handler returns when a plain 200 JSON body is not enough: another status, a binary body (PNG, FITS,
 * HTML) or extra headers. {@code body} is serialised as JSON unless it is a byte[], String with a non-JSON content
 * type, or a {@link Path} (streamed from disk).
 */
public record ApiResponse(int status, String contentType, Object body, Map<String, String> headers) {

    public static final String JSON = "application/json";

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, JSON, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, JSON, body, Map.of());
    }

    public static ApiResponse accepted(Object body) {
        return new ApiResponse(202, JSON, body, Map.of());
    }

    public static ApiResponse status(int status, Object body) {
        return new ApiResponse(status, JSON, body, Map.of());
    }

    public static ApiResponse bytes(byte[] body, String contentType) {
        return new ApiResponse(200, contentType, body, Map.of());
    }

    public static ApiResponse png(byte[] body) {
        return bytes(body, "image/png");
    }

    public static ApiResponse html(String body) {
        return new ApiResponse(200, "text/html; charset=utf-8", body, Map.of());
    }

    public static ApiResponse text(String body, String contentType) {
        return new ApiResponse(200, contentType, body, Map.of());
    }

    /** A file streamed from disk; the caller has already checked it lies under a configured root. */
    public static ApiResponse file(Path path, String contentType, String downloadName) {
        return new ApiResponse(200, contentType, path,
                Map.of("Content-Disposition", "attachment; filename=\"" + downloadName.replace("\"", "") + "\""));
    }

    /** A body streamed from an open stream of known length (closed once sent); e.g. a bounded file download. */
    public record SizedStream(java.io.InputStream in, long length) {
    }

    /** An open stream of {@code length} bytes sent as a download (the caller checked the file's root). */
    public static ApiResponse stream(java.io.InputStream in, long length, String contentType, String downloadName) {
        return new ApiResponse(200, contentType, new SizedStream(in, length),
                Map.of("Content-Disposition", "attachment; filename=\"" + downloadName.replace("\"", "") + "\""));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, Map.copyOf(h));
    }
}
