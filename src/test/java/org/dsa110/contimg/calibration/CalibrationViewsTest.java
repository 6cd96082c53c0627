package org.dsa110.contimg.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.observing.CalibratorMatches;
import org.dsa110.contimg.observing.MsRegistry;
import org.dsa110.contimg.pipeline.ingest.GroupStore;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A calibrator observation registered the way the pipeline does it (group, visibility file, calibrator matches,
 * calibration set, tables and per-antenna solutions), then the calibration and antenna-health views over HTTP.
 * Antenna 5 has an unstable amplitude, antenna 6 a wandering phase, antenna 7 only flagged solutions.
 */
class CalibrationViewsTest {
    static final int ANTENNAS = 8;
    static TestHub hub;
    static VlaCalibrator cal;
    static String msPath;
    static String farMsPath;
    static String bpPath;
    static String gpPath;

    @BeforeAll
    static void observe() throws Exception {
        hub = TestHub.start(Map.of());
        CalibratorMatches matches = hub.bean("calibratorMatches", CalibratorMatches.class);
        cal = matches.catalog().stream().filter(c -> c.decDeg() > 20 && c.decDeg() < 60)
                .max(Comparator.comparingDouble(VlaCalibrator::fluxJy)).orElseThrow();
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String groupId = start.toString().substring(0, 19);
        GroupStore groups = hub.bean("groupStore", GroupStore.class);
        groups.createGroup(groupId, start, 16);
        String otherGroup = start.minus(Duration.ofHours(1)).toString().substring(0, 19);
        groups.createGroup(otherGroup, start.minus(Duration.ofHours(1)), 16);

        double startMjd = MsCatalog.mjd(start);
        double endMjd = startMjd + 309.0 / 86400;
        msPath = hub.dataDir().resolve("products/ms/" + groupId + ".uvfits").toString();
        farMsPath = hub.dataDir().resolve("products/ms/far.uvfits").toString();
        MsRegistry registry = hub.bean("msRegistry", MsRegistry.class);
        registry.register(new MsRegistry.MsRecord(msPath, groupId, "uvfits", startMjd, endMjd, cal.raDeg(),
                cal.decDeg(), ANTENNAS, 768, 1.3114, 1.4986, List.of("drift_0", "drift_1"), 1000L));
        registry.register(new MsRegistry.MsRecord(farMsPath, null, "uvfits", startMjd + 3, endMjd + 3, cal.raDeg(),
                cal.decDeg(), ANTENNAS, 768, 2.0, 2.2, List.of(), null));

        CalibratorMatcher matcher = CalibratorMatcher.dsa110Default();
        matches.recordGroup(groupId, matcher.matchAll(new double[] {cal.raRad()}, new double[] {cal.decRad()}));
        matches.recordGroup(otherGroup, List.of());

        CalibrationRegistry calibration = hub.bean("calibrationRegistry", CalibrationRegistry.class);
        calibration.registerSet(new CalibrationRegistry.CalSet("set-" + groupId, groupId, cal.name(),
                startMjd - 0.5, endMjd + 0.5));
        Path dir = Files.createDirectories(hub.dataDir().resolve("products/caltables"));
        bpPath = Files.writeString(dir.resolve(groupId + ".bpcal.fits"), "bandpass table").toString();
        gpPath = Files.writeString(dir.resolve(groupId + ".gpcal.fits"), "gain table").toString();
        long bp = calibration.registerTable(new CalibrationRegistry.CalTable(bpPath, "BP", "set-" + groupId, groupId,
                msPath, startMjd - 0.5, endMjd + 0.5, "0", ANTENNAS, 1.3, 1.5));
        long gp = calibration.registerTable(new CalibrationRegistry.CalTable(gpPath, "GP", "set-" + groupId, groupId,
                msPath, startMjd - 0.5, endMjd + 0.5, "0", ANTENNAS, 1.3, 1.5));
        List<CalibrationRegistry.Solution> bpSolutions = new ArrayList<>();
        List<CalibrationRegistry.Solution> gpSolutions = new ArrayList<>();
        for (int a = 0; a < ANTENNAS; a++) {
            for (int ch = 0; ch < 4; ch++) {
                bpSolutions.add(new CalibrationRegistry.Solution(a, 0, ch, 0, null, 1.0, 0.0, null, 30.0, a == 7));
            }
            for (int t = 0; t < 6; t++) {
                double x = Math.sin(t + 0.3);
                double amp = a == 5 ? (t % 2 == 0 ? 0.5 : 1.5) : 1 + 0.01 * (a + 1) * x;
                double phase = a == 6 ? 90 * x : 2 * (a + 1) * x;
                gpSolutions.add(new CalibrationRegistry.Solution(a, 0, null, 0, startMjd + t * 0.002, amp, phase,
                        null, 10.0 + a, a == 7));
            }
        }
        calibration.recordSolutions(bp, bpSolutions);
        calibration.recordSolutions(gp, gpSolutions);
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

    static String ms(String path) {
        return "/api/ms" + path; // absolute path: its slashes are part of the greedy parameter
    }

    @Test
    void statusAndRegistryListing() throws Exception {
        JsonNode status = json("/api/calibration/status");
        assertEquals(1, status.get("active_sets").size());
        JsonNode set = status.get("active_sets").get(0);
        assertTrue(set.get("valid_now").asBoolean());
        assertEquals(2, set.get("total").asInt());
        assertEquals(cal.name(), status.get("last_solve_per_calibrator").get(0).get("calibrator_name").asText());
        assertEquals(2, status.get("tables_active").asInt());

        JsonNode all = json("/api/caltables");
        assertEquals(2, all.get("items").size());
        JsonNode first = all.get("items").get(0);
        assertTrue(first.get("size_mb").asDouble() > 0, "size from the file");
        assertEquals(msPath, first.get("ms_path").asText());
        String dir = Path.of(bpPath).getParent().toString();
        assertEquals(2, json("/api/caltables?cal_dir=" + dir).get("caltables").size());
        assertEquals(0, json("/api/caltables?cal_dir=" + dir + "/elsewhere").get("caltables").size());
    }

    @Test
    void calibratorMatchesPerGroupAndPerFile() throws Exception {
        JsonNode all = json("/api/calibrator_matches");
        assertEquals(2, all.get("items").size());
        // both groups lie in the set's validity window: each is paired with the calibrator group it was solved on
        assertEquals(2, all.get("matches").size());
        JsonNode pair = all.get("matches").get(0); // newest group first: the calibrator group itself
        assertEquals(pair.get("target_group_id").asText(), pair.get("calibrator_group_id").asText());
        assertEquals(0.0, pair.get("time_diff_minutes").asDouble(), 1e-9);
        assertEquals(60.0, all.get("matches").get(1).get("time_diff_minutes").asDouble(), 1e-6);
        JsonNode matched = json("/api/calibrator_matches?matched_only=true").get("items");
        assertEquals(1, matched.size());
        assertEquals(cal.name(), matched.get(0).get("matches").get(0).get("name").asText());
        assertTrue(matched.get(0).get("matches").get(0).get("sep_deg").asDouble() < 1e-6);

        JsonNode perFile = json(ms(msPath) + "/calibrator-matches?top_n=3");
        assertEquals(msPath, perFile.get("ms_path").asText());
        assertTrue(perFile.get("has_calibrator").asBoolean());
        JsonNode best = perFile.get("matches").get(0);
        assertEquals(cal.name(), best.get("name").asText());
        assertTrue(best.get("pb_response").asDouble() > 0.9, best.toString());
        assertEquals(cal.fluxJy() * best.get("pb_response").asDouble(), best.get("weighted_flux").asDouble(), 1e-9);
        assertTrue(perFile.get("matches").size() <= 3);
        assertEquals(400, hub.get(ms(msPath) + "/calibrator-matches?catalog=nvss").statusCode());

        JsonNode ui = json("/api/ui/calibrators?limit=20");
        assertEquals("pointing_history", ui.get("pointing_source").asText());
        assertEquals(cal.decDeg(), ui.get("pointing_dec_deg").asDouble(), 1e-9);
        for (JsonNode c : ui.get("calibrators")) {
            assertTrue(Math.abs(c.get("dec_offset_deg").asDouble()) <= 2.5, c.toString());
        }
    }

    @Test
    void existingTablesAndCompatibility() throws Exception {
        JsonNode existing = json(ms(msPath) + "/existing-caltables");
        assertTrue(existing.get("has_bp").asBoolean());
        assertTrue(existing.get("has_g").asBoolean());
        assertFalse(existing.get("has_k").asBoolean());
        assertEquals(gpPath, existing.get("g_tables").get(0).get("path").asText());

        HttpResponse<String> r = hub.post(ms(msPath) + "/validate-caltable",
                "{\"caltable_path\":\"" + gpPath + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode ok = Json.MAPPER.readTree(r.body());
        assertTrue(ok.get("is_compatible").asBoolean(), ok.toString());
        assertEquals(0, ok.get("issues").size());
        assertTrue(ok.get("warnings").toString().contains("1 of 8 antennas"), ok.toString());
        assertEquals(7, ok.get("caltable_antennas").size());
        assertEquals(ANTENNAS, ok.get("ms_antennas").size());

        JsonNode bad = Json.MAPPER.readTree(hub.post(ms(farMsPath) + "/validate-caltable",
                "{\"caltable_path\":\"" + gpPath + "\"}").body());
        assertFalse(bad.get("is_compatible").asBoolean());
        assertFalse(bad.get("compatible").asBoolean());
        assertEquals(2, bad.get("issues").size(), bad.toString());
        assertTrue(bad.get("issues").toString().contains("validity window"));
        assertTrue(bad.get("issues").toString().contains("frequency"));
        assertEquals(404, hub.post(ms(msPath) + "/validate-caltable", "{\"caltable_path\":\"/nope.fits\"}")
                .statusCode());
        assertEquals(0, json(ms(farMsPath) + "/existing-caltables").get("caltables").size());
    }

    @Test
    void qualityAndAntennaHealth() throws Exception {
        JsonNode q = json("/api/calibration-quality/metrics?hours=24");
        assertEquals(2, q.get("summary").get("n_tables").asInt());
        assertEquals(ANTENNAS * 4 + ANTENNAS * 6, q.get("summary").get("n_solutions").asInt());
        assertEquals(1.0 / ANTENNAS, q.get("by_type").get("GP").get("flagged_fraction_mean").asDouble(), 1e-4);

        JsonNode h = json("/api/antenna-health/metrics");
        assertEquals(ANTENNAS, h.get("n_antennas").asInt());
        JsonNode ants = h.get("antennas");
        assertTrue(ants.get(7).get("flags").toString().contains("high_flagging"), ants.get(7).toString());
        assertTrue(ants.get(5).get("flags").toString().contains("unstable_amplitude"), ants.get(5).toString());
        assertTrue(ants.get(6).get("flags").toString().contains("unstable_phase"), ants.get(6).toString());
        assertFalse(ants.get(0).get("outlier").asBoolean(), ants.get(0).toString());
        assertEquals("0", h.get("refant").get("recommended").asText());
        assertEquals("0", h.get("refant").get("current").asText());

        for (String p : new String[] {"/api/calibration-quality/plots/snr-trends?hours=24",
            "/api/antenna-health/plots/heatmap", "/api/antenna-health/plots/refant-report",
            "/api/antenna-health/plots/stability-trends?top_n=3"}) {
            HttpResponse<byte[]> png = hub.getBytes(p);
            assertEquals(200, png.statusCode(), p);
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertTrue(img != null && img.getWidth() >= 400, p);
            assertEquals("false", png.headers().firstValue(PlotCache.EMPTY_HEADER).orElse(""), p + " has data");
        }
        JsonNode alias = json("/api/monitoring/antenna-health/metrics");
        assertEquals(h.get("antennas"), alias.get("antennas"));
    }
}
