package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainSolution;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.AntennaGains;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three simulated groups through a real hub with the builtin conversion, calibration and imaging executors
 * and the builtin photometry against a catalog of the target field's sources (ESE detection, transient search,
 * mosaic and publishing skipped): the calibrator group (3C147 = 0542+498 at transit)
 * and two target groups 20 minutes either side, all with the same injected antenna gains. Checks the flow's
 * calibrator decision (made after conversion), the solved gains against the injected ones, and the target image's
 * point sources (positions within 1/5 beam, fluxes within 5%) after calibration.
 */
class RadioPipelineEndToEndTest {
    @TempDir
    static Path tmp;
    static TestHub hub;
    static Db db;
    static RadioGroupFixture fx = new RadioGroupFixture(32, 4, 6, 4, 0.02);
    static AntennaGains gains = fx.gains(7);
    static VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
    static String calGroup;
    static String target;
    static String other;
    static List<PointSource> targetSky = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        double near = 2460973.0;
        double calStart = fx.startJd(cal, near, 0);
        double targetStart = fx.startJd(cal, near, 20);
        double otherStart = fx.startJd(cal, near, -20);
        calGroup = RadioGroupFixture.groupId(calStart);
        target = RadioGroupFixture.groupId(targetStart);
        other = RadioGroupFixture.groupId(otherStart);
        double[] centre = centreJ2000(targetStart);
        double ra = Math.toDegrees(centre[0]), dec = Math.toDegrees(centre[1]);
        targetSky.add(RadioGroupFixture.offset(ra, dec, 0.06, 0.03, 2.0));
        targetSky.add(RadioGroupFixture.offset(ra, dec, -0.05, 0.05, 1.5));
        targetSky.add(RadioGroupFixture.offset(ra, dec, 0.03, -0.06, 1.0));
        // the reference catalog the builtin photometry measures: the target field's injected sources
        StringBuilder csv = new StringBuilder("id,ra,dec,flux_mjy,snr,resolved,confused\n");
        for (int i = 0; i < targetSky.size(); i++) {
            PointSource p = targetSky.get(i);
            csv.append("E2E").append(i).append(',').append(Math.toDegrees(p.raRad())).append(',')
                    .append(Math.toDegrees(p.decRad())).append(',').append(p.fluxJy() * 1000).append(",100,0,0\n");
        }
        Path catalog = Files.writeString(Files.createDirectories(tmp.resolve("catalog")).resolve("e2e.csv"), csv);
        hub = TestHub.start(Map.of(
                "hub.catalog.file", catalog.toString(),
                "hub.stage.ese_detection.executor", "skip",
                "hub.stage.transient_search.executor", "skip",
                "hub.stage.mosaic.executor", "skip",
                "hub.stage.publishing.executor", "skip",
                "hub.stage.imaging.param.max-size", "512",
                "hub.stage.calibration_solve.param.gain-validity-minutes", "60",
                "hub.stage.redelivery.max-redeliveries", "0"));
        db = hub.bean("db", Db.class);
        double[] oc = centreJ2000(otherStart);
        submit(calGroup, fx.write(dir(calGroup), calStart,
                List.of(PointSource.flat(cal.raRad(), cal.decRad(), cal.fluxJy())), gains, 11));
        awaitGroup(calGroup);
        submit(target, fx.write(dir(target), targetStart, targetSky, gains, 12));
        submit(other, fx.write(dir(other), otherStart, List.of(RadioGroupFixture.offset(Math.toDegrees(oc[0]),
                Math.toDegrees(oc[1]), 0.05, 0.05, 1.2)), gains, 13));
        awaitGroup(target);
        awaitGroup(other);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static Path dir(String group) throws Exception {
        return Files.createDirectories(tmp.resolve(group.replace(':', '-')));
    }

    /** ICRS centre of a group starting at {@code startJd}: the apparent meridian at its mid-time. */
    static double[] centreJ2000(double startJd) {
        double mid = startJd + fx.nTimes * DriftScan.DSA110_INTEGRATION_SEC / 2 / 86400;
        return Astrometry.DSA110.meridianIcrs(mid, Math.toRadians(RadioGroupFixture.POINTING_DEC_DEG));
    }

