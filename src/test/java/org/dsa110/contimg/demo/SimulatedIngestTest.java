package org.dsa110.contimg.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.junit.jupiter.api.Test;

/** The hub's streaming ingest accepts simulated subband files (jittered names) as one complete group of 16. */
class SimulatedIngestTest {

    @Test
    void aSimulatedGroupBecomesOnePendingGroupOfSixteen() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.streaming.poll.interval", "0.2",
                "hub.streaming.worker.poll.interval", "0.2", "hub.streaming.settle.seconds", "0",
                "hub.stage.executor", "skip"))) {
            Path incoming = hub.dataDir().resolve("incoming");
            SimConfig cfg = SimConfig.defaults(hub.dataDir().resolve("sim")).withAntennas(6).withChannelsPerSubband(1)
                    .withIntegrations(2).withCatalogMinFluxMjy(20).withCalibratorGroups(Set.of(0))
                    .withPointingDecDeg(16.3);
            GroupSimulator sim = new GroupSimulator(cfg);
            List<Path> files = sim.writeGroup(0, incoming);
            assertEquals(16, files.size());
            // file names differ (jitter) but all join the group named after the first file recorded
            assertTrue(sim.groups().get(0).fileTimestamps().stream().distinct().count() > 1);
            String anyStamp = sim.groups().get(0).groupId();
            JsonNode group = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                JsonNode list = Json.MAPPER.readTree(hub.get("/api/status").body()).get("recent_groups");
                if (list != null && list.size() > 0) {
                    JsonNode g = Json.MAPPER.readTree(hub.get("/api/groups/" + list.get(0).get("group_id").asText())
                            .body());
                    if (g.get("subbands_present").asInt() == 16) {
                        group = g;
                        break;
                    }
                }
                Thread.sleep(200);
            }
            assertTrue(group != null, "no complete group formed");
            JsonNode status = Json.MAPPER.readTree(hub.get("/api/status").body());
            assertEquals(1, status.get("recent_groups").size(), "exactly one group");
            String id = group.get("group_id").asText();
            assertTrue(sim.groups().get(0).fileTimestamps().contains(id), id + " is one of the file timestamps");
            long offset = Math.abs(java.time.Duration.between(
                    org.dsa110.contimg.science.sim.ObservingPlan.parseStamp(anyStamp),
                    org.dsa110.contimg.science.sim.ObservingPlan.parseStamp(id)).getSeconds());
            assertTrue(offset < 30, "group id within the jitter of the nominal start");
            assertEquals(16, group.get("expected_subbands").asInt());
            assertEquals(16.3, group.get("pointing_dec_deg").asDouble(), 1e-9);
            List<String> states = new ArrayList<>();
            group.get("history").forEach(h -> states.add(h.get("to_state").asText()));
            assertEquals(List.of("collecting", "pending"), states.subList(0, 2));
            for (int sb = 0; sb < 16; sb++) {
                assertEquals(sb, group.get("subbands").get(sb).get("subband").asInt());
            }
        }
    }
}
