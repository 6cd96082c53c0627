package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.dsa110.contimg.core.DataRoots;

/** The photometry stage's work through the service bean, and the ad-hoc photometry endpoints over HTTP. */
class PhotometryServiceTest {
    static TestHub hub;
    static SyntheticSky sky;
    static Path image;
    static long imageId;
    static final Instant DATE_OBS = Instant.parse("2025-10-24T14:00:00Z");
    /** True peaks (Jy/beam) in the order the sources were added. */
    static double[] truth;

    @BeforeAll
    static void setUp() throws Exception {
        hub = TestHub.shared();
        sky = new SyntheticSky(150.0, 30.0);
        for (int i = 0; i < 4; i++) { // normalisation references: bright, high catalog SNR
            sky.add("REF" + i, i < 2 ? -60 : 60, i % 2 == 0 ? -60 : 60, 200, 100);
        }
        sky.add("T15", 20, -30, 15, 10);
        sky.add("T40", -40, 10, 40, 30);
        sky.add("T100", 5, 45, 100, 40);
        sky.add("FAINT", -70, -20, 5, 4); // below the 10 mJy target threshold, not a reference
        truth = new double[] {0.2, 0.2, 0.2, 0.2, 0.015, 0.040, 0.100, 0.005};
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/photometry-test.csv")));
        image = sky.writeImage(hub.dataDir().resolve("products/images/phot-test.fits"), truth, DATE_OBS, 11L);
        imageId = hub.bean("imageRegistry", ImageRegistry.class).register(image.toString(),
                ImageRegistry.Registration.of("/data/ms/phot-test.ms"));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void measuresCatalogSourcesWithTheImageMjdAndRecoversFluxes() {
        PhotometryService service = hub.bean("photometryService", PhotometryService.class);
        PhotometryService.MeasureSummary s = service.measureImage(imageId);
        assertEquals(7, s.nTargets(), "every source >= 10 mJy, the references included");
        assertEquals(4, s.nReferences());
        assertEquals(7, s.nMeasured());
        assertEquals(0, s.nFailed());
        assertFalse(s.normalized(), "one epoch: reference baselines need >= 3");

        Db db = hub.bean("db", Db.class);
        List<Map<String, Object>> rows = db.query("SELECT * FROM photometry WHERE image_id = ?", imageId);
        assertEquals(7, rows.size());
        Map<String, Double> truthById = new HashMap<>();
        for (int i = 0; i < sky.sources.size(); i++) {
            SyntheticSky.Source src = sky.sources.get(i);
            truthById.put(SkyCoords.nvssName(src.raDeg() / 15, src.decDeg()), truth[i]);
        }
        double mjd = SkyCoords.instantToMjd(DATE_OBS);
        for (Map<String, Object> r : rows) {
            assertEquals(mjd, ((Number) r.get("mjd")).doubleValue(), 1e-9, "observation MJD, not insert time");
            double peak = ((Number) r.get("peak_jyb")).doubleValue();
            double err = ((Number) r.get("peak_err_jyb")).doubleValue();
            double expected = truthById.get((String) r.get("source_id"));
            assertTrue(err > 0.5e-3 && err < 2e-3, "error ~ the 1 mJy noise: " + err);
            assertTrue(Math.abs(peak - expected) < 4 * err, r.get("source_id") + ": " + peak + " vs " + expected);
            assertEquals("weighted_convolution", r.get("method"));
        }
        SyntheticSky.Source faint = sky.sources.get(7);
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM photometry WHERE source_id = ?",
                SkyCoords.nvssName(faint.raDeg() / 15, faint.decDeg())));
        assertEquals(1, db.scalarLong("SELECT n_epochs FROM variability_stats WHERE source_id = ?",
                SkyCoords.nvssName(sky.sources.get(5).raDeg() / 15, sky.sources.get(5).decDeg())));
    }

    @Test
    void measureEndpointOnAFileUnderTheDataDir() throws Exception {
        SyntheticSky.Source t40 = sky.sources.get(5);
        String body = String.format(java.util.Locale.ROOT, "{\"fits_path\":\"%s\",\"ra_deg\":%.9f,\"dec_deg\":%.9f}",
                "products/images/phot-test.fits", t40.raDeg(), t40.decDeg());
        HttpResponse<String> r = hub.post("/api/photometry/measure", body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode res = json(r).path("result");
        assertTrue(res.path("success").asBoolean());
        assertEquals(0.040, res.path("peak_jyb").asDouble(), 4 * res.path("peak_err_jyb").asDouble());
        assertEquals("weighted_convolution", res.path("method").asText());

        String batch = String.format(java.util.Locale.ROOT, "{\"fits_path\":\"%s\",\"coordinates\":["
                + "{\"ra_deg\":%.9f,\"dec_deg\":%.9f},{\"ra_deg\":%.9f,\"dec_deg\":%.9f}]}", image,
                t40.raDeg(), t40.decDeg(), 10.0, -60.0);
        JsonNode results = json(hub.post("/api/photometry/measure-batch", batch)).path("results");
        assertEquals(2, results.size());
        assertTrue(results.get(0).path("success").asBoolean());
        assertFalse(results.get(1).path("success").asBoolean(), "a position off the image fails, per position");
        assertFalse(results.get(1).path("error_message").asText().isBlank());

        // normalisation needs reference baselines of >= 3 epochs: this file alone gives none, so the answer says so
        HttpResponse<String> n = hub.post("/api/photometry/normalize", "{\"fits_path\":\"products/images/"
                + "phot-test.fits\",\"raw_flux_jy\":0.04,\"raw_error_jy\":0.001}");
        assertEquals(200, n.statusCode(), n.body());
        JsonNode norm = json(n);
        assertFalse(norm.path("success").asBoolean(), n.body());
        assertTrue(norm.path("normalized_flux_jy").isNull());
        assertFalse(norm.path("error_message").asText().isBlank());
    }

    @Test
    void photometryNeverReadsOutsideTheDataRoots() throws Exception {
        for (String path : List.of("../../../../etc/passwd", "/etc/passwd", "products/../../../etc/hostname",
                "products/images/missing.fits")) {
            HttpResponse<String> r = hub.post("/api/photometry/measure",
                    "{\"fits_path\":\"" + path + "\",\"ra_deg\":150,\"dec_deg\":30}");
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertFalse(r.body().contains("root:"), "no file content leaks");
        }
        assertEquals(422, hub.post("/api/photometry/measure", "{\"ra_deg\":150,\"dec_deg\":30}").statusCode());
        assertEquals(422, hub.post("/api/photometry/measure",
                "{\"fits_path\":\"x.fits\",\"ra_deg\":400,\"dec_deg\":30}").statusCode());
        assertEquals(400, hub.post("/api/photometry/measure",
                "{\"fits_path\":\"x.fits\",\"ra_deg\":150,\"dec_deg\":30,\"bogus\":1}").statusCode());
        assertEquals(404, hub.post("/api/photometry/images/987654", "").statusCode());
    }
}
