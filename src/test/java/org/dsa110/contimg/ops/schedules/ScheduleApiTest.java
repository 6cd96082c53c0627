package org.dsa110.contimg.ops.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.ingest.GroupStore;
import org.dsa110.contimg.pipeline.ingest.SubbandFileName;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

class ScheduleApiTest {

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void schedulesAreValidatedRunAndSurviveARestartAndBuiltinsWork() throws Exception {
        Path data = Files.createTempDirectory("hub-schedules");
        Map<String, String> props = Map.of("hub.data.dir", data.toString(), "hub.streaming.autostart", "false",
                "hub.tasks.queues", "offline-mosaics");
        try (TestHub hub = TestHub.start(props)) {
            JsonNode list = json(hub.get("/api/schedules"));
            Set<String> names = new HashSet<>();
            list.get("schedules").forEach(s -> names.add(s.get("name").asText()));
            assertTrue(names.containsAll(BuiltinTasks.NAMES), names.toString());
            JsonNode sweep = json(hub.get("/api/schedules/stale-group-sweep"));
            assertEquals("active", sweep.get("state").asText());
            assertTrue(sweep.get("builtin").asBoolean());
            // "0 * * * * ?": the next run is the start of a coming minute, at most a minute (after the trigger's
            // start delay) away
            Instant next = Instant.parse(sweep.get("next_run_at").asText());
            assertEquals(0, next.getEpochSecond() % 60);
            assertTrue(Duration.between(Instant.now(), next).toSeconds()
                    <= 61 + ScheduleRoutes.TRIGGER_START_DELAY_MS / 1000);

            HttpResponse<String> created = hub.post("/api/schedules", """
                    {"name": "nightly-mosaic", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?",
                     "params": {"tier": "science"}, "priority": 7, "timezone": "UTC", "description": "deep mosaic",
                     "queue_name": "offline-mosaics"}""");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode c = json(created);
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            ZonedDateTime four = LocalDate.now(ZoneOffset.UTC).atTime(4, 0).atZone(ZoneOffset.UTC);
            Instant expected = (now.isBefore(four) ? four : four.plusDays(1)).toInstant();
            assertEquals(expected, Instant.parse(c.get("next_run_at").asText()));
            assertEquals("science", c.get("params").get("tier").asText());
            assertEquals(7, c.get("priority").asInt());
            assertEquals("normal", c.get("trigger_state").asText());
            // the schedule is a route: quartz endpoint with its cron and time zone, started; a missed fire is skipped
            assertEquals("schedule.nightly-mosaic", c.get("route_id").asText());
            QuartzEndpoint endpoint = endpoint(hub, "nightly-mosaic");
            assertEquals("0 0 4 * * ?", endpoint.getCron());
            assertEquals(ServiceStatus.Started, routeStatus(hub, "nightly-mosaic"));
            CronTrigger trigger = (CronTrigger) scheduler(hub).getTrigger(endpoint.getTriggerKey());
            assertEquals("UTC", trigger.getTimeZone().getID());
            assertEquals(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING, trigger.getMisfireInstruction());
            for (String builtin : BuiltinTasks.NAMES) {
                assertEquals(ServiceStatus.Started, routeStatus(hub, builtin), builtin);
            }

            assertEquals(409, hub.post("/api/schedules", """
                    {"name": "nightly-mosaic", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?"}""").statusCode());
            assertEquals(422, hub.post("/api/schedules", """
                    {"name": "bad", "task_name": "create-mosaic", "cron_expression": "61 * * * *"}""").statusCode());
            assertEquals(422, hub.post("/api/schedules", """
                    {"name": "bad", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?", "timezone": "Mars/Olympus"}""")
                    .statusCode());
            assertEquals(400, hub.post("/api/schedules", """
                    {"name": "bad", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?", "colour": "red"}""")
                    .statusCode());
            // a schedule's params become a task's params at every fire: checked like POST /api/tasks
            HttpResponse<String> outside = hub.post("/api/schedules", """
                    {"name": "outside", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?",
                     "params": {"ms_path": "/etc/passwd"}}""");
            assertEquals(400, outside.statusCode(), outside.body());
            assertTrue(outside.body().contains("PATH_NOT_ALLOWED"), outside.body());
            HttpResponse<String> option = hub.post("/api/schedules", """
                    {"name": "option", "task_name": "create-mosaic", "cron_expression": "0 0 4 * * ?",
                     "params": {"tier": "--output-dir=/x"}}""");
            assertEquals(400, option.statusCode(), option.body());
            assertEquals(400, hub.send("PATCH", "/api/schedules/nightly-mosaic",
                    "{\"params\": {\"fits_path\": \"/etc/passwd\"}}").statusCode());
            assertEquals(404, hub.get("/api/schedules/outside").statusCode());
            // a schedule names a task the hub can run (a built-in or one of /api/available) and a queue it knows: it
            // would fail at every fire otherwise
            HttpResponse<String> unknown = hub.post("/api/schedules", """
                    {"name": "typo", "task_name": "create-mosiac", "cron_expression": "0 0 4 * * ?"}""");
            assertEquals(422, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("create-mosiac"), unknown.body());
            assertEquals(422, hub.post("/api/schedules", """
                    {"name": "typo", "task_name": "imaging", "queue_name": "nowhere", "cron_expression": "0 0 4 * * ?"}""")
                    .statusCode());
            assertEquals(404, hub.get("/api/schedules/typo").statusCode());
            // ... a row stored before that check can still be paused (names cannot be patched)
            hub.bean("db", Db.class).update("INSERT INTO schedules (name, task_name, cron_expression, timezone) "
                    + "VALUES ('legacy', 'mosaic.build', '0 0 3 * * ?', 'UTC')");
            HttpResponse<String> legacy = hub.send("PATCH", "/api/schedules/legacy", "{\"state\": \"paused\"}");
            assertEquals(200, legacy.statusCode(), legacy.body());
            assertEquals(200, hub.send("DELETE", "/api/schedules/legacy", null).statusCode());
            // a Unix 5-field expression is accepted: every 15 minutes
            JsonNode unix = json(hub.post("/api/schedules", """
                    {"name": "quarter-hourly", "task_name": "imaging", "cron_expression": "*/15 * * * *"}"""));
            assertEquals(0, Instant.parse(unix.get("next_run_at").asText()).getEpochSecond() % 900);

            // pause and resume
            JsonNode paused = json(hub.send("PATCH", "/api/schedules/nightly-mosaic", "{\"state\": \"paused\"}"));
            assertEquals("paused", paused.get("state").asText());
            assertEquals("paused", paused.get("trigger_state").asText());
            assertTrue(paused.get("next_run_at").isNull());
            assertEquals(ServiceStatus.Stopped, routeStatus(hub, "nightly-mosaic"));
            JsonNode active = json(hub.send("PATCH", "/api/schedules/nightly-mosaic",
                    "{\"state\": \"active\", \"params\": {\"tier\": \"deep\"}}"));
            assertEquals("normal", active.get("trigger_state").asText());
            assertEquals(ServiceStatus.Started, routeStatus(hub, "nightly-mosaic"));
            // a new cron or time zone rebuilds the route and its trigger
            JsonNode moved = json(hub.send("PATCH", "/api/schedules/quarter-hourly",
                    "{\"cron_expression\": \"0 30 6 * * ?\", \"timezone\": \"Etc/GMT+5\"}"));
            assertEquals("0 30 6 * * ?", endpoint(hub, "quarter-hourly").getCron());
            CronTrigger movedTrigger = (CronTrigger) scheduler(hub).getTrigger(
                    endpoint(hub, "quarter-hourly").getTriggerKey());
            assertEquals("Etc/GMT+5", movedTrigger.getTimeZone().getID());
            assertEquals(11 * 3600 + 1800, Instant.parse(moved.get("next_run_at").asText()).getEpochSecond() % 86400);
            JsonNode off = json(hub.send("PATCH", "/api/schedules/quarter-hourly", "{\"state\": \"disabled\"}"));
            assertTrue(off.get("route_id").isNull());
            assertNull(hub.context().getRoute("schedule.quarter-hourly"));
            assertTrue(off.get("trigger_state").isNull());

            assertEquals("deep", active.get("params").get("tier").asText());
            assertEquals(422, hub.send("PATCH", "/api/schedules/nightly-mosaic", "{\"state\": \"sleeping\"}")
                    .statusCode());

            // trigger a non-built-in: a pending task for the task queue (one this hub's task runner does not serve,
            // so it stays pending)
            JsonNode run = json(hub.post("/api/schedules/nightly-mosaic/trigger", null));
            assertEquals("task", run.get("kind").asText());
            String taskId = run.get("task").get("task_id").asText();
            Db db = hub.bean("db", Db.class);
            Map<String, Object> task = db.one("SELECT * FROM tasks WHERE task_id = ?", taskId).orElseThrow();
            assertEquals("pending", task.get("status"));
            assertEquals("create-mosaic", task.get("task_name"));
            assertEquals(7, ((Number) task.get("priority")).intValue());
            assertEquals("deep", Json.MAPPER.readTree((String) task.get("params")).get("tier").asText());
            JsonNode after = json(hub.get("/api/schedules/nightly-mosaic"));
            assertEquals(1, after.get("run_count").asInt());
            assertEquals(taskId, after.get("last_task_id").asText());

            // one run per fire time: a second fire for the same fire time, as from another hub's scheduler or a
            // re-fire after a fail-over, is skipped; other fire times run, in whatever order they come
            ScheduleService service = hub.bean("scheduleService", ScheduleService.class);
            java.util.Date fire = java.util.Date.from(Instant.parse("2026-12-08T04:00:00Z"));
            service.runScheduled("nightly-mosaic", null, fire);
            service.runScheduled("nightly-mosaic", null, fire);
            assertEquals(2, json(hub.get("/api/schedules/nightly-mosaic")).get("run_count").asInt());
            service.runScheduled("nightly-mosaic", null, java.util.Date.from(Instant.parse("2026-12-07T04:00:00Z")));
            assertEquals(3, json(hub.get("/api/schedules/nightly-mosaic")).get("run_count").asInt());
            assertEquals(3, db.scalarLong("SELECT COUNT(*) FROM tasks WHERE task_name = 'create-mosaic'"));
            // a hub starting while a schedule is created through another one read the table before the new row and
            // lists the jobs after the new job: it keeps the job, because it asks the table again before a removal
            ScheduleStore store = new ScheduleStore(db);
            new ScheduleRoutes(hub.context(), scheduler(hub)).retainOnly(Set.copyOf(BuiltinTasks.NAMES),
                    ScheduleRoutes.Mode.OWN, store::exists);
            assertTrue(scheduler(hub).checkExists(new org.quartz.JobKey("nightly-mosaic", ScheduleRoutes.JOB_GROUP)));
            assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = 'schedule_triggered' AND "
                    + "payload LIKE '%2026-12-08T04:00:00Z%'"));

