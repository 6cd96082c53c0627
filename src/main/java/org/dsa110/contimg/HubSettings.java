package org.dsa110.contimg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the hub keeps its state. Every directory lives under the data directory unless configured elsewhere;
 * files are only ever served from these roots.
 */
public record HubSettings(String version, Path dataDir, Path incomingDir, Path stagingDir, Path productsDir,
        Path qaDir, Path scratchDir, Path backupsDir, int port) {

    public static HubSettings of(String version, String dataDir, String incomingDir, int port) {
        Path data = Path.of(dataDir).toAbsolutePath().normalize();
        Path incoming = incomingDir == null || incomingDir.isBlank() ? data.resolve("incoming")
                : Path.of(incomingDir).toAbsolutePath().normalize();
        return new HubSettings(version, data, incoming, data.resolve("staging"), data.resolve("products"),
                data.resolve("qa"), data.resolve("scratch"), data.resolve("backups"), port);
    }

    public void createDirectories() {
        for (Path p : new Path[] {dataDir, incomingDir, stagingDir, productsDir, qaDir, scratchDir, backupsDir}) {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + p, e);
            }
        }
    }

    /**
     * This hub process's id in the store (ingest claims, task claims, pipeline executions, the workers table):
     * {@code hub.worker.id} when set, else the host name. It must stay the same across restarts (so a restarted hub
     * takes back the work it left) and differ between hubs sharing one database.
     */
    public static String workerId(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
