package org.dsa110.contimg.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;

/**
 * Demo mode end to end on the ingest side: the feeder writes the demo catalog (loaded as the reference catalog) and
 * delivers simulated groups that the hub groups into complete 16-subband groups.
 */
class DemoModeTest {

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void theFeederLoadsTheCatalogAndDeliversGroupsThatBecomeComplete() throws Exception {
        try (TestHub hub = TestHub.start(Map.ofEntries(Map.entry("hub.demo", "true"),
                Map.entry("hub.demo.groups", "2"), Map.entry("hub.demo.interval.seconds", "1"),
                Map.entry("hub.demo.first.delay.seconds", "0"), Map.entry("hub.demo.antennas", "6"),
                Map.entry("hub.demo.channels", "1"), Map.entry("hub.demo.integrations", "2"),
                Map.entry("hub.demo.catalog.min.flux.mjy", "15"),
                Map.entry("hub.streaming.poll.interval", "0.2"),
                Map.entry("hub.streaming.worker.poll.interval", "0.2"),
                Map.entry("hub.streaming.settle.seconds", "0"), Map.entry("hub.stage.executor", "skip")))) {
            DemoFeeder feeder = hub.bean("demoFeeder", DemoFeeder.class);
            assertTrue(feeder != null, "demo feeder bound");
            Db db = hub.bean("db", Db.class);
            await("catalog loaded", () -> db.scalarLong("SELECT COUNT(*) FROM sources") > 0);
            GroupSimulator sim = feeder.simulator();
            assertEquals(sim.sky().size(), db.scalarLong("SELECT COUNT(*) FROM sources WHERE catalog = 'NVSS'"));
            // every simulated source id is the id the hub gave it
            String calId = sim.calibrator().orElseThrow().sourceId();
            assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM sources WHERE source_id = ?", calId));
            Path demoDir = hub.dataDir().resolve("demo");
            assertTrue(Files.isRegularFile(demoDir.resolve("sim_catalog.csv")));
            JsonNode truth = Json.MAPPER.readTree(demoDir.resolve("sim_truth.json").toFile());
            assertEquals(2, truth.get("groups").size());
            assertTrue(truth.get("groups").get(0).get("calibrator_transit").asBoolean());
            assertEquals(1, truth.get("ese").size());

            // both groups arrive complete; each is named after one of its (jittered) file timestamps
            await("two complete groups", () -> db.scalarLong(
                    "SELECT COUNT(*) FROM ingest_groups WHERE subbands_present = 16") == 2);
            List<String> ids = new ArrayList<>();
            db.query("SELECT group_id FROM ingest_groups ORDER BY group_id").forEach(r -> ids.add(
                    String.valueOf(r.values().iterator().next())));
            assertEquals(2, ids.size());
            for (int i = 0; i < 2; i++) {
                assertTrue(sim.groups().get(i).fileTimestamps().contains(ids.get(i)), ids.get(i));
                JsonNode g = Json.MAPPER.readTree(hub.get("/api/groups/" + ids.get(i)).body());
                assertEquals(16, g.get("subbands_present").asInt());
                assertEquals(54.57, g.get("pointing_dec_deg").asDouble(), 1e-9);
                List<String> states = new ArrayList<>();
                g.get("history").forEach(h -> states.add(h.get("to_state").asText()));
                assertTrue(states.contains("pending"), states.toString());
            }
            assertEquals(2, feeder.nextGroup());
            assertEquals("2", Files.readString(demoDir.resolve(DemoFeeder.STATE_FILE)).trim());
        }
    }
}
