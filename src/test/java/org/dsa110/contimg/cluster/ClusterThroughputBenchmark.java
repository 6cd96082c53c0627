package org.dsa110.contimg.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dsa110.contimg.HubProcess;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.store.TestDatabases;

/**
 * Groups per minute of N hubs on one embedded PostgreSQL database and one shared data directory (bench/cluster.sh,
 * docs/performance.md): G demo-sized groups are simulated first (not timed), N hub processes started, then every
 * group is dropped into the incoming directory at once; the time runs from the first claim to the last group
 * completed. Usage: {@code ClusterThroughputBenchmark hubs groups heap}.
 */
public final class ClusterThroughputBenchmark {
    private ClusterThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hubs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        String heap = args.length > 2 ? args[2] : "600m";
        Path tmp = Files.createTempDirectory("cluster-bench");
        String url = TestDatabases.postgresUrl();
        Path data = Files.createDirectories(tmp.resolve("var"));
        SimConfig cfg = SimConfig.defaults(tmp.resolve("sim")).withGroups(groups).withAntennas(24)
                .withChannelsPerSubband(4).withIntegrations(6).withCatalogMinFluxMjy(20).withModelMinApparentMjy(10)
                .withCalibratorGroups(Set.of());
        GroupSimulator sim = new GroupSimulator(cfg);
        List<List<Path>> files = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            files.add(sim.writeGroup(g, Files.createDirectories(tmp.resolve("g" + g))));
        }
        // the demo's image size (1024 px), as an operator's config file in the hubs' working directory
        Files.writeString(Files.createDirectories(tmp.resolve("config")).resolve("application.properties"),
                "hub.stage.imaging.param.max-size = 1024\n");
        List<HubProcess> running = new ArrayList<>();
        try {
            for (int i = 1; i <= hubs; i++) {
                running.add(new HubProcess(List.of("-Dhub.db.url=" + url, "-Dhub.db.user=" + TestDatabases.POSTGRES_USER,
                        "-Dhub.db.password=", "-Dhub.data.dir=" + data, "-Dhub.worker.id=bench-" + i,
                        "-Dhub.quartz.clustered=true", "-Dhub.streaming.poll.interval=1",
                        "-Dhub.streaming.worker.poll.interval=1", "-Dhub.streaming.settle.seconds=0"), tmp,
                        tmp.resolve("hub-" + i + ".log"), heap).start());
            }
            for (HubProcess h : running) {
                while (!h.healthy()) {
                    if (!h.isAlive()) {
                        throw new IllegalStateException("a hub exited: " + h.tail(20));
                    }
                    Thread.sleep(200);
                }
            }
            for (List<Path> g : files) {
                for (Path f : g) {
                    Files.move(f, data.resolve("incoming").resolve(f.getFileName()));
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (completed(url) < groups && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT MIN(claimed_at), MAX(completed_at), COUNT(*) FROM "
                            + "ingest_groups WHERE state = 'completed'")) {
                rs.next();
                double seconds = Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())
                        .toMillis() / 1000.0;
                int n = rs.getInt(3);
                System.out.printf("hubs %d, groups %d completed of %d, %.1f s from first claim to last completion: "
                        + "%.2f groups/min (load average %s)%n", hubs, n, groups, seconds, n / seconds * 60,
                        Files.readString(Path.of("/proc/loadavg")).trim());
            }
        } finally {
            running.forEach(HubProcess::kill);
        }
        System.exit(0);
    }

    private static int completed(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