    /** As the ingest does: group and subband rows (has_calibrator not yet known), claimed, sent to the flow. */
    static void submit(String groupId, List<Path> files) throws Exception {
        GroupStates groups = hub.bean("groupStates", GroupStates.class);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'pending', ?, ?)", groupId, Instant.parse(groupId + "Z"), fx.nSubbands, files.size());
        groups.created(groupId, GroupStates.PENDING);
        for (int sb = 0; sb < files.size(); sb++) {
            Path f = files.get(sb);
            db.update("INSERT INTO subband_files (group_id, subband, path, filename) VALUES (?, ?, ?, ?)", groupId, sb,
                    f.toString(), f.getFileName().toString());
        }
        assertTrue(groups.transition(groupId, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
        hub.context().createProducerTemplate().sendBody("seda:pipeline.group", groupId);
    }

    static void awaitGroup(String groupId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> g = db.one("SELECT state, error FROM ingest_groups WHERE group_id = ?", groupId)
                    .orElseThrow();
            if (GroupStates.COMPLETED.equals(g.get("state"))) {
                return;
            }
            if (GroupStates.FAILED.equals(g.get("state"))) {
                throw new AssertionError("group " + groupId + " failed: " + g.get("error"));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("group " + groupId + " did not complete");
    }

    static Map<String, Object> stageRun(String group, String stage) {
        return db.one("SELECT s.* FROM stage_runs s JOIN pipeline_executions e ON e.id = s.execution_id "
                + "WHERE e.group_id = ? AND s.stage_name = ?", group, stage).orElse(null);
    }

    @Test
    void calibrationSolveRunsOnlyForTheGroupWhoseConversionFoundACalibrator() {
        for (String g : List.of(calGroup, target, other)) {
            boolean isCal = g.equals(calGroup);
            assertEquals(isCal, db.one("SELECT has_calibrator FROM ingest_groups WHERE group_id = ?", g)
                    .map(r -> r.get("has_calibrator")).orElseThrow(), g);
            Map<String, Object> solve = stageRun(g, "calibration_solve");
            if (isCal) {
                assertEquals("completed", solve.get("status"));
            } else {
                assertTrue(solve == null, "no calibration_solve for " + g);
            }
            for (String s : List.of("conversion", "calibration_apply", "imaging")) {
                assertEquals("completed", stageRun(g, s).get("status"), g + " " + s);
            }
            Map<String, Object> ms = db.one("SELECT * FROM ms_index WHERE group_id = ?", g).orElseThrow();
            assertEquals("uvfits", ms.get("format"));
            assertEquals(1, ((Number) ms.get("cal_applied")).intValue(), g + " calibrated");
            assertEquals(4, ((Number) ms.get("num_fields")).intValue());
            assertTrue(((Number) ms.get("start_mjd")).doubleValue() < ((Number) ms.get("end_mjd")).doubleValue());
            assertEquals(isCal ? "0542+498" : null, ms.get("calibrator_name"));
        }
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM group_calibrator_matches WHERE group_id = ? "
                + "AND name = '0542+498' AND match_rank = 0", calGroup));
    }

    @Test
    void solvedGainsMatchTheInjectedOnes() throws Exception {
        Map<String, Object> bpRow = db.one("SELECT path, refant FROM caltables WHERE cal_group_id = ? AND table_type = 'BP'",
                calGroup).orElseThrow();
        Map<String, Object> gpRow = db.one("SELECT path FROM caltables WHERE cal_group_id = ? AND table_type = 'GP'",
                calGroup).orElseThrow();
        BandpassSolution bp = CalibrationTables.readBandpass(Path.of((String) bpRow.get("path")));
        GainSolution gp = CalibrationTables.readGains(Path.of((String) gpRow.get("path")));
        int ref = gp.refAntenna(0);
        assertEquals(103, ref, "first antenna of the reference chain");
        int nChan = bp.nChan();
        int total = fx.nSubbands * fx.chanPerSubband;
        double[] gi = new double[2];
        double[] gr = new double[2];
        double worstAmp = 0, worstPhase = 0;
        int[] ants = bp.antennas();
        assertEquals(32, ants.length);
        for (int a = 0; a < ants.length; a++) {
            for (int c = 0; c < nChan; c++) {
                assertFalse(bp.isFlagged(a, c));
                // the solved band is ascending; the fixture's channel index counts down from the top
                int simChan = total - 1 - c;
                gains.gain(ants[a], 0, simChan, gi);
                gains.gain(ref, 0, simChan, gr);
                double injAmp = Math.hypot(gi[0], gi[1]);
                double injPhase = Math.atan2(gi[1], gi[0]) - Math.atan2(gr[1], gr[0]);
                int ga = gp.antennaIndex(ants[a]);
                double amp = bp.amplitude(a, c) * gp.amplitude(ga, 0);
                double phase = Math.toRadians(bp.phaseDeg(a, c) + gp.phaseDeg(ga, 0));
                worstAmp = Math.max(worstAmp, Math.abs(amp / injAmp - 1));
                double dp = Math.toDegrees(Math.atan2(Math.sin(phase - injPhase), Math.cos(phase - injPhase)));
                worstPhase = Math.max(worstPhase, Math.abs(dp));
            }
        }
        assertTrue(worstAmp < 0.02, "amplitude error " + worstAmp);
        assertTrue(worstPhase < 2.0, "phase error " + worstPhase + " deg");
        assertTrue(db.scalarLong("SELECT COUNT(*) FROM calibration_solutions s JOIN caltables t ON t.id = s.caltable_id "
                + "WHERE t.cal_group_id = ?", calGroup) == (long) ants.length * (nChan + 1));
    }

