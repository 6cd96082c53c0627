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
 */
public final class TestHub implements AutoCloseable {
    private static TestHub shared;

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestHub(Map<String, String> overrides) throws Exception {
        this.port = freePort();
        this.dataDir = Files.createTempDirectory("hub-test");
        this.main = HubApplication.createMain(new String[0]);
        main.addOverrideProperty("hub.port", String.valueOf(port));
        main.addOverrideProperty("hub.data.dir", dataDir.toString());
        main.addOverrideProperty("hub.live.status.interval", "2");
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

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(String method, String path, String jsonBody)
            throws IOException, InterruptedException {
        return send(method, path, jsonBody, Duration.ofSeconds(30));
    }

    public HttpResponse<String> send(String method, String path, String jsonBody, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody);
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, body)
                .header("Content-Type", "application/json").timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
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
                if (get("/api/health/live").statusCode() == 200
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
