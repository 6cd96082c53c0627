package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/images*, /api/products, /api/catalog/overlay and /api/regions* over HTTP on a synthetic image. */
class ImagesAndRegionsApiTest {
    static TestHub hub;
    static SyntheticSky sky;
    static Path file;
    static long imageId;
    static final Instant DATE_OBS = Instant.parse("2025-03-02T03:04:05Z");
    static final double PEAK = 0.080;

    @BeforeAll
    static void setUp() throws Exception {
        hub = TestHub.shared();
        sky = new SyntheticSky(60.0, -10.0);
        sky.add("BRIGHT", 12, -8, 80, 60);
        sky.add("OTHER", -50, 40, 30, 20);
        file = sky.writeImage(hub.dataDir().resolve("products/images/api-test.fits"), new double[] {PEAK, 0.030},
                DATE_OBS, 77L);
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/api-test.csv")));
        HttpResponse<String> r = hub.post("/api/images", "{\"path\":\"products/images/api-test.fits\","
                + "\"ms_path\":\"/data/ms/2025-03-02T03:04:05.ms\",\"type\":\"pbcor\"}");
        assertEquals(201, r.statusCode(), r.body());
        imageId = json(r).path("id").asLong();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return json(r);
    }

    @Test
    void registrationReadsTheHeaderAndNoise() throws Exception {
        JsonNode d = get("/api/images/" + imageId);
        double[] centre = sky.wcs().pixelToWorld((SyntheticSky.SIZE - 1) / 2.0, (SyntheticSky.SIZE - 1) / 2.0);
        assertEquals(centre[0], d.path("ra").asDouble(), 1e-9);
        assertEquals(centre[1], d.path("dec").asDouble(), 1e-9);
        assertEquals(SkyCoords.formatRa(centre[0]), d.path("ra_hms").asText());
        assertEquals(SkyCoords.formatDec(centre[1]), d.path("dec_dms").asText());
        assertEquals(SkyCoords.equatorialToGalactic(centre[0], centre[1])[0], d.path("gal_l").asDouble(), 1e-9);
        assertEquals(30.0, d.path("beam_bmaj").asDouble(), 1e-6);
        assertEquals(24.0, d.path("beam_bmin").asDouble(), 1e-6);
        assertEquals(30.0, d.path("beam_bpa").asDouble(), 1e-6);
        assertEquals(6.0, d.path("pixel_size_arcsec").asDouble(), 1e-6);
        assertEquals(1.405e9, d.path("frequency").asDouble(), 1);
        assertEquals(187.5e6, d.path("bandwidth").asDouble(), 1);
        assertEquals(SkyCoords.instantToMjd(DATE_OBS), d.path("mjd_obs").asDouble(), 1e-8);
        assertEquals(DATE_OBS, Instant.parse(d.path("datetime").asText()));
        assertEquals(1e-3, d.path("rms_median").asDouble(), 0.1e-3, "robust rms of the 1 mJy noise");
        assertEquals(PEAK, d.path("peak_flux_jy").asDouble(), 0.005);
        assertEquals("marginal", d.path("quality_tier").asText(), "DR ~ 80");
        assertEquals("pbcor", d.path("type").asText());
        assertTrue(d.path("pbcor").asBoolean());
        assertEquals(hub.bean("db", Db.class).scalarLong("SELECT COUNT(*) FROM photometry WHERE image_id = ?",
                imageId), d.path("n_meas").asLong());
        assertEquals(1, d.path("n_runs").asInt(), "one image_qa row");
        assertEquals(1, hub.bean("db", Db.class).scalarLong("SELECT COUNT(*) FROM image_qa WHERE image_id = ? "
                + "AND overall_quality = 'marginal'", imageId));
    }

