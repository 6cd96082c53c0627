package org.dsa110.contimg.pipeline.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainApplier;
import org.dsa110.contimg.science.calibration.GainSolution;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.uvfits.UvfitsBlocks;

/**
 * Builtin {@code calibration_apply} (every group): applies the calibration tables in force at the group's mid MJD
 * (V ← V / (G_i·conj(G_j)), G = bandpass × gain) and writes the corrected visibilities alongside the original as
 * {@code <group>.corrected.uvfits} (DATACOL = CORRECTED_DATA), block by block ({@link UvfitsBlocks#rewrite}: the
 * file is never held in memory). With a bandpass but no valid gain table, the
 * bandpass and its amplitude normalisation are applied. When no table is valid, {@code on-missing} decides:
 * {@code continue} (default) passes the uncorrected file on and marks the group uncalibrated in ms_index;
 * {@code fail} fails the stage permanently (DLQ, reason {@value #NO_CALIBRATION}).
 */
public final class CalibrationApplyStage implements StageExecutor {
    public static final String NO_CALIBRATION = "no_valid_calibration";

    private final RadioStore store;
    private final CalibrationRegistry registry;

    CalibrationApplyStage(RadioStore store, CalibrationRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        StageParams p = new StageParams(req.stage(), req.params());
        String onMissing = p.string("on-missing", "continue").toLowerCase();
        if (!onMissing.equals("continue") && !onMissing.equals("fail")) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "hub.stage.calibration_apply.param.on-missing must be continue or fail, not " + onMissing);
        }
        Path msPath = Path.of(req.inputs().get(0));
        UvfitsBlocks.Info data = StageInputs.read(msPath, "UVFITS", UvfitsBlocks::info);
        double[] times = data.uniqueTimes();
        double midMjd = JulianDate.jdToMjd((times[0] + times[times.length - 1]) / 2);
        List<CalibrationRegistry.Table> tables = registry.activeAt(midMjd);
        BandpassSolution bp = null;
        GainSolution gp = null;
        List<String> used = new ArrayList<>();
        for (CalibrationRegistry.Table t : tables) {
            if ("BP".equals(t.type()) && bp == null) {
                BandpassSolution b = CalibrationTables.readBandpass(t.path());
                if (b.nChan() == data.nChan()) {
                    bp = b;
                    used.add(t.path().toString());
                } else {
                    req.log().line("stderr", "bandpass " + t.path().getFileName() + " has " + b.nChan()
                            + " channels, the data " + data.nChan() + ": not applied");
                }
            } else if ("GP".equals(t.type()) && gp == null) {
                gp = CalibrationTables.readGains(t.path());
                used.add(t.path().toString());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mid_mjd", midMjd);
        if (bp == null && gp == null) {
            String why = "no valid calibration tables for MJD " + String.format("%.5f", midMjd);
            if (onMissing.equals("fail")) {
                throw new PermanentStageException(NO_CALIBRATION, "group " + req.groupId() + ": " + why);
            }
            store.msCalibration(msPath.toString(), false, "uncalibrated", List.of("DATA"));
            store.msCalibrationSet(msPath.toString(), null);
            req.log().info(why + ": group left uncalibrated (on-missing = continue)");
            m.put("calibrated", false);
            return new StageResult(List.of(msPath.toString()), m);
        }
        if (gp == null) {
            gp = amplitudeOnly(bp, times);
        }
        String set = tables.get(0).setName();
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("DATACOL", "CORRECTED_DATA");
        kw.put("CALSTAT", "applied " + set);
        kw.put("CALSET", set); // which calibration set: imaging copies it into the image header (CALSET)
        kw.put("BUNIT", "JY"); // calibrated against the catalogue flux scale
        Files.createDirectories(req.outputDir());
        Path out = req.outputDir().resolve(ConversionStage.fileName(req.groupId()) + ".corrected.uvfits")
                .toAbsolutePath();
        BandpassSolution bandpass = bp;
        GainSolution gains = gp;
        UvfitsBlocks.Result written = UvfitsBlocks.rewrite(msPath, out, kw,
                block -> GainApplier.apply(block, bandpass, gains));
        store.msCalibration(msPath.toString(), true, null, List.of("DATA", "CORRECTED_DATA"));
        store.msCalibrationSet(msPath.toString(), set);
        req.log().info("applied " + used.size() + " table(s) of set " + set + " -> " + out.getFileName());
        m.put("calibrated", true);
        m.put("calibration_set", set);
        m.put("tables", used);
        m.put("flagged_fraction", written.samples() == 0 ? 0.0 : (double) written.flagged() / written.samples());
        return new StageResult(List.of(out.toString()), m);
    }

    /** A one-chunk gain table carrying the bandpass's amplitude normalisation, phase 0. */
    static GainSolution amplitudeOnly(BandpassSolution bp, double[] times) {
        int[] ants = bp.antennas();
        float[] amp = new float[ants.length];
        boolean[] flagged = new boolean[ants.length];
        for (int a = 0; a < ants.length; a++) {
            double s = bp.amplitudeScale(a);
            flagged[a] = !(s > 0);
            amp[a] = flagged[a] ? 0f : (float) s;
        }
        return GainSolution.of(ants, new double[] {times[0]}, new double[] {times[times.length - 1]}, amp,
                new float[ants.length], new float[ants.length], flagged, new int[] {-1});
    }
}
