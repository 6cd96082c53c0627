package org.dsa110.contimg.science.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.pipeline.ingest.SubbandFileName;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated subband files read back with jhdf and compared with the measurement equation evaluated here. */
class GroupSimulatorTest {

    @TempDir
    Path tmp;

    /** A small noiseless configuration with unit gains and an empty sky. */
    private SimConfig small(Path dir) {
        return SimConfig.defaults(dir).withAntennas(6).withSubbands(2).withChannelsPerSubband(3).withIntegrations(2)
                .withSefdJy(0).withGains(false).withFixedSky(List.of());
    }

    /** One 2 Jy source (α = −0.7) 0.6° north-east of the centre of group 0. */
    private SkySource oneSource(SimConfig cfg) {
        GroupSimulator probe = new GroupSimulator(cfg);
        double[] c = probe.phaseCentre(0);
        double ra = Math.toDegrees(c[0]) + 0.4 / Math.cos(c[1]);
        double dec = Math.toDegrees(c[1]) + 0.45;
        return new SkySource("TEST J1", "test source", ra, dec, 2.0, -0.7, false, false);
    }

    @Test
    void oneSourceUnitGainsNoiselessVisibilitiesMatchTheMeasurementEquation() throws Exception {
        SimConfig base = small(tmp);
        SkySource src = oneSource(base);
        GroupSimulator sim = new GroupSimulator(base.withFixedSky(List.of(src)));
        List<Path> files = sim.writeGroup(0);
        assertEquals(2, files.size());
        double decRad = Math.toRadians(base.pointingDecDeg());
        PrimaryBeam beam = PrimaryBeam.dsa110();
        double midJd = sim.groups().get(0).midJd();
        int nBl = 6 * 5 / 2;
        for (int sb = 0; sb < 2; sb++) {
            try (HdfFile f = new HdfFile(files.get(sb))) {
                assertEquals((long) nBl * 2, f.getDatasetByPath("Header/Nblts").getData());
                assertEquals(3L, f.getDatasetByPath("Header/Nfreqs").getData());
                assertEquals(2L, f.getDatasetByPath("Header/Npols").getData());
                assertEquals(2L, f.getDatasetByPath("Header/Ntimes").getData());
                assertEquals(6L, f.getDatasetByPath("Header/Nants_telescope").getData());
                assertEquals((long) nBl, f.getDatasetByPath("Header/Nbls").getData());
                assertEquals(decRad, (double) f.getDatasetByPath("Header/extra_keywords/phase_center_dec").getData());
                assertArrayEquals(new long[] {-5, -6}, (long[]) f.getDatasetByPath("Header/polarization_array")
                        .getData());
                double[] freq = (double[]) f.getDatasetByPath("Header/freq_array").getData();
                assertArrayEquals(sim.subbandFrequencies(sb), freq);
                assertTrue(freq[0] > freq[2], "descending within a subband");
                double[] width = (double[]) f.getDatasetByPath("Header/channel_width").getData();
                assertEquals(11.71875e6 / 3, width[0], 1e-6);
                double[] times = (double[]) f.getDatasetByPath("Header/time_array").getData();
                double[] lst = (double[]) f.getDatasetByPath("Header/lst_array").getData();
                double[][] uvw = (double[][]) f.getDatasetByPath("Header/uvw_array").getData();
                Dataset vis = f.getDatasetByPath("Data/visdata");
                assertArrayEquals(new int[] {nBl * 2, 3, 2}, vis.getDimensions());
                Map<?, ?> members = (Map<?, ?>) vis.getData();
                float[][][] re = (float[][][]) members.get("r");
                float[][][] im = (float[][][]) members.get("i");
                double maxAbs = 0;
                for (int b = 0; b < nBl * 2; b++) {
                    // phase centre: the apparent meridian at this integration; the source at its apparent place
                    // (JSOFA), standard sign V = S·B·exp(+2πi(ul + vm + w(n − 1))/λ)
                    Astrometry.Instant at = sim.astrometry().at(times[b]);
                    double[] app = at.icrsToApparent(src.raRad(), src.decRad());
                    double[] lmn = SkyGeometry.directionCosines(app[0], app[1], lst[b], decRad);
                    double theta = SkyGeometry.separationRad(app[0], app[1], lst[b], decRad);
                    double offset = SkyGeometry.separationRad(src.raRad(), src.decRad(), sim.phaseCentre(0)[0],
                            sim.phaseCentre(0)[1]);
                    double baseline = Math.sqrt(uvw[b][0] * uvw[b][0] + uvw[b][1] * uvw[b][1] + uvw[b][2] * uvw[b][2]);
                    for (int c = 0; c < 3; c++) {
                        double lambda = PrimaryBeam.SPEED_OF_LIGHT / freq[c];
                        double amp = src.fluxAt(freq[c]) * beam.response(theta, freq[c]);
                        double ph = 2 * Math.PI * (uvw[b][0] * lmn[0] + uvw[b][1] * lmn[1]
                                + uvw[b][2] * (lmn[2] - 1)) / lambda;
                        // the simulator (like pyuvdata, CASA, WSClean) shifts the whole field by the centre's
                        // aberration: the differential part (≤ 1.05e-4 × the offset) is the allowed phase error
                        double tol = amp * 2 * Math.PI * baseline / lambda * 1.05e-4 * offset + 2e-5 * src.fluxJy();
                        for (int p = 0; p < 2; p++) {
                            assertEquals(amp * Math.cos(ph), re[b][c][p], tol, "re b=" + b);
                            assertEquals(amp * Math.sin(ph), im[b][c][p], tol, "im b=" + b);
                        }
                        maxAbs = Math.max(maxAbs, amp);
                    }
                    assertEquals(midJd, 0.5 * (times[0] + times[times.length - 1]), 1e-9);
                }
                assertTrue(maxAbs > 0.3, "the source is well inside the beam: " + maxAbs);
            }
        }
    }