    @Test
    void listFiltersAndProducts() throws Exception {
        JsonNode all = get("/api/images?limit=500");
        assertTrue(all.path("total").asInt() >= 1);
        JsonNode mine = get("/api/images?dec_min=-11&dec_max=-9&image_type=pbcor&ms_path=2025-03-02");
        assertEquals(1, mine.path("total").asInt(), mine.toString());
        assertEquals(imageId, mine.path("items").get(0).path("id").asLong());
        assertEquals(0, get("/api/images?dec_min=-11&dec_max=-9&noise_max=0.0001").path("total").asInt());
        assertEquals(1, get("/api/images?dec_min=-11&dec_max=-9&start_date=2025-03-01T00:00:00Z"
                + "&end_date=2025-03-03T00:00:00Z").path("total").asInt());
        assertEquals(0, get("/api/images?dec_min=-11&dec_max=-9&pbcor=false").path("total").asInt());
        assertEquals(400, hub.get("/api/images?image_type=bogus").statusCode());
        assertEquals(400, hub.get("/api/images?limit=0").statusCode());
        assertEquals(400, hub.get("/api/images?start_date=yesterday").statusCode());
        JsonNode products = get("/api/products?limit=500");
        boolean listed = false;
        for (JsonNode p : products.path("items")) {
            listed |= p.path("id").asLong() == imageId && p.path("type").asText().equals("pbcor");
        }
        assertTrue(listed);
    }

    @Test
    void fitsDownloadIsTheFileAndOnlyFromTheRoots() throws Exception {
        HttpResponse<byte[]> f = hub.getBytes("/api/images/" + imageId + "/fits");
        assertEquals(200, f.statusCode());
        assertArrayEquals(Files.readAllBytes(file), f.body());
        assertEquals(404, hub.get("/api/images/99999999/fits").statusCode());
        assertEquals(400, hub.get("/api/images/abc").statusCode());
        // A row naming a file outside the data roots (or a traversal) is never served.
        Db db = hub.bean("db", Db.class);
        for (String path : new String[] {"/etc/passwd", hub.dataDir() + "/../../etc/passwd"}) {
            long rogue = db.insert("INSERT INTO images (path, type) VALUES (?, 'image')", "id", path);
            HttpResponse<String> r = hub.get("/api/images/" + rogue + "/fits");
            assertEquals(404, r.statusCode(), r.body());
            assertFalse(r.body().contains("root:"));
        }
        assertEquals(404, hub.post("/api/images", "{\"path\":\"../../../../etc/passwd\"}").statusCode());
        assertEquals(422, hub.post("/api/images", "{\"path\":\"\"}").statusCode());
    }

