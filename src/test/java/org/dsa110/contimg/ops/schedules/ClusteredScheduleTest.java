package org.dsa110.contimg.ops.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerMetaData;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.impl.matchers.KeyMatcher;

/**
 * {@code hub.quartz.clustered}: the schedules live in Quartz's JDBC job store on the hub database. Two hubs on one
 * embedded PostgreSQL database run a schedule firing every second: each fire time runs on one hub and enqueues one
 * task, the schedule keeps firing when a hub stops, and a hub (re)joining keeps the stored jobs (a paused one stays
 * paused, a disabled one has no job, deleted ones are gone). One hub on H2 runs the same store with the standard
 * delegate.
 */
class ClusteredScheduleTest {
    static final String PROBE = "every-second";
    static final String PROBE_TASK = "housekeeping";

    /** Fire times (ms) of the probe schedule, with the worker ids of the hubs that ran them. */
    private final Map<Long, List<String>> fires = new ConcurrentHashMap<>();

    @Test
    void twoHubsOnOnePostgresDatabaseFireEachScheduleTimeOnce() throws Exception {
        String url = TestDatabases.postgresUrl();
        Map<String, String> common = Map.of("hub.db.url", url, "hub.db.user", TestDatabases.POSTGRES_USER,
                "hub.db.password", "", "hub.streaming.autostart", "false", "hub.quartz.clustered", "true",
                "hub.quartz.cluster-checkin-interval-ms", "1000",
                // hubs of one cluster share their data directory (a hub refuses to join from another one)
                "hub.data.dir", java.nio.file.Files.createTempDirectory("cluster-data").toString());
        try (TestHub a = TestHub.start(with(common, "hub.worker.id", "hub-a"))) {
            // schedules in every state before the second hub joins
            assertEquals(201, a.post("/api/schedules", """
                    {"name": "held", "task_name": "housekeeping", "cron_expression": "0 0 4 * * ?"}""").statusCode());
            assertEquals(200, a.send("PATCH", "/api/schedules/held", "{\"state\": \"paused\"}").statusCode());
            assertEquals(201, a.post("/api/schedules", """
                    {"name": "off", "task_name": "housekeeping", "cron_expression": "0 0 5 * * ?"}""").statusCode());
            assertEquals(200, a.send("PATCH", "/api/schedules/off", "{\"state\": \"disabled\"}").statusCode());
            try (TestHub b = TestHub.start(with(common, "hub.worker.id", "hub-b"))) {
                Scheduler sa = scheduler(a);
                Scheduler sb = scheduler(b);
                assertClusteredJdbc(sa);
                assertClusteredJdbc(sb);
                assertEquals(sa.getSchedulerName(), sb.getSchedulerName());
                assertNotEquals(sa.getSchedulerInstanceId(), sb.getSchedulerInstanceId());
                assertEquals(Db.Dialect.POSTGRESQL, b.bean("db", Db.class).dialect());
                // the joining hub kept the stored jobs as they were: one per schedule, states respected
                Set<String> jobs = new HashSet<>();
                for (JobKey k : sb.getJobKeys(GroupMatcher.jobGroupEquals(ScheduleRoutes.JOB_GROUP))) {
                    jobs.add(k.getName());
                }
                Set<String> expected = new HashSet<>(BuiltinTasks.NAMES);
                expected.add("held");
                assertEquals(expected, jobs);
                assertEquals(Trigger.TriggerState.PAUSED, sb.getTriggerState(key("held")));
                assertNull(sb.getTrigger(key("off")));
                assertEquals("paused", ScheduleApiTest.json(b.get("/api/schedules/held")).get("trigger_state")
                        .asText());
                // ... and built its own routes for them: the paused one stopped, none for the disabled one
                assertEquals(ServiceStatus.Stopped, ScheduleApiTest.routeStatus(b, "held"));
                assertNull(b.context().getRoute("schedule.off"));
                for (String builtin : BuiltinTasks.NAMES) {
                    assertEquals(ServiceStatus.Started, ScheduleApiTest.routeStatus(b, builtin), builtin);
                }

                listen(sa, "hub-a");
                listen(sb, "hub-b");
                assertEquals(201, b.post("/api/schedules", """
                        {"name": "every-second", "task_name": "housekeeping", "cron_expression": "* * * * * ?"}""")
                        .statusCode());
                // one job store: the other hub sees the trigger hub B created (blocked while a run is in progress)
                String state = ScheduleApiTest.json(a.get("/api/schedules/" + PROBE)).get("trigger_state").asText();
                assertTrue(Set.of("normal", "blocked").contains(state), state);
                waitFor(() -> fires.size() >= 4, 30, "4 fires of the probe schedule");
                // hub A follows: the route of the schedule created through hub B exists there too (built when its
                // trigger first fired on A, or by the periodic sync)
                waitFor(() -> a.context().getRoute("schedule." + PROBE) != null, 30, "the probe's route on hub A");
                // a change through hub B reaches hub A's route at its next sync; the shared trigger is B's change
                assertEquals(200, b.send("PATCH", "/api/schedules/held", "{\"cron_expression\": \"0 0 6 * * ?\"}")
                        .statusCode());
                assertEquals("0 0 6 * * ?", ((CronTrigger) sa.getTrigger(key("held"))).getCronExpression());
                assertEquals(Trigger.TriggerState.PAUSED, sa.getTriggerState(key("held")));
                a.bean("scheduleService", ScheduleService.class).sync();
                assertEquals("0 0 6 * * ?", ScheduleApiTest.endpoint(a, "held").getCron());
                assertEquals(ServiceStatus.Stopped, ScheduleApiTest.routeStatus(a, "held"));

                a.close();
                long closedAt = System.currentTimeMillis();
                waitFor(() -> firesAfter(closedAt, "hub-b") >= 3, 30, "3 fires on hub B after hub A stopped");

                HttpResponse<String> deleted = b.send("DELETE", "/api/schedules/" + PROBE, null);
                assertEquals(200, deleted.statusCode(), deleted.body());
                Thread.sleep(1500); // a run already started finishes; no new one can start
                assertExactlyOnce(b.bean("db", Db.class));
            }
        }
    }

