package org.dsa110.contimg.transients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The transient_search stage on synthetic images over a real hub, then /api/candidates* and /api/alerts*: a
 * steady catalog source gives nothing, a brightened one and a vanished one are brightening / fading, unknown
 * sources at 20σ and ~6σ are new (CRITICAL / by their S/N), a 3σ blob is not detected. The tests build on
 * each other (classify, acknowledge, then a re-run), hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransientsApiTest {
    static TestHub hub;
    static TestSky sky;
    static TestSky.Source steady;
    static TestSky.Source brighter;
    static TestSky.Source vanished;
    static TestSky.Source bright;
    static TestSky.Source weak;
    static TestSky.Source faint;
    static long imageId;
    static StageResult result;

    @BeforeAll
    static void setUp() throws Exception {
        hub = TestHub.shared();
        sky = new TestSky(200.0, 40.0);
        sky.add(-40, 30, 0.050, 50);
        sky.add(30, -30, 0.100, 40);
        sky.add(50, 50, 0.0, 30);
        sky.add(-50, -50, 0.020, 0);
        sky.add(10, 60, 0.0065, 0);
        sky.add(-60, 0, 0.003, 0);
        sky.add(60, -60, 0.002, 2);
        steady = sky.sources().get(0);
        brighter = sky.sources().get(1);
        vanished = sky.sources().get(2);
        bright = sky.sources().get(3);
        weak = sky.sources().get(4);
        faint = sky.sources().get(5);
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/transients-test.csv")));
        Path image = sky.writeImage(hub.dataDir().resolve("staging/pipeline/T1/imaging/T1-image.fits"), 11L,
                Instant.parse("2025-05-01T02:03:04Z"));
        result = runStage("T1", List.of(image.toString(),
                hub.dataDir().resolve("staging/pipeline/T1/imaging/T1-psf.fits").toString()));
        imageId = hub.bean("db", org.dsa110.contimg.store.Db.class)
                .scalarLong("SELECT id FROM images WHERE path = ?", image.toRealPath().toString());
    }

    static StageResult runStage(String group, List<String> inputs) throws Exception {
        StageExecutor stage = hub.bean("builtin.transient_search", StageExecutor.class);
        return stage.run(new StageRequest("transient_search", group, 0, 1, inputs,
                hub.dataDir().resolve("staging/pipeline/" + group + "/transient_search"), Map.of(), (s, t) -> { }));
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static HttpResponse<String> put(String path, String body) throws Exception {
        return hub.send("PUT", path, body);
    }

    static List<JsonNode> candidates() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get("/api/candidates?min_significance=0&limit=1000&image_id=" + imageId).forEach(out::add);
        return out;
    }

    static JsonNode near(List<JsonNode> list, TestSky.Source s) {
        double[] p = sky.position(s);
        JsonNode found = null;
        for (JsonNode c : list) {
            if (SkyCoords.separationDeg(p[0], p[1], c.path("ra_deg").asDouble(), c.path("dec_deg").asDouble())
                    < 10.0 / 3600) {
                found = c;
            }
        }
        return found;
    }

    @Test
    @Order(1)
    void theSearchClassifiesEverySourceAsScienceMdSays() throws Exception {
        assertEquals(1, result.outputs().size(), "the psf is not searched: " + result.outputs());
        List<JsonNode> list = candidates();
        assertEquals(4, list.size(), list.toString());
        assertEquals(null, near(list, steady), "a steady catalog source is no candidate");
        assertEquals(null, near(list, faint), "a 3 sigma blob is not detected");

        JsonNode b = near(list, brighter);
        assertEquals("brightening", b.path("candidate_type").asText());
        assertEquals(0.040, b.path("baseline_flux_jy").asDouble(), 1e-9);
        double expectedSig = Math.abs(b.path("flux_jy").asDouble() - 0.040)
                / Math.sqrt(Math.pow(b.path("flux_err_jy").asDouble(), 2) + Math.pow(0.05 * 0.040, 2));
        assertEquals(expectedSig, b.path("sigma_var").asDouble(), 1e-9);
        assertEquals(0.100, b.path("flux_jy").asDouble(), 0.004, "peak of the brightened source");
        assertEquals("HIGH", b.path("alert_level").asText());
        assertTrue(b.path("source_id").asText().startsWith("NVSS J"));

        JsonNode v = near(list, vanished);
        assertEquals("fading", v.path("candidate_type").asText());
        assertTrue(v.path("flux_jy").isNull(), "not detected");
        assertEquals("HIGH", v.path("alert_level").asText());

        JsonNode n = near(list, bright);
        assertEquals("new", n.path("candidate_type").asText());
        assertTrue(n.path("source_id").isNull());
        assertEquals(20, n.path("snr").asDouble(), 2);
        assertEquals("CRITICAL", n.path("alert_level").asText());

        JsonNode w = near(list, weak);
        assertEquals("new", w.path("candidate_type").asText());
        assertTrue(w.path("snr").asDouble() >= 5);
        assertEquals(w.path("snr").asDouble() >= 7 ? "HIGH" : "MEDIUM", w.path("alert_level").asText());
        assertEquals(SkyCoords.instantToMjd(Instant.parse("2025-05-01T02:03:04Z")), n.path("mjd").asDouble(), 1e-8);

        // the default list keeps significance >= 5 and filters by type
        for (JsonNode c : get("/api/candidates?detection_type=new&limit=1000")) {
            assertEquals("new", c.path("candidate_type").asText());
            assertTrue(c.path("significance").asDouble() >= 5.0);
        }
        JsonNode detail = get("/api/candidates/" + n.path("id").asLong());
        assertEquals(n.path("id").asLong(), detail.path("id").asLong());
        assertEquals(imageId, detail.path("image_id").asLong());
        assertEquals(detail, get("/api/transients/candidates/" + n.path("id").asLong()), "legacy alias");
    }

    @Test
    @Order(2)
    void everyCandidateRaisedAnAlertAndAHistoryEntry() throws Exception {
        List<Long> candidateIds = new ArrayList<>();
        candidates().forEach(c -> candidateIds.add(c.path("id").asLong()));
        int mine = 0;
        for (JsonNode a : get("/api/alerts?acknowledged=false&limit=1000")) {
            if (candidateIds.contains(a.path("candidate_id").asLong())) {
                mine++;
                assertFalse(a.path("acknowledged").asBoolean());
                assertTrue(a.path("message").asText().contains("T1-image.fits"), a.toString());
            }
        }
        assertEquals(4, mine);
        boolean critical = false;
        for (JsonNode h : get("/api/alerts/history?limit=200")) {
            critical |= "transient".equals(h.path("alert_type").asText())
                    && "critical".equals(h.path("severity").asText());
        }
        assertTrue(critical, "the 20 sigma new source is a critical history entry");
        for (JsonNode a : get("/api/alerts?alert_level=CRITICAL&limit=1000")) {
            assertEquals("CRITICAL", a.path("alert_level").asText());
        }
    }

    @Test
    @Order(3)
    void classifyFollowUpNotesAndBulk() throws Exception {
        List<JsonNode> list = candidates();
        long id = near(list, bright).path("id").asLong();
        HttpResponse<String> r = put("/api/candidates/" + id + "/classify",
                "{\"classification\":\"real\",\"classified_by\":\"tester\",\"notes\":\"looks real\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode c = get("/api/candidates/" + id);
        assertEquals("real", c.path("classification").asText());
        assertEquals("tester", c.path("classified_by").asText());
        assertFalse(c.path("classified_at").isNull());
        assertEquals(200, put("/api/candidates/" + id + "/follow-up", "{\"status\":\"scheduled\"}").statusCode());
        assertEquals(200, put("/api/candidates/" + id + "/notes", "{\"notes\":\"VLA DDT\",\"append\":true}")
                .statusCode());
        c = get("/api/candidates/" + id);
        assertEquals("scheduled", c.path("follow_up_status").asText());
        assertEquals("looks real\nVLA DDT", c.path("notes").asText());
        assertEquals("real", get("/api/candidates?classification=real&min_significance=0&image_id=" + imageId)
                .get(0).path("classification").asText());

        long other = near(list, weak).path("id").asLong();
        r = hub.post("/api/transients/candidates/bulk-classify", "{\"candidate_ids\":[" + other + ",987654321],"
                + "\"classification\":\"artifact\",\"classified_by\":\"tester\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode bulk = Json.MAPPER.readTree(r.body());
        assertEquals(1, bulk.path("updated").asInt());
        assertEquals(987654321L, bulk.path("not_found").get(0).asLong());
        assertEquals("artifact", get("/api/candidates/" + other).path("classification").asText());
    }

    @Test
    @Order(4)
    void acknowledgeSingleAndBulk() throws Exception {
        List<JsonNode> list = candidates();
        List<Long> alertIds = new ArrayList<>();
        for (JsonNode a : get("/api/alerts?limit=1000")) {
            for (JsonNode c : list) {
                if (c.path("id").asLong() == a.path("candidate_id").asLong()) {
                    alertIds.add(a.path("id").asLong());
                }
            }
        }
        assertEquals(4, alertIds.size());
        long first = alertIds.get(0);
        HttpResponse<String> r = put("/api/transients/alerts/" + first + "/acknowledge",
                "{\"acknowledged_by\":\"astronomer\",\"notes\":\"seen\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = get("/api/alerts/" + first);
        assertTrue(a.path("acknowledged").asBoolean());
        assertEquals("astronomer", a.path("acknowledged_by").asText());
        assertEquals("seen", a.path("notes").asText());
        for (JsonNode open : get("/api/alerts?limit=1000")) {
            assertFalse(open.path("id").asLong() == first, "acknowledged alerts leave the default list");
        }
        assertTrue(get("/api/alerts?acknowledged=true&limit=1000").toString().contains("\"id\":" + first));
        assertEquals(200, put("/api/alerts/" + first + "/follow-up", "{\"status\":\"completed\"}").statusCode());
        assertEquals("completed", get("/api/alerts/" + first).path("follow_up_status").asText());
        assertEquals(200, put("/api/alerts/" + first + "/notes", "{\"notes\":\"replaced\"}").statusCode());
        assertEquals("replaced", get("/api/alerts/" + first).path("notes").asText());

        String ids = alertIds.subList(1, 4).toString().replace(" ", "");
        r = hub.post("/api/alerts/bulk-acknowledge", "{\"alert_ids\":" + ids + ",\"acknowledged_by\":\"night\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, Json.MAPPER.readTree(r.body()).path("updated").asInt());
        for (long id : alertIds.subList(1, 4)) {
            assertEquals("night", get("/api/alerts/" + id).path("acknowledged_by").asText());
        }
    }

    @Test
    @Order(5)
    void unknownIdsAre404AndBadBodies422() throws Exception {
        assertEquals(404, hub.get("/api/candidates/987654321").statusCode());
        assertEquals(404, hub.get("/api/alerts/987654321").statusCode());
        assertEquals(404, put("/api/alerts/987654321/acknowledge", "{\"acknowledged_by\":\"x\"}").statusCode());
        assertEquals(404, put("/api/candidates/987654321/classify",
                "{\"classification\":\"real\",\"classified_by\":\"x\"}").statusCode());
        long id = candidates().get(0).path("id").asLong();
        HttpResponse<String> r = put("/api/candidates/" + id + "/classify",
                "{\"classification\":\"maybe\",\"classified_by\":\"x\"}");
        assertEquals(422, r.statusCode(), r.body());
        JsonNode err = Json.MAPPER.readTree(r.body());
        assertEquals("error", err.path("status").asText());
        assertTrue(err.path("error").asText().contains("classification"));
        assertEquals(422, put("/api/candidates/" + id + "/follow-up", "{\"status\":\"someday\"}").statusCode());
        assertEquals(422, put("/api/candidates/" + id + "/notes", "{}").statusCode());
        HttpResponse<String> missing = put("/api/candidates/" + id + "/classify", "");
        assertEquals(400, missing.statusCode(), "missing body: " + missing.body());
        assertEquals(422, put("/api/candidates/" + id + "/classify", "{\"nope\":1}").statusCode());
        assertEquals(422, hub.post("/api/candidates/bulk-classify",
                "{\"candidate_ids\":[],\"classification\":\"real\",\"classified_by\":\"x\"}").statusCode());
        assertEquals(422, hub.post("/api/alerts/bulk-acknowledge", "{\"alert_ids\":[1]}").statusCode());
        assertEquals(400, hub.get("/api/candidates?detection_type=bogus").statusCode());
        assertEquals(400, hub.get("/api/alerts?limit=0").statusCode());
        assertEquals(400, hub.get("/api/candidates/abc").statusCode());
    }

    @Test
    @Order(6)
    void pureNoiseGivesNoCandidatesAndAReRunReplaces() throws Exception {
        // 40000 independent noise pixels: on average 0.01 exceed 5 sigma, so a seeded noise image has none
        TestSky empty = new TestSky(230.0, -20.0);
        Path image = empty.writeImage(hub.dataDir().resolve("staging/pipeline/T2/imaging/T2-image.fits"), 6L,
                Instant.parse("2025-05-02T00:00:00Z"));
        StageResult r = runStage("T2", List.of(image.toString()));
        long noiseImage = hub.bean("db", org.dsa110.contimg.store.Db.class)
                .scalarLong("SELECT id FROM images WHERE path = ?", image.toRealPath().toString());
        assertEquals(0, ((Number) r.metrics().get("detections")).intValue(), r.metrics() + " "
                + get("/api/candidates?min_significance=0&image_id=" + noiseImage) + " "
                + get("/api/images/" + noiseImage));
        assertEquals(0, ((Number) r.metrics().get("alerts")).intValue());

        StageResult none = runStage("T3", List.of(hub.dataDir().resolve("staging/pipeline/T3/imaging/T3.image")
                .toString()));
        assertEquals(0, ((Number) none.metrics().get("images")).intValue(), "no FITS sky image: nothing to do");

        int before = candidates().size();
        StageResult again = runStage("T1", List.of(hub.dataDir()
                .resolve("staging/pipeline/T1/imaging/T1-image.fits").toString()));
        assertEquals(4, ((Number) again.metrics().get("alerts")).intValue());
        assertEquals(before, candidates().size(), "a re-run replaces the image's candidates");
    }
}
