package org.dsa110.contimg.science.variability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.dsa110.contimg.science.variability.EseDetector.Action;
import org.dsa110.contimg.science.variability.EseDetector.Confidence;
import org.dsa110.contimg.science.variability.EseDetector.ExistingCandidate;
import org.dsa110.contimg.science.variability.EseDetector.Status;
import org.dsa110.contimg.science.variability.EseDetector.Weights;
import org.junit.jupiter.api.Test;

class EseDetectorTest {

    private static final double SIGMA = 0.001;

    private static double[] steadyCurve(int n, double flux, long seed) {
        Random rng = new Random(seed);
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = flux + SIGMA * rng.nextGaussian();
        }
        return f;
    }

    private static double[] errors(int n) {
        double[] e = new double[n];
        Arrays.fill(e, SIGMA);
        return e;
    }

    @Test
    void tenSigmaExcursionBecomesCandidateSteadySourceDoesNot() {
        EseDetector det = new EseDetector();
        int n = 100;
        double[] steady = steadyCurve(n, 0.05, 99L);
        VariabilityMetrics steadyMetrics = VariabilityMetrics.compute(steady, errors(n));
        assertFalse(det.isCandidate(steadyMetrics), "steady: " + steadyMetrics.sigmaDeviation());
        assertEquals(Action.NONE, det.decide(null, steadyMetrics.sigmaDeviation()));

        double[] flared = steady.clone();
        flared[60] += 10 * SIGMA;
        VariabilityMetrics m = VariabilityMetrics.compute(flared, errors(n));
        assertTrue(det.isCandidate(m), "excursion: " + m.sigmaDeviation());
        assertEquals(Action.INSERT, det.decide(null, m.sigmaDeviation()));
        // with equal errors η = χ²_ν; adding δ to point k raises Σ(f − mean)² by 2δ(f_k − mean) + δ²(1 − 1/N)
        double mean = Arrays.stream(steady).average().orElseThrow();
        double delta = 10 * SIGMA;
        double expectedRise = (2 * delta * (steady[60] - mean) + delta * delta * (1 - 1.0 / n)) / (SIGMA * SIGMA)
                / (n - 1);
        assertEquals(expectedRise, m.eta() - steadyMetrics.eta(), 1e-6);
        assertEquals(m.chi2Nu(), m.eta(), 1e-6);
    }

    @Test
    void noSteadySourceAmongManySeedsIsFlagged() {
        EseDetector det = new EseDetector();
        for (long seed = 1; seed <= 30; seed++) {
            VariabilityMetrics m = VariabilityMetrics.compute(steadyCurve(100, 0.02, seed), errors(100));
            assertFalse(det.isCandidate(m), "seed " + seed + ": " + m.sigmaDeviation());
            assertFalse(EseDetector.isVariable(m), "seed " + seed + ": eta " + m.eta() + " v " + m.v());
        }
    }

    @Test
    void decisionFollowsExistingState() {
        EseDetector det = new EseDetector();
        assertEquals(Action.INSERT, det.decide(null, 5.0)); // threshold is inclusive
        assertEquals(Action.NONE, det.decide(null, 4.99));
        assertEquals(Action.UPDATE, det.decide(new ExistingCandidate(Status.ACTIVE, 6.0), 6.5));
        assertEquals(Action.NONE, det.decide(new ExistingCandidate(Status.ACTIVE, 6.0), 6.0));
        assertEquals(Action.NONE, det.decide(new ExistingCandidate(Status.ACTIVE, 6.0), 5.5));
        assertEquals(Action.NONE, det.decide(new ExistingCandidate(Status.DISMISSED, 6.0), 9.0));
        assertEquals(Action.NONE, det.decide(new ExistingCandidate(Status.INVESTIGATED, 6.0), 9.0));
        assertEquals(Action.INSERT, new EseDetector(EseDetector.MONITORING_MIN_SIGMA).decide(null, 3.0));
        assertEquals("false_positive", Status.DISMISSED.apiName());
        assertEquals("investigated", Status.INVESTIGATED.dbName());
    }

    @Test
    void compositeScoreOnHandValues() {
        // sd 8 → 0.8, chi2 15 → 1 (clipped), η 2.5 → 0.5: 0.5·0.8 + 0.3·1 + 0.2·0.5 = 0.8 → 8.0, high
        double high = EseDetector.compositeScore(8, 15, 2.5);
        assertEquals(8.0, high, 1e-12);
        assertEquals(Confidence.HIGH, EseDetector.confidence(high));
        // sd 5 → 0.5, chi2 5 → 0.5, η 2.5 → 0.5: 0.25 + 0.15 + 0.1 = 0.5 → 5.0, medium
        assertEquals(5.0, EseDetector.compositeScore(5, 5, 2.5), 1e-12);
        assertEquals(Confidence.MEDIUM, EseDetector.confidence(5.0));
        // sd −3 → 0 (clipped), chi2 2 → 0.2, η 1 → 0.2: 0 + 0.06 + 0.04 = 0.1 → 1.0, low
        assertEquals(1.0, EseDetector.compositeScore(-3, 2, 1), 1e-12);
        assertEquals(Confidence.LOW, EseDetector.confidence(1.0));
        // custom weights (1, 1, 0): sd 4 → 0.4, chi2 2 → 0.2 → (0.4 + 0.2)/2 = 0.3 → 3.0
        assertEquals(3.0, EseDetector.compositeScore(4, 2, 100, new Weights(1, 1, 0)), 1e-12);
        assertEquals(Confidence.HIGH, EseDetector.confidence(7.0));
        assertEquals(Confidence.MEDIUM, EseDetector.confidence(4.0));
        assertEquals(Confidence.LOW, EseDetector.confidence(3.999));
    }

    @Test
    void lightCurveRules() {
        // two epochs can never be "variable" (min 3) even with a big v
        assertFalse(EseDetector.isVariable(VariabilityMetrics.compute(new double[] {1, 3}, new double[] {1, 1})));
        // {1, 2, 3}: mean 2, std √(2/3) = 0.816 → v = 0.408 > 0.1
        assertTrue(EseDetector.isVariable(VariabilityMetrics.compute(new double[] {1, 2, 3},
                new double[] {10, 10, 10})));
        // {10, 10.1, 9.9} mJy with σ 0.01 mJy: v = 0.0082 but η = 3/2·(0.02/3)/1e-4·... ≫ 2
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {0.010, 0.0101, 0.0099},
                new double[] {1e-5, 1e-5, 1e-5});
        assertTrue(m.v() < 0.1);
        assertTrue(m.eta() > 2.0);
        assertTrue(EseDetector.isVariable(m));
    }
}
