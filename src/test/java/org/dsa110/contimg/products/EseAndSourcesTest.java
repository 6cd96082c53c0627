package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many synthetic epochs through the photometry service: an injected excursion becomes an ESE candidate, a steady
 * source does not; then the source, ESE and alert endpoints over HTTP.
 */
class EseAndSourcesTest {
    static final int EPOCHS = 36;
    static final int DIP_EPOCH = 5;
    static final Instant START = Instant.parse("2025-06-01T08:00:00Z");
    static TestHub hub;
    static SyntheticSky sky;
    static String steadyId;
    static String eseId;
    static final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void observe() throws Exception {
        hub = TestHub.shared();
        hub.bean("eventBroadcaster", EventBroadcaster.class).addListener(events::add);
        sky = new SyntheticSky(200.0, 45.0);
        for (int i = 0; i < 4; i++) {
            sky.add("REF" + i, i < 2 ? -70 : 70, i % 2 == 0 ? -70 : 70, 200, 100);
        }
        SyntheticSky.Source steady = sky.add("STEADY", 30, 20, 50, 30);
        SyntheticSky.Source ese = sky.add("ESE", -35, -25, 50, 30);
        steadyId = SkyCoords.nvssName(steady.raDeg() / 15, steady.decDeg());
        eseId = SkyCoords.nvssName(ese.raDeg() / 15, ese.decDeg());
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/ese-test.csv")));
        ImageRegistry registry = hub.bean("imageRegistry", ImageRegistry.class);
        PhotometryService photometry = hub.bean("photometryService", PhotometryService.class);
        for (int e = 0; e < EPOCHS; e++) {
            double gain = 1 + 0.08 * Math.sin(1.7 * e); // flux-scale error of the epoch, removed by normalisation
            double esePeak = e == DIP_EPOCH ? 0.015 : 0.050;
            double[] peaks = {0.2 * gain, 0.2 * gain, 0.2 * gain, 0.2 * gain, 0.05 * gain, esePeak * gain};
            Path file = sky.writeImage(hub.dataDir().resolve("products/images/ese-" + e + ".fits"), peaks,
                    START.plus(Duration.ofDays(e)), 1000L + e);
            long id = registry.register(file.toString(), ImageRegistry.Registration.of("/data/ms/ese-" + e + ".ms"));
            photometry.measureImage(id);
        }
    }

