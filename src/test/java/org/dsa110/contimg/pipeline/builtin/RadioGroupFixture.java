package org.dsa110.contimg.pipeline.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Writer;
import org.dsa110.contimg.science.radio.AntennaGains;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.DriftScanPhasing;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.Station;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.science.radio.VlaCalibratorCatalog;

/**
 * Small simulated DSA-110 groups for the radio stage tests, computed from first principles with main's science
 * code: a drift scan ({@link DriftScan}) of ICRS point sources predicted at the group's ICRS centre and rephased to
 * the apparent meridian of each integration ({@link DriftScanPhasing#predictAtMeridian}), Airy primary beam, injected per-antenna, per-channel gains constant in time, thermal
 * noise, split into UVH5 subband files {@code <group>_sbNN.hdf5} (sb00 highest frequency, channels descending
 * within a subband as the DSA-110 correlator writes them).
 */
final class RadioGroupFixture {
    static final double CHANNEL_WIDTH_HZ = 2.0e6;
    static final double TOP_FREQ_HZ = 1.4986e9;
    static final double POINTING_DEC_DEG = 50.0;
    static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    final ArrayLayout layout;
    final int nSubbands;
    final int chanPerSubband;
    final int nTimes;
    final double noiseJy;

    RadioGroupFixture(int nAntennas, int nSubbands, int chanPerSubband, int nTimes, double noiseJy) {
        this.layout = ArrayLayout.loadDsa110().selectDefault(nAntennas);
        this.nSubbands = nSubbands;
        this.chanPerSubband = chanPerSubband;
        this.nTimes = nTimes;
        this.noiseJy = noiseJy;
    }