    @Test
    void injectedGainsMultiplyTheModelAndNoiseHasTheRadiometerSigma() throws Exception {
        SimConfig base = small(tmp.resolve("unit"));
        SkySource src = oneSource(base);
        GroupSimulator unit = new GroupSimulator(base.withFixedSky(List.of(src)));
        GroupSimulator gained = new GroupSimulator(base.withFixedSky(List.of(src)).withGains(true)
                .withOutputDir(tmp.resolve("gains")));
        Path u = unit.writeGroup(0).get(1);
        Path g = gained.writeGroup(0).get(1);
        try (HdfFile fu = new HdfFile(u); HdfFile fg = new HdfFile(g)) {
            long[] a1 = (long[]) fu.getDatasetByPath("Header/ant_1_array").getData();
            long[] a2 = (long[]) fu.getDatasetByPath("Header/ant_2_array").getData();
            double[] t = (double[]) fu.getDatasetByPath("Header/time_array").getData();
            double[] freq = (double[]) fu.getDatasetByPath("Header/freq_array").getData();
            Map<?, ?> mu = (Map<?, ?>) fu.getDatasetByPath("Data/visdata").getData();
            Map<?, ?> mg = (Map<?, ?>) fg.getDatasetByPath("Data/visdata").getData();
            float[][][] ur = (float[][][]) mu.get("r"), ui = (float[][][]) mu.get("i");
            float[][][] gr = (float[][][]) mg.get("r"), gi = (float[][][]) mg.get("i");
            for (int b = 0; b < a1.length; b++) {
                for (int c = 0; c < freq.length; c++) {
                    double[] g1 = gained.gains().gain((int) a1[b], t[b], freq[c]);
                    double[] g2 = gained.gains().gain((int) a2[b], t[b], freq[c]);
                    double pr = g1[0] * g2[0] + g1[1] * g2[1];
                    double pi = g1[1] * g2[0] - g1[0] * g2[1];
                    double er = ur[b][c][0] * pr - ui[b][c][0] * pi;
                    double ei = ur[b][c][0] * pi + ui[b][c][0] * pr;
                    assertEquals(er, gr[b][c][0], 1e-4);
                    assertEquals(ei, gi[b][c][0], 1e-4);
                }
            }
        }
        // noise only: the scatter of the real parts is SEFD / sqrt(2 dnu tau)
        SimConfig noisy = SimConfig.defaults(tmp.resolve("noise")).withAntennas(20).withSubbands(1)
                .withChannelsPerSubband(8).withIntegrations(3).withGains(false).withFixedSky(List.of());
        GroupSimulator n = new GroupSimulator(noisy);
        try (HdfFile f = new HdfFile(n.writeGroup(0).get(0))) {
            float[][][] r = (float[][][]) ((Map<?, ?>) f.getDatasetByPath("Data/visdata").getData()).get("r");
            double s2 = 0;
            long count = 0;
            for (float[][] a : r) {
                for (float[] b : a) {
                    for (float v : b) {
                        s2 += v * v;
                        count++;
                    }
                }
            }
            double sigma = Math.sqrt(s2 / count);
            double expected = noisy.sefdJy() / Math.sqrt(2 * n.channelWidthHz() * noisy.integrationSec());
            assertEquals(expected, sigma, 0.05 * expected, "count " + count);
        }
    }

    @Test
    void planNamesJittersAndPlacesTheCalibratorAtTransit() {
        SimConfig cfg = SimConfig.defaults(tmp).withGroups(4).withIntegrations(24)
                .withCalibratorGroups(Set.of(2)).withFixedSky(List.of());
        GroupSimulator sim = new GroupSimulator(cfg);
        List<ObservingPlan.GroupPlan> groups = sim.groups();
        assertEquals(4, groups.size());
        assertEquals(309.0, (groups.get(1).startJd() - groups.get(0).startJd()) * 86400, 1.0);
        assertTrue(groups.get(2).calibratorTransit());
        assertFalse(groups.get(1).calibratorTransit());
        assertEquals(309.0, (groups.get(3).startJd() - groups.get(2).startJd()) * 86400, 1.0);
        SkySource cal = sim.calibrator().orElseThrow();
        assertTrue(cal.calibrator());
        assertTrue(Math.abs(cal.decDeg() - cfg.pointingDecDeg()) <= 2.5);
        double decRad = Math.toRadians(cfg.pointingDecDeg());
        // at the group centre the calibrator is on the meridian (only the declination offset remains)
        double sep = ObservingPlan.separationFromMeridianDeg(cal, groups.get(2).midJd(), decRad, sim.astrometry());
        double[] centre = ObservingPlan.meridianIcrs(groups.get(2).midJd(), decRad, sim.astrometry());
        assertEquals(Math.abs(cal.decDeg() - Math.toDegrees(centre[1])), sep, 0.01);
        assertEquals(cal.raDeg(), Math.toDegrees(centre[0]), 0.02);
        assertTrue(sim.sky().contains(cal));
        for (ObservingPlan.GroupPlan g : groups) {
            assertEquals(16, g.fileTimestamps().size());
            for (int sb = 0; sb < 16; sb++) {
                SubbandFileName name = SubbandFileName.parse(g.fileName(sb)).orElseThrow();
                assertEquals(sb, name.subband());
                long jitter = name.time().getEpochSecond() - g.start().getEpochSecond();
                assertTrue(Math.abs(jitter) < 30, "jitter " + jitter);
            }
            assertEquals(g.start(), ObservingPlan.parseStamp(g.groupId()));
        }
    }
}
