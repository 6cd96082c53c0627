package org.dsa110.contimg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.HubProcess;
import org.dsa110.contimg.ops.OutOfMemoryExit;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is a resource, not a crash, with a real hub process on a small heap and a demo-sized group:
 * <ol>
 * <li>with the memory check off, imaging runs the JVM out of heap: the hub logs it once and exits with status 3
 * (never retried in that JVM), the stage run recorded as {@code out_of_memory};</li>
 * <li>restarted with the check on and {@code on-memory-shortfall=fail}, the resumed execution fails at once with
 * {@code insufficient_memory}: permanent, a DLQ item, the group failed;</li>
 * <li>restarted with the default (cap), the operator reprocesses the group: the image is capped to what the heap
 * allows (recorded in its FITS header and the stage's metrics), the group completes and its DLQ item is resolved
 * automatically.</li>
 * </ol>
 */
class MemoryLimitsTest {
    @TempDir
    Path tmp;
    private HubProcess hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.kill();
        }
    }

    @Test
    void outOfMemoryExitsInsufficientMemoryIsPermanentAndACappedImageCompletes() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("var"));
        SimConfig cfg = SimConfig.defaults(tmp.resolve("sim")).withGroups(1).withAntennas(24).withChannelsPerSubband(4)
                .withIntegrations(6).withCatalogMinFluxMjy(20).withModelMinApparentMjy(10).withCalibratorGroups(Set.of());
        List<Path> files = new GroupSimulator(cfg).writeGroup(0, Files.createDirectories(tmp.resolve("g")));
        List<String> common = List.of("-Dhub.data.dir=" + data, "-Dhub.worker.id=mem-node",
                "-Dhub.streaming.poll.interval=1", "-Dhub.streaming.worker.poll.interval=1",
                "-Dhub.streaming.settle.seconds=0", "-Dhub.pipeline.recover.delay=500",
                "-Dhub.stage.redelivery.delay=200");
        // the demo group's full 3.5 degree field (about 2200 px, a 4400 px grid) is far more than a 192 MB heap holds

        // 1. no memory check: OutOfMemoryError, the hub exits with status 3
        hub = start(common, "-Dhub.memory.check=false");
        for (Path f : files) {
            Files.move(f, data.resolve("incoming").resolve(f.getFileName()));
        }
        assertTrue(hub.process().waitFor(240, TimeUnit.SECONDS), "the hub did not exit: " + hub.tail(40));
        assertEquals(OutOfMemoryExit.EXIT_STATUS, hub.process().exitValue(), hub.tail(40));
        String log = Files.readString(tmp.resolve("hub.log"));
        assertEquals(1, log.lines().filter(l -> l.contains("out of memory in imaging of group")).count(), log);
        assertTrue(query(data, "SELECT error FROM stage_runs WHERE stage_name = 'imaging'").get(0)
                .startsWith(OutOfMemoryExit.OUT_OF_MEMORY + ": imaging ran out of Java heap"));

        String group = query(data, "SELECT group_id FROM ingest_groups").get(0);
        String execution = query(data, "SELECT id FROM pipeline_executions").get(0);

        // 2. check on, shortfall = fail: the resumed execution fails permanently with insufficient_memory
        // stage parameters come from the properties files (an operator's config/application.properties here)
        Path config = Files.createDirectories(tmp.resolve("config")).resolve("application.properties");
        Files.writeString(config, "hub.stage.imaging.param.on-memory-shortfall = fail\n");
        hub = start(common);
        await("the group to fail", () -> "failed".equals(hub.json("/api/groups/" + group).path("state").asText())
                ? true : null);
        JsonNode items = hub.json("/api/operations/dlq/items?component=imaging");
        JsonNode item = (items.isArray() ? items : items.path("items")).get(0);
        assertEquals(MemoryBudget.INSUFFICIENT_MEMORY, item.get("error_type").asText());
        assertEquals("pending", item.get("status").asText());
        // attempt 1 ran out of memory in the first JVM, attempt 2 was refused and not redelivered
        assertEquals(2, imaging(execution).get("attempt").asInt());
        hub.kill();

        // 3. default (cap): the operator reprocesses, the capped image completes the group, the item resolves
        Files.delete(config);
        hub = start(common);
        assertEquals(200, hub.send("POST", "/api/reprocess/" + group, "").statusCode());
        await("the reprocessed group to complete", () -> "completed".equals(hub.json("/api/groups/" + group)
                .path("state").asText()) ? true : null);
        JsonNode executions = hub.json("/api/pipeline/executions?limit=1");
        JsonNode imaged = imaging(executions.get(0).get("id").asText());
        assertTrue(imaged.path("metrics").path("image_size_capped_from").asInt() > imaged.path("metrics")
                .path("image_size").asInt(), imaged.toString());
        JsonNode resolved = hub.json("/api/operations/dlq/items/" + item.get("id").asText());
        assertEquals("resolved", resolved.get("status").asText(), resolved.toString());
        Path image = Path.of(imaged.get("outputs").get(1).asText());
        String header = new String(Files.readAllBytes(image), 0, 2880 * 2, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.matches("(?s).*MEMCAP  = +" + imaged.path("metrics").path("image_size_capped_from").asInt()
                + " .*"), header);
    }

    private JsonNode imaging(String executionId) throws Exception {
        for (JsonNode st : hub.json("/api/pipeline/executions/" + executionId + "/stages")) {
            if ("imaging".equals(st.get("name").asText())) {
                return st;
            }
        }
        throw new AssertionError("no imaging stage in execution " + executionId);
    }

    private HubProcess start(List<String> common, String... extra) throws Exception {
        List<String> props = new ArrayList<>(common);
        props.addAll(List.of(extra));
        HubProcess h = new HubProcess(props, tmp, tmp.resolve("hub.log"), "192m").start();
        hub = h;
        await("the hub to start", () -> h.healthy() ? true : null);
        return h;
    }

    /** The first column of a query on the H2 file of a hub that has exited (H2 allows one process at a time). */
    private static List<String> query(Path data, String sql) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("db").resolve("contimg");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (hub != null && !hub.isAlive() && !what.contains("exit")) {
                throw new AssertionError("hub exited while waiting for " + what + ": " + hub.tail(40));
            }
            T v = probe.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting for " + what + ": " + hub.tail(40));
    }
}
