package org.dsa110.contimg;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.dsa110.contimg.api.LegacyAliases;

/**
 * The HTTP client of the test hubs: every response to a REST operation that a test receives is validated against
 * the OpenAPI document the same hub serves (/api/openapi.json, loaded once per hub), with Atlassian's
 * swagger-request-validator, and a mismatch fails the test that made the request (an {@link AssertionError} from
 * {@code send}). So a shape can never drift from its declaration: a typed operation's body must match its schema
 * exactly (records are strict), and every 4XX/5XX must be the error envelope.
 *
 * <p>Not checked, because they are no operation of the document: the live channels (SSE, WebSocket), Jolokia, and
 * the edge's own answers for paths or methods the document does not have. Legacy alias paths are checked as
 * their canonical operation. A hub whose document the suite cannot read (its keys are not the test keys and the
 * request carries none it accepts) is not checked. Streamed bodies (an {@code InputStream} handler) are not read here. An operation that
 * declares no response type (docs/api.md lists them) accepts any 2XX body, so only its errors are checked.
 */
public final class ContractCheckingHttpClient extends HttpClient {
    /** Report keys meaning "this request is no operation of the document" (not a mismatch). */
    private static final Set<String> NOT_AN_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    private final HttpClient http;
    private final java.util.function.Supplier<String> document;
    private final Map<String, OpenApiInteractionValidator> validators = new ConcurrentHashMap<>();

    /** Checks against the document each hub serves over HTTP (a hub in another process). */
    public ContractCheckingHttpClient(HttpClient http) {
        this(http, null);
    }

    /**
     * Checks against {@code document}: a hub in this JVM renders it in-process, so loading it takes no request
     * (a test that counts its requests against a rate limit sees only its own).
     */
    public ContractCheckingHttpClient(HttpClient http, java.util.function.Supplier<String> document) {
        this.http = http;
        this.document = document;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = http.send(request, handler);
        check(request, response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(request, handler).thenApply(r -> {
            check(request, r);
            return r;
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        return http.sendAsync(request, handler, push).thenApply(r -> {
            check(request, r);
            return r;
        });
    }

    private void check(HttpRequest request, HttpResponse<?> response) {
        Object body = response.body();
        String text;
        if (body instanceof String s) {
            text = s;
        } else if (body instanceof byte[] b) {
            text = new String(b, StandardCharsets.UTF_8);
        } else {
            return;
        }
        String path = request.uri().getRawPath();
        if (!path.startsWith("/api/") || path.startsWith("/api/jolokia") || path.startsWith("/api/sse/")
                || path.startsWith("/api/ws/") || path.equals("/api/openapi.json")) {
            return;
        }
        String canonical = LegacyAliases.canonical(path);
        if (canonical != null) {
            path = canonical;
        }
        OpenApiInteractionValidator validator = validator(request);
        if (validator == null) {
            return;
        }
        List<String> mismatches = mismatches(validator, request.method(), path, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), text);
        if (!mismatches.isEmpty()) {
            throw new AssertionError("response does not match /api/openapi.json: " + request.method() + " "
                    + request.uri().getRawPath() + " -> " + response.statusCode() + "\n  "
                    + String.join("\n  ", mismatches) + "\n  body: "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text));
        }
    }

    /** A validator for {@code document} (the JSON of /api/openapi.json). */
    public static OpenApiInteractionValidator validatorFor(String document) {
        // the document's paths are relative to its server URL, .../api
        return OpenApiInteractionValidator.createForInlineApiSpecification(document).withBasePathOverride("/api")
                .build();
    }

    /**
     * How a response differs from the document (empty: it matches, or {@code path} is no operation of it).
     * {@code path} is the full path, /api/...
     */
    public static List<String> mismatches(OpenApiInteractionValidator validator, String method, String path, int status,
            String contentType, String body) {
        SimpleResponse.Builder r = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            r.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            r.withBody(body);
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), r.build());
        if (report.getMessages().stream().anyMatch(m -> NOT_AN_OPERATION.contains(m.getKey()))) {
            return List.of();
        }
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()).toList();
    }

    /**
     * The validator for the hub at {@code request}'s authority, built from the document it serves, fetched with the
     * test keys or the request's own credentials (a hub may know only its own keys). Null while no document can be
     * had: that response is not checked, and the next one tries again.
     */
    private OpenApiInteractionValidator validator(HttpRequest request) {
        URI uri = request.uri();
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        OpenApiInteractionValidator known = validators.get(base);
        if (known != null) {
            return known;
        }
        if (document != null) {
            return validators.computeIfAbsent(base, b -> validatorFor(document.get()));
        }
        try {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(base + "/api/openapi.json"))
                    .timeout(Duration.ofSeconds(30));
            request.headers().firstValue(TestHub.KEY_HEADER).ifPresentOrElse(k -> get.header(TestHub.KEY_HEADER, k),
                    () -> get.header(TestHub.KEY_HEADER, TestHub.ADMIN_KEY));
            request.headers().firstValue("Authorization").ifPresent(a -> get.header("Authorization", a));
            HttpResponse<String> doc = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                return null;
            }
            OpenApiInteractionValidator v = validatorFor(doc.body());
            validators.put(base, v);
            return v;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return http.newWebSocketBuilder();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return http.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return http.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return http.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return http.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return http.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return http.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return http.authenticator();
    }

    @Override
    public Version version() {
        return http.version();
    }

    @Override
    public Optional<Executor> executor() {
        return http.executor();
    }
}