            // built-ins
            JsonNode backup = json(hub.post("/api/schedules/database-backup/trigger", null)).get("result");
            assertTrue(backup.get("success").asBoolean(), backup.toString());
            Path zip = Path.of(backup.get("path").asText());
            assertTrue(Files.size(zip) > 0);
            assertEquals(data.resolve("backups").toAbsolutePath().normalize(), zip.getParent());

            // the engine's direct:dlq.auto-retry runs (nothing pending here, so it retries nothing)
            JsonNode retry = json(hub.post("/api/schedules/dlq-auto-retry/trigger", null)).get("result");
            assertTrue(retry.get("success").asBoolean(), retry.toString());
            assertEquals("completed", retry.get("status").asText());

            db.update("INSERT INTO events (event_type, payload, created_at) VALUES ('old', '{}', ?)",
                    Instant.now().minus(Duration.ofDays(60)));
            JsonNode retention = json(hub.post("/api/schedules/retention-cleanup/trigger", null)).get("result");
            assertTrue(retention.get("deleted").get("events").asInt() >= 1, retention.toString());
            assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = 'old'"));

            assertEquals(409, hub.send("DELETE", "/api/schedules/database-backup", null).statusCode());
            assertEquals(200, hub.send("DELETE", "/api/schedules/quarter-hourly", null).statusCode());
            assertEquals(404, hub.get("/api/schedules/quarter-hourly").statusCode());
            assertNull(hub.context().getRoute("schedule.quarter-hourly"));
            assertEquals(404, hub.post("/api/schedules/quarter-hourly/trigger", null).statusCode());