    @Test
    void oneHubOnH2UsesTheJdbcStoreWithTheStandardDelegate() throws Exception {
        try (TestHub hub = TestHub.start(Map.of("hub.streaming.autostart", "false", "hub.quartz.clustered", "true",
                "hub.worker.id", "h2-solo"))) {
            Scheduler s = scheduler(hub);
            assertClusteredJdbc(s);
            listen(s, "h2-solo");
            assertEquals(201, hub.post("/api/schedules", """
                    {"name": "every-second", "task_name": "housekeeping", "cron_expression": "* * * * * ?"}""")
                    .statusCode());
            waitFor(() -> fires.size() >= 2, 30, "2 fires of the probe schedule");
            Db db = hub.bean("db", Db.class);
            assertEquals(Db.Dialect.H2, db.dialect());
            // the trigger is a row of the JDBC store, not an in-memory object
            assertEquals(1, db.query("SELECT trigger_name FROM qrtz_cron_triggers WHERE trigger_name = ?", PROBE)
                    .size());
            assertEquals(200, hub.send("DELETE", "/api/schedules/" + PROBE, null).statusCode());
            assertTrue(db.query("SELECT trigger_name FROM qrtz_triggers WHERE trigger_name = ?", PROBE).isEmpty());
            Thread.sleep(1500);
            assertExactlyOnce(db);
        }
    }

    private void assertExactlyOnce(Db db) {
        int runs = 0;
        for (Map.Entry<Long, List<String>> e : fires.entrySet()) {
            assertEquals(1, e.getValue().size(), "fire time " + e.getKey() + " ran on " + e.getValue());
            runs += e.getValue().size();
        }
        int tasks = db.query("SELECT task_id FROM tasks WHERE task_name = ?", PROBE_TASK).size();
        assertEquals(runs, tasks, "one task per run");
        assertFalse(fires.isEmpty());
    }

    private long firesAfter(long millis, String worker) {
        return fires.entrySet().stream().filter(e -> e.getKey() > millis && e.getValue().contains(worker)).count();
    }

    private void listen(Scheduler s, String worker) throws Exception {
        s.getListenerManager().addJobListener(new JobListener() {
            @Override
            public String getName() {
                return "probe-" + worker;
            }

            @Override
            public void jobToBeExecuted(JobExecutionContext ctx) {
                // counted once it has run
            }

            @Override
            public void jobExecutionVetoed(JobExecutionContext ctx) {
                // no trigger listener vetoes here
            }

            @Override
            public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException error) {
                fires.computeIfAbsent(ctx.getScheduledFireTime().getTime(),
                        k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(worker);
            }
        }, KeyMatcher.keyEquals(new JobKey(PROBE, ScheduleRoutes.JOB_GROUP)));
    }

    private static void assertClusteredJdbc(Scheduler s) throws Exception {
        SchedulerMetaData md = s.getMetaData();
        assertTrue(md.isJobStoreClustered());
        assertTrue(md.isJobStoreSupportsPersistence());
        assertEquals(JobStoreTX.class, md.getJobStoreClass());
    }

    private static Scheduler scheduler(TestHub hub) {
        return hub.context().getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    private static TriggerKey key(String name) {
        return new TriggerKey(name, ScheduleRoutes.JOB_GROUP);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static void waitFor(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
