package org.dsa110.contimg.observing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.ingest.FileIndex;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.pipeline.ingest.SubbandFileName;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Pointing recorded through visibility-file registration, the UVH5 file index of three observations (two
 * adjacent, one 30 h later) and three measured mosaics; then the pointing, timeline and mosaic-quality views.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointingViewsTest {
    static TestHub hub;
    static Instant t0;
    static double firstMjd;

    @BeforeAll
    static void observe() throws Exception {
        hub = TestHub.start(Map.of());
        MsRegistry registry = hub.bean("msRegistry", MsRegistry.class);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            Instant start = now.minus(Duration.ofMinutes(40 - 10 * i));
            double s = MsCatalog.mjd(start);
            if (i == 0) {
                firstMjd = s;
            }
            registry.register(new MsRegistry.MsRecord(hub.dataDir().resolve("products/ms/obs" + i + ".uvfits")
                    .toString(), null, "uvfits", s, s + 309.0 / 86400, 100.0 + 1.25 * i, 40.0, 8, 768, 1.31, 1.50,
                    List.of(), null));
        }

        FileIndex files = new FileIndex(hub.bean("db", Db.class));
        t0 = Instant.parse("2025-03-01T10:00:00Z");
        for (Instant t : List.of(t0, t0.plus(Duration.ofMinutes(5)), t0.plus(Duration.ofHours(30)))) {
            String ts = t.toString().substring(0, 19);
            for (int sb = 0; sb < 16; sb++) {
                String name = ts + "_sb" + String.format("%02d", sb) + ".hdf5";
                SubbandFileName parsed = SubbandFileName.parse(name).orElseThrow();
                files.put(hub.dataDir().resolve("incoming/" + name).toString(), parsed, ts, MsCatalog.mjd(t), 1000,
                        t, true, null);
            }
        }

        // Mosaics, built as the mosaic stage builds them: two overlapping registered images each, 10 h, 9 h and 8 h ago
        org.dsa110.contimg.products.ImageRegistry images = hub.bean("imageRegistry",
                org.dsa110.contimg.products.ImageRegistry.class);
        org.dsa110.contimg.products.Mosaics mosaics = hub.bean("mosaics", org.dsa110.contimg.products.Mosaics.class);
        for (int i = 0; i < 3; i++) {
            Instant obs = now.minus(Duration.ofHours(10 - i));
            List<Long> ids = new java.util.ArrayList<>();
            for (int k = 0; k < 2; k++) {
                org.dsa110.contimg.products.SyntheticSky sky = new org.dsa110.contimg.products.SyntheticSky(
                        250.0 + 3 * i + k * 60 * org.dsa110.contimg.products.SyntheticSky.PIXEL_DEG, 62.0);
                sky.add("M" + i + k, 0, 0, 500, 100);
                java.nio.file.Path f = sky.writeImage(hub.dataDir().resolve("products/images/views-mosaic-" + i + k
                        + ".fits"), new double[] {0.5 * (i + 1)}, obs.plus(Duration.ofMinutes(5L * k)), 900L + 10 * i + k);
                ids.add(images.register(f.toString(), org.dsa110.contimg.products.ImageRegistry.Registration.of(
                        "/data/ms/views-mosaic-" + i + k + ".ms")));
            }
            long id = mosaics.createPending(ids, "views-mosaic-" + i, true, "quicklook", null, null);
            mosaics.build(id);
        }
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
    void pointingHistoryFromRegisteredFiles() throws Exception {
        JsonNode all = json("/api/pointing_history?end_mjd=" + (firstMjd + 0.02));
        assertEquals(3, all.get("items").size());
        JsonNode first = all.get("items").get(0);
        assertEquals(firstMjd + 309.0 / 86400 / 2, first.get("timestamp").asDouble(), 1e-9);
        assertEquals(100.0, first.get("ra_deg").asDouble(), 1e-9);
        assertEquals(40.0, first.get("dec_deg").asDouble(), 1e-9);
        JsonNode window = json("/api/pointing_history?start_mjd=" + (firstMjd + 0.0025) + "&end_mjd="
                + (firstMjd + 0.02));
        assertEquals(2, window.get("items").size());
        JsonNode recent = json("/api/pointing/history?limit=2");
        assertEquals(2, recent.get("items").size());
        assertEquals(3, recent.get("total").asInt());
        assertEquals(102.5, recent.get("items").get(0).get("ra_deg").asDouble(), 1e-9, "newest first");
    }

    @Test
    void coverageMapsCountBeamsAtThePointing() throws Exception {
        JsonNode grid = json("/api/pointing/sky-map-data?resolution=360");
        assertEquals("coverage", grid.get("map_type").asText());
        double radius = grid.get("beam_radius_deg").asDouble();
        assertTrue(radius > 1 && radius < 2, "half-power radius of a 4.65 m dish at 1.4 GHz: " + radius);
        JsonNode hits = grid.get("hits");
        assertEquals(3, hits.get(260).get(202).asInt(), "RA 101.25, Dec 40.25 lies in all three beams");
        assertEquals(1, hits.get(260).get(198).asInt(), "RA 99.25 only in the first");
        assertEquals(0, hits.get(100).get(202).asInt(), "Dec -39.75 was never observed");
        assertEquals(3, grid.get("max_hits").asInt());
        JsonNode wider = json("/api/pointing/sky-map-data?resolution=10&frequency_mhz=700");
        assertTrue(wider.get("beam_radius_deg").asDouble() > 1.9 * radius, "the beam scales with wavelength");

        JsonNode healpix = json("/api/pointing/mollweide-sky-map-data?nside=64");
        assertEquals(12 * 64 * 64, healpix.get("npix").asInt());
        int max = healpix.get("max_hits").asInt();
        assertTrue(max >= 2 && max <= 3, "pixel centres near the strip lie in two or three beams: " + max);
        long covered = 0;
        for (JsonNode v : healpix.get("values")) {
            covered += v.asInt() > 0 ? 1 : 0;
        }
        // three ~1.3 deg beams 1 deg apart cover ~10 deg^2; a pixel is 0.84 deg^2
        assertTrue(covered > 5 && covered < 40, "pixels around the strip: " + covered);

        assertFalse(ViewsTestSupport.png(hub, "/api/pointing/sky-map"));
        assertFalse(ViewsTestSupport.png(hub, "/api/pointing/mollweide-sky-map?cmap=viridis"));
    }

    @Test
    @Order(Integer.MAX_VALUE) // adds pointing samples: runs after the tests that count them
    void monitorReportsCurrentPointingAndDrift() throws Exception {
        JsonNode ok = json("/api/pointing-monitor/status");
        assertEquals("ok", ok.get("status").asText(), ok.toString());
        assertEquals(40.0, ok.get("expected_dec_deg").asDouble(), 1e-9);
        assertEquals("median_previous_24h", ok.get("expected_source").asText());
        assertEquals(102.5, ok.get("current").get("ra_deg").asDouble(), 1e-9);

        PointingHistory history = hub.bean("pointingHistory", PointingHistory.class);
        history.record(MsCatalog.mjd(Instant.now()), 103.0, 43.0, null);
        JsonNode drift = json("/api/pointing-monitor/status");
        assertEquals("drift", drift.get("status").asText(), drift.toString());
        assertEquals(3.0, drift.get("drift_deg").asDouble(), 1e-9);
        history.record(MsCatalog.mjd(Instant.now()), 103.0, 40.0, null); // back on the strip
    }

    @Test
    void timelineSplitsAtGaps() throws Exception {
        JsonNode t = json("/api/observation_timeline");
        assertEquals(48, t.get("total_files").asInt());
        assertEquals(3, t.get("unique_timestamps").asInt());
        assertEquals(2, t.get("segments").size());
        assertEquals(32, t.get("segments").get(0).get("file_count").asInt());
        assertEquals(t0.toString(), t.get("segments").get(0).get("start_time").asText());
        assertEquals(1, t.get("gaps").size());
        double gapHours = t.get("gaps").get(0).get("duration_hours").asDouble();
        assertTrue(gapHours > 29 && gapHours < 30, "gap " + gapHours);
        assertEquals(3, t.get("observations").size());
        assertEquals(1, json("/api/observation_timeline?gap_threshold_hours=48").get("segments").size());
        assertEquals(48, json("/api/observation_timeline?data_dir=" + hub.dataDir().resolve("incoming"))
                .get("total_files").asInt());
        assertEquals(0, json("/api/observation_timeline?data_dir=" + hub.dataDir().resolve("products"))
                .get("total_files").asInt());
        assertFalse(ViewsTestSupport.png(hub, "/api/observation_timeline/plot?width=10&height=3"));
    }

    @Test
    void mosaicQuality() throws Exception {
        JsonNode m = json("/api/mosaic-quality/metrics?hours=24");
        assertEquals(3, m.get("summary").get("n_mosaics").asInt());
        // two 1 mJy/beam images overlap in each mosaic: inverse-variance weighting gives 1/sqrt(2) mJy there
        assertEquals(1 / Math.sqrt(2), m.get("summary").get("noise_mjy_median").asDouble(), 0.05);
        // the largest dynamic range is that of the brightest mosaic, as the builder stored it
        double drMax = 0;
        for (Map<String, Object> r : hub.bean("db", Db.class).query("SELECT peak_flux_jy, noise_jy, dynamic_range"
                + " FROM mosaics WHERE name LIKE 'views-mosaic-%'")) {
            double dr = r.get("dynamic_range") != null ? ((Number) r.get("dynamic_range")).doubleValue()
                    : ((Number) r.get("peak_flux_jy")).doubleValue() / ((Number) r.get("noise_jy")).doubleValue();
            drMax = Math.max(drMax, dr);
        }
        assertTrue(drMax > 1000, "a 1.5 Jy source on 0.7 mJy noise");
        assertEquals(drMax, m.get("summary").get("dynamic_range_max").asDouble(), 1e-6 * drMax);
        assertEquals(0, json("/api/mosaic-quality/metrics?hours=1").get("summary").get("n_mosaics").asInt());
        assertFalse(ViewsTestSupport.png(hub, "/api/mosaic-quality/plots/dynamic-range?hours=24"));
        assertFalse(ViewsTestSupport.png(hub, "/api/monitoring/mosaic-quality/plots/rms-trends?hours=24"));
        assertTrue(ViewsTestSupport.png(hub, "/api/mosaic-quality/plots/rms-trends?hours=1"));
    }
}
