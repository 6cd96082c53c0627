package org.dsa110.contimg.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming path end to end over HTTP: 16 valid subband files plus a corrupt one dropped into the incoming
 * directory become one group that goes collecting → pending → in_progress (claimed onto seda:pipeline.group, where
 * the engine runs it with every stage set to skip) → completed; the corrupt file is a DLQ item and stays in place.
 */
class StreamingIngestTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of("hub.streaming.poll.interval", "0.2", "hub.streaming.worker.poll.interval", "0.2",
                "hub.streaming.settle.seconds", "0", "hub.worker.id", "ingest-test", "hub.stage.executor", "skip"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = hub.get(path);
            if (r.statusCode() == 200) {
                last = json(r);
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    @Test
    void sixteenSubbandsBecomeOneGroupThatIsClaimedAndTheCorruptFileIsADeadLetter() throws Exception {
        Path incoming = hub.dataDir().resolve("incoming");
        String group = "2025-10-24T14:00:00";
        // subbands of one scan carry start times a few seconds apart: all within ±60 s of the first
        List<Path> files = new ArrayList<>();
        for (int sb = 0; sb < 16; sb++) {
            String ts = sb < 8 ? group : "2025-10-24T14:00:0" + (sb % 3);
            files.add(SubbandFiles.write(incoming, ts, sb));
            if (sb == 7) {
                // half-way: the group exists and is still collecting
                JsonNode half = await("/api/groups/" + group, g -> g.get("subbands_present").asInt() == 8);
                assertEquals("collecting", half.get("state").asText());
            }
        }
        Path corrupt = SubbandFiles.writeCorrupt(incoming, "2025-10-24T14:20:00", 4);

        // the engine (every stage skipped) ends the group
        JsonNode claimed = await("/api/groups/" + group, g -> g.get("state").asText().equals("completed"));
        assertEquals(16, claimed.get("subbands_present").asInt());
        assertEquals(16, claimed.get("expected_subbands").asInt());
        assertEquals("ingest-test", claimed.get("claimed_by").asText());
        assertEquals(1, claimed.get("attempts").asInt());
        assertEquals(16, claimed.get("subbands").size());
        assertEquals(37.0, claimed.get("pointing_dec_deg").asDouble(), 1e-9);
        for (int sb = 0; sb < 16; sb++) {
            assertEquals(sb, claimed.get("subbands").get(sb).get("subband").asInt());
        }
        JsonNode done = claimed;
        List<String> path = new ArrayList<>();
        done.get("history").forEach(h -> path.add(h.get("to_state").asText()));
        assertEquals(List.of("collecting", "pending", "in_progress", "completed"), path);

        // the corrupt file: a DLQ item with the reason, left in place, no group
        Db db = hub.bean("db", Db.class);
        awaitTrue(() -> db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE component = 'ingest'") == 1);
        Map<String, Object> item = db.one("SELECT * FROM dlq_items WHERE component = 'ingest'").orElseThrow();
        assertEquals("invalid_file", item.get("error_type"));
        assertEquals("validate", item.get("operation"));
        assertEquals("direct:ingest.file", item.get("resubmit_target"));
        JsonNode ctx = Json.MAPPER.readTree((String) item.get("context"));
        assertEquals(corrupt.toString(), ctx.get("path").asText());
        assertTrue(ctx.get("reason").asText().startsWith("not a readable HDF5 file"), ctx.toString());
        assertTrue(Files.exists(corrupt));
        assertEquals(404, hub.get("/api/groups/2025-10-24T14:20:00").statusCode());

        // every state change went out as a typed event
        List<String> published = db.query("SELECT payload FROM events WHERE event_type = 'group_state_changed' "
                + "ORDER BY id").stream().map(r -> (String) r.get("payload")).toList();
        List<String> toStates = new ArrayList<>();
        for (String p : published) {
            JsonNode e = Json.MAPPER.readTree(p);
            if (e.get("group_id").asText().equals(group)) {
                toStates.add(e.get("to_state").asText());
            }
        }
        assertEquals(List.of("collecting", "pending", "in_progress"), toStates.subList(0, 3));

        // status reflects it
        JsonNode status = json(hub.get("/api/status"));
        assertEquals(1, status.get("queue").get("completed").asInt());
        assertEquals(group, status.get("recent_groups").get(0).get("group_id").asText());
        assertEquals(16, status.get("recent_groups").get(0).get("subbands_present").asInt());
        JsonNode streaming = json(hub.get("/api/streaming/status"));
        assertTrue(streaming.get("running").asBoolean());
        assertTrue(streaming.get("files_recorded").asInt() >= 16);
        assertTrue(streaming.get("files_invalid").asInt() >= 1);
        assertNotNull(streaming.get("last_poll").asText());

        // a copy of an already-recorded subband under another name is not recorded twice
        assertEquals(16, db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE group_id = ?", group));

        // reprocess: completed -> pending (attempts kept), then claimed and run again (attempts 2)
        JsonNode re = json(hub.post("/api/reprocess/" + group, null));
        assertTrue(re.get("ok").asBoolean());
        JsonNode again = await("/api/groups/" + group,
                g -> g.get("attempts").asInt() == 2 && g.get("state").asText().equals("completed"));
        assertEquals(2, again.get("attempts").asInt());
        assertEquals(2, db.scalarLong("SELECT COUNT(*) FROM pipeline_executions WHERE group_id = ? "
                + "AND status = 'completed'", group), "one completed execution per claim");
        assertEquals(404, hub.post("/api/reprocess/1999-01-01T00:00:00", null).statusCode());

        // the streaming metrics with completed groups behind them
        JsonNode metrics = json(hub.get("/api/streaming/metrics"));
        assertTrue(metrics.get("groups_completed_last_hour").asInt() >= 1, metrics.toString());
        assertEquals(metrics.get("groups_completed_last_hour").asInt(),
                metrics.get("processing_rate_per_hour").asInt());
        assertTrue(metrics.get("avg_processing_seconds_last_day").isNumber(), metrics.toString());
        assertTrue(metrics.get("service_running").asBoolean());
        assertEquals(metrics.get("groups_by_state"), metrics.get("queue_stats"));
        assertTrue(metrics.get("files_recorded").asInt() >= 16);

        // the detail of a group with a calibrator match and a QA plot
        db.update("INSERT INTO group_calibrator_matches (group_id, match_rank, name, ra_deg, dec_deg, sep_deg, "
                + "weighted_flux) VALUES (?, 0, '3C286', 202.7845, 30.5092, 0.41, 13.2)", group);
        db.update("UPDATE ingest_groups SET has_calibrator = TRUE WHERE group_id = ?", group);
        db.update("INSERT INTO qa_artifacts (group_id, name, path) VALUES (?, 'amp.png', ?)", group,
                hub.dataDir().resolve("qa/amp.png").toString());
        JsonNode detail = json(hub.get("/api/groups/" + group));
        assertTrue(detail.get("has_calibrator").asBoolean());
        assertEquals("3C286", detail.get("matches").get(0).get("name").asText());
        assertEquals(13.2, detail.get("matches").get(0).get("weighted_flux").asDouble(), 1e-9);
        assertEquals("amp.png", detail.get("qa").get(0).get("name").asText());
        assertEquals(0, detail.get("missing_subbands").size());
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        assertFalse(true, "condition not met in time");
    }
}