            // a schedule firing every second runs through its route: one task per exchange
            assertEquals(201, hub.post("/api/schedules", """
                    {"name": "each-second", "task_name": "publish", "cron_expression": "* * * * * ?"}""")
                    .statusCode());
            ManagedRouteMBean each = hub.context().getCamelContextExtension().getContextPlugin(
                    ManagedCamelContext.class).getManagedRoute("schedule.each-second");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (each.getExchangesCompleted() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // paused: the route stops once a run in progress has finished
            assertEquals(200, hub.send("PATCH", "/api/schedules/each-second", "{\"state\": \"paused\"}")
                    .statusCode());
            assertTrue(each.getExchangesCompleted() >= 2, "runs of each-second: " + each.getExchangesCompleted());
            assertEquals(each.getExchangesCompleted(), hub.bean("db", Db.class).scalarLong(
                    "SELECT COUNT(*) FROM tasks WHERE task_name = 'publish'"));
            assertEquals(200, hub.send("DELETE", "/api/schedules/each-second", null).statusCode());
            assertNull(hub.context().getRoute("schedule.each-second"));
            assertNull(scheduler(hub).getTrigger(new TriggerKey("each-second", ScheduleRoutes.JOB_GROUP)));

            staleSweepReleasesNearlyCompleteGroupsAndFailsSparseOnes(hub);
        }
        // the store is the truth: after a restart the schedule and its Quartz job are back
        try (TestHub again = TestHub.start(props)) {
            JsonNode s = json(again.get("/api/schedules/nightly-mosaic"));
            assertEquals("active", s.get("state").asText());
            assertEquals("normal", s.get("trigger_state").asText());
            assertEquals(3, s.get("run_count").asInt());
            assertEquals(404, again.get("/api/schedules/quarter-hourly").statusCode());
            // ... and so is its route, rebuilt from the table
            assertEquals(ServiceStatus.Started, routeStatus(again, "nightly-mosaic"));
            assertEquals("0 0 4 * * ?", endpoint(again, "nightly-mosaic").getCron());
        }
    }

    static QuartzEndpoint endpoint(TestHub hub, String schedule) {
        return (QuartzEndpoint) hub.context().getRoute("schedule." + schedule).getEndpoint();
    }

    static ServiceStatus routeStatus(TestHub hub, String schedule) {
        return hub.context().getRouteController().getRouteStatus("schedule." + schedule);
    }

    static Scheduler scheduler(TestHub hub) {
        return hub.context().getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    /** Stale sweep (default timeout 15 min): nearly complete groups are released, sparse ones fail. */
    private static void staleSweepReleasesNearlyCompleteGroupsAndFailsSparseOnes(TestHub hub) throws Exception {
        {
            Db db = hub.bean("db", Db.class);
            GroupStore groups = hub.bean("groupStore", GroupStore.class);
            String nearly = "2025-10-24T15:00:00";
            String sparse = "2025-10-24T15:05:00";
            String fresh = "2025-10-24T15:10:00";
            addGroup(groups, nearly, 13);
            addGroup(groups, sparse, 3);
            addGroup(groups, fresh, 5);
            db.update("UPDATE ingest_groups SET last_update = ? WHERE group_id IN (?, ?)",
                    Instant.now().minus(Duration.ofHours(1)), nearly, sparse);

            JsonNode result = json(hub.post("/api/schedules/stale-group-sweep/trigger", null)).get("result");
            assertEquals(nearly, result.get("released").get(0).asText());
            assertEquals(1, result.get("released").size());
            assertEquals(sparse, result.get("failed").get(0).asText());
            assertEquals(1, result.get("failed").size());

            JsonNode released = json(hub.get("/api/groups/" + nearly));
            assertEquals("pending", released.get("state").asText());
            assertTrue(released.get("incomplete").asBoolean());
            assertEquals("[13,14,15]", released.get("missing_subbands").toString());
            JsonNode failed = json(hub.get("/api/groups/" + sparse));
            assertEquals("failed", failed.get("state").asText());
            assertTrue(failed.get("error").asText().startsWith("incomplete_group"));
            assertEquals("collecting", json(hub.get("/api/groups/" + fresh)).get("state").asText());
            Map<String, Object> item = db.one("SELECT * FROM dlq_items WHERE error_type = 'incomplete_group'")
                    .orElseThrow();
            assertEquals(sparse, Json.MAPPER.readTree((String) item.get("context")).get("group_id").asText());
        }
    }

    private static void addGroup(GroupStore groups, String id, int subbands) {
        SubbandFileName first = SubbandFileName.parse(id + "_sb00.hdf5").orElseThrow();
        groups.createGroup(id, first.time(), 16);
        for (int sb = 0; sb < subbands; sb++) {
            SubbandFileName n = SubbandFileName.parse(String.format("%s_sb%02d.hdf5", id, sb)).orElseThrow();
            groups.addFile(id, n, "/data/incoming/" + id + "_sb" + sb + ".hdf5", 1000, null);
        }
    }
}
