package org.dsa110.contimg.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.HubProcess;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub refuses to start where it would share state it must not: a second hub on the data directory of a running
 * hub with the embedded database exits at once with one line naming the pid that holds it; a hub joining a
 * PostgreSQL cluster from a data directory its live peers do not share is refused too.
 */
class OneHubPerDataDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondHubOnTheSameH2DataDirectoryExitsWithOneLine() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("var"));
        List<String> props = List.of("-Dhub.data.dir=" + data, "-Dhub.streaming.autostart=false");
        HubProcess first = new HubProcess(props, tmp, tmp.resolve("first.log"), "256m").start();
        HubProcess second = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!first.healthy() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(first.healthy(), first.tail(30));
            long t0 = System.nanoTime();
            second = new HubProcess(props, tmp, tmp.resolve("second.log"), "256m").start();
            assertTrue(second.process().waitFor(60, TimeUnit.SECONDS), "the second hub did not exit");
            System.out.printf("second hub on a locked data directory exited after %.2f s%n",
                    (System.nanoTime() - t0) / 1e9);
            assertEquals(StartupChecks.EXIT_STATUS, second.process().exitValue());
            String out = Files.readString(tmp.resolve("second.log"));
            List<String> refusal = out.lines().filter(l -> l.contains("cannot start")).toList();
            assertEquals(1, refusal.size(), out);
            assertTrue(refusal.get(0).endsWith("data directory " + data + " is in use by pid "
                    + first.process().pid()), refusal.get(0));
            assertFalse(out.contains("\tat "), "no stack trace: " + out);
            assertFalse(out.contains(" started: "), "nothing was started: " + out);
            assertTrue(first.healthy(), "the first hub keeps running");
        } finally {
            first.kill();
            if (second != null) {
                second.kill();
            }
        }
    }

    @Test
    void aHubOnAnotherDataDirectoryCannotJoinAPostgresCluster() throws Exception {
        String url = TestDatabases.postgresUrl();
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Map<String, String> db = Map.of("hub.db.url", url, "hub.db.user", TestDatabases.POSTGRES_USER,
                "hub.db.password", "", "hub.streaming.autostart", "false");
        try (TestHub a = TestHub.start(with(db, "hub.worker.id", "hub-a", "hub.data.dir", shared.toString()))) {
            assertTrue(Files.exists(shared.resolve("staging").resolve(HubNodes.MARKER_DIR).resolve("hub-a")));
            Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestHub.start(
                    with(db, "hub.worker.id", "hub-b", "hub.data.dir", elsewhere.toString())));
            assertTrue(refused.getMessage().startsWith("data directory " + elsewhere + " is not shared with cluster "
                    + "peer hub-a"), refused.getMessage());
            try (TestHub b = TestHub.start(with(db, "hub.worker.id", "hub-b", "hub.data.dir", shared.toString()))) {
                assertEquals(200, b.get("/api/health").statusCode());
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String k1, String v1, String k2, String v2) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