    static VlaCalibrator calibrator(String name) {
        return VlaCalibratorCatalog.loadLBand().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Start JD of a group whose middle is {@code minutes} after the transit of {@code cal} nearest {@code nearJd}. */
    double startJd(VlaCalibrator cal, double nearJd, double minutes) {
        double transit = CalibratorMatcher.nearestTransitJd(Astrometry.DSA110, cal.raRad(), cal.decRad(), nearJd);
        return transit + minutes / 1440.0 - nTimes * DriftScan.DSA110_INTEGRATION_SEC / 2 / 86400.0;
    }

    static String groupId(double startJd) {
        long ms = Math.round((startJd - 2440587.5) * 86400_000.0);
        return ID.format(Instant.ofEpochMilli(Math.round(ms / 1000.0) * 1000));
    }

    /** Channel frequencies, all subbands, sb00 first (highest), descending. */
    double[] frequencies() {
        double[] f = new double[nSubbands * chanPerSubband];
        for (int i = 0; i < f.length; i++) {
            f[i] = TOP_FREQ_HZ - i * CHANNEL_WIDTH_HZ;
        }
        return f;
    }

    /** Injected gains: amplitude 0.8-1.2 with a bandpass ripple, phase spread ±150° with a slow phase slope. */
    AntennaGains gains(long seed) {
        Map<Integer, double[]> per = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (Station s : layout.stations()) {
            per.put(s.number(), new double[] {0.8 + 0.4 * r.nextDouble(), Math.toRadians(-150 + 300 * r.nextDouble()),
                r.nextDouble() * 2 * Math.PI, Math.toRadians(20 * (r.nextDouble() - 0.5))});
        }
        int nChan = nSubbands * chanPerSubband;
        return (ant, t, chan, out) -> {
            double[] p = per.get(ant);
            double x = (double) chan / nChan;
            double amp = p[0] * (1 + 0.08 * Math.cos(2 * Math.PI * 1.5 * x + p[2]));
            double ph = p[1] + p[3] * (x - 0.5) * 2;
            out[0] = amp * Math.cos(ph);
            out[1] = amp * Math.sin(ph);
        };
    }

    /** Simulates one group and writes its subband files; returns the paths (sb order). */
    List<Path> write(Path dir, double startJd, List<PointSource> j2000Sources, AntennaGains gains, long seed)
            throws IOException {
        double decDate = Math.toRadians(POINTING_DEC_DEG);
        double[] freq = frequencies();
        Visibilities vis = DriftScan.build(layout, decDate, startJd, nTimes, DriftScan.DSA110_INTEGRATION_SEC, freq, 2);
        double midJd = startJd + nTimes * DriftScan.DSA110_INTEGRATION_SEC / 2 / 86400;
        double[] centre = Astrometry.DSA110.meridianIcrs(midJd, decDate);
        DriftScanPhasing.predictAtMeridian(vis, j2000Sources, PrimaryBeam.dsa110(), gains, centre[0], centre[1],
                Astrometry.DSA110);
        if (noiseJy > 0) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < vis.re().length; i++) {
                vis.re()[i] += (float) (noiseJy * r.nextGaussian());
                vis.im()[i] += (float) (noiseJy * r.nextGaussian());
            }
        }
        String groupId = groupId(startJd);
        List<Path> out = new ArrayList<>();
        int nBlt = vis.nBlt();
        int[] numbers = layout.numbers();
        String[] names = new String[numbers.length];
        double[] positions = new double[3 * numbers.length];
        double[][] rel = layout.relativeEcef();
        for (int a = 0; a < numbers.length; a++) {
            names[a] = String.format("DSA-%03d", numbers[a]);
            System.arraycopy(rel[a], 0, positions, 3 * a, 3);
        }
        double[] inttime = new double[nBlt];
        java.util.Arrays.fill(inttime, DriftScan.DSA110_INTEGRATION_SEC);
        for (int sb = 0; sb < nSubbands; sb++) {
            int c0 = sb * chanPerSubband;
            double[] f = java.util.Arrays.copyOfRange(freq, c0, c0 + chanPerSubband);
            double[] w = new double[chanPerSubband];
            java.util.Arrays.fill(w, -CHANNEL_WIDTH_HZ);
            int cells = nBlt * chanPerSubband * 2;
            float[] data = new float[2 * cells];
            boolean[] flags = new boolean[cells];
            float[] nsamples = new float[cells];
            for (int b = 0; b < nBlt; b++) {
                for (int c = 0; c < chanPerSubband; c++) {
                    for (int p = 0; p < 2; p++) {
                        int i = (b * chanPerSubband + c) * 2 + p;
                        int src = vis.index(b, c0 + c, p);
                        data[2 * i] = vis.re()[src];
                        data[2 * i + 1] = vis.im()[src];
                        nsamples[i] = 1f;
                    }
                }
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("phase_center_dec", decDate);
            Uvh5Data d = new Uvh5Data(new Uvh5Data.Telescope("DSA-110", "DSA", layout.site().latitudeDeg(),
                    layout.site().longitudeDeg(), layout.site().altitudeM(), names, numbers, positions), "drift",
                    "RadioGroupFixture", "uncalib",
                    new Uvh5Data.BaselineTimes(vis.ant1(), vis.ant2(), vis.timeJd(), vis.phaseCentreRa(), inttime,
                            vis.uvw()), f, w, new int[] {-5, -6}, data, flags, nsamples, extra);
            Path p = dir.resolve(String.format("%s_sb%02d.hdf5", groupId, sb));
            Uvh5Writer.write(d, p);
            out.add(p);
        }
        return out;
    }

    static PointSource offset(double raDeg, double decDeg, double dxDeg, double dyDeg, double flux) {
        double[] rd = org.dsa110.contimg.science.radio.SkyGeometry.fromDirectionCosines(Math.toRadians(dxDeg),
                Math.toRadians(dyDeg), Math.toRadians(raDeg), Math.toRadians(decDeg));
        return PointSource.flat(rd[0], rd[1], flux);
    }

    static double mjd(double jd) {
        return JulianDate.jdToMjd(jd);
    }
}
