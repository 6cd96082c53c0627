package org.dsa110.contimg.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.builtin.CalibrationTables;
import org.dsa110.contimg.pipeline.builtin.InProcessPipeline;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainSolution;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.imaging.ThermalNoise;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.sim.GroupSimulator;
import org.dsa110.contimg.science.sim.SimConfig;
import org.dsa110.contimg.science.sim.SkySource;
import org.dsa110.contimg.validation.TruthComparison.TruthSource;

/**
 * Simulated groups with injected gains and thermal noise (the hub's simulator, synthetic NVSS-like sky): group 0
 * is placed at a calibrator's transit, the next N groups are targets. Pipeline: conversion of every group,
 * calibration_solve on the calibrator group, calibration_apply and imaging of the targets; WSClean images the same
 * calibrated visibilities. Truth: the injected gains and the simulated sky.
 */
final class SimulatedSection {
    /** Sources compared: inside the half-power beam, brighter than this many thermal σ (apparent). */
    static final double MIN_SNR = 20;
    /** A source with a neighbour brighter than 10 % of it within this many restoring beams is left out. */
    static final double ISOLATION_BEAMS = 3;

    /** One target group. */
    record Target(String groupId, int index, ImageEvaluation builtin, ImageEvaluation wsclean, double thermalJy,
                  int candidates) {

        /** The builtin or the WSClean image's evaluation (null when that imager did not run). */
        ImageEvaluation image(boolean builtinImager) {
            return builtinImager ? builtin : wsclean;
        }
    }

    /** The whole section. */
    record Outcome(SimConfig config, String calibrator, GainRecovery.Result gains, List<Target> targets,
                   String wscleanSkipped) {
    }

    private SimulatedSection() {
    }

    static Outcome run(ValidationReport.Options o, Path work) throws Exception {
        Path dir = work.resolve("simulated");
        SimConfig cfg = SimConfig.defaults(dir.resolve("incoming")).withAntennas(o.antennas())
                .withChannelsPerSubband(o.channels()).withIntegrations(o.integrations()).withGroups(1 + o.groups())
                .withCalibratorGroups(Set.of(0)).withSeed(o.seed());
        GroupSimulator sim = new GroupSimulator(cfg);
        InProcessPipeline pipe = new InProcessPipeline(dir);
        if (o.maxSize() > 0) {
            pipe.imagingParam("max-size", o.maxSize());
        }
        double bandwidth = sim.channelWidthHz() * cfg.channelsPerSubband() * cfg.subbands();
        double thermal = ThermalNoise.stokesIJy(cfg.sefdJy(), cfg.antennas(), bandwidth, cfg.groupDurationSec());
        String skipped = o.wsclean() ? WscleanImager.missing() : "disabled (--no-wsclean)";

        String calGroup = sim.groups().get(0).groupId();
        ValidationReport.log("simulated calibrator group %s", calGroup);
        StageResult conv = pipe.convert(calGroup, sim.writeGroup(0), cfg.subbands());
        if (!Boolean.TRUE.equals(conv.metrics().get("has_calibrator"))) {
            throw new IllegalStateException("the conversion found no calibrator in the calibrator group " + calGroup);
        }
        StageResult solve = pipe.run("calibration_solve", calGroup, conv.outputs(), Map.of());
        GainRecovery.Result gains = gainRecovery(pipe, sim, calGroup);

        List<Target> targets = new ArrayList<>();
        for (int g = 1; g <= o.groups(); g++) {
            String group = sim.groups().get(g).groupId();
            ValidationReport.log("simulated target group %s (%d of %d)", group, g, o.groups());
            StageResult c = pipe.convert(group, sim.writeGroup(g), cfg.subbands());
            String calibrated = pipe.run("calibration_apply", group, c.outputs(), Map.of()).outputs().get(0);
            long t0 = System.nanoTime();
            StageResult img = pipe.run("imaging", group, List.of(calibrated), Map.of());
            double wall = (System.nanoTime() - t0) / 1e9;
            Path pbcor = Path.of(img.outputs().get(0));
            Path image = Path.of(img.outputs().get(1));
            double freq;
            double beamDeg;
            try (FitsImage f = FitsImage.open(image)) {
                freq = f.frequencyHz();
                beamDeg = f.beam().bmajDeg();
            }
            List<TruthSource> truth = truth(sim, g, freq, thermal, beamDeg);
            ImageEvaluation builtin = ImageEvaluation.of("builtin", pbcor, image, truth, wall,
                    ValidationReport.cleanNote(img.metrics()));
            ImageEvaluation ws = null;
            if (skipped == null) {
                WscleanImager.Images w = WscleanImager.image(group, Path.of(calibrated),
                        dir.resolve("wsclean").resolve(String.valueOf(g)), builtin.size(), builtin.cellArcsec(),
                        o.threads());
                ws = ImageEvaluation.of("WSClean", w.pbcor(), w.image(), truth, w.wallSec(),
                        ValidationReport.cleanNote(w.metrics()));
            }
            targets.add(new Target(group, g, builtin, ws, thermal, truth.size()));
        }
        return new Outcome(cfg, String.valueOf(solve.metrics().get("calibrator")), gains, targets, skipped);
    }

