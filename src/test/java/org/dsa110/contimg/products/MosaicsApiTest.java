package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mosaics over HTTP: create (a job) from a time range or a calibrator, detail, list, query, FITS download. */
class MosaicsApiTest {
    static final Instant T0 = Instant.parse("2025-03-02T10:00:00Z");
    static TestHub hub;
    static double[] rms = new double[2];

    @BeforeAll
    static void images() throws Exception {
        hub = TestHub.shared();
        ImageRegistry registry = hub.bean("imageRegistry", ImageRegistry.class);
        // Two overlapping pointings 100 px apart in RA (6" pixels), five minutes apart; one source in the overlap.
        for (int i = 0; i < 2; i++) {
            SyntheticSky sky = new SyntheticSky(80.0 + i * 100 * SyntheticSky.PIXEL_DEG / Math.cos(Math.toRadians(20)),
                    20.0);
            sky.add("S", i == 0 ? -50 : 50, 10, 100, 50); // the same sky position in both images
            if (i == 0) {
                hub.bean("referenceCatalog", ReferenceCatalog.class)
                        .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/mosaic-api.csv")));
            }
            Path f = sky.writeImage(hub.dataDir().resolve("products/images/mosaic-api-" + i + ".fits"),
                    new double[] {0.1}, T0.plus(Duration.ofMinutes(5L * i)), 500L + i);
            try (FitsImage img = FitsImage.open(f)) {
                rms[i] = ImageStatistics.robustRms(img.readPlane().data());
            }
            registry.register(f.toString(), ImageRegistry.Registration.of("/data/ms/mosaic-api-" + i + ".ms"));
        }
        // An image centred on the VLA calibrator 1331+305 (3C286), a day later.
        SyntheticSky cal = new SyntheticSky(202.784533, 30.509155);
        cal.add("C", 0, 0, 15000, 1000);
        Path f = cal.writeImage(hub.dataDir().resolve("products/images/mosaic-api-cal.fits"), new double[] {1.0},
                T0.plus(Duration.ofDays(1)), 77L);
        registry.register(f.toString(), ImageRegistry.Registration.of("/data/ms/mosaic-api-cal.ms"));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode awaitBuilt(long mosaicId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = json(hub.get("/api/mosaics/" + mosaicId));
            String status = m.path("status").asText();
            if ("completed".equals(status) || "failed".equals(status)) {
                return m;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("mosaic " + mosaicId + " not built in time");
    }

    @Test
    void createFromATimeRangeRunsAJobAndServesTheMosaic() throws Exception {
        HttpResponse<String> r = hub.post("/api/mosaics/create", "{\"start_time\":\"2025-03-02T09:59:00Z\","
                + "\"end_time\":\"2025-03-02T10:10:00Z\",\"name\":\"api_range_mosaic\"}");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode created = json(r);
        assertTrue(created.path("job_id").asLong() > 0);
        assertEquals(2, created.path("image_count").asInt());
        assertEquals("api_range_mosaic", created.path("name").asText());
        long id = created.path("mosaic_id").asLong();

        JsonNode m = awaitBuilt(id);
        assertEquals("completed", m.path("status").asText(), m.toString());
        assertEquals(2, m.path("image_count").asInt());
        assertEquals(2, m.path("n_images").asInt());
        assertEquals(created.path("job_id").asLong(), m.path("job_id").asLong());
        List<Double> weights = new ArrayList<>();
        m.path("images").forEach(i -> weights.add(i.path("weight").asDouble()));
        assertEquals(1 / (rms[0] * rms[0]), weights.get(0), 1e-6 / (rms[0] * rms[0]), "w = 1/rms^2 per image");
        assertEquals(1 / (rms[1] * rms[1]), weights.get(1), 1e-6 / (rms[1] * rms[1]));
        double noise = m.path("noise_jy").asDouble();
        assertTrue(noise > 0 && noise <= Math.max(rms[0], rms[1]) * 1.0001, "median effective noise " + noise);
        assertEquals(1, m.path("source_count").asInt(), "the catalog source in the overlap is detected: " + m);
        assertEquals(m.path("source_count"), m.path("n_sources"));
        assertEquals(created.path("start_time").asText().substring(0, 16), "2025-03-02T09:59");

        Path file = Path.of(m.path("path").asText());
        HttpResponse<byte[]> fits = hub.getBytes("/api/mosaics/" + id + "/fits");
        assertEquals(200, fits.statusCode());
        assertEquals("application/fits", fits.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Files.size(file), Long.parseLong(fits.headers().firstValue("Content-Length").orElse("-1")));
        assertArrayEquals(Files.readAllBytes(file), fits.body());
        assertTrue(Files.isRegularFile(Path.of(m.path("noise_map_path").asText())), "noise map written");
        assertEquals(0, hub.bean("heavyWork", org.dsa110.contimg.ops.HeavyWork.class).running(),
                "the download released its heavy-work slot");

        JsonNode job = json(hub.get("/api/jobs/" + created.path("job_id").asLong()));
        assertEquals("done", job.path("status").asText(), job.toString());
        assertTrue(job.toString().contains(file.getFileName().toString()), "the job lists the mosaic as artifact");

        JsonNode list = json(hub.get("/api/mosaics?limit=100"));
        assertTrue(ids(list).contains(id));
        JsonNode hit = json(hub.post("/api/mosaics/query", "{\"start_time\":\"2025-03-02T10:02:00Z\","
                + "\"end_time\":\"2025-03-02T10:03:00Z\"}"));
        assertTrue(ids(hit).contains(id), hit.toString());
        assertEquals(hit.path("mosaics").size(), hit.path("total").asInt());
        JsonNode miss = json(hub.post("/api/mosaics/query", "{\"start_time\":\"2024-01-01T00:00:00Z\","
                + "\"end_time\":\"2024-01-02T00:00:00Z\"}"));
        assertFalse(ids(miss).contains(id));
        assertTrue(ids(json(hub.post("/api/mosaics/query", "{\"status\":\"completed\"}"))).contains(id));

        assertEquals(409, hub.post("/api/mosaics/create", "{\"start_time\":\"2025-03-02T09:59:00Z\","
                + "\"end_time\":\"2025-03-02T10:10:00Z\",\"name\":\"api_range_mosaic\"}").statusCode());
    }

    @Test
    void createAroundACalibrator() throws Exception {
        HttpResponse<String> r = hub.post("/api/mosaics/create",
                "{\"calibrator_name\":\"1331+305\",\"timespan_minutes\":20}");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode created = json(r);
        assertEquals(1, created.path("image_count").asInt());
        assertEquals("1331+305", created.path("calibrator_name").asText());
        JsonNode m = awaitBuilt(created.path("mosaic_id").asLong());
        assertEquals("completed", m.path("status").asText(), m.toString());
        double calMjd = org.dsa110.contimg.science.sky.SkyCoords.instantToMjd(T0.plus(Duration.ofDays(1)));
        assertEquals(calMjd, m.path("start_mjd").asDouble(), 1e-9, "the mosaic spans its images' epochs");
        assertEquals(calMjd, m.path("end_mjd").asDouble(), 1e-9);
    }

    @Test
    void badRequestsAreClientErrors() throws Exception {
        assertEquals(404, hub.get("/api/mosaics/987654").statusCode());
        assertEquals(404, hub.get("/api/mosaics/987654/fits").statusCode());
        assertEquals(400, hub.get("/api/mosaics/abc").statusCode());
        assertEquals(400, hub.get("/api/mosaics?limit=0").statusCode());
        assertEquals(400, hub.post("/api/mosaics/create", "").statusCode());
        assertEquals(422, hub.post("/api/mosaics/create", "{}").statusCode());
        assertEquals(400, hub.post("/api/mosaics/create", "{\"start_time\":\"yesterday\"}").statusCode());
        assertEquals(400, hub.post("/api/mosaics/create", "{\"bogus\":1}").statusCode());
        HttpResponse<String> empty = hub.post("/api/mosaics/create", "{\"start_time\":\"2001-01-01T00:00:00Z\"}");
        assertEquals(422, empty.statusCode());
        assertTrue(json(empty).path("error").asText().contains("no registered images"), empty.body());
        assertEquals(422, hub.post("/api/mosaics/create", "{\"start_time\":\"2025-03-02T10:00:00Z\","
                + "\"end_time\":\"2025-03-02T09:00:00Z\"}").statusCode());
        assertEquals(422, hub.post("/api/mosaics/create", "{\"calibrator_name\":\"NOT-A-CAL\"}").statusCode());
        assertEquals(422, hub.post("/api/mosaics/create", "{\"start_time\":\"2025-03-02T10:00:00Z\","
                + "\"timespan_minutes\":0}").statusCode());
        assertEquals(422, hub.post("/api/mosaics/query", "{\"status\":\"weird\"}").statusCode());
        assertEquals(400, hub.post("/api/mosaics/query", "{\"start_time\":\"x\"}").statusCode());
        JsonNode none = json(hub.post("/api/mosaics/query", ""));
        assertTrue(none.has("mosaics") && none.has("total"));
    }

    static List<Long> ids(JsonNode list) {
        List<Long> out = new ArrayList<>();
        list.path("mosaics").forEach(m -> out.add(m.path("id").asLong()));
        return out;
    }
}
