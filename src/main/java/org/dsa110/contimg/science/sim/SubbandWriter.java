package org.dsa110.contimg.science.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Writer;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.DriftScanPhasing;
import org.dsa110.contimg.science.radio.Station;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.sim.ObservingPlan.GroupPlan;

/**
 * Computes and writes the subband files of one group. The drift-scan metadata (times, baselines, uvw, apparent
 * meridian phase centres) is built once, with its rephasing to the group's ICRS centre ({@link DriftScanPhasing});
 * each subband then gets its channels, the model visibilities from {@link VisibilityModel} predicted at the ICRS
 * centre (Airy beam on the meridian, injected gains) and rephased to the meridian of each integration, as the
 * reference group was made with pyuvdata and WSClean (docs/conventions.md), and, with a non-zero SEFD, thermal
 * noise of σ = SEFD/√(2Δν·τ) per real and imaginary part.
 *
 * <p>File layout (UVH5, {@link Uvh5Writer}): cross-correlations only, time-major blt order, XX and YY, channel
 * frequencies descending within a subband with positive {@code channel_width}, antenna numbers = DSA-110 station
 * numbers (names {@code padN}), {@code extra_keywords}: {@code phase_center_dec} [rad], {@code ha_phase_center} = 0
 * (meridian), {@code simulated}, {@code sim_seed}, {@code sim_group}; the phase centre also as a UVH5 1.x
 * {@code driftscan} catalog entry that agrees with the meridian uvw ({@code Uvh5PhaseCentres#meridian},
 * docs/conventions.md).
 */
final class SubbandWriter {

    /** Centre of the highest channel of the DSA-110 band (sb00, channel 0 at full resolution) [Hz]. */
    static final double TOP_CHANNEL_HZ = 1.4986e9;
    /** Full-resolution channel width [Hz]. */
    static final double FULL_CHANNEL_HZ = 244140.625;
    /** Bandwidth of one subband: 48 × 244.140625 kHz [Hz]. */
    static final double SUBBAND_BANDWIDTH_HZ = 48 * FULL_CHANNEL_HZ;
    /** Centre of the 16-subband band [Hz]. */
    static final double BAND_CENTRE_HZ = TOP_CHANNEL_HZ + FULL_CHANNEL_HZ / 2 - 8 * SUBBAND_BANDWIDTH_HZ;
    /** AIPS codes of XX and YY. */
    private static final int[] POLARIZATIONS = {-5, -6};

    private final GroupSimulator sim;
    private final int group;

    SubbandWriter(GroupSimulator sim, int group) {
        this.sim = sim;
        this.group = group;
    }

    /** Channel centres of subband {@code sb} with {@code nChan} channels across the 11.72 MHz subband. */
    static double[] frequencies(int sb, int nChan) {
        double topEdge = TOP_CHANNEL_HZ + FULL_CHANNEL_HZ / 2 - sb * SUBBAND_BANDWIDTH_HZ;
        double width = SUBBAND_BANDWIDTH_HZ / nChan;
        double[] f = new double[nChan];
        for (int c = 0; c < nChan; c++) {
            f[c] = topEdge - (c + 0.5) * width;
        }
        return f;
    }

