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
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.camel.main.Main;

/**
 * {@code java -XX:ArchiveClassesAtExit=target/contimg-hub.jsa -jar target/contimg-hub.jar cds-training DIR}: starts
 * the hub on a new data directory under DIR (so a new database is migrated, as on a first start) and a free port, asks it for a few answers (health, status, OpenAPI, an
 * error), and stops it, so the JVM writes the classes a start loads into an AppCDS archive. The build runs this
 * after packaging (pom.xml); starting with {@code -XX:SharedArchiveFile=target/contimg-hub.jsa} then skips
 * loading and verifying those classes (docs/performance.md).
 */
final class StartupTraining {
    static final String NAME = "cds-training";

    private StartupTraining() {
    }

    static int run(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: " + NAME + " SCRATCH_DATA_DIR");
            return 2;
        }
        int port = freePort();
        // a new data directory each time, so the training also runs the migrations of a new database
        Path parent = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        Path dataDir = Files.createTempDirectory(parent, "run-");
        Main main = HubApplication.createMain(new String[0]);
        main.addOverrideProperty("hub.data.dir", dataDir.toString());
        main.addOverrideProperty("hub.incoming.dir", "");
        main.addOverrideProperty("hub.port", Integer.toString(port));
        main.addOverrideProperty("hub.demo", "false");
        Thread client = new Thread(() -> exercise(main, port), "cds-training");
        client.setDaemon(true);
        client.start();
        main.run(new String[0]);
        deleteTree(dataDir);
        return 0;
    }

    private static void exercise(Main main, int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://localhost:" + port + "/api";
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (status(http, base + "/health") != 200) {
                if (System.nanoTime() > deadline) {
                    System.err.println(NAME + ": the hub did not become healthy");
                    return;
                }
                Thread.sleep(200);
            }
            for (String path : new String[] {"/health/ready", "/status", "/openapi.json", "/no/such/path"}) {
                status(http, base + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            main.completed();
        }
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
