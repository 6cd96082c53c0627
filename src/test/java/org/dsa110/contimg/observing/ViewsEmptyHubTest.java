package org.dsa110.contimg.observing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The calibration, antenna, pointing, timeline, mosaic-quality and ESE views of a hub that has no data yet. */
class ViewsEmptyHubTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void jsonViewsAnswerEmpty() throws Exception {
        JsonNode status = json("/api/calibration/status");
        assertEquals(0, status.get("active_sets").size());
        assertEquals(0, status.get("tables_total").asInt());
        assertTrue(status.get("last_solve_at").isNull());
        assertEquals(0, json("/api/caltables").get("items").size());
        assertEquals(0, json("/api/caltables?cal_dir=/data/cal").get("caltables").size());
        assertEquals(0, json("/api/calibrator_matches?matched_only=true").get("items").size());
        JsonNode ui = json("/api/ui/calibrators?limit=5");
        assertTrue(ui.get("pointing_dec_deg").isNull(), "no pointing recorded yet");
        assertEquals(5, ui.get("calibrators").size(), "the catalogue is listed, brightest first");
        assertTrue(ui.get("calibrators").get(0).get("flux_jy").asDouble()
                >= ui.get("calibrators").get(4).get("flux_jy").asDouble());

        JsonNode cq = json("/api/calibration-quality/metrics");
        assertEquals(0, cq.get("summary").get("n_tables").asInt());
        assertEquals(168, cq.get("hours").asInt());
        JsonNode ah = json("/api/antenna-health/metrics");
        assertEquals(0, ah.get("n_antennas").asInt());
        assertTrue(ah.get("refant").get("recommended").isNull());
        assertEquals(0, json("/api/mosaic-quality/metrics").get("summary").get("n_mosaics").asInt());

        assertEquals(0, json("/api/pointing_history?start_mjd=60000&end_mjd=61000").get("items").size());
        assertEquals(0, json("/api/pointing/history").get("total").asInt());
        JsonNode monitor = json("/api/pointing-monitor/status");
        assertEquals("no_data", monitor.get("status").asText());
        assertTrue(monitor.get("current").isNull());
        JsonNode grid = json("/api/pointing/sky-map-data?resolution=10");
        assertEquals(0, grid.get("max_hits").asInt());
        assertEquals(10, grid.get("hits").size());
        assertEquals(20, grid.get("hits").get(0).size());
        JsonNode healpix = json("/api/pointing/mollweide-sky-map-data?nside=2");
        assertEquals(48, healpix.get("values").size());
        assertEquals(0, healpix.get("max_hits").asInt());

        JsonNode timeline = json("/api/observation_timeline");
        assertEquals(0, timeline.get("total_files").asInt());
        assertTrue(timeline.get("earliest_time").isNull());
        assertEquals(0, timeline.get("segments").size());
        assertEquals(0, timeline.get("gaps").size());
    }

    @Test
    void plotsAreReadableNoDataImages() throws Exception {
        for (String p : new String[] {"/api/calibration-quality/plots/snr-trends", "/api/antenna-health/plots/heatmap",
            "/api/antenna-health/plots/refant-report", "/api/antenna-health/plots/stability-trends?top_n=3",
            "/api/mosaic-quality/plots/dynamic-range", "/api/mosaic-quality/plots/rms-trends",
            "/api/ese-candidates/plots/flux-variations", "/api/ese-candidates/plots/sky-distribution",
            "/api/pointing/sky-map", "/api/pointing/mollweide-sky-map", "/api/observation_timeline/plot"}) {
            assertTrue(ViewsTestSupport.png(hub, p), p + " is the no-data image");
        }
    }

    @Test
    void badInputIsAJson4xx() throws Exception {
        String[][] cases = {
            {"/api/pointing/sky-map?map_type=synthetic", "400"},
            {"/api/pointing/mollweide-sky-map-data?nside=3", "400"},
            {"/api/pointing/mollweide-sky-map?cmap=rainbow", "400"},
            {"/api/pointing_history?start_mjd=60010&end_mjd=60000", "400"},
            {"/api/pointing/history?limit=101", "400"},
            {"/api/antenna-health/metrics?hours=0", "400"},
            {"/api/calibrator_matches?matched_only=maybe", "400"},
            {"/api/observation_timeline?data_dir=/etc", "400"},
            {"/api/observation_timeline/plot?width=100", "400"},
            {"/api/ms/data/none.ms/calibrator-matches", "404"},
            {"/api/ms/data/none.ms/existing-caltables", "404"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = hub.get(c[0]);
            assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0] + ": " + r.body());
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertEquals("error", body.get("status").asText(), c[0]);
            assertNotNull(body.get("code"), c[0]);
        }
        HttpResponse<String> r = hub.post("/api/ms/data/none.ms/validate-caltable", "{\"caltable_path\":\"/x.bcal\"}");
        assertEquals(404, r.statusCode(), r.body());
        r = hub.post("/api/ms/data/none.ms/validate-caltable", "{}");
        assertEquals(422, r.statusCode(), r.body());
        r = hub.post("/api/ms/data/none.ms/validate-caltable", "{\"caltable\":\"x\"}");
        assertTrue(r.statusCode() == 400 || r.statusCode() == 422, r.body());
        assertFalse(r.body().contains("Exception"), "no internals in the error");
    }

    @Test
    void legacyAliasesAnswerLikeTheirCanonicalPaths() throws Exception {
        String[][] pairs = {
            {"/api/monitoring/antenna-health/metrics", "/api/antenna-health/metrics"},
            {"/api/monitoring/calibration-quality/metrics?hours=5", "/api/calibration-quality/metrics?hours=5"},
            {"/api/monitoring/mosaic-quality/metrics", "/api/mosaic-quality/metrics"},
        };
        for (String[] p : pairs) {
            JsonNode alias = json(p[0]);
            JsonNode canonical = json(p[1]);
            ((com.fasterxml.jackson.databind.node.ObjectNode) alias).remove("timestamp");
            ((com.fasterxml.jackson.databind.node.ObjectNode) canonical).remove("timestamp");
            assertEquals(canonical, alias, p[0]);
        }
        for (String[] p : new String[][] {
            {"/api/monitoring/antenna-health/plots/heatmap", "/api/antenna-health/plots/heatmap"},
            {"/api/monitoring/antenna-health/plots/refant-report", "/api/antenna-health/plots/refant-report"},
            {"/api/monitoring/antenna-health/plots/stability-trends", "/api/antenna-health/plots/stability-trends"},
            {"/api/monitoring/calibration-quality/plots/snr-trends", "/api/calibration-quality/plots/snr-trends"},
            {"/api/monitoring/mosaic-quality/plots/dynamic-range", "/api/mosaic-quality/plots/dynamic-range"},
            {"/api/monitoring/mosaic-quality/plots/rms-trends", "/api/mosaic-quality/plots/rms-trends"},
            {"/api/monitoring/ese-candidates/plots/flux-variations", "/api/ese-candidates/plots/flux-variations"},
            {"/api/monitoring/ese-candidates/plots/sky-distribution", "/api/ese-candidates/plots/sky-distribution"}}) {
            assertArrayEquals(hub.getBytes(p[1]).body(), hub.getBytes(p[0]).body(), p[0]);
        }
    }
}
