package org.dsa110.contimg.science.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.radio.AntennaGains;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * Simulated calibrator transit: 24 antennas, 8 channels, 6 integrations, injected gains with a bandpass ripple,
 * ±60° phases and a slow phase drift, 25 Jy source at the centre of the scan, thermal noise (fixed seed).
 */
class GainSolverTest {

    private static final int[] STATIONS = {2, 10, 18, 26, 34, 42, 50, 55, 61, 67, 73, 79, 85, 91, 97, 102,
        103, 104, 105, 106, 108, 110, 112, 115};
    private static final int NCHAN = 8;
    private static final int NTIME = 6;
    private static final double CHAN_WIDTH = 244140.625;
    private static final double INT_SEC = DriftScan.DSA110_INTEGRATION_SEC;

    private final double[] freq = DriftScan.channels(1.35e9, 6 * CHAN_WIDTH, NCHAN);
    private final double startJd = 2460400.5;
    private final double[] amp0 = new double[118];
    private final double[] ripplePhase = new double[118];
    private final double[] phase0 = new double[118];
    private final double[] delaySlope = new double[118];
    private final double[] driftRate = new double[118];

    GainSolverTest() {
        Random r = new Random(20240601L);
        for (int a : STATIONS) {
            amp0[a] = 0.8 + 0.4 * r.nextDouble();
            ripplePhase[a] = 2 * Math.PI * r.nextDouble();
            phase0[a] = Math.toRadians(-60 + 120 * r.nextDouble());
            delaySlope[a] = Math.toRadians(-4 + 8 * r.nextDouble());   // per channel
            driftRate[a] = Math.toRadians(-3 + 6 * r.nextDouble());    // per integration
        }
    }

    /** Injected gain of station a at integration t, channel c. */
    private double[] injected(int a, int t, int c) {
        double amp = amp0[a] * (1 + 0.08 * Math.sin(2 * Math.PI * c / 5.0 + ripplePhase[a]));
        double ph = phase0[a] + delaySlope[a] * c + driftRate[a] * (t - 2.5);
        return new double[] {amp * Math.cos(ph), amp * Math.sin(ph)};
    }

    private int timeIndex(double jd) {
        return (int) Math.floor((jd - startJd) * 86400.0 / INT_SEC);
    }

    private final AntennaGains gains = (ant, jd, chan, out) -> {
        double[] g = injected(ant, timeIndex(jd), chan);
        out[0] = g[0];
        out[1] = g[1];
    };

    private Visibilities[] simulate(boolean noise) {
        ArrayLayout layout = ArrayLayout.loadDsa110().select(STATIONS);
        Visibilities data = DriftScan.build(layout, Math.toRadians(54.57), startJd, NTIME, INT_SEC, freq, 2);
        PointSource cal = PointSource.flat(data.phaseCentreRa()[data.nBlt() / 2], Math.toRadians(54.57), 25.0);
        VisibilityModel vm = new VisibilityModel(List.of(cal), PrimaryBeam.dsa110());
        Visibilities model = data.emptyCopy();
        vm.predict(model, null);
        vm.predict(data, gains);
        if (noise) {
            VisibilityModel.addThermalNoise(data, 2000.0, CHAN_WIDTH, INT_SEC, new SplittableRandom(7));
        }
        return new Visibilities[] {data, model};
    }

