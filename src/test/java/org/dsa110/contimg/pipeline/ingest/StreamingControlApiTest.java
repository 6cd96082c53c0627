package org.dsa110.contimg.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.ServiceStatus;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/streaming/* control and configuration, /api/uvh5 and the MS endpoints, over HTTP. */
class StreamingControlApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of("hub.streaming.poll.interval", "0.2", "hub.streaming.settle.seconds", "0",
                "hub.streaming.max.workers", "3"));
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
            last = json(r);
            if (r.statusCode() == 200 && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out on " + path + ": " + last);
    }

    @Test
    void configIsStoredAndAppliedAndStopStartControlsPolling() throws Exception {
        JsonNode cfg = json(hub.get("/api/streaming/config"));
        assertEquals(0.2, cfg.get("poll_interval").asDouble());
        assertEquals(3, cfg.get("max_workers").asInt());
        assertEquals(16, cfg.get("expected_subbands").asInt());
        assertEquals(hub.dataDir().resolve("incoming").toString(), cfg.get("input_dir").asText());

        // a new input directory and interval: stored, and polling follows them without a restart
        Path other = hub.dataDir().resolve("incoming2");
        Files.createDirectories(other);
        HttpResponse<String> r = hub.post("/api/streaming/config",
                "{\"input_dir\": \"" + other + "\", \"poll_interval\": 0.3, \"max_workers\": 2}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("success").asBoolean());
        Map<String, Object> row = hub.bean("db", Db.class).one("SELECT * FROM streaming_config").orElseThrow();
        assertEquals(0.3, ((Number) row.get("poll_interval")).doubleValue());
        assertEquals(2, ((Number) row.get("max_workers")).intValue());
        assertEquals(other.toString(), row.get("input_dir"));
        assertEquals(422, hub.post("/api/streaming/config", "{\"max_workers\": 0}").statusCode());
        assertEquals(400, hub.post("/api/streaming/config", "{\"batch_sizes\": 3}").statusCode());
        assertEquals(400, hub.post("/api/streaming/config", null).statusCode());

        SubbandFiles.write(other, "2025-10-25T01:00:00", 2);
        JsonNode g = await("/api/groups/2025-10-25T01:00:00", n -> n.get("subbands_present").asInt() == 1);
        assertEquals("collecting", g.get("state").asText());

        // stop: the poll and claim routes are suspended; a new file waits
        JsonNode stopped = json(hub.post("/api/streaming/stop", null));
        assertTrue(stopped.get("success").asBoolean());
        assertEquals(ServiceStatus.Suspended,
                hub.context().getRouteController().getRouteStatus(StreamingService.POLL_ROUTE));
        JsonNode status = json(hub.get("/api/streaming/status"));
        assertFalse(status.get("running").asBoolean());
        assertFalse(json(hub.get("/api/streaming/health")).get("healthy").asBoolean());
        SubbandFiles.write(other, "2025-10-25T01:00:00", 3);
        assertEquals(1, json(hub.get("/api/groups/2025-10-25T01:00:00")).get("subbands_present").asInt());

        JsonNode started = json(hub.post("/api/streaming/start", null));
        assertEquals("started", started.get("status").asText());
        await("/api/groups/2025-10-25T01:00:00", n -> n.get("subbands_present").asInt() == 2);
        JsonNode running = json(hub.get("/api/streaming/status"));
        assertTrue(running.get("running").asBoolean());
        assertTrue(running.get("uptime_seconds").asDouble() >= 0);
        assertEquals(0.3, running.get("config").get("poll_interval").asDouble());
        assertTrue(await("/api/streaming/health", h -> h.get("healthy").asBoolean()).get("running").asBoolean());
        assertFalse(json(hub.get("/api/streaming/status")).has("error"), "no error while healthy");
        assertFalse(status.has("error"), "a stopped service is not an error");

        // the input directory goes away while running: status carries health's reason (the dashboard's error)
        Path aside = hub.dataDir().resolve("incoming2-aside");
        Files.move(other, aside);
        try {
            JsonNode broken = await("/api/streaming/status", n -> n.has("error"));
            assertEquals("input_dir is not a readable directory: " + other, broken.get("error").asText());
            assertTrue(broken.get("running").asBoolean());
            assertEquals(broken.get("error").asText(), json(hub.get("/api/streaming/health")).get("error").asText());
        } finally {
            Files.move(aside, other);
        }
        await("/api/streaming/status", n -> !n.has("error"));

        JsonNode restarted = json(hub.post("/api/streaming/restart", "{\"poll_interval\": 0.25}"));
        assertEquals("restarted", restarted.get("status").asText());
        assertEquals(0.25, json(hub.get("/api/streaming/config")).get("poll_interval").asDouble());
        assertEquals(ServiceStatus.Started,
                hub.context().getRouteController().getRouteStatus(StreamingService.POLL_ROUTE));

        // the UVH5 index
        JsonNode uvh5 = json(hub.get("/api/uvh5?subband=sb03"));
        assertEquals(1, uvh5.get("total").asInt());
        assertEquals("2025-10-25T01:00:00_sb03.hdf5", uvh5.get("files").get(0).get("filename").asText());
        assertTrue(uvh5.get("files").get(0).get("size").asLong() > 0);
        // a directory outside the roots is not read: the dashboard gets the indexed files and a warning
        HttpResponse<String> outside = hub.get("/api/uvh5?input_dir=/etc");
        assertEquals(200, outside.statusCode());
        assertTrue(outside.body().contains("\"warning\":\"input_dir '/etc' is outside"), outside.body());
        assertEquals(400, hub.get("/api/uvh5?limit=0").statusCode());

        JsonNode metrics = json(hub.get("/api/streaming/metrics"));
        assertTrue(metrics.get("files_recorded").asInt() >= 2);
        assertEquals(2, metrics.get("max_workers").asInt());
        JsonNode mosaics = json(hub.get("/api/streaming/mosaic-queue"));
        assertEquals(0, mosaics.get("counts").get("total").asInt());
    }

    @Test
    void measurementSetsAreDiscoveredListedAndDescribed() throws Exception {
        Path products = hub.dataDir().resolve("products");
        Path ms = products.resolve("ms/2025-10-24T14:00:00.ms");
        Files.createDirectories(ms.resolve("ANTENNA"));
        Files.write(ms.resolve("table.dat"), new byte[1000]);
        Files.write(ms.resolve("ANTENNA/table.dat"), new byte[500]);
        Path uvfits = products.resolve("ms/2025-10-24T14:05:00.uvfits");
        Files.write(uvfits, new byte[2880]);

        JsonNode d = json(hub.post("/api/ms/discover", "{\"search_paths\": [\"" + products + "\"]}"));
        assertEquals(2, d.get("discovered").asInt());
        assertEquals(2, d.get("registered").asInt());
        JsonNode again = json(hub.post("/api/ms/discover", "{\"search_paths\": [\"" + products + "\"]}"));
        assertEquals(2, again.get("skipped").asInt());
        assertEquals(0, again.get("registered").asInt());
        assertEquals(400, hub.post("/api/ms/discover", "{\"search_paths\": [\"/etc\"]}").statusCode());

        Db db = hub.bean("db", Db.class);
        db.update("UPDATE ms_index SET start_mjd = 60972.5833, end_mjd = 60972.5868, mid_mjd = 60972.585, "
                + "duration_sec = 300, num_antennas = 96, num_channels = 768, freq_min_ghz = 1.311, "
                + "freq_max_ghz = 1.499, pointing_dec_deg = 37.0, cal_applied = 1, stage = 'converted', "
                + "field_names = '[\"meridian_icrs_t0\"]' WHERE path = ?", ms.toString());

        JsonNode list = json(hub.get("/api/ms"));
        assertEquals(2, list.get("total").asInt());
        assertEquals(2, list.get("filtered").asInt());
        assertEquals(ms.toString(), list.get("items").get(0).get("path").asText()); // time_desc: dated first
        assertEquals(1500 / 1e9, list.get("items").get(0).get("size_gb").asDouble(), 1e-15);
        assertTrue(list.get("items").get(0).get("is_calibrated").asBoolean());
        JsonNode calibrated = json(hub.get("/api/ms?is_calibrated=false"));
        assertEquals(1, calibrated.get("filtered").asInt());
        assertEquals(uvfits.toString(), calibrated.get("ms_list").get(0).get("path").asText());
        assertEquals(1, json(hub.get("/api/ms?start_date=2025-10-24&end_date=2025-10-24")).get("filtered").asInt());
        assertEquals(400, hub.get("/api/ms?sort_by=colour").statusCode());

        JsonNode index = json(hub.get("/api/ms_index?stage=converted"));
        assertEquals(1, index.get("items").size());
        assertEquals(60972.585, index.get("items").get(0).get("mid_mjd").asDouble());

        // a path with slashes, as-is and URL-encoded
        JsonNode meta = json(hub.get("/api/ms" + ms + "/metadata"));
        assertEquals(ms.toString(), meta.get("path").asText());
        assertEquals(96, meta.get("num_antennas").asInt());
        assertEquals(96 * 95 / 2, meta.get("n_baselines").asInt());
        assertEquals(1.405e9, meta.get("frequency_hz").asDouble(), 1);
        assertEquals(300.0, meta.get("duration_sec").asDouble());
        assertTrue(meta.get("calibrated").asBoolean());
        assertEquals("meridian_icrs_t0", meta.get("field_names").get(0).asText());
        HttpResponse<String> encoded = hub.get("/api/ms/" + URLEncoder.encode(ms.toString(), StandardCharsets.UTF_8)
                + "/metadata");
        assertEquals(200, encoded.statusCode(), encoded.body());
        assertEquals(404, hub.get("/api/ms/data/none.ms/metadata").statusCode());
    }
}
