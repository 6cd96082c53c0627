package org.dsa110.contimg.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calibration QA views, caltable plots and the table-info view over HTTP (fixture tables: see QaFixtures). */
class CalibrationQaApiTest {
    static final String MS = "/data/ms/calqa/2025-06-01T11:00:00.ms";
    static final String EMPTY_MS = "/data/ms/calqa/never-calibrated.ms";
    static TestHub hub;
    static String[] tables;

    @BeforeAll
    static void setUp() throws Exception {
        hub = TestHub.shared();
        tables = QaFixtures.calibration(hub.bean("db", Db.class), hub.dataDir().resolve("caltables/calqa"), MS,
                "calqa-set");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static void assertError(int status, String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        assertEquals("error", Json.MAPPER.readTree(r.body()).path("status").asText());
    }

    static HttpResponse<byte[]> png(String path, boolean empty) throws Exception {
        HttpResponse<byte[]> r = hub.getBytes(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, path);
        assertEquals(String.valueOf(empty), r.headers().firstValue("X-Plot-Empty").orElse(""), path);
        return r;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void calibrationQaSummarisesTheTables() throws Exception {
        JsonNode q = get("/api/qa/calibration" + MS);
        assertEquals(MS, q.path("ms_path").asText());
        // BP: 8 of 128 flagged; GA: none flagged -> mean 0.03125 -> excellent
        assertEquals(8.0 / 128, q.path("bp_metrics").path("fraction_flagged").asDouble(), 1e-12);
        assertEquals(0.0, q.path("g_metrics").path("fraction_flagged").asDouble(), 1e-12);
        assertEquals((8.0 / 128) / 2, q.path("flags_total").asDouble(), 1e-12);
        assertEquals("excellent", q.path("overall_quality").asText());
        assertTrue(q.path("k_metrics").isNull());
        assertEquals(4, q.path("bp_metrics").path("n_antennas").asInt());
        assertEquals(16, q.path("bp_metrics").path("n_channels").asInt());
        // BP phases are 5*ant deg over unflagged solutions: ants 0,1,2 (32 each) and 3 (24)
        double ms = (32 * (0 + 25 + 100) + 24 * 225.0) / 120;
        assertEquals(Math.sqrt(ms), q.path("bp_metrics").path("phase_rms_deg").asDouble(), 1e-9);
        JsonNode spw = q.path("per_spw_stats").get(0);
        assertEquals(0, spw.path("spw_id").asInt());
        assertEquals(128, spw.path("total_solutions").asInt());
        assertEquals(8, spw.path("flagged_solutions").asInt());
        assertEquals(16, spw.path("n_channels").asInt());
        assertEquals(0, spw.path("channels_with_high_flagging").asInt(), "2 of 8 per channel = 0.25 <= 0.5");
        assertEquals(2, spw.path("max_flagged_in_channel").asInt());
        // 128 BP + 38 GA solutions, 8 flagged
        assertEquals(1 - 8.0 / 166, q.path("calibration_quality")
                .path("success_rate").asDouble(), 1e-12);
        // one stored row; asking again stores nothing new
        get("/api/qa/calibration/" + enc(MS));
        assertEquals(1L, hub.bean("db", Db.class).scalarLong("SELECT COUNT(*) FROM calibration_qa WHERE ms_path = ?",
                MS));
        // /api/qa/{ms} carries it
        assertEquals("excellent", get("/api/qa" + MS).path("calibration_qa").path("overall_quality").asText());
        assertError(404, "/api/qa/calibration" + EMPTY_MS);
    }

    @Test
    void completenessComparesExpectedAndPresentSolutions() throws Exception {
        JsonNode c = get("/api/qa/calibration" + MS + "/caltable-completeness");
        // BP expects 5 ants x 2 pols x 16 ch = 160 (120 good); GA 5 x 2 x 5 = 50 (38 good)
        assertEquals(158.0 / 210, c.path("completeness").asDouble(), 1e-12);
        assertEquals("[4]", c.path("missing_antennas").toString());
        assertEquals(1, c.path("missing_times").size());
        assertEquals(QaFixtures.T0 + 0.03, c.path("missing_times").get(0).asDouble(), 1e-9);
        JsonNode bp = c.path("tables").get(0);
        assertEquals("BP", bp.path("table_type").asText());
        assertEquals(5, bp.path("expected_antennas").asInt());
        assertEquals(4, bp.path("present_antennas").asInt());
        assertEquals(16, bp.path("expected_channels").asInt());
        assertEquals(160, bp.path("expected_solutions").asInt());
        assertEquals(128, bp.path("present_solutions").asInt());
        assertError(404, "/api/qa/calibration" + EMPTY_MS + "/caltable-completeness");
    }

    @Test
    void bandpassAndSpwPlotsArePngs() throws Exception {
        JsonNode list = get("/api/qa/calibration" + MS + "/bandpass-plots");
        assertEquals(4, list.path("total").asInt());
        assertEquals("bandpass_antenna_0.png", list.path("plots").get(0).path("filename").asText());
        for (JsonNode p : list.path("plots")) {
            png(p.path("path").asText(), false);
        }
        png("/api/qa/calibration" + MS + "/bandpass-plots/bandpass_antenna_3.png", false);
        assertError(404, "/api/qa/calibration" + MS + "/bandpass-plots/bandpass_antenna_4.png");
        assertError(404, "/api/qa/calibration" + MS + "/bandpass-plots/..%2F..%2Fsecret.png");
        assertError(404, "/api/qa/calibration" + EMPTY_MS + "/bandpass-plots");
        png("/api/qa/calibration" + MS + "/spw-plot", false);
        assertError(404, "/api/qa/calibration" + EMPTY_MS + "/spw-plot");
    }

    @Test
    void caltablePlotsByPathAndType() throws Exception {
        for (String type : new String[] {"amp_vs_freq", "phase_vs_freq"}) {
            png("/api/plots/caltable" + tables[0] + "?plot_type=" + type, false);
            png("/api/plots/caltable/" + enc(tables[0]) + "?plot_type=" + type + "&antenna=1", false);
        }
        png("/api/plots/caltable" + tables[1] + "?plot_type=amp_vs_time", false);
        // a bandpass table has no time axis, a gain table no frequency axis: readable "no data" images
        png("/api/plots/caltable" + tables[0] + "?plot_type=amp_vs_time", true);
        png("/api/plots/caltable" + tables[1] + "?plot_type=amp_vs_freq", true);
        assertError(400, "/api/plots/caltable" + tables[0] + "?plot_type=histogram");
        assertError(400, "/api/plots/caltable" + tables[0] + "?antenna=x");
        assertError(404, "/api/plots/caltable/data/nowhere.bcal");
    }

    @Test
    void tableInfoDescribesCaltablesAndUvfits() throws Exception {
        JsonNode info = get("/api/visualization/casatable/info?path=" + enc(tables[0]));
        assertEquals("BP", info.path("table_type").asText(), "registered caltable type");
        assertEquals(6, info.path("num_rows").asInt());
        assertEquals(4, info.path("num_columns").asInt());
        assertEquals(6, info.path("nrows").asInt());
        assertEquals("ANTENNA", info.path("columns").get(0).asText(), "column names (the dashboard's form)");
        assertTrue(info.path("exists").asBoolean());
        assertFalse(info.path("is_writable").asBoolean());
        assertEquals("ANTENNA", info.path("column_details").get(0).path("name").asText());
        assertEquals("int32", info.path("column_details").get(0).path("dtype").asText());
        assertEquals("float64", info.path("column_details").get(1).path("dtype").asText());
        assertEquals("[2]", info.path("column_details").get(2).path("shape").toString());
        assertEquals("[\"CALTABLE\"]", info.path("subtables").toString());
        assertEquals(2, info.path("hdus").size());
        assertEquals("CALTABLE", info.path("hdus").get(1).path("extname").asText());

        Path uv = QaFixtures.uvfits(hub.dataDir().resolve("products/ms/calqa.uvfits"));
        JsonNode u = get("/api/visualization/casatable/info?path=products/ms/calqa.uvfits");
        assertEquals("UVFITS", u.path("table_type").asText());
        assertEquals(7, u.path("num_rows").asInt());
        assertEquals(6, u.path("columns").size(), "5 group parameters + DATA");
        assertEquals("UU", u.path("columns").get(0).asText());
        assertEquals("[1,1,1,4,1,3]", u.path("column_details").get(5).path("shape").toString());
        assertEquals(Files.size(uv), u.path("size_bytes").asLong());

        Files.writeString(hub.dataDir().resolve("products/not-fits.txt"), "hello");
        // not a table, or not there: the viewer gets exists/error rather than a 4xx; outside the roots: 400
        JsonNode text = get("/api/visualization/casatable/info?path=products/not-fits.txt");
        assertTrue(text.path("exists").asBoolean());
        assertTrue(text.path("error").asText().contains("not a FITS table"), text.toString());
        assertFalse(get("/api/visualization/casatable/info?path=products/none.fits").path("exists").asBoolean());
        assertError(400, "/api/visualization/casatable/info?path=/etc/passwd");
        assertError(400, "/api/visualization/casatable/info?path=../../etc/passwd");
        assertError(400, "/api/visualization/casatable/info");
    }
}
