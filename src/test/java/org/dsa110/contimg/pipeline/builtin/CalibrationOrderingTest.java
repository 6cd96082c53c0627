package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.CalibrationOrdering;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.PipelineStore;
import org.dsa110.contimg.pipeline.StageExecutors;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 7, calibration ordering: a calibrator group (3C147 at transit) and a target group 20 minutes later (no calibrator in its fields)
 * run "concurrently" (both in_progress with running executions). While the calibrator group has converted but not
 * solved, the target's calibration_apply waits; once the solve has registered its set, the target applies that set,
 * and the image made from it records the set (ms_index, the FITS CALSET card, the image registry, ImageDetail).
 */
class CalibrationOrderingTest {
    @TempDir
    static Path tmp;
    static Db db;
    static PipelineStore pipeline;
    static RadioStore store;
    static CalibrationRegistry registry;
    static RadioGroupFixture fx = new RadioGroupFixture(12, 2, 2, 2, 0.01);
    static VlaCalibrator cal = RadioGroupFixture.calibrator("0542+498");
    static String calGroup;
    static String target;
    static long calExecution;
    static String calMs;
    static String targetMs;
    static final StageExecutors EXECUTORS = new StageExecutors(k -> Optional.empty(), n -> null, p -> Map.of());

    @BeforeAll
    static void twoGroupsConverted() throws Exception {
        db = new Db(TestDatabases.h2Memory(), Db.Dialect.H2);
        TestDatabases.migrate(db.dataSource());
        pipeline = new PipelineStore(db);
        store = new RadioStore(db);
        registry = new CalibrationRegistry(db);
        double calStart = fx.startJd(cal, 2460973.0, 0);
        double targetStart = fx.startJd(cal, 2460973.0, 20);
        calGroup = RadioGroupFixture.groupId(calStart);
        target = RadioGroupFixture.groupId(targetStart);
        List<Path> calFiles = fx.write(Files.createDirectories(tmp.resolve("cal")), calStart,
                List.of(PointSource.flat(cal.raRad(), cal.decRad(), cal.fluxJy())), fx.gains(3), 1);
        List<Path> targetFiles = fx.write(Files.createDirectories(tmp.resolve("target")), targetStart, List.of(),
                fx.gains(3), 2);
        calExecution = inProgress(calGroup);
        long targetExecution = inProgress(target);
        calMs = convert(calGroup, calFiles, calExecution);
        targetMs = convert(target, targetFiles, targetExecution);
    }

    /** An in_progress group with a running execution, as the ingest and the group flow leave it. */
    static long inProgress(String group) {
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', 2, 2)", group, Instant.parse(group + "Z"));
        return pipeline.createExecution(group, "streaming", "ingest", "test-node");
    }

    /** The builtin conversion, its stage run recorded as the stage runner does. */
    static String convert(String group, List<Path> files, long execution) throws Exception {
        PipelineStore.StageRunStart run = pipeline.startStageRun(execution, "conversion", "builtin");
        StageResult r = new ConversionStage(store, CalibratorMatcher.dsa110Default(), Astrometry.DSA110).run(new StageRequest(
                "conversion", group, execution, 1, files.stream().map(Path::toString).toList(),
                tmp.resolve(group.replace(':', '-')).resolve("conv"), Map.of(), StageLogSink.DISCARD));
        pipeline.finishStageRun(run.id(), "completed", null, Map.of("outputs", r.outputs()), null, null);
        return r.outputs().get(0);
    }

    static CalibrationOrdering ordering(Duration timeout, String onTimeout) {
        return new CalibrationOrdering(db, EXECUTORS, CalibrationOrdering.Settings.parse(true, timeout.toSeconds(),
                20, onTimeout));
    }

    static Exchange flow(String group) {
        Exchange ex = new DefaultExchange(new DefaultCamelContext());
        ex.getMessage().setBody(group);
        return ex;
    }

