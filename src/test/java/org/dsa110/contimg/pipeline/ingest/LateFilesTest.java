package org.dsa110.contimg.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 point 7, late files, over HTTP on a hub whose stages are all skipped: a group released by the stale sweep
 * with 14 of 16 subbands is processed; a file for one of its missing subbands then arrives. It is listed as a late
 * file of that group (no new group, one event however many polls see it), a file for a subband the group has is a
 * duplicate as before, and {@code POST /api/reprocess/{group}} with {@code include_late_files} adds the late file
 * to the group's subbands and runs the group again.
 */
class LateFilesTest {
    static TestHub hub;
    static Db db;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of("hub.streaming.poll.interval", "0.2", "hub.streaming.worker.poll.interval", "0.2",
                "hub.streaming.settle.seconds", "0", "hub.stage.executor", "skip",
                "hub.streaming.stale.timeout.minutes", "0.02"));
        db = hub.bean("db", Db.class);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            var r = hub.get(path);
            if (r.statusCode() == 200) {
                last = Json.MAPPER.readTree(r.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    @Test
    void aFileForAProcessedGroupIsListedLoggedOnceAndIncludedByAReprocess() throws Exception {
        Path incoming = hub.dataDir().resolve("incoming");
        String group = "2026-02-01T03:00:00";
        for (int sb = 0; sb < 14; sb++) {
            SubbandFiles.write(incoming, group, sb);
        }
        await("/api/groups/" + group, g -> g.path("subbands_present").asInt() == 14);
        // released by the sweep with sb14 and sb15 missing, then run (every stage skipped) to completed
        StaleGroupSweep sweep = hub.bean("staleGroupSweep", StaleGroupSweep.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ("collecting".equals(db.one("SELECT state FROM ingest_groups WHERE group_id = ?", group).orElseThrow()
                .get("state")) && System.nanoTime() < deadline) {
            sweep.sweep(); // the group is stale 1.2 s after its last file (hub.streaming.stale.timeout.minutes)
            Thread.sleep(100);
        }
        JsonNode done = await("/api/groups/" + group, g -> g.path("state").asText().equals("completed"));
        assertTrue(done.path("incomplete").asBoolean());
        assertEquals("[14,15]", done.path("missing_subbands").toString());
        assertEquals(0, done.path("late_files").size());

        // sb14 arrives 20 s after the group's time: within the ±60 s join window of a group no longer open
        Path late = SubbandFiles.write(incoming, "2026-02-01T03:00:20", 14);
        JsonNode listed = await("/api/groups/" + group, g -> g.path("late_files").size() == 1);
        JsonNode lf = listed.path("late_files").get(0);
        assertEquals(late.toString(), lf.path("path").asText());
        assertEquals(14, lf.path("subband").asInt());
        assertEquals("completed", lf.path("group_state").asText());
        assertTrue(lf.path("included_at").isNull());
        assertEquals(404, hub.get("/api/groups/2026-02-01T03:00:20").statusCode(), "not a new group");
        assertEquals(14, listed.path("subbands_present").asInt(), "not processed with the group until a reprocess");

        // logged once: later polls see the indexed file and skip it
        long polls = Json.MAPPER.readTree(hub.get("/api/streaming/status").body()).path("polls").asLong();
        await("/api/streaming/status", s -> s.path("polls").asLong() >= polls + 5);
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = 'late_file'"));
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM late_files WHERE group_id = ?", group));
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE original_body = ?", late.toString()),
                "a late file is not a failure");

        // a file for a subband the group already has is still a duplicate (DLQ), not a late file
        Path dup = SubbandFiles.write(incoming, "2026-02-01T03:00:30", 3);
        StreamingIngestTest.awaitTrue(() -> db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE original_body = ? "
                + "AND error_type = 'duplicate_subband'", dup.toString()) == 1);
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM late_files WHERE group_id = ?", group));

        // reprocess including the late files: sb14 joins the group, which runs again
        JsonNode re = Json.MAPPER.readTree(hub.post("/api/reprocess/" + group, "{\"include_late_files\": true}")
                .body());
        assertTrue(re.path("ok").asBoolean(), re.toString());
        assertEquals(late.toString(), re.path("late_files_included").get(0).asText());
        JsonNode again = await("/api/groups/" + group,
                g -> g.path("attempts").asInt() == 2 && g.path("state").asText().equals("completed"));
        assertEquals(15, again.path("subbands_present").asInt());
        assertEquals("[15]", again.path("missing_subbands").toString());
        assertEquals(14, again.path("subbands").get(14).path("subband").asInt());
        assertFalse(again.path("late_files").get(0).path("included_at").isNull());

        // a second reprocess has nothing more to include; bad bodies are client errors
        JsonNode second = Json.MAPPER.readTree(hub.post("/api/reprocess/" + group, "{\"include_late_files\": true}")
                .body());
        assertEquals(0, second.path("late_files_included").size());
        await("/api/groups/" + group, g -> g.path("attempts").asInt() == 3 && g.path("state").asText()
                .equals("completed"));
        assertEquals(400, hub.post("/api/reprocess/" + group, "{\"include_late\": true}").statusCode());
        assertEquals(400, hub.post("/api/reprocess/" + group, "{\"include_late_files\": ").statusCode());
    }
}
