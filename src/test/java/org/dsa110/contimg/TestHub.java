package org.dsa110.contimg;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * A real hub for tests: the application's own Main, on a free port, with its state in a temporary directory.
 * {@link #shared()} starts one per test JVM (stopped at exit) so HTTP tests do not each pay the start-up.
 *
 * <p>Every test hub knows three API keys ({@link #ADMIN_KEY}, {@link #WRITE_KEY}, {@link #READ_KEY}) and the
 * request helpers send the admin key, so tests exercise the operations themselves; {@link #sendWithKey} sends another key or none (security tests). Loopback is exempt from the rate limit here.
 * Every response goes through {@link ContractCheckingHttpClient}: a body that does not match the hub's own
 * OpenAPI document fails the test.
 */
public final class TestHub implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";
    public static final String WRITE_KEY = "test-write-key-0123456789abcdef";
    public static final String READ_KEY = "test-read-key-0123456789abcdef";
    /** The header the helpers send the key in. */
    public static final String KEY_HEADER = "X-API-Key";
    private static TestHub shared;

    private final Main main;
    private final int port;
    private final Path dataDir;
    /** Every response a test receives is checked against the served OpenAPI document. */
    private final HttpClient http = new ContractCheckingHttpClient(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), this::openApiDocument);

    private TestHub(Map<String, String> overrides) throws Exception {
        this.port = freePort();
        this.dataDir = Files.createTempDirectory("hub-test");
        this.main = HubApplication.createMain(new String[0]);
        main.addOverrideProperty("hub.port", String.valueOf(port));
        main.addOverrideProperty("hub.data.dir", dataDir.toString());
        main.addOverrideProperty("hub.live.status.interval", "2");
        main.addOverrideProperty("hub.api.keys", "test-admin:" + ADMIN_KEY + ":admin,test-writer:" + WRITE_KEY
                + ":write,test-reader:" + READ_KEY + ":read");
        main.addOverrideProperty("hub.ratelimit.exempt-loopback", "true");
        overrides.forEach(main::addOverrideProperty);
        main.start();
        waitUntilServing();
    }

    public static synchronized TestHub shared() throws Exception {
        if (shared == null) {
            shared = new TestHub(Map.of());
            TestHub s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A separate hub with extra properties (close it when done). */
    public static TestHub start(Map<String, String> overrides) throws Exception {
        return new TestHub(overrides);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * A Measurement Set stand-in (a directory) under this hub's staging directory, created if needed: task inputs
     * must exist inside the data roots. Returns its absolute real path, as the hub stores it.
     */
    public String stagedMs(String name) {
        try {
            Path dir = Files.createDirectories(dataDir.resolve("staging").resolve(name));
            return dir.toRealPath().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /** /api/openapi.json as this hub serves it, rendered in-process by the REST API route (no HTTP request). */
    public String openApiDocument() {
        for (org.apache.camel.Route r : context().getRoutes()) {
            if (r.getEndpoint().getEndpointUri().startsWith("rest-api:")) {
                org.apache.camel.Exchange ex = r.getEndpoint().createExchange();
                ex.getIn().setHeader(org.apache.camel.Exchange.HTTP_PATH, "/openapi.json");
                try {
                    r.getProcessor().process(ex);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot render the OpenAPI document", e);
                }
                return ex.getMessage().getBody(String.class);
            }
        }
        throw new IllegalStateException("no REST API route (camel.rest.apiContextPath)");
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A request builder for {@code path} carrying the admin key. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header(KEY_HEADER, ADMIN_KEY).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(String method, String path, String jsonBody)
            throws IOException, InterruptedException {
        return send(method, path, jsonBody, Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(String method, String path, String jsonBody, Duration timeout)
            throws IOException, InterruptedException {
        return send(method, path, jsonBody, ADMIN_KEY, timeout);
    }

    /** A JSON request with {@code apiKey} instead of the admin key (null: no key at all). */
    public HttpResponse<String> sendWithKey(String method, String path, String jsonBody, String apiKey)
            throws IOException, InterruptedException {
        return send(method, path, jsonBody, apiKey, Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(String method, String path, String jsonBody, String apiKey, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, body)
                .header("Content-Type", "application/json").timeout(timeout);
        if (apiKey != null) {
            b.header(KEY_HEADER, apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String jsonBody) throws IOException, InterruptedException {
        return send("POST", path, jsonBody);
    }

    public HttpClient http() {
        return http;
    }

    private void waitUntilServing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                // without a key: a hub configured with other keys refuses the test keys, even on public paths
                if (sendWithKey("GET", "/api/health/live", null, null).statusCode() == 200
                        && bean("httpEdge", org.dsa110.contimg.api.HttpEdge.class).installed()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("hub did not start on port " + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            // best effort at shutdown
        }
    }
}