    @Test
    void recoversInjectedGainsAndCalibratesTheData() {
        Visibilities[] dm = simulate(true);
        GainSolver solver = new GainSolver();
        BandpassSolution bp = solver.solveBandpass(dm[0], dm[1]);
        GainSolution g = solver.solvePhaseGains(dm[0], dm[1], bp, INT_SEC);
        assertEquals(NTIME, g.nChunks());
        assertEquals(0.0, bp.flaggedFraction());
        assertEquals(0.0, g.flaggedFraction());

        int[] ants = bp.antennas();
        for (int a = 0; a < ants.length; a++) {
            // normalisation convention: mean bandpass amplitude 1 per antenna
            double mean = 0;
            for (int c = 0; c < NCHAN; c++) {
                mean += bp.amplitude(a, c) / NCHAN;
                assertEquals(103, bp.refAntenna(c));
                assertTrue(bp.snr(a, c) > 3);
            }
            assertEquals(1.0, mean, 1e-6);
        }
        double worstAmp = 0, worstPhase = 0;
        for (int t = 0; t < NTIME; t++) {
            assertEquals(103, g.refAntenna(t));
            for (int c = 0; c < NCHAN; c++) {
                double[] ref = injected(103, t, c);
                double refPhase = Math.atan2(ref[1], ref[0]);
                for (int a = 0; a < ants.length; a++) {
                    double[] inj = injected(ants[a], t, c);
                    double injAmp = Math.hypot(inj[0], inj[1]);
                    double injPhase = Math.atan2(inj[1], inj[0]) - refPhase;
                    double solAmp = g.amplitude(a, t) * bp.amplitude(a, c);
                    double solPhase = Math.toRadians(g.phaseDeg(a, t) + bp.phaseDeg(a, c));
                    worstAmp = Math.max(worstAmp, Math.abs(solAmp / injAmp - 1));
                    worstPhase = Math.max(worstPhase, Math.abs(Math.toDegrees(wrap(solPhase - injPhase))));
                }
            }
        }
        assertTrue(worstAmp < 0.02, "amplitude error " + worstAmp);
        assertTrue(worstPhase < 2.0, "phase error (deg) " + worstPhase);
        assertEquals(0.0, g.phaseDeg(bp.antennaIndex(103), 3), 1e-9);

        // applying the solutions to the noise-free corrupted data recovers the model
        Visibilities[] clean = simulate(false);
        GainApplier.apply(clean[0], bp, g);
        double worst = 0;
        for (int i = 0; i < clean[0].re().length; i++) {
            assertFalse(clean[0].flag()[i]);
            double dr = clean[0].re()[i] - clean[1].re()[i];
            double di = clean[0].im()[i] - clean[1].im()[i];
            worst = Math.max(worst, Math.hypot(dr, di) / Math.hypot(clean[1].re()[i], clean[1].im()[i]));
        }
        assertTrue(worst < 0.04, "relative residual after calibration " + worst);
    }

    @Test
    void fallsBackToNextReferenceAndFlagsDeadAntenna() {
        Visibilities[] dm = simulate(true);
        Visibilities data = dm[0];
        for (int b = 0; b < data.nBlt(); b++) {
            boolean has103 = data.ant1()[b] == 103 || data.ant2()[b] == 103;
            boolean has50 = data.ant1()[b] == 50 || data.ant2()[b] == 50;
            for (int c = 0; c < NCHAN; c++) {
                for (int p = 0; p < 2; p++) {
                    int i = data.index(b, c, p);
                    if (has103) {
                        data.flag()[i] = true;
                    }
                    if (has50) { // dead antenna: noise only
                        data.re()[i] -= (float) signalOf(dm, b, c, p)[0];
                        data.im()[i] -= (float) signalOf(dm, b, c, p)[1];
                    }
                }
            }
        }
        GainSolver solver = new GainSolver();
        BandpassSolution bp = solver.solveBandpass(data, dm[1]);
        int i103 = bp.antennaIndex(103);
        int i50 = bp.antennaIndex(50);
        for (int c = 0; c < NCHAN; c++) {
            assertEquals(104, bp.refAntenna(c));
            assertTrue(bp.isFlagged(i103, c), "no data → flagged");
            assertTrue(bp.isFlagged(i50, c), "noise only → S/N < 3 → flagged");
            assertEquals(0.0, bp.amplitude(i50, c), 0.0);
            assertEquals(0.0, bp.phaseDeg(bp.antennaIndex(104), c), 1e-9);
        }
        GainSolution g = solver.solvePhaseGains(data, dm[1], bp, 2 * INT_SEC);
        assertEquals(3, g.nChunks());
        for (int k = 0; k < 3; k++) {
            assertTrue(g.isFlagged(g.antennaIndex(50), k));
            assertFalse(g.isFlagged(g.antennaIndex(104), k));
        }
        GainApplier.apply(data, bp, g);
        for (int b = 0; b < data.nBlt(); b++) {
            boolean has50 = data.ant1()[b] == 50 || data.ant2()[b] == 50;
            assertEquals(has50 || data.ant1()[b] == 103 || data.ant2()[b] == 103, data.flag()[data.index(b, 0, 0)]);
        }
    }

    /** Gain-corrupted noise-free signal of a sample, recomputed from the model and injected gains. */
    private double[] signalOf(Visibilities[] dm, int b, int c, int p) {
        int t = timeIndex(dm[0].timeJd()[b]);
        double[] gi = injected(dm[0].ant1()[b], t, c);
        double[] gj = injected(dm[0].ant2()[b], t, c);
        double gr = gi[0] * gj[0] + gi[1] * gj[1];
        double gim = gi[1] * gj[0] - gi[0] * gj[1];
        int i = dm[1].index(b, c, p);
        double mr = dm[1].re()[i], mi = dm[1].im()[i];
        return new double[] {mr * gr - mi * gim, mr * gim + mi * gr};
    }

    private static double wrap(double x) {
        return Math.atan2(Math.sin(x), Math.cos(x));
    }
}
