package org.dsa110.contimg;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.core.Json;

/**
 * A hub as a separate operating-system process (the application's own main class on the test class path), for
 * tests that kill hubs with SIGKILL or run several of them: start, health, JSON over HTTP, kill -9.
 */
public final class HubProcess {
    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Requests of the tests are checked against the served document; readiness polling is not a contract call. */
    private static final HttpClient HTTP = new ContractCheckingHttpClient(RAW);

    private final List<String> properties;
    private final Path workDir;
    private final Path log;
    private final int port;
    private final String heap;
    private Process process;

    /**
     * @param properties {@code -Dkey=value} options (the port is added)
     * @param log        where the process's output is appended
     */
    public HubProcess(List<String> properties, Path workDir, Path log, String heap) throws IOException {
        this.properties = List.copyOf(properties);
        this.workDir = workDir;
        this.log = log;
        this.port = TestHub.freePort();
        this.heap = heap;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public HubProcess start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:TieredStopAtLevel=1"); // tests: a quick start matters more than peak speed
        cmd.addAll(properties);
        cmd.add("-Dhub.port=" + port);
        // the keys every test hub knows (TestHub); requests below carry the admin key
        cmd.add("-Dhub.api.keys=test-admin:" + TestHub.ADMIN_KEY + ":admin,test-writer:" + TestHub.WRITE_KEY
                + ":write,test-reader:" + TestHub.READ_KEY + ":read");
        // absolute entries: the hub runs in workDir, the class path may be relative to this JVM's directory
        String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        cmd.addAll(List.of("-cp", cp, "org.dsa110.contimg.HubApplication"));
        process = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** SIGKILL of the hub and whatever it started: no shutdown hook, no hand-back. */
    public void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True once {@code /api/health} answers 200. Unchecked: while the process starts, Vert.x answers before the
     * hub's routes exist (an HTML 404), which is no answer of the hub's API.
     */
    public boolean healthy() {
        try {
            return RAW.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/health"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send("GET", path, null);
    }

    public HttpResponse<String> send(String method, String path, String json) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json").header(TestHub.KEY_HEADER, TestHub.ADMIN_KEY)
                    .timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The JSON body of a 200, else null. */
    public JsonNode json(String path) throws IOException {
        HttpResponse<String> r = get(path);
        return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
