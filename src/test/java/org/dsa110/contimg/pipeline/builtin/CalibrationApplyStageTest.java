package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversion of a group without a calibrator, then apply with no valid calibration: continue or fail. */
class CalibrationApplyStageTest {
    @TempDir
    Path tmp;

    @Test
    void withoutValidTablesTheGroupContinuesUncalibratedOrFailsPermanently() throws Exception {
        DataSource ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        RadioGroupFixture fx = new RadioGroupFixture(8, 2, 2, 2, 0.01);
        VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
        double start = fx.startJd(cal, 2460973.0, 40);
        String group = RadioGroupFixture.groupId(start);
        List<Path> files = fx.write(tmp, start, List.of(), fx.gains(3), 2);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', 2, 2)", group, Instant.parse(group + "Z"));
        RadioStore store = new RadioStore(db);
        CalibrationRegistry reg = new CalibrationRegistry(db);
        StageResult conv = new ConversionStage(store, CalibratorMatcher.dsa110Default(), Astrometry.DSA110).run(new StageRequest(
                "conversion", group, 1, 1, files.stream().map(Path::toString).toList(), tmp.resolve("conv"), Map.of(),
                StageLogSink.DISCARD));
        assertEquals(false, conv.metrics().get(ConversionStage.HAS_CALIBRATOR));
        assertEquals(false, db.one("SELECT has_calibrator FROM ingest_groups WHERE group_id = ?", group).orElseThrow()
                .get("has_calibrator"));
        String ms = conv.outputs().get(0);

        StageResult cont = new CalibrationApplyStage(store, reg).run(new StageRequest("calibration_apply", group, 1, 1,
                List.of(ms), tmp.resolve("apply"), Map.of(), StageLogSink.DISCARD));
        assertEquals(List.of(ms), cont.outputs(), "the uncorrected file goes on to imaging");
        assertEquals(false, cont.metrics().get("calibrated"));
        Map<String, Object> row = db.one("SELECT * FROM ms_index WHERE path = ?", ms).orElseThrow();
        assertEquals("uncalibrated", row.get("calibration_quality"));
        assertEquals(0, ((Number) row.get("cal_applied")).intValue());

        PermanentStageException e = assertThrows(PermanentStageException.class, () -> new CalibrationApplyStage(store,
                reg).run(new StageRequest("calibration_apply", group, 1, 2, List.of(ms), tmp.resolve("apply"),
                        Map.of("on-missing", "fail"), StageLogSink.DISCARD)));
        assertEquals(CalibrationApplyStage.NO_CALIBRATION, e.reason());
        assertTrue(e.getMessage().contains(group), e.getMessage());

        PermanentStageException bad = assertThrows(PermanentStageException.class, () -> new CalibrationApplyStage(
                store, reg).run(new StageRequest("calibration_apply", group, 1, 3, List.of(ms), tmp.resolve("apply"),
                        Map.of("on-missing", "maybe"), StageLogSink.DISCARD)));
        assertTrue(bad.getMessage().contains("on-missing"), bad.getMessage());
    }
}