    List<Path> writeAll(Path dir) throws IOException {
        SimConfig cfg = sim.config();
        GroupPlan plan = sim.groups().get(group);
        ArrayLayout layout = sim.layout();
        double decRad = Math.toRadians(cfg.pointingDecDeg());
        Visibilities meta = DriftScan.build(layout, sim.astrometry(), decRad, plan.startJd(), cfg.integrations(),
                cfg.integrationSec(), frequencies(0, cfg.channelsPerSubband()), POLARIZATIONS.length);
        double[] centre = sim.phaseCentre(group);
        DriftScanPhasing.Rephase toCentre = DriftScanPhasing.toIcrs(meta, centre[0], centre[1], sim.astrometry());
        double[] centreRa = filled(meta.nBlt(), centre[0]);
        double[] centreDec = filled(meta.nBlt(), centre[1]);
        double[][] pointing = DriftScanPhasing.icrsCentres(meta, sim.astrometry());
        VisibilityModel model = new VisibilityModel(sim.pointSources(group), sim.beam())
                .pointedAt(pointing[0], pointing[1]);
        double[] lst = new double[meta.nBlt()];
        for (int b = 0; b < lst.length; b++) {
            lst[b] = meta.phaseCentreRa()[b];
        }
        Uvh5Data.Telescope telescope = telescope(layout);
        Uvh5Data.BaselineTimes blts = new Uvh5Data.BaselineTimes(meta.ant1(), meta.ant2(), meta.timeJd(), lst,
                filled(meta.nBlt(), cfg.integrationSec()), meta.uvw());
        double width = sim.channelWidthHz();
        List<Path> out = new ArrayList<>(cfg.subbands());
        for (int sb = 0; sb < cfg.subbands(); sb++) {
            double[] freq = frequencies(sb, cfg.channelsPerSubband());
            Visibilities vis = Visibilities.allocate(meta.timeJd(), meta.ant1(), meta.ant2(), toCentre.uvw(),
                    centreRa, centreDec, freq, POLARIZATIONS.length);
            model.predict(vis, sim.gains().forBlock(freq, plan.timesJd()));
            toCentre.applyPhase(vis, -1); // ICRS centre → meridian of each integration
            if (cfg.sefdJy() > 0) {
                VisibilityModel.addThermalNoise(vis, cfg.sefdJy(), width, cfg.integrationSec(),
                        new SplittableRandom(noiseSeed(cfg.seed(), group, sb)));
            }
            Uvh5Data data = new Uvh5Data(telescope, objectName(cfg, plan), history(cfg, sb), "uncalib", blts, freq,
                    filled(freq.length, width), POLARIZATIONS.clone(), interleave(vis), new boolean[vis.re().length],
                    ones(vis.re().length), extraKeywords(cfg, decRad));
            out.add(writeAtomically(data, dir, plan.fileName(sb)));
        }
        return out;
    }

    private Map<String, Object> extraKeywords(SimConfig cfg, double decRad) {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("phase_center_dec", decRad);
        kw.put("ha_phase_center", 0.0);
        kw.put("simulated", Boolean.TRUE);
        kw.put("sim_seed", cfg.seed());
        kw.put("sim_group", (long) group);
        return kw;
    }

    private String objectName(SimConfig cfg, GroupPlan plan) {
        return plan.calibratorTransit() && sim.calibrator().isPresent() ? sim.calibrator().get().name()
                : String.format(java.util.Locale.ROOT, "drift_dec%+.2f", cfg.pointingDecDeg());
    }

    private String history(SimConfig cfg, int sb) {
        return "Simulated by contimg-hub GroupSimulator: seed " + cfg.seed() + ", group " + group + ", subband " + sb
                + ", " + cfg.antennas() + " antennas, " + cfg.channelsPerSubband() + " channels, "
                + cfg.integrations() + " integrations, SEFD " + cfg.sefdJy() + " Jy, gains "
                + (cfg.gains() ? "injected" : "unit") + ".";
    }

    static long noiseSeed(long seed, int group, int sb) {
        long h = seed * 0x9E3779B97F4A7C15L + group * 0xC2B2AE3D27D4EB4FL + sb * 0x165667B19E3779F9L;
        return h ^ (h >>> 31);
    }

    private static Uvh5Data.Telescope telescope(ArrayLayout layout) {
        int n = layout.size();
        String[] names = new String[n];
        int[] numbers = new int[n];
        double[] pos = new double[3 * n];
        double[][] rel = layout.relativeEcef();
        List<Station> stations = layout.stations();
        for (int i = 0; i < n; i++) {
            numbers[i] = stations.get(i).number();
            names[i] = "pad" + numbers[i];
            System.arraycopy(rel[i], 0, pos, 3 * i, 3);
        }
        return new Uvh5Data.Telescope(layout.site().name(), "DSA-110", layout.site().latitudeDeg(),
                layout.site().longitudeDeg(), layout.site().altitudeM(), names, numbers, pos);
    }

    private static Path writeAtomically(Uvh5Data data, Path dir, String name) throws IOException {
        Path tmp = dir.resolve("." + name + ".part");
        try {
            Uvh5Writer.write(data, tmp);
            return Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static float[] interleave(Visibilities vis) {
        float[] re = vis.re();
        float[] im = vis.im();
        float[] out = new float[2 * re.length];
        for (int i = 0; i < re.length; i++) {
            out[2 * i] = re[i];
            out[2 * i + 1] = im[i];
        }
        return out;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}
