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
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image QA, catalog validation, the HTML report, previews/thumbnails and QA files, over HTTP. */
class QaImageApiTest {
    // a field no other test on the shared hub uses (their catalogs would add sources to this one)
    static final double RA = 110.0;
    static final double DEC = 25.0;
    static final String MS = "/data/ms/qa-test/2025-06-01T12:00:00.ms";
    static final String MS_LOW_GAIN = "/data/ms/qa-test/2025-06-01T12:05:00.ms";
    static TestHub hub;
    static long imageId;
    static long lowGainId;

    @BeforeAll
    static void setUp() throws Exception {
        hub = TestHub.shared();
        QaFixtures.image(hub.dataDir().resolve("products/images/qa-good.fits"), RA, DEC, 1.0, 11L);
        QaFixtures.image(hub.dataDir().resolve("products/images/qa-lowgain.fits"), RA, DEC, 0.7, 12L);
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(QaFixtures.catalog(hub.dataDir().resolve("catalogs/qa-test.csv"), RA, DEC));
        imageId = register("products/images/qa-good.fits", MS);
        lowGainId = register("products/images/qa-lowgain.fits", MS_LOW_GAIN);
    }

    static long register(String path, String ms) throws Exception {
        HttpResponse<String> r = hub.post("/api/images", "{\"path\":\"" + path + "\",\"ms_path\":\"" + ms
                + "\",\"group_id\":\"2025-06-01T12:00:00\"}");
        assertEquals(201, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body()).path("id").asLong();
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static void assertError(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = Json.MAPPER.readTree(r.body());
        assertEquals("error", e.path("status").asText());
        assertTrue(e.hasNonNull("code") && e.hasNonNull("error"), r.body());
    }

    static BufferedImage png(String path) throws Exception {
        HttpResponse<byte[]> r = hub.getBytes(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, path + " is not a PNG");
        return img;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void imageQaMeasuresTheImage() throws Exception {
        JsonNode qa = get("/api/qa/image" + MS);
        assertEquals(imageId, qa.path("image_id").asLong());
        assertEquals(MS, qa.path("ms_path").asText());
        assertEquals(1e-3, qa.path("rms_noise").asDouble(), 0.15e-3);
        assertEquals(0.190, qa.path("peak_flux").asDouble(), 0.006);
        double dr = qa.path("dynamic_range").asDouble();
        assertEquals(qa.path("peak_flux").asDouble() / qa.path("rms_noise").asDouble(), dr, 1e-9);
        assertEquals("good", qa.path("overall_quality").asText(), "DR ~190 lies in (100, 1000]");
        assertEquals(8, qa.path("num_sources").asInt(), "the eight injected sources, nothing else above 5 sigma");
        assertEquals(30.0, qa.path("beam_major").asDouble(), 1e-6);
        Path thumb = Path.of(qa.path("thumbnail_path").asText());
        assertTrue(Files.isRegularFile(thumb));
        assertTrue(thumb.startsWith(hub.dataDir().resolve("qa")));
        // same answer by %2F-encoded path and by image id; mirrored into the image row
        assertEquals(qa.path("num_sources"), get("/api/qa/image/" + enc(MS)).path("num_sources"));
        assertEquals(8, get("/api/qa/images/" + imageId).path("num_sources").asInt());
        assertEquals(8L, hub.bean("db", Db.class).scalarLong("SELECT source_count FROM images WHERE id = ?",
                imageId));
        assertError(404, hub.get("/api/qa/image/data/ms/never-imaged.ms"));
        assertError(404, hub.get("/api/qa/images/99999999"));
        // a name that is no image id or path is a missing image (the dashboard's client counts 400s)
        assertError(404, hub.get("/api/qa/images/abc"));
    }

    @Test
    void theSweepCompletesQaOfNewlyRegisteredImages() throws Exception {
        QaFixtures.image(hub.dataDir().resolve("products/images/qa-sweep.fits"), RA, DEC, 1.0, 13L);
        long id = register("products/images/qa-sweep.fits", "/data/ms/qa-test/sweep.ms");
        Db db = hub.bean("db", Db.class);
        hub.bean("imageQa", ImageQa.class).sweep(1000);
        assertEquals(8L, db.scalarLong("SELECT num_sources FROM image_qa WHERE image_id = ? AND num_sources IS NOT "
                + "NULL ORDER BY id DESC LIMIT 1", id));
        assertEquals(1L, db.scalarLong("SELECT COUNT(*) FROM image_qa WHERE image_id = ?", id),
                "the registration's row is completed, not duplicated");
        assertEquals(0L, db.scalarLong("SELECT COUNT(*) FROM images i WHERE i.id = ? AND NOT EXISTS (SELECT 1 FROM "
                + "image_qa q WHERE q.image_id = i.id AND q.num_sources IS NOT NULL)", id));
    }

    @Test
    void qaMetricsOfAnMsCombineBothViews() throws Exception {
        JsonNode m = get("/api/qa" + MS);
        assertEquals(MS, m.path("ms_path").asText());
        assertTrue(m.path("calibration_qa").isNull(), "no caltables for this MS");
        assertEquals(imageId, m.path("image_qa").path("image_id").asLong());
        assertError(404, hub.get("/api/qa/data/ms/unknown/2020-01-01T00:00:00.ms"));
    }

    @Test
    void catalogValidationMeasuresAstrometryFluxAndCompleteness() throws Exception {
        HttpResponse<String> r = hub.post("/api/qa/images/" + imageId + "/catalog-validation/run", "");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = Json.MAPPER.readTree(r.body());
        assertEquals(8, v.path("n_matched").asInt());
        assertEquals(9, v.path("n_catalog").asInt(), "eight sources plus the one missing from the image");
        assertEquals(8, v.path("n_detected").asInt());
        assertTrue(v.path("astrometry").path("rms_offset_arcsec").asDouble() < 1.0, v.toString());
        assertEquals(1.0, v.path("flux_scale").path("mean_flux_ratio").asDouble(), 0.03);
        assertTrue(v.path("flux_scale").path("flux_scale_error").asDouble() < 0.03);
        assertEquals(8.0 / 9.0, v.path("completeness").path("completeness").asDouble(), 1e-9);
        assertEquals("warn", v.path("status").asText(), "completeness 0.89 < 0.95");
        assertEquals(1, v.path("completeness").path("missed").size());
        assertEquals(0.080, v.path("completeness").path("missed").get(0).path("flux_jy").asDouble(), 1e-9,
                "the catalog source that is not on the image");
        assertEquals(8, v.path("matches").size());
        // the stored run is what GET returns; validation_type selects the section
        JsonNode stored = get("/api/qa/images/" + imageId + "/catalog-validation?validation_type=astrometry");
        assertEquals(v.path("id").asLong(), stored.path("id").asLong());
        assertTrue(stored.has("astrometry") && !stored.has("flux_scale"));
        assertEquals(1L, hub.bean("db", Db.class).scalarLong("SELECT COUNT(*) FROM catalog_validation WHERE id = ? "
                + "AND status = 'warn' AND n_matched = 8", v.path("id").asLong()));

        JsonNode low = Json.MAPPER.readTree(hub.post("/api/qa/images/" + lowGainId
                + "/catalog-validation/run", "{\"validation_types\":[\"flux_scale\"]}").body());
        assertEquals(0.7, low.path("flux_scale").path("mean_flux_ratio").asDouble(), 0.03);
        assertEquals("fail", low.path("status").asText(), "flux-scale error 0.3 > 0.2");
        assertFalse(low.has("astrometry"));

        assertError(404, hub.get("/api/qa/images/99999999/catalog-validation"));
        assertError(404, hub.post("/api/qa/images/99999999/catalog-validation/run", ""));
        assertError(400, hub.get("/api/qa/images/" + imageId + "/catalog-validation?catalog=no%20such%3B"));
        assertError(400, hub.post("/api/qa/images/" + imageId + "/catalog-validation/run",
                "{\"validation_types\":[\"magic\"]}"));
    }

    @Test
    void catalogOverlayListsCatalogSourcesOnTheImage() throws Exception {
        JsonNode o = get("/api/qa/images/" + imageId + "/catalog-overlay?search_radius_arcsec=10");
        assertEquals(9, o.path("total").asInt());
        assertEquals(8, o.path("n_matched").asInt());
        for (JsonNode s : o.path("sources")) {
            assertTrue(s.path("x").asDouble() >= 0 && s.path("x").asDouble() < QaFixtures.SIZE);
            boolean missing = Math.abs(s.path("flux_jy").asDouble() - 0.080) < 1e-9;
            assertEquals(!missing, s.path("matched").asBoolean(), s.toString());
        }
        assertEquals(6, get("/api/qa/images/" + imageId + "/catalog-overlay?min_flux_jy=0.085").path("total")
                .asInt(), "the six sources of 90-190 mJy");
        assertError(404, hub.get("/api/qa/images/99999999/catalog-overlay"));
        assertError(400, hub.get("/api/qa/images/" + imageId + "/catalog-overlay?search_radius_arcsec=-1"));
    }

    @Test
    void validationReportIsSelfContainedHtmlWithItsPlots() throws Exception {
        HttpResponse<String> r = hub.get("/api/qa/images/" + imageId + "/validation-report.html");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = r.body();
        assertFalse(html.contains("src=\"http"), "no external resources");
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(img);
            images++;
        }
        assertEquals(3, images, "preview, astrometric offsets and flux ratio plots");
        assertTrue(html.contains("NVSS J") && html.contains("completeness"));

        HttpResponse<String> g = hub.post("/api/qa/images/" + imageId + "/validation-report/generate",
                "{\"output_path\":\"report-test.html\"}");
        assertEquals(201, g.statusCode(), g.body());
        JsonNode gen = Json.MAPPER.readTree(g.body());
        Path file = Path.of(gen.path("report_path").asText());
        assertTrue(file.startsWith(hub.dataDir().resolve("qa")) && Files.isRegularFile(file));
        HttpResponse<String> served = hub.get(gen.path("url").asText());
        assertEquals(200, served.statusCode());
        assertTrue(served.body().contains("data:image/png;base64,"));
        assertError(400, hub.post("/api/qa/images/" + imageId + "/validation-report/generate",
                "{\"output_path\":\"/etc/cron.d/evil.html\"}"));
        assertError(400, hub.post("/api/qa/images/" + imageId + "/validation-report/generate",
                "{\"output_path\":\"../../evil.html\"}"));
        assertError(404, hub.get("/api/qa/images/99999999/validation-report.html"));
    }

    @Test
    void previewsAndThumbnailsArePngs() throws Exception {
        BufferedImage thumb = png("/api/thumbnails" + MS + ".png");
        assertEquals(QaFixtures.SIZE, thumb.getWidth(), "200 px image fits in a 256 px thumbnail unscaled");
        BufferedImage encoded = png("/api/thumbnails/" + enc(MS) + ".png");
        assertEquals(thumb.getWidth(), encoded.getWidth());
        BufferedImage small = png("/api/qa/images/" + imageId + "/preview.png?size=50&stretch=zscale");
        assertEquals(50, small.getWidth());
        // the brightest source (QA7 at +60,+60) is white-ish, the background is not
        BufferedImage full = png("/api/qa/images/" + imageId + "/preview.png");
        int bright = full.getRaster().getSample(QaFixtures.SIZE / 2 + 60, QaFixtures.SIZE - 1 - (QaFixtures.SIZE / 2
                + 60), 0);
        int background = full.getRaster().getSample(5, 5, 0);
        assertTrue(bright > 200 && background < bright / 2, bright + " vs " + background);
        assertError(404, hub.get("/api/thumbnails/data/ms/none.ms.png"));
        assertError(404, hub.get("/api/qa/images/99999999/preview.png"));
        assertError(400, hub.get("/api/qa/images/" + imageId + "/preview.png?stretch=log"));
    }

    @Test
    void qaFilesAreListedAndServedOnlyFromTheQaRoot() throws Exception {
        get("/api/qa/image" + MS); // runs image QA: writes the thumbnail artifact
        JsonNode thumbs = get("/api/qa/thumbs?limit=500");
        JsonNode mine = null;
        for (JsonNode t : thumbs.path("items")) {
            if (t.path("name").asText().equals("thumbnail_image" + imageId + ".png")) {
                mine = t;
            }
            assertEquals("thumbnail", t.path("artifact_type").asText());
        }
        assertNotNull(mine, thumbs.toString());
        assertEquals("2025-06-01T12:00:00", mine.path("group_id").asText());
        assertTrue(get("/api/qa?limit=500").path("items").size() >= thumbs.path("items").size());
        png("/api/qa/file/" + mine.path("group_id").asText() + "/" + mine.path("name").asText());

        // a file written by another tool is registered by the scan
        Path external = hub.dataDir().resolve("qa/ext-group/amplitude_vs_time.png");
        Files.createDirectories(external.getParent());
        Files.write(external, Files.readAllBytes(Path.of(mine.path("path").asText())));
        hub.bean("qaArtifacts", QaArtifacts.class).scan(10000);
        boolean found = false;
        for (JsonNode t : get("/api/qa?limit=1000").path("items")) {
            found |= t.path("group_id").asText().equals("ext-group");
        }
        assertTrue(found);

        Files.writeString(hub.dataDir().resolve("secret.txt"), "secret");
        for (String p : new String[] {"/api/qa/file/..%2F..%2F/secret.txt", "/api/qa/file/..%2F/secret.txt",
                "/api/qa/file/ext-group/..%2F..%2Fsecret.txt", "/api/qa/file/%2E%2E/secret.txt",
                "/api/qa/file/ext-group/missing.png", "/api/qa/file/..%2F..%2F..%2Fetc/passwd"}) {
            HttpResponse<String> r = hub.get(p);
            assertEquals(404, r.statusCode(), p + " -> " + r.body());
            assertFalse(r.body().contains("secret") && !r.body().contains("\"error\""), p);
        }
        // limit validation
        assertError(400, hub.get("/api/qa?limit=0"));
    }
}