    @Test
    void theTargetWaitsForTheCalibratorsSolveThenAppliesItsSetAndTheImageRecordsIt() throws Exception {
        assertEquals(Boolean.TRUE, db.one("SELECT has_calibrator FROM ingest_groups WHERE group_id = ?", calGroup)
                .orElseThrow().get("has_calibrator"), "the calibrator group's conversion found 0542+498");
        CalibrationOrdering gate = ordering(Duration.ofSeconds(60), "fail");
        assertEquals(List.of(calGroup), gate.blocking(target));
        assertEquals(List.of(), gate.blocking(calGroup), "the target (no calibrator) never blocks the calibrator");

        // a timeout while the calibrator group has not solved: fail (DLQ reason calibration_pending) ...
        PermanentStageException timedOut = assertThrows(PermanentStageException.class,
                () -> ordering(Duration.ZERO, "fail").awaitPendingSolves(flow(target)));
        assertEquals(CalibrationOrdering.PENDING, timedOut.reason());
        assertTrue(timedOut.getMessage().contains(calGroup), timedOut.getMessage());
        // ... or, configured so, go on with what is in force
        Exchange proceeded = flow(target);
        ordering(Duration.ZERO, "proceed").awaitPendingSolves(proceeded);
        assertNotNull(proceeded.getMessage().getHeader(CalibrationOrdering.WAITED_HEADER));
        // ... or never wait at all
        Exchange off = flow(target);
        new CalibrationOrdering(db, EXECUTORS, CalibrationOrdering.Settings.parse(false, 60, 20, "fail"))
                .awaitPendingSolves(off);
        assertNull(off.getMessage().getHeader(CalibrationOrdering.WAITED_HEADER));

        // the target's flow reaches the gate and waits there (its thread sleeps between polls) ...
        Exchange targetFlow = flow(target);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<StageResult> applied = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                gate.awaitPendingSolves(targetFlow);
                return new CalibrationApplyStage(store, registry).run(new StageRequest("calibration_apply", target, 2,
                        1, List.of(targetMs), tmp.resolve("target-apply"), Map.of(), StageLogSink.DISCARD));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((waiter.get() == null || waiter.get().getState() != Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(applied.isDone(), "the target waits while the calibrator group has not solved");

        // ... while the calibrator group solves and registers its set
        PipelineStore.StageRunStart solveRun = pipeline.startStageRun(calExecution, "calibration_solve", "builtin");
        StageResult solved = new CalibrationSolveStage(store, registry).run(new StageRequest("calibration_solve",
                calGroup, calExecution, 1, List.of(calMs), tmp.resolve("cal-solve"), Map.of(), StageLogSink.DISCARD));
        pipeline.finishStageRun(solveRun.id(), "completed", null, Map.of("outputs", solved.outputs()), null, null);
        String set = (String) solved.metrics().get("calibration_set");

        StageResult apply = applied.get(60, TimeUnit.SECONDS);
        assertTrue((Double) targetFlow.getMessage().getHeader(CalibrationOrdering.WAITED_HEADER) > 0);
        assertEquals(true, apply.metrics().get("calibrated"));
        assertEquals(set, apply.metrics().get("calibration_set"), "the calibrator's new set, not the one before");
        assertEquals(set, db.one("SELECT calibration_set FROM ms_index WHERE path = ?", targetMs).orElseThrow()
                .get("calibration_set"));
        assertEquals(List.of(), gate.blocking(target));

        // the image made from the calibrated visibilities carries the set: FITS header, registry, ImageDetail
        Path dataDir = tmp.resolve("data");
        ImageRegistry images = new ImageRegistry(db, new DataRoots(dataDir, List.of(tmp)));
        StageResult imaged = new ImagingStage(store, () -> images).run(new StageRequest("imaging", target, 2, 1,
                apply.outputs(), dataDir.resolve("imaging"), Map.of("max-size", "128", "niter", "20"),
                StageLogSink.DISCARD));
        Path pbcor = Path.of(imaged.outputs().get(0));
        try (FitsImage img = FitsImage.open(pbcor)) {
            assertEquals(set, img.header().getStringValue("CALSET"));
        }
        long imageId = ((Number) imaged.metrics().get("pbcor_image_id")).longValue();
        assertEquals(set, images.detail(imageId).calibrationSet());

        // over HTTP: the same file registered on a hub, ImageDetail.calibration_set from its CALSET card
        TestHub hub = TestHub.shared();
        Path copy = Files.copy(pbcor, Files.createDirectories(hub.dataDir().resolve("products/images"))
                .resolve("calibration-ordering.pbcor.fits"));
        JsonNode detail = Json.MAPPER.readTree(hub.post("/api/images", "{\"path\":\"" + copy + "\"}").body());
        assertEquals(set, detail.path("calibration_set").asText(), detail.toString());
    }

    @Test
    void onlyRunningGroupsThatMayHoldACalibratorAndWhoseSetWouldCoverTheTargetBlock() {
        CalibrationOrdering gate = ordering(Duration.ofSeconds(60), "fail");
        // a group converting (has_calibrator unknown) 2 h before the target blocks; once it is known to hold no
        // calibrator it does not; one 13 h away is outside the set window (24 h bandpass validity: ±12 h)
        String converting = "2025-11-01T02:00:00";
        String far = "2025-10-31T15:00:00";
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', 2, 2)", converting, Instant.parse(target + "Z").minus(Duration.ofHours(2)));
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present) "
                + "VALUES (?, ?, 'in_progress', 2, 2)", far, Instant.parse(target + "Z").minus(Duration.ofHours(13)));
        long e1 = pipeline.createExecution(converting, "streaming", "ingest", "test-node");
        pipeline.createExecution(far, "streaming", "ingest", "test-node");
        try {
            assertTrue(gate.blocking(target).contains(converting), gate.blocking(target).toString());
            assertFalse(gate.blocking(target).contains(far));
            pipeline.finishStageRun(pipeline.startStageRun(e1, "conversion", "builtin").id(), "completed", null,
                    Map.of(), null, null);
            assertTrue(gate.blocking(target).contains(converting), "converted, has_calibrator not stored yet");
            db.update("UPDATE ingest_groups SET has_calibrator = FALSE WHERE group_id = ?", converting);
            assertFalse(gate.blocking(target).contains(converting), "no calibrator: nothing to wait for");
        } finally {
            db.update("UPDATE ingest_groups SET state = 'completed' WHERE group_id IN (?, ?)", converting, far);
        }
    }
}
