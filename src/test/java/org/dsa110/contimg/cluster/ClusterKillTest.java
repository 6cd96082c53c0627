package org.dsa110.contimg.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.dsa110.contimg.HubProcess;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hub processes on one embedded PostgreSQL database and one shared data directory, fed demo-sized simulated
 * groups continuously through the builtin stages. One hub is killed with SIGKILL in the middle of a stage and never
 * comes back; another is killed in the middle of a stage and restarted. Afterwards every group completed exactly
 * once (one completed execution, one completion of each stage: the stage_update events committed by whichever hub
 * held the claim), nothing is stuck, the dead hub's work was taken over within 2 × the lease, and a schedule
 * created through the REST API fired once per fire time. A longer soak: more groups with
 * {@code -Dcluster.kill.groups=N}, repeated in a loop (docs/operations.md, "Running several hubs").
 */
class ClusterKillTest {
    static final int GROUPS = Integer.getInteger("cluster.kill.groups", 6);
    static final int LEASE_SECONDS = 8;
    static final String TICK = "cluster-tick";

    @TempDir
    Path tmp;
    private final List<HubProcess> hubs = new ArrayList<>();
    private String url;
    private Instant lastKill;

    @AfterEach
    void stopHubs() throws Exception {
        hubs.forEach(HubProcess::kill);
        for (int i = 0; i < hubs.size(); i++) {
            Path log = tmp.resolve("hub-" + (i + 1) + ".log");
            if (Files.exists(log)) {
                Files.copy(log, Path.of("target", "cluster-kill-hub-" + (i + 1) + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void threeHubsLoseOneForGoodAndRestartAnotherAndEveryGroupCompletesOnce() throws Exception {
        url = TestDatabases.postgresUrl();
        Path data = Files.createDirectories(tmp.resolve("shared-var"));
        // the groups are simulated while the hubs start (demo size: 24 antennas, 4 channels, 6 integrations)
        Path simDir = Files.createDirectories(tmp.resolve("sim"));
        SimConfig cfg = SimConfig.defaults(simDir).withGroups(GROUPS).withAntennas(24).withChannelsPerSubband(4)
                .withIntegrations(6).withCatalogMinFluxMjy(20).withModelMinApparentMjy(10).withCalibratorGroups(Set.of())
                .withPointingDecDeg(54.57);
        GroupSimulator sim = new GroupSimulator(cfg);
        CompletableFuture<List<List<Path>>> simulated = CompletableFuture.supplyAsync(() -> {
            List<List<Path>> groups = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                try {
                    groups.add(sim.writeGroup(g, Files.createDirectories(simDir.resolve("g" + g))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return groups;
        });
        // a quarter of the demo's image size, to keep the run short on two shared cores: an operator's config file
        // in the hubs' working directory (stage parameters are read from properties files)
        Files.writeString(Files.createDirectories(tmp.resolve("config")).resolve("application.properties"),
                "hub.stage.imaging.param.max-size = 256\n");
        for (int i = 1; i <= 3; i++) {
            hubs.add(new HubProcess(properties(data, "hub-" + i), tmp, tmp.resolve("hub-" + i + ".log"), "400m")
                    .start());
        }
        for (HubProcess h : hubs) {
            await("hub on port " + h.port() + " to start", 120, () -> h.healthy() ? true : null);
        }
        HubProcess a = hubs.get(0);
        // a schedule firing every 2 s, created, and later paused, through the API of different hubs
        assertEquals(201, a.send("POST", "/api/schedules", "{\"name\": \"" + TICK + "\", \"task_name\": \"housekeeping\","
                + " \"cron_expression\": \"*/2 * * * * ?\"}").statusCode());
        Instant scheduleFrom = Instant.now();

        Path incoming = data.resolve("incoming");
        List<List<Path>> groups = simulated.get();
        CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> feed(groups, incoming));

        // which hub claims which group is a race: the first hub seen in the middle of a stage is lost for good,
        // the next one (of the two left) is killed the same way and restarted
        List<Integer> live = new ArrayList<>(List.of(0, 1, 2));
        int lost = killMidStage(live);
        Instant killed = lastKill;
        live.remove(Integer.valueOf(lost));
        int bounced = killMidStage(live);
        Instant killed2 = lastKill;
        String victim = "hub-" + (lost + 1);
        HubProcess restarted = hubs.get(bounced);
        Thread.sleep(1000);
        restarted.start();
        Instant restartedAt = Instant.now();
        feeder.get();

        await("every group to complete", 120 + 50 * GROUPS, () -> {
            long done = scalar("SELECT COUNT(*) FROM ingest_groups WHERE state = 'completed'");
            long all = scalar("SELECT COUNT(*) FROM ingest_groups");
            List<Map<String, Object>> failed = rows("SELECT group_id, error FROM ingest_groups WHERE state = "
                    + "'failed'");
            assertEquals(List.of(), failed, "failed groups");
            return all == GROUPS && done == GROUPS ? true : null;
        });
        assertEquals(200, restarted.send("PATCH", "/api/schedules/" + TICK, "{\"state\": \"paused\"}").statusCode());
        Instant scheduleTo = Instant.now();

        // exactly once: one completed execution per group, one committed completion per group and stage
        assertEquals(List.of(), rows("SELECT group_id, COUNT(*) AS n FROM pipeline_executions WHERE status = "
                + "'completed' GROUP BY group_id HAVING COUNT(*) <> 1"));
        assertEquals(GROUPS, scalar("SELECT COUNT(DISTINCT group_id) FROM pipeline_executions WHERE status = "
                + "'completed'"));
        List<Map<String, Object>> completions = rows("SELECT payload FROM events WHERE event_type = 'stage_update'");
        Map<String, Integer> perStage = new LinkedHashMap<>();
        for (Map<String, Object> e : completions) {
            JsonNode p = Json.MAPPER.readTree((String) e.get("payload"));
            if ("completed".equals(p.path("status").asText())) {
                perStage.merge(p.path("group_id").asText() + "/" + p.path("stage").asText(), 1, Integer::sum);
            }
        }
        assertTrue(perStage.size() >= GROUPS * 7, "stage completions: " + perStage.size());
        perStage.forEach((k, n) -> assertEquals(1, n, "completions of " + k));
        assertEquals(List.of(), rows("SELECT execution_id, stage_name, COUNT(*) AS n FROM stage_runs WHERE status = "
                + "'completed' GROUP BY execution_id, stage_name HAVING COUNT(*) > 1"));
        // nothing stuck
        assertEquals(0, scalar("SELECT COUNT(*) FROM pipeline_executions WHERE status = 'running'"));
        assertEquals(0, scalar("SELECT COUNT(*) FROM stage_runs WHERE status = 'running'"));
        assertEquals(0, scalar("SELECT COUNT(*) FROM ingest_groups WHERE state IN ('pending', 'in_progress')"));

        // the dead hub's work was taken over by a live one, within 2 x the lease
        List<Map<String, Object>> takeovers = rows("SELECT payload, created_at FROM events WHERE event_type = "
                + "'takeover' ORDER BY id");
        Instant firstFromVictim = null;
        for (Map<String, Object> t : takeovers) {
            JsonNode p = Json.MAPPER.readTree((String) t.get("payload"));
            if (victim.equals(p.path("from_node").asText()) && firstFromVictim == null) {
                assertTrue(Set.of("hub-1", "hub-2", "hub-3").contains(p.path("to_node").asText())
                        && !victim.equals(p.path("to_node").asText()), p.toString());
                firstFromVictim = ((java.sql.Timestamp) t.get("created_at")).toInstant();
            }
        }
        assertTrue(firstFromVictim != null, "no takeover from " + victim + ": " + takeovers);
        Duration latency = Duration.between(killed, firstFromVictim);
        System.out.printf("cluster-kill: %s lost, take-over latency %.1f s (lease %d s); hub-%d killed at %s%n",
                victim, latency.toMillis() / 1000.0, LEASE_SECONDS, bounced + 1, killed2);
        assertTrue(latency.compareTo(Duration.ofSeconds(2L * LEASE_SECONDS)) < 0, "take-over took " + latency);
        assertEquals("lost", rows("SELECT state FROM hub_nodes WHERE worker_id = '" + victim + "'").get(0).get("state"));

        // the schedule ran once per fire time: never twice for one (each run records the fire time it claimed), no
        // more runs than fire times, and on through the kills. A hub killed while it holds the trigger keeps it
        // until the others see its Quartz check-in fail (check-in 2 s + Quartz's 7.5 s grace); the fire times in
        // between then run late, or are lost when the dead hub had acquired them: at most ~6 per kill.
        List<String> fireTimesRun = new ArrayList<>();
        for (Map<String, Object> e : rows("SELECT payload FROM events WHERE event_type = 'schedule_triggered'")) {
            JsonNode p = Json.MAPPER.readTree((String) e.get("payload"));
            if (TICK.equals(p.path("schedule").asText())) {
                fireTimesRun.add(p.path("fire_time").asText());
            }
        }
        assertEquals(fireTimesRun.size(), Set.copyOf(fireTimesRun).size(), "a fire time ran twice: " + fireTimesRun);
        List<Instant> fired = rows("SELECT created_at FROM tasks WHERE task_name = 'housekeeping' ORDER BY "
                + "created_at").stream().map(r -> ((java.sql.Timestamp) r.get("created_at")).toInstant()).toList();
        assertEquals(fireTimesRun.size(), fired.size(), "one task per run");
        long runs = fired.size();
        long fireTimes = scheduleTo.getEpochSecond() / 2 - scheduleFrom.getEpochSecond() / 2;
        assertTrue(runs <= fireTimes + 1, runs + " runs for " + fireTimes + " fire times");
        assertTrue(runs >= fireTimes - 2 * 7, runs + " runs for " + fireTimes + " fire times");
        assertTrue(fired.stream().anyMatch(t -> t.isAfter(restartedAt.plusSeconds(12))) || Duration.between(
                restartedAt, scheduleTo).toSeconds() < 16, "the schedule stopped firing after the kills: " + fired);
    }

    private List<String> properties(Path data, String worker) {
        return List.of("-Dhub.db.url=" + url, "-Dhub.db.user=" + TestDatabases.POSTGRES_USER, "-Dhub.db.password=",
                "-Dhub.data.dir=" + data, "-Dhub.worker.id=" + worker, "-Dhub.quartz.clustered=true",
                "-Dhub.quartz.cluster-checkin-interval-ms=2000", "-Dhub.cluster.heartbeat-seconds=1",
                "-Dhub.cluster.lease-seconds=" + LEASE_SECONDS, "-Dhub.streaming.poll.interval=1",
                "-Dhub.streaming.worker.poll.interval=1", "-Dhub.streaming.settle.seconds=0",
                "-Dhub.pipeline.recover.delay=500", "-Dhub.stage.redelivery.delay=500", "-Dhub.ratelimit.enabled=false", "-Dhub.live.status.interval=30");
    }

    /** Moves the simulated groups into the incoming directory, one every 2 s (each file an atomic rename). */
    private static void feed(List<List<Path>> groups, Path incoming) {
        try {
            for (List<Path> files : groups) {
                for (Path f : files) {
                    Files.move(f, incoming.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
                Thread.sleep(2000);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until one of the hubs {@code candidates} (indexes into {@link #hubs}) runs a stage, kills that hub with
     * SIGKILL at once, checks that the stage was still running when the process died (the kill landed mid-stage),
     * and returns its index.
     */
    private int killMidStage(List<Integer> candidates) throws Exception {
        String workers = String.join(", ", candidates.stream().map(i -> "'hub-" + (i + 1) + "'").toList());
        String runningOf = "SELECT r.id, e.worker_id FROM stage_runs r JOIN pipeline_executions e ON e.id = "
                + "r.execution_id WHERE r.status = 'running' AND e.worker_id IN (" + workers + ") AND r.stage_name "
                + "IN ('imaging', 'conversion', 'photometry', 'mosaic', 'calibration_apply') ORDER BY r.started_at DESC";
        Map<String, Object> run = await("one of " + workers + " to run a stage", 180, () -> {
            List<Map<String, Object>> r = rows(runningOf);
            return r.isEmpty() ? null : r.get(0);
        });
        String worker = (String) run.get("worker_id");
        int index = Integer.parseInt(worker.substring("hub-".length())) - 1;
        hubs.get(index).kill();
        lastKill = Instant.now();
        List<Map<String, Object>> after = rows("SELECT status FROM stage_runs WHERE id = " + run.get("id"));
        assertEquals("running", after.get(0).get("status"), "the kill of " + worker + " missed its stage");
        return index;
    }

    private long scalar(String sql) throws SQLException {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    private List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            List<Map<String, Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    private <T> T await(String what, int seconds, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(25);
        }
        StringBuilder logs = new StringBuilder();
        for (HubProcess h : hubs) {
            logs.append("\n--- hub on ").append(h.port()).append(":\n").append(h.tail(30));
        }
        throw new AssertionError("timed out waiting for " + what + logs);
    }
}