    /**
     * The truth sources of group g compared on its pb-corrected image: in the group's visibilities, within the
     * half-power radius of the group centre at band centre, apparent flux ≥ {@link #MIN_SNR} thermal σ, and no
     * neighbour brighter than 10 % of it within {@link #ISOLATION_BEAMS} beams (a blend is no test of either).
     * Their flux is the intrinsic flux at the image frequency (the catalog flux and spectral index).
     */
    static List<TruthSource> truth(GroupSimulator sim, int g, double freqHz, double thermalJy, double beamDeg) {
        double[] c = sim.phaseCentre(g);
        PrimaryBeam pb = sim.beam();
        List<SkySource> all = sim.modelSources(g);
        List<TruthSource> out = new ArrayList<>();
        for (SkySource s : all) {
            double sep = SkyGeometry.separationRad(s.raRad(), s.decRad(), c[0], c[1]);
            double response = pb.response(sep, freqHz);
            double flux = sim.fluxJy(s, g) * Math.pow(freqHz / SkySource.REF_FREQ_HZ, s.spectralIndex());
            if (response < 0.5 || flux * response < MIN_SNR * thermalJy) {
                continue;
            }
            boolean blended = all.stream().anyMatch(n -> n != s && n.fluxJy() > 0.1 * s.fluxJy()
                    && SkyGeometry.separationRad(s.raRad(), s.decRad(), n.raRad(), n.decRad())
                    < Math.toRadians(ISOLATION_BEAMS * beamDeg));
            if (!blended) {
                out.add(new TruthSource(s.name(), s.raDeg(), s.decDeg(), flux));
            }
        }
        out.sort(Comparator.comparingDouble(TruthSource::fluxJy).reversed());
        return out;
    }

    /**
     * Bandpass × gain solutions of the calibrator group against the injected gains at each solution channel and
     * interval midpoint, both referred to the solution's reference antenna.
     */
    static GainRecovery.Result gainRecovery(InProcessPipeline pipe, GroupSimulator sim, String calGroup)
            throws Exception {
        String bpPath = pipe.db().one("SELECT path FROM caltables WHERE cal_group_id = ? AND table_type = 'BP'",
                calGroup).map(r -> String.valueOf(r.get("path"))).orElseThrow();
        String gpPath = pipe.db().one("SELECT path FROM caltables WHERE cal_group_id = ? AND table_type = 'GP'",
                calGroup).map(r -> String.valueOf(r.get("path"))).orElseThrow();
        BandpassSolution bp = CalibrationTables.readBandpass(Path.of(bpPath));
        GainSolution gp = CalibrationTables.readGains(Path.of(gpPath));
        GainRecovery rec = new GainRecovery();
        int[] ants = bp.antennas();
        for (int k = 0; k < gp.nChunks(); k++) {
            int ref = gp.refAntenna(k);
            double jd = (gp.chunkStartJd(k) + gp.chunkEndJd(k)) / 2;
            for (int c = 0; c < bp.nChan(); c++) {
                double f = bp.freqHz()[c];
                double[] solvedRef = solved(bp, gp, bp.antennaIndex(ref), gp.antennaIndex(ref), c, k);
                double[] injectedRef = sim.gains().gain(ref, jd, f);
                for (int a = 0; a < ants.length; a++) {
                    int ga = gp.antennaIndex(ants[a]);
                    if (bp.isFlagged(a, c) || ga < 0 || gp.isFlagged(ga, k) || solvedRef == null) {
                        continue;
                    }
                    rec.add(solved(bp, gp, a, ga, c, k), solvedRef, sim.gains().gain(ants[a], jd, f), injectedRef);
                }
            }
        }
        return rec.result();
    }

    private static double[] solved(BandpassSolution bp, GainSolution gp, int a, int ga, int c, int k) {
        if (a < 0 || ga < 0) {
            return null;
        }
        double amp = bp.amplitude(a, c) * gp.amplitude(ga, k);
        double ph = Math.toRadians(bp.phaseDeg(a, c) + gp.phaseDeg(ga, k));
        return new double[] {amp * Math.cos(ph), amp * Math.sin(ph)};
    }
}
