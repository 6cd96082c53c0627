package org.dsa110.contimg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.dsa110.contimg.HubProcess;
import org.dsa110.contimg.pipeline.ingest.SubbandFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as a separate process, killed with SIGKILL while a stage runs, then started again on the same data
 * directory: the group completes, the stages finished before the kill are not run again, and each stage leaves
 * exactly one output.
 */
class CrashRestartTest {
    private static final List<String> STAGES = List.of("conversion", "calibration_solve", "calibration_apply",
            "imaging", "photometry", "ese_detection", "transient_search", "mosaic", "publishing");
    private static final String GROUP = "2025-10-24T15:00:00";

    @TempDir
    Path tmp;
    private HubProcess hub;

    @AfterEach
    void kill() throws IOException {
        if (hub != null) {
            hub.kill();
        }
        // keep the hub processes' log for a look after a failure
        Path log = tmp.resolve("hub.log");
        if (Files.exists(log)) {
            Files.copy(log, Path.of("target", "crash-restart-hub.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aHubKilledDuringAStageCompletesTheGroupAfterItsRestart() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("var"));
        Path ctl = Files.createDirectories(tmp.resolve("ctl"));
        Path script = tmp.resolve("stage.sh");
        // every invocation is counted per stage; imaging waits (as a long stage would) until ctl/release exists
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"
                echo x >> "CTL/runs.$stage"
                if [ "$stage" = imaging ]; then
                  touch "CTL/imaging.started"
                  while [ ! -f "CTL/release" ]; do sleep 0.1; done
                fi
                echo "$stage of $CONTIMG_GROUP_ID" > "$out/$stage.out"
                printf '{"outputs": ["%s.out"]}' "$stage" > "$out/manifest.json"
                """.replace("CTL", ctl.toString()));
        List<String> props = new ArrayList<>();
        for (String s : STAGES) {
            props.add("-Dhub.stage." + s + ".executor=exec");
            props.add("-Dhub.stage." + s + ".command=sh " + script + " {stage} {output_dir}");
        }
        props.addAll(List.of("-Dhub.data.dir=" + data, "-Dhub.worker.id=crash-node",
                "-Dhub.streaming.poll.interval=1", "-Dhub.streaming.worker.poll.interval=1",
                "-Dhub.streaming.settle.seconds=0", "-Dhub.pipeline.recover.delay=500"));

        hub = new HubProcess(props, tmp, tmp.resolve("hub.log"), "512m").start();
        awaitHealthy();
        Path incoming = data.resolve("incoming");
        for (int sb = 0; sb < 16; sb++) {
            SubbandFiles.write(incoming, GROUP, sb);
        }
        await("imaging to start", () -> Files.exists(ctl.resolve("imaging.started")) ? true : null);
        hub.kill(); // SIGKILL: no shutdown hook, no hand-back
        assertEquals("in_progress", groupStateFromFiles(data), "precondition: the kill left the group running");

        Files.writeString(ctl.resolve("release"), "go");
        hub.start(); // same port, same data directory
        awaitHealthy();
        JsonNode group = await("the group to complete", () -> {
            JsonNode g = hub.json("/api/groups/" + GROUP);
            return g != null && "completed".equals(g.path("state").asText()) ? g : null;
        });
        assertEquals("completed", group.get("state").asText());

        // the stages before the kill ran once, imaging twice (killed, then resumed), the rest once; no solve
        // (the test group holds no calibrator)
        List<String> ran = STAGES.stream().filter(s -> !s.equals("calibration_solve")).toList();
        for (String s : STAGES) {
            Path count = ctl.resolve("runs." + s);
            int runs = Files.exists(count) ? Files.readAllLines(count).size() : 0;
            assertEquals("imaging".equals(s) ? 2 : ran.contains(s) ? 1 : 0, runs, s + " invocations; stage runs: "
                    + hub.json("/api/pipeline/executions/" + group.path("execution_id").asText("1") + "/stages"));
        }
        // one output per stage, no duplicates
        Path staging = data.resolve("staging");
        try (Stream<Path> outs = Files.walk(staging)) {
            List<String> names = outs.filter(p -> p.getFileName().toString().endsWith(".out"))
                    .map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(ran.stream().map(s -> s + ".out").sorted().toList(), names);
        }
        JsonNode list = hub.json("/api/pipeline/executions?limit=10");
        assertEquals(1, list.size(), list.toString());
        JsonNode exec = list.get(0);
        assertEquals("completed", exec.get("status").asText());
        assertEquals(2, exec.get("attempt").asInt());
    }

    /** The group's state as the killed hub left it, read from the H2 file with the process gone. */
    private static String groupStateFromFiles(Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("db").resolve("contimg");
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "");
                var st = c.prepareStatement("SELECT state FROM ingest_groups WHERE group_id = ?")) {
            st.setString(1, GROUP);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void awaitHealthy() throws Exception {
        await("the hub to serve /api/health", () -> hub.healthy() ? true : null);
    }

    private <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (hub != null && !hub.isAlive() && !what.equals("imaging to start")) {
                // the hub died by itself: show why
                throw new AssertionError("hub exited: " + Files.readString(tmp.resolve("hub.log")));
            }
            T v = probe.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; hub log tail: " + hub.tail(40));
    }
}
