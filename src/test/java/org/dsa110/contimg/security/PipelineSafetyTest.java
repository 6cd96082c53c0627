package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Junk from clients cannot hurt the science pipeline: task submissions are checked before they are queued (400,
 * nothing stored), and inputs that pass the checks but that a stage rejects (an adapter's "bad input" exit code)
 * fail without redelivery and without counting against the stage's circuit breaker. After 20 junk submissions
 * every breaker is closed and the next streaming group runs through conversion, calibration and imaging.
 */
class PipelineSafetyTest {
    @TempDir
    static Path tmp;
    private static TestHub hub;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        Path script = tmp.resolve("stage.sh");
        // a stand-in adapter: exit code 4 (configured as permanent) for an input it cannot read
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"; shift 2
                for f in "$@"; do
                  if [ -f "$f" ] && grep -q junk "$f"; then echo "cannot read $f" >&2; exit 4; fi
                done
                echo "$stage" > "$out/$stage.out"
                printf '{"outputs": ["%s.out"]}' "$stage" > "$out/manifest.json"
                """);
        Map<String, String> props = new HashMap<>();
        props.put("hub.stage.executor", "skip");
        for (String s : List.of("conversion", "calibration_apply", "imaging")) {
            props.put("hub.stage." + s + ".executor", "exec");
            props.put("hub.stage." + s + ".command", "sh '" + script + "' {stage} {output_dir} {inputs}");
            props.put("hub.stage." + s + ".permanent-exit-codes", "4");
        }
        props.put("hub.stage.redelivery.max-redeliveries", "2");
        props.put("hub.stage.redelivery.delay", "10");
        props.put("hub.tasks.poll-interval-ms", "200");
        props.put("hub.streaming.autostart", "false");
        hub = TestHub.start(props);
        db = hub.bean("db", Db.class);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<String> task(String name, Map<String, Object> params) throws Exception {
        return hub.post("/api/tasks", Json.write(Map.of("task_name", name, "params", params, "max_retries", 0)));
    }

    @Test
    void junkSubmissionsLeaveEveryBreakerClosedAndTheNextGroupCompletes() throws Exception {
        Path staging = hub.dataDir().resolve("staging");
        Files.createDirectories(staging);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.ms"), "not for the hub");
        Path link = staging.resolve("escape.ms");
        Files.createSymbolicLink(link, outside.resolve("secret.ms"));
        Path dir = Files.createDirectories(staging.resolve("a-directory.fits"));
        long tasksBefore = db.scalarLong("SELECT COUNT(*) FROM tasks");

        // 14 submissions refused at the door: nothing queued
        List<Object[]> refused = List.of(
                new Object[] {"imaging", Map.of("ms_path", "/etc/passwd"), "PATH_NOT_ALLOWED"},
                new Object[] {"imaging", Map.of("ms_path", link.toString()), "PATH_NOT_ALLOWED"},
                new Object[] {"imaging", Map.of("ms_path", "staging/../../../../etc/passwd"), "PATH_NOT_ALLOWED"},
                new Object[] {"calibration-apply", Map.of("ms_path", staging.resolve("missing.ms").toString()),
                        "PATH_NOT_FOUND"},
                new Object[] {"calibration-apply", Map.of("ms_path", ""), "PATH_NOT_ALLOWED"},
                new Object[] {"imaging", Map.of("inputs", List.of("--output-dir=/x")), "PATH_NOT_FOUND"},
                new Object[] {"imaging", Map.of("inputs", List.of(outside.resolve("secret.ms").toString())),
                        "PATH_NOT_ALLOWED"},
                new Object[] {"photometry", Map.of("fits_path", dir.toString()), "PATH_WRONG_TYPE"},
                new Object[] {"imaging", Map.of("ms_path", staging.toString(), "datacolumn", "--evil"),
                        "OPTION_LIKE_VALUE"},
                new Object[] {"imaging", Map.of("ms_path", staging.toString(), "gridder", "-Dx=y"),
                        "OPTION_LIKE_VALUE"},
                new Object[] {"calibration-apply", Map.of("ms_path", staging.toString(), "gaintables",
                        List.of("/etc/hosts")), "PATH_NOT_ALLOWED"},
                new Object[] {"convert-uvh5-to-ms", Map.of("input_dir", "/", "start_time", "2025-01-01T00:00:00",
                        "end_time", "2025-01-02T00:00:00"), "PATH_NOT_ALLOWED"},
                new Object[] {"convert-uvh5-to-ms", Map.of("group_id", "--all"), "INVALID_PARAMETER"},
                new Object[] {"publish", Map.of("products_base", "/var/www"), "PATH_NOT_ALLOWED"});
        for (Object[] r : refused) {
            HttpResponse<String> resp = task((String) r[0], (Map<String, Object>) r[1]);
            AccessControlTest.assertRefused(resp, 400, (String) r[2], r[0] + " " + r[1]);
        }
        assertEquals(tasksBefore, db.scalarLong("SELECT COUNT(*) FROM tasks"), "a refused submission queues nothing");

        // 6 that pass the checks (real files inside the roots) but that the stages reject as unreadable
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path junk = Files.writeString(staging.resolve("junk-" + i + ".ms"), "junk");
            HttpResponse<String> r = task(i % 2 == 0 ? "imaging" : "calibration-apply",
                    Map.of("ms_path", junk.toString()));
            assertEquals(201, r.statusCode(), r.body());
            ids.add(Json.MAPPER.readTree(r.body()).get("task_id").asText());
        }
        for (String id : ids) {
            awaitTrue("task " + id + " to fail", () -> "failed".equals(Json.MAPPER.readTree(
                    hub.get("/api/tasks/" + id).body()).path("status").asText()));
        }
        JsonNode breakers = Json.MAPPER.readTree(hub.get("/api/operations/circuit-breakers").body())
                .get("circuit_breakers");
        for (JsonNode b : breakers) {
            assertEquals("closed", b.get("state").asText(), b.toString());
            assertEquals(0, b.get("failure_count").asInt(), "invalid input counted against " + b);
        }
        // the rejected inputs are dead letters that are not retried automatically (one per run, no redelivery)
        assertEquals(6, db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE error_type = 'exec_rejected'"));

        // the next streaming group goes through the same stage routes and completes
        Instant t = Instant.parse("2026-01-15T08:00:00Z");
        String group = t.toString().substring(0, 19);
        Path incoming = Files.createDirectories(hub.dataDir().resolve("incoming"));
        Path sb = Files.writeString(incoming.resolve(group + "_sb00.hdf5"), "uvh5");
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                + "has_calibrator) VALUES (?, ?, 'pending', 1, 1, FALSE)", group, t);
        GroupStates groups = hub.bean("groupStates", GroupStates.class);
        groups.created(group, GroupStates.PENDING);
        db.update("INSERT INTO subband_files (group_id, subband, path, filename, flagged) VALUES (?, 0, ?, ?, FALSE)",
                group, sb.toString(), sb.getFileName().toString());
        assertTrue(groups.transition(group, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
        hub.context().createProducerTemplate().sendBody("seda:pipeline.group", group);
        awaitTrue("group " + group + " to complete", () -> "completed".equals(db.one(
                "SELECT state FROM ingest_groups WHERE group_id = ?", group).orElseThrow().get("state")));
        assertEquals(3, db.scalarLong("SELECT COUNT(*) FROM stage_runs r JOIN pipeline_executions e ON e.id ="
                + " r.execution_id WHERE e.group_id = ? AND r.status = 'completed' AND r.executor = 'exec'", group));
    }

    interface Probe {
        boolean done() throws Exception;
    }

    private static void awaitTrue(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.done()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
