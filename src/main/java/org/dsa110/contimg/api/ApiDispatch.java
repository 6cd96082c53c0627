package org.dsa110.contimg.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.dsa110.contimg.core.Json;

/**
 * Runs an {@link ApiHandler} and writes its result as the HTTP response. Failures go through {@link ApiErrors},
 * so every endpoint shares one error mapping and one JSON mapper.
 */
final class ApiDispatch implements Processor {
    private final ApiHandler handler;

    ApiDispatch(ApiHandler handler) {
        this.handler = handler;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ApiResponse response;
        try {
            Object result = handler.handle(new ApiRequest(exchange));
            response = result instanceof ApiResponse r ? r : ApiResponse.ok(result);
        } catch (Exception | StackOverflowError e) {
            response = ApiErrors.toResponse(e, exchange.getFromRouteId());
        }
        write(exchange, response);
    }

    static void write(Exchange exchange, ApiResponse response) throws java.io.IOException {
        Message out = exchange.getMessage();
        // Request headers (query and path parameters among them) must not be echoed as response headers.
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        out.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            out.setHeader(h.getKey(), h.getValue());
        }
        Object body = response.body();
        if (body instanceof Path file) {
            out.setHeader(Exchange.CONTENT_LENGTH, Files.size(file));
            out.setBody(file.toFile());
        } else if (body instanceof ApiResponse.SizedStream s) {
            out.setHeader(Exchange.CONTENT_LENGTH, s.length());
            out.setBody(s.in());
        } else if (body instanceof byte[] bytes) {
            out.setBody(bytes);
        } else if (body instanceof String s && !ApiResponse.JSON.equals(response.contentType())) {
            out.setBody(s);
        } else if (response.status() == 204) {
            out.setBody(null);
        } else {
            out.setBody(Json.writeBytes(body));
        }
    }
}