    @Test
    void profileFitAndMeasurements() throws Exception {
        SyntheticSky.Source s = sky.sources.get(0);
        double[] p = sky.wcs().worldToPixel(s.raDeg(), s.decDeg());
        JsonNode prof = get(String.format(Locale.ROOT, "/api/images/%d/profile?axis=x&coordinates=%.9f,%.9f",
                imageId, s.raDeg(), s.decDeg()));
        assertEquals(Math.round(p[1]), prof.path("row").asLong());
        assertEquals(SyntheticSky.SIZE, prof.path("values").size());
        int argmax = 0;
        for (int i = 0; i < SyntheticSky.SIZE; i++) {
            if (prof.path("values").get(i).asDouble() > prof.path("values").get(argmax).asDouble()) {
                argmax = i;
            }
        }
        assertEquals(p[0], argmax, 1.0, "the profile peaks at the source");
        JsonNode col = get("/api/images/" + imageId + "/profile?profile_type=y&coordinates=10,20"
                + "&coordinate_system=pixel&width=3");
        assertEquals(10, col.path("column").asInt());
        assertEquals(3, col.path("width").asInt());
        assertEquals(400, hub.get("/api/images/" + imageId + "/profile?axis=z").statusCode());
        assertEquals(422, hub.get("/api/images/" + imageId + "/profile?coordinates=20,-50&coordinate_system=pixel")
                .statusCode());

        HttpResponse<String> fr = hub.post("/api/images/" + imageId + "/fit", String.format(Locale.ROOT,
                "{\"ra_deg\":%.9f,\"dec_deg\":%.9f,\"radius_arcsec\":40}", s.raDeg(), s.decDeg()));
        assertEquals(200, fr.statusCode(), fr.body());
        JsonNode fit = json(fr);
        assertTrue(fit.path("fitted").asBoolean(), fit.toString());
        assertEquals(PEAK, fit.path("peak_flux_jy").asDouble(), 4 * fit.path("peak_flux_err_jy").asDouble() + 2e-3);
        assertEquals(0, SkyCoords.separationDeg(s.raDeg(), s.decDeg(), fit.path("peak_ra_deg").asDouble(),
                fit.path("peak_dec_deg").asDouble()) * 3600, 2.0);
        assertEquals(30.0, fit.path("fwhm_major_arcsec").asDouble(), 3.0);
        assertEquals(24.0, fit.path("fwhm_minor_arcsec").asDouble(), 3.0);
        assertEquals(30.0, fit.path("pa_deg").asDouble(), 10.0);
        assertEquals(422, hub.post("/api/images/" + imageId + "/fit", "{\"radius_arcsec\":40}").statusCode());
        assertEquals(422, hub.post("/api/images/" + imageId + "/fit", "{\"x\":1,\"y\":1,\"model\":\"sersic\"}")
                .statusCode());
        assertEquals(404, hub.post("/api/images/99999999/fit", "{\"x\":1,\"y\":1}").statusCode());

        hub.bean("photometryService", PhotometryService.class).measureImage(imageId);
        JsonNode m = get("/api/images/" + imageId + "/measurements?page=1&page_size=1");
        assertEquals(2, m.path("total").asInt());
        assertEquals(1, m.path("items").size());
        assertEquals(PEAK, m.path("items").get(0).path("flux_peak").asDouble(), 0.004, "brightest first");
        assertEquals(400, hub.get("/api/images/" + imageId + "/measurements?page_size=101").statusCode());
    }

    @Test
    void catalogOverlayIsAConeSearch() throws Exception {
        SyntheticSky.Source bright = sky.sources.get(0);
        JsonNode o = get(String.format(Locale.ROOT, "/api/catalog/overlay?ra=%.9f&dec=%.9f&radius=0.01&catalog=nvss",
                bright.raDeg(), bright.decDeg()));
        assertEquals(1, o.path("count").asInt(), o.toString());
        JsonNode src = o.path("sources").get(0);
        assertEquals(SkyCoords.nvssName(bright.raDeg() / 15, bright.decDeg()), src.path("source_id").asText());
        assertEquals(80.0, src.path("flux_mjy").asDouble(), 1e-9);
        assertEquals("nvss", src.path("catalog_type").asText());
        assertEquals(0.01, o.path("radius_deg").asDouble(), 0);
        assertEquals(2, get("/api/catalog/overlay?ra=60&dec=-10&radius=0.3").path("count").asInt());
        assertEquals(0, get("/api/catalog/overlay?ra=60&dec=-10&radius=0.3&catalog=vlass").path("count").asInt());
        assertEquals(400, hub.get("/api/catalog/overlay?ra=60&dec=-10").statusCode());
        assertEquals(400, hub.get("/api/catalog/overlay?ra=60&dec=-100&radius=1").statusCode());
        assertEquals(400, hub.get("/api/catalog/overlay?ra=60&dec=-10&radius=1&catalog=sdss").statusCode());
    }