    @Test
    void targetImageRecoversTheInjectedSources() throws Exception {
        JsonNode list = Json.MAPPER.readTree(hub.get("/api/images?limit=50").body());
        String pbPath = null;
        for (JsonNode i : list.path("items")) {
            if (i.toString().contains(target.replace(':', '_')) && i.toString().contains("pbcor.fits")) {
                pbPath = i.path("path").asText();
            }
        }
        assertNotNull(pbPath, "pbcor image of " + target + " listed by /api/images: " + list);
        try (FitsImage img = FitsImage.open(Path.of(pbPath))) {
            ImagePlane plane = img.readPlane();
            double cellDeg = img.wcs().pixelScaleDeg();
            double beamPix = img.beam().bmajDeg() / cellDeg;
            assertTrue(beamPix > 2, "beam sampled: " + beamPix);
            assertNotNull(img.dateObs());
            assertTrue(img.frequencyHz() > 1.4e9 && img.frequencyHz() < 1.5e9);
            for (PointSource s : targetSky) {
                double[] px = img.wcs().worldToPixel(Math.toDegrees(s.raRad()), Math.toDegrees(s.decRad()));
                int cx = (int) Math.round(px[0]), cy = (int) Math.round(px[1]);
                assertTrue(cx > 5 && cy > 5 && cx < plane.width() - 5 && cy < plane.height() - 5,
                        "source inside the " + plane.width() + " px image: " + cx + ", " + cy);
                int[] best = {cx, cy};
                for (int y = cy - 4; y <= cy + 4; y++) {
                    for (int x = cx - 4; x <= cx + 4; x++) {
                        if (plane.get(x, y) > plane.get(best[0], best[1])) {
                            best = new int[] {x, y};
                        }
                    }
                }
                double[] peak = subPixelPeak(plane, best[0], best[1]);
                double offset = Math.hypot(peak[0] - px[0], peak[1] - px[1]);
                assertTrue(offset < beamPix / 5, "source " + s + " offset " + offset + " px, beam " + beamPix + " px");
                double flux = plane.get(best[0], best[1]);
                assertEquals(s.fluxJy(), flux, 0.05 * s.fluxJy(), "flux of " + s);
            }
        }
    }

    /** Parabolic interpolation of a peak in x and y. */
    static double[] subPixelPeak(ImagePlane p, int x, int y) {
        double l = p.get(x - 1, y), c = p.get(x, y), r = p.get(x + 1, y);
        double d = p.get(x, y - 1), u = p.get(x, y + 1);
        double dx = (l - r) / (2 * (l - 2 * c + r));
        double dy = (d - u) / (2 * (d - 2 * c + u));
        return new double[] {x + (Double.isFinite(dx) ? dx : 0), y + (Double.isFinite(dy) ? dy : 0)};
    }

    @Test
    void photometryMeasuresTheCatalogSourcesAtTheImagesObservationMjd() {
        assertEquals("completed", stageRun(target, "photometry").get("status"));
        List<Map<String, Object>> rows = db.query("SELECT p.source_id, p.mjd, i.mjd_obs FROM photometry p"
                + " JOIN images i ON i.id = p.image_id WHERE i.group_id = ? ORDER BY p.source_id", target);
        java.util.Set<String> measured = new java.util.TreeSet<>();
        for (Map<String, Object> r : rows) {
            measured.add((String) r.get("source_id"));
            assertEquals(((Number) r.get("mjd_obs")).doubleValue(), ((Number) r.get("mjd")).doubleValue(), 1e-9);
        }
        assertEquals(3, measured.size(), "every catalog source of the target field measured: " + rows);
        assertTrue(rows.stream().allMatch(r -> ((Number) r.get("mjd")).doubleValue() > 60000));
    }
}