    static String enc(String sourceId) {
        return URLEncoder.encode(sourceId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void excursionBecomesACandidateAndTheSteadySourceDoesNot() throws Exception {
        JsonNode list = get("/api/ese/candidates?min_sigma=5");
        List<String> ids = new ArrayList<>();
        list.path("candidates").forEach(c -> ids.add(c.path("source_id").asText()));
        assertTrue(ids.contains(eseId), "ESE source is a candidate: " + list);
        assertFalse(ids.contains(steadyId), "steady source is not: " + list);
        JsonNode c = null;
        for (JsonNode n : list.path("candidates")) {
            if (n.path("source_id").asText().equals(eseId)) {
                c = n;
            }
        }
        assertNotNull(c);
        assertTrue(c.path("max_sigma_dev").asDouble() >= 5.0);
        assertEquals("auto", c.path("flag_type").asText());
        assertEquals(0.015, c.path("peak_flux_jy").asDouble(), 0.005, "the dip is the extreme epoch");
        assertEquals(0.049, c.path("baseline_flux_jy").asDouble(), 0.003);

        List<Map<String, Object>> eseEvents = events.stream().filter(e -> "ese_update".equals(e.get("type")))
                .map(e -> (Map<String, Object>) castMap(e.get("data"))).toList();
        assertTrue(eseEvents.stream().anyMatch(e -> eseId.equals(e.get("source_id")) && "new".equals(e.get("action"))));
        assertTrue(eseEvents.stream().noneMatch(e -> steadyId.equals(e.get("source_id"))));

        JsonNode history = get("/api/alerts/history?limit=500");
        boolean alerted = false;
        for (JsonNode h : history) {
            alerted |= h.path("source_id").asText().equals(eseId) && h.path("alert_type").asText().equals("ese_candidate");
        }
        assertTrue(alerted, "alert history records the candidate");

        assertEquals(0, get("/api/ese/candidates?min_sigma=1000").path("total").asInt());
        assertTrue(get("/api/ese-candidates/list").path("total").asInt() >= 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void lightCurvesAreNormalisedAndCarryTheObservationEpochs() throws Exception {
        JsonNode lc = get("/api/sources/" + enc(steadyId) + "/lightcurve");
        assertEquals(steadyId, lc.path("source_id").asText());
        assertEquals(EPOCHS, lc.path("flux_points").size());
        assertEquals(EPOCHS, lc.path("normalized_flux_points").size(), "early epochs are backfilled");
        double[] raw = new double[EPOCHS];
        double[] norm = new double[EPOCHS];
        for (int i = 0; i < EPOCHS; i++) {
            JsonNode p = lc.path("flux_points").get(i);
            assertEquals(SkyCoords.instantToMjd(START.plus(Duration.ofDays(i))), p.path("mjd").asDouble(), 1e-6);
            raw[i] = p.path("flux_jy").asDouble();
            norm[i] = lc.path("normalized_flux_points").get(i).path("flux_jy").asDouble();
        }
        assertTrue(std(raw) > 2.0e-3, "the epochs' gain errors show in the raw light curve: " + std(raw));
        assertTrue(std(norm) < 1.5e-3, "and are removed by normalisation: " + std(norm));
        assertEquals(0.050, mean(norm), 0.0015);

        // The same handler under the legacy and ESE prefixes
        assertEquals(EPOCHS, get("/api/legacy/sources/" + enc(steadyId) + "/lightcurve").path("flux_points").size());
        assertEquals(EPOCHS, get("/api/ese/candidates/" + enc(eseId) + "/lightcurve").path("flux_points").size());
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    @Test
    void sourceDetailVariabilityDetectionsAndSearch() throws Exception {
        JsonNode d = get("/api/sources/" + enc(eseId));
        assertEquals(eseId, d.path("id").asText());
        assertEquals(EPOCHS, d.path("n_meas").asInt());
        assertEquals(EPOCHS, d.path("n_meas_forced").asInt());
        assertFalse(d.path("ese_probability").isNull());
        assertTrue(get("/api/sources/" + enc(steadyId)).path("ese_probability").isNull());

        JsonNode v = get("/api/sources/" + enc(eseId) + "/variability");
        assertEquals(EPOCHS, v.path("n_epochs").asInt());
        assertTrue(v.path("sigma_deviation").asDouble() >= 5);
        assertEquals(v.path("eta").asDouble(), get("/api/legacy/sources/" + enc(eseId) + "/variability")
                .path("eta").asDouble(), 0);

        JsonNode det = get("/api/sources/" + enc(steadyId) + "/detections?page=2&page_size=10");
        assertEquals(EPOCHS, det.path("total").asInt());
        assertEquals(10, det.path("items").size());
        assertEquals(2, det.path("page").asInt());
        assertEquals(50.0, det.path("items").get(0).path("flux_peak").asDouble(), 6.0, "mJy, as in seed 001");

        HttpResponse<String> s = hub.post("/api/sources/search",
                "{\"filters\":{\"variability_min\":5,\"dec_min\":44,\"dec_max\":46},"
                        + "\"sort\":{\"field\":\"sigma_deviation\",\"order\":\"desc\"},\"limit\":10}");
        assertEquals(200, s.statusCode(), s.body());
        JsonNode found = Json.MAPPER.readTree(s.body());
        assertEquals(1, found.path("total").asInt(), s.body());
        assertEquals(eseId, found.path("sources").get(0).path("source_id").asText());
        assertEquals(EPOCHS, found.path("sources").get(0).path("n_obs").asInt());
        assertEquals(422, hub.post("/api/sources/search", "{\"sort\":{\"field\":\"nope\"}}").statusCode());
        assertEquals(400, hub.post("/api/sources/search", "{\"filterz\":{}}").statusCode());
        assertTrue(get("/api/sources?limit=100").path("sources").size() >= 6);

        assertEquals(404, hub.get("/api/sources/" + enc("NVSS J000000.0+000000")).statusCode());
        assertEquals(404, hub.get("/api/sources/" + enc("NVSS J000000.0+000000") + "/lightcurve").statusCode());
        assertEquals(400, hub.get("/api/sources/" + enc(eseId) + "/detections?page_size=1000").statusCode());
    }

    @Test
    void candidateReviewChangesStatus() throws Exception {
        long id = get("/api/ese/candidates").path("candidates").get(0).path("id").asLong();
        HttpResponse<String> r = hub.send("PATCH", "/api/ese/candidates/" + id,
                "{\"status\":\"false_positive\",\"notes\":\"sidelobe of a bright source\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode c = Json.MAPPER.readTree(r.body());
        assertEquals("false_positive", c.path("status").asText());
        assertEquals("sidelobe of a bright source", c.path("notes").asText());
        for (JsonNode n : get("/api/ese/candidates?status=active").path("candidates")) {
            assertFalse(n.path("id").asLong() == id);
        }
        assertEquals(422, hub.send("PATCH", "/api/ese/candidates/" + id, "{\"status\":\"dismissed\"}").statusCode());
        assertEquals(404, hub.send("PATCH", "/api/ese/candidates/999999", "{\"status\":\"resolved\"}").statusCode());
        assertEquals(400, hub.get("/api/ese/candidates?status=bogus").statusCode());
        // back to active for the other tests' view
        assertEquals(200, hub.send("PATCH", "/api/ese/candidates/" + id, "{\"status\":\"active\"}").statusCode());
    }

    @Test
    void postageStampsAreCutoutsWithTheRightWcs() throws Exception {
        JsonNode r = get("/api/sources/" + enc(steadyId) + "/postage_stamps?size_arcsec=120&max_stamps=3");
        assertEquals(3, r.path("total").asInt());
        SyntheticSky.Source steady = sky.sources.get(4);
        for (JsonNode s : r.path("stamps")) {
            assertTrue(s.path("error").isNull(), s.toString());
            Path cutout = Path.of(s.path("cutout_path").asText());
            assertTrue(cutout.startsWith(hub.dataDir()), "written under the data dir");
            try (FitsImage img = FitsImage.open(cutout)) {
                assertEquals(21, img.width(), "120″ at 6″/px: 2·10+1 pixels");
                double[] p = img.wcs().worldToPixel(steady.raDeg(), steady.decDeg());
                assertEquals(10, p[0], 0.6);
                assertEquals(10, p[1], 0.6);
                float centre = img.readCutout((int) Math.round(p[0]), (int) Math.round(p[1]), 1, 1).data()[0];
                assertEquals(0.05, centre, 0.012, "the source sits at the cutout centre");
            }
            HttpResponse<byte[]> f = hub.getBytes(s.path("url").asText());
            assertEquals(200, f.statusCode());
            assertTrue(new String(f.body(), 0, 30, StandardCharsets.US_ASCII).startsWith("SIMPLE  ="));
        }
        assertTrue(Files.exists(Path.of(r.path("stamps").get(0).path("cutout_path").asText())));
    }

    @Test
    void externalCatalogsAnswerPromptlyWithoutInternet() throws Exception {
        JsonNode r = get("/api/sources/" + enc(steadyId) + "/external_catalogs?timeout=1&catalogs=simbad,gaia");
        assertEquals(steadyId, r.path("source_id").asText());
        assertEquals(2, r.path("matches").size());
        for (String c : List.of("simbad", "gaia")) {
            JsonNode m = r.path("matches").path(c);
            assertFalse(m.path("matched").asBoolean());
            assertTrue(m.path("error").asText().contains("unreachable"), m.toString());
            assertFalse(m.path("breaker_state").asText().isBlank());
        }
        assertEquals(400, hub.get("/api/sources/" + enc(steadyId) + "/external_catalogs?catalogs=vizier")
                .statusCode());
    }
}