    @Test
    void regionsCrudValidationAndStatistics() throws Exception {
        SyntheticSky.Source s = sky.sources.get(0);
        String circle = String.format(Locale.ROOT, "{\"image_path\":\"%s\",\"region_type\":\"circle\","
                + "\"ra_deg\":%.9f,\"dec_deg\":%.9f,\"radius_arcsec\":90,\"name\":\"bright\"}", file, s.raDeg(),
                s.decDeg());
        HttpResponse<String> c = hub.post("/api/regions", circle);
        assertEquals(201, c.statusCode(), c.body());
        long id = json(c).path("id").asLong();
        assertEquals("Region created successfully", json(c).path("message").asText());
        JsonNode got = get("/api/regions/" + id);
        assertEquals("circle", got.path("region_type").asText());
        assertEquals(90, got.path("radius_arcsec").asDouble(), 0);
        assertEquals(imageId, got.path("image_id").asLong(), "attached to the registered image by path");

        JsonNode st = get("/api/regions/" + id + "/statistics");
        // A point source fully inside: Σ pixels / beam area (pixels) = its flux density (Jy).
        double beamAreaPx = Math.PI * 5 * 4 / (4 * Math.log(2));
        assertEquals(beamAreaPx, st.path("beam_area_pixels").asDouble(), 1e-6);
        assertEquals(PEAK, st.path("flux_density_jy").asDouble(), 0.01);
        assertEquals(PEAK, st.path("max").asDouble(), 0.004);
        long expectedPixels = Math.round(Math.PI * 15 * 15); // 90″ radius at 6″/px
        assertEquals(expectedPixels, st.path("n_pixels").asLong(), 30);

        String poly = String.format(Locale.ROOT, "{\"image_path\":\"%s\",\"region_type\":\"polygon\","
                + "\"vertices\":[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]}", file, s.raDeg() - 0.02, s.decDeg() - 0.02,
                s.raDeg() + 0.02, s.decDeg() - 0.02, s.raDeg(), s.decDeg() + 0.02);
        assertEquals(201, hub.post("/api/regions", poly).statusCode());
        String ellipse = String.format(Locale.ROOT, "{\"image_path\":\"%s\",\"region_type\":\"ellipse\","
                + "\"ra_deg\":%.9f,\"dec_deg\":%.9f,\"semi_major_arcsec\":60,\"semi_minor_arcsec\":30,\"pa_deg\":45}",
                file, s.raDeg(), s.decDeg());
        HttpResponse<String> e = hub.send("PUT", "/api/regions/" + id, ellipse);
        assertEquals(200, e.statusCode(), e.body());
        assertEquals("ellipse", get("/api/regions/" + id).path("region_type").asText());
        long ellipsePixels = get("/api/regions/" + id + "/statistics").path("n_pixels").asLong();
        assertEquals(Math.PI * 10 * 5, ellipsePixels, 12);

        JsonNode list = get("/api/regions?image_path=" + file + "&region_type=ellipse");
        assertEquals(1, list.path("regions").size());

        for (String bad : new String[] {"{\"region_type\":\"circle\",\"ra_deg\":10,\"dec_deg\":10}",
                "{\"region_type\":\"circle\",\"ra_deg\":10,\"dec_deg\":95,\"radius_arcsec\":5}",
                "{\"region_type\":\"polygon\",\"vertices\":[[1,1],[2,2]]}",
                "{\"region_type\":\"hexagon\",\"ra_deg\":1,\"dec_deg\":1}",
                "{\"region_type\":\"ellipse\",\"ra_deg\":1,\"dec_deg\":1,\"semi_major_arcsec\":5,"
                        + "\"semi_minor_arcsec\":10}"}) {
            assertEquals(422, hub.post("/api/regions", bad).statusCode(), bad);
        }
        assertEquals(400, hub.post("/api/regions", "{\"region_type\":\"circle\",\"ra_deg\":1,\"dec_deg\":1,\"radius_arcsec\":5,\"color\":\"red\"}").statusCode());
        long loose = json(hub.post("/api/regions",
                "{\"region_type\":\"circle\",\"ra_deg\":1,\"dec_deg\":1,\"radius_arcsec\":5}")).path("id").asLong();
        assertEquals(422, hub.get("/api/regions/" + loose + "/statistics").statusCode(), "no image to measure");

        assertEquals("Region deleted successfully", json(hub.send("DELETE", "/api/regions/" + id, null))
                .path("message").asText());
        assertEquals(404, hub.get("/api/regions/" + id).statusCode());
        assertEquals(404, hub.send("DELETE", "/api/regions/" + id, null).statusCode());
    }
}
