package org.dsa110.contimg.dashboard;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;

/**
 * One hub in demo mode for the dashboard tests (started once per test JVM, stopped at exit): the demo feeder drops
 * small simulated groups (6 antennas, 1 channel per subband, 2 integrations) that go through the builtin stages,
 * so every table the dashboard reads is filled by the hub's own pipeline. Mosaics need ten images in production; here
 * {@value #GROUPS} groups make one mosaic. A damaged subband file then arrives, as a telescope sometimes writes one:
 * the ingest dead-letters it, so the triage views have an item too.
 */
public final class DemoHub {
    static final int GROUPS = 4;
    private static TestHub hub;

    private DemoHub() {
    }

    public static synchronized TestHub get() throws Exception {
        if (hub == null) {
            TestHub h = TestHub.start(Map.ofEntries(Map.entry("hub.demo", "true"),
                    Map.entry("hub.demo.groups", String.valueOf(GROUPS)),
                    Map.entry("hub.demo.interval.seconds", "1"), Map.entry("hub.demo.first.delay.seconds", "0"),
                    Map.entry("hub.demo.antennas", "6"), Map.entry("hub.demo.channels", "1"),
                    Map.entry("hub.demo.integrations", "2"), Map.entry("hub.demo.catalog.min.flux.mjy", "15"),
                    Map.entry("hub.streaming.poll.interval", "0.2"),
                    Map.entry("hub.streaming.worker.poll.interval", "0.2"),
                    Map.entry("hub.streaming.settle.seconds", "0"),
                    Map.entry("hub.stage.imaging.param.max-size", "512"),
                    Map.entry("hub.stage.imaging.param.niter", "100"),
                    Map.entry("hub.mosaic.group.size", String.valueOf(GROUPS)),
                    Map.entry("hub.stage.redelivery.max-redeliveries", "0")));
            Runtime.getRuntime().addShutdownHook(new Thread(h::close));
            hub = h;
            awaitGroups(h);
            Files.writeString(h.dataDir().resolve("incoming").resolve("2026-01-17T00:00:00_sb00.hdf5"),
                    "not an HDF5 file: the writer was interrupted");
            await(h, "the damaged file dead-lettered", "SELECT COUNT(*) FROM dlq_items", 1);
        }
        return hub;
    }

    private static void awaitGroups(TestHub h) throws InterruptedException {
        await(h, "the demo groups finished", "SELECT COUNT(*) FROM ingest_groups WHERE state IN ('completed', 'failed')",
                GROUPS);
    }

    private static void await(TestHub h, String what, String countSql, long atLeast) throws InterruptedException {
        Db db = h.bean("db", Db.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (db.scalarLong(countSql) >= atLeast) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("demo hub: timed out waiting for " + what + ": " + db.query(
                "SELECT group_id, state, error FROM ingest_groups"));
    }
}
