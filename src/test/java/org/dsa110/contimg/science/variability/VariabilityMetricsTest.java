package org.dsa110.contimg.science.variability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.dsa110.contimg.science.variability.VariabilityMetrics.PairMetrics;
import org.dsa110.contimg.science.variability.VariabilityMetrics.PairThresholds;
import org.junit.jupiter.api.Test;

/** Hand-computed values of the science.md (VAST pipeline) variability metrics. */
class VariabilityMetricsTest {

    private static final double TOL = 1e-12;

    /**
     * f = {1, 2, 3, 2} Jy, σ = {0.5, 1, 1, 0.5} Jy, N = 4.
     * <pre>
     * mean = 8/4 = 2;  deviations {−1, 0, 1, 0};  Σd² = 2
     * std(ddof 1) = √(2/3) = 0.81649658;  v = 0.81649658/2 = 0.40824829      (VAST: pandas std, ddof 1)
     * std(ddof 0) = √(2/4) = 0.70710678 (stored std, sigma_deviation)
     * χ² = 1/0.25 + 0 + 1/1 + 0 = 5;  chi2_nu = 5/3 = 1.66666667
     * w = 1/σ² = {4, 1, 1, 4}: Σw = 10, Σwf = 4+2+3+8 = 17, Σwf² = 4+4+9+16 = 33
     * η = 4/3·[33/4 − (17/4)²/(10/4)] = 4/3·(8.25 − 7.225) = 1.36666667
     * sigma_deviation = max(|3−2|, |1−2|)/0.70710678 = √2
     * consecutive pairs (legacy): Vs = −1/√1.25, −1/√2, +1/√1.25;  m = −2/3, −2/5, +2/5
     *   vs_mean = −0.70710678/3 = −0.23570226;  m_mean = (−2/3)/3 = −2/9
     * all 6 pairs (a &lt; b):            Vs                     m
     *   (0,1) Δ=−1, σ²=1.25     −1/√1.25 = −0.89442719   −2/3
     *   (0,2) Δ=−2, σ²=1.25     −2/√1.25 = −1.78885438   −1
     *   (0,3) Δ=−1, σ²=0.5      −1/√0.5  = −1.41421356   −2/3
     *   (1,2) Δ=−1, σ²=2        −1/√2    = −0.70710678   −2/5
     *   (1,3) Δ= 0                          0               0
     *   (2,3) Δ=+1, σ²=1.25     +0.89442719              +2/5
     *   max|Vs| = 1.78885438, max|m| = 1; none has |Vs| ≥ 4.3
     * </pre>
     */
    @Test
    void matchesHandComputedValues() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {1, 2, 3, 2}, new double[] {0.5, 1, 1, 0.5});
        assertHandValues(m);
    }

    private static void assertHandValues(VariabilityMetrics m) {
        assertEquals(4, m.nEpochs());
        assertEquals(Math.sqrt(2.0 / 3.0) / 2, m.v(), TOL);
        assertEquals(0.408248290463863, m.v(), 1e-12);
        assertEquals(1.3666666666666667, m.eta(), TOL);
        assertEquals(5.0 / 3.0, m.chi2Nu(), TOL);
        assertEquals(Math.sqrt(2), m.sigmaDeviation(), TOL);
        assertEquals(-0.23570226039551584, m.vsMean(), TOL);
        assertEquals(-2.0 / 9.0, m.mMean(), TOL);
        PairMetrics p = m.pairs();
        assertEquals(6, p.nPairs());
        assertEquals(2 / Math.sqrt(1.25), p.vsMaxAbs(), TOL);
        assertEquals(1.0, p.mMaxAbs(), TOL);
        assertEquals(0, p.nSignificant());
        assertEquals(0.0, p.vsAbsSignificantMax());
        assertEquals(0.0, p.mAbsSignificantMax());
        assertEquals(-1, p.epochA());
        assertEquals(-1, p.epochB());
        assertEquals(2000.0, m.meanMjy(), 1e-9);
        assertEquals(707.1067811865476, m.stdMjy(), 1e-9);
        assertEquals(1000.0, m.minMjy(), 1e-9);
        assertEquals(3000.0, m.maxMjy(), 1e-9);
    }

    /**
     * Same curve, thresholds |Vs| ≥ 1, |m| ≥ 0.5: significant pairs (0,2) [1.78885, 1] and (0,3) [1.41421, 2/3];
     * (0,1) fails |Vs|, (1,2) and (2,3) fail both.
     */
    @Test
    void significantPairsUnderLowerThresholds() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {1, 2, 3, 2}, new double[] {0.5, 1, 1, 0.5},
                new PairThresholds(1.0, 0.5));
        PairMetrics p = m.pairs();
        assertEquals(2, p.nSignificant());
        assertEquals(2 / Math.sqrt(1.25), p.vsAbsSignificantMax(), TOL);
        assertEquals(1.0, p.mAbsSignificantMax(), TOL);
        assertEquals(0, p.epochA());
        assertEquals(2, p.epochB());
    }

    /**
     * f = {1.0, 1.5, 3.0} Jy, σ = {0.01, 0.01, 0.5} Jy: the largest |Vs| and the largest |m| come from different
     * pairs, and the science.md maxima are taken independently.
     * <pre>
     *   (0,1) Δ=−0.5, σ²=2e−4      Vs = −0.5/0.0141421356 = −35.3553391   m = −1/2.5   = −0.4
     *   (0,2) Δ=−2,   σ²=0.2501    Vs = −2/0.50009999    = −3.99920024   m = −4/4     = −1
     *   (1,2) Δ=−1.5, σ²=0.2501    Vs = −1.5/0.50009999  = −2.99940018   m = −3/4.5   = −0.66666667
     * defaults (4.3, 0.26): only (0,1) → n 1, vs 35.3553391, m 0.4
     * (2.0, 0.26): all three → n 3, vs 35.3553391 (pair 0,1), m 1 (pair 0,2)
     * </pre>
     */
    @Test
    void significantMaximaAreIndependentAndTheMostSignificantPairHasTheLargestVs() {
        double[] f = {1.0, 1.5, 3.0};
        double[] s = {0.01, 0.01, 0.5};
        PairMetrics defaults = VariabilityMetrics.compute(f, s).pairs();
        assertEquals(3, defaults.nPairs());
        assertEquals(1, defaults.nSignificant());
        assertEquals(35.35533905932738, defaults.vsAbsSignificantMax(), 1e-9);
        assertEquals(0.4, defaults.mAbsSignificantMax(), TOL);
        assertEquals(0, defaults.epochA());
        assertEquals(1, defaults.epochB());
        assertEquals(1.0, defaults.mMaxAbs(), TOL);

        PairMetrics low = VariabilityMetrics.compute(f, s, new PairThresholds(2.0, 0.26)).pairs();
        assertEquals(3, low.nSignificant());
        assertEquals(35.35533905932738, low.vsAbsSignificantMax(), 1e-9);
        assertEquals(1.0, low.mAbsSignificantMax(), TOL);
        assertEquals(0, low.epochA());
        assertEquals(1, low.epochB());

        // the m threshold is inclusive (science.md: |m| ≥ 0.26): at exactly 0.4 the (0,1) pair still counts
        assertEquals(1, VariabilityMetrics.compute(f, s, new PairThresholds(4.3, 0.4)).pairs().nSignificant());
        assertEquals(0, VariabilityMetrics.compute(f, s, new PairThresholds(4.3, 0.41)).pairs().nSignificant());
    }

    @Test
    void dropsNonFiniteAndNonPositiveErrorPointsAndReportsInputIndices() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        VariabilityMetrics m = VariabilityMetrics.compute(
                new double[] {nan, 1, 5, 2, 4, 3, inf, 2, 7},
                new double[] {0.5, 0.5, 0, 1, -1, 1, 1, 0.5, nan});
        assertHandValues(m); // the surviving points are exactly the hand-computed curve
        // usable epochs sit at input positions 1, 3, 5, 7: pair (0,2) of the usable ones is (1, 5) of the input
        PairMetrics p = VariabilityMetrics.compute(new double[] {nan, 1, 5, 2, 4, 3, inf, 2, 7},
                new double[] {0.5, 0.5, 0, 1, -1, 1, 1, 0.5, nan}, new PairThresholds(1.0, 0.5)).pairs();
        assertEquals(1, p.epochA());
        assertEquals(5, p.epochB());
    }

    /** The one-pass maxima equal those of an explicit list of every pair (random light curves). */
    @Test
    void onePassAgreesWithExplicitPairs() {
        SplittableRandom r = new SplittableRandom(5);
        PairThresholds t = new PairThresholds(3.0, 0.1);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(40);
            double[] f = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = 0.05 * (1 + 0.3 * r.nextGaussian());
                s[i] = 0.001 + 0.004 * r.nextDouble();
            }
            double vsMax = 0, mMax = 0, vsSig = 0, mSig = 0;
            int nSig = 0;
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    double vs = Math.abs((f[a] - f[b]) / Math.hypot(s[a], s[b]));
                    double mm = Math.abs(2 * (f[a] - f[b]) / (f[a] + f[b]));
                    vsMax = Math.max(vsMax, vs);
                    mMax = Math.max(mMax, mm);
                    if (vs >= 3.0 && mm >= 0.1) {
                        nSig++;
                        vsSig = Math.max(vsSig, vs);
                        mSig = Math.max(mSig, mm);
                    }
                }
            }
            PairMetrics p = VariabilityMetrics.compute(f, s, t).pairs();
            assertEquals((long) n * (n - 1) / 2, p.nPairs());
            assertEquals(vsMax, p.vsMaxAbs(), 1e-9);
            assertEquals(mMax, p.mMaxAbs(), 1e-12);
            assertEquals(nSig, p.nSignificant());
            assertEquals(vsSig, p.vsAbsSignificantMax(), 1e-9);
            assertEquals(mSig, p.mAbsSignificantMax(), 1e-12);
        }
    }

    @Test
    void singleEpochHasZeroMetrics() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {0.012}, new double[] {0.001});
        assertEquals(1, m.nEpochs());
        assertEquals(0, m.v());
        assertEquals(0, m.eta());
        assertEquals(0, m.chi2Nu());
        assertEquals(0, m.sigmaDeviation());
        assertEquals(0, m.vsMean());
        assertEquals(0, m.pairs().nPairs());
        assertEquals(0, m.pairs().mMaxAbs());
        assertEquals(12.0, m.meanMjy(), 1e-12);
        assertEquals(0.0, m.stdMjy());
    }

    @Test
    void constantCurveHasZeroVariability() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {0.01, 0.01, 0.01, 0.01},
                new double[] {0.001, 0.002, 0.001, 0.003});
        assertEquals(0, m.v());
        assertEquals(0, m.eta(), 1e-9);
        assertEquals(0, m.chi2Nu());
        assertEquals(0, m.sigmaDeviation()); // std = 0
        assertEquals(0, m.pairs().vsMaxAbs());
        assertEquals(0, m.pairs().nSignificant());
        assertEquals(0, m.mMean());
        assertEquals(10.0, m.meanMjy(), 1e-12);
    }

    @Test
    void negativeMeanGivesZeroVAndZeroSumPairsHaveNoM() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {-1, -3}, new double[] {1, 1});
        assertEquals(0, m.v());
        // two points: std(ddof 0) = 1 about mean −2, deviation 1 → sigma_deviation = 1
        assertEquals(1.0, m.sigmaDeviation(), TOL);
        // f_a + f_b = 0: Vs = 2/√2 is defined, m is not, so the pair is never significant
        PairMetrics p = VariabilityMetrics.compute(new double[] {1, -1}, new double[] {0.1, 0.1},
                new PairThresholds(0, 0)).pairs();
        assertEquals(2 / Math.sqrt(0.02), p.vsMaxAbs(), 1e-9);
        assertEquals(0, p.mMaxAbs());
        assertEquals(0, p.nSignificant());
    }

    @Test
    void vastTwoEpochFlag() {
        // f 10 → 20 mJy with σ 1 mJy: Vs = −10/√2 = −7.07, m = −20/30 = −0.667: significant
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {0.010, 0.020}, new double[] {0.001, 0.001});
        assertEquals(10 / Math.sqrt(2), m.pairs().vsAbsSignificantMax(), 1e-9);
        assertEquals(2.0 / 3.0, m.pairs().mAbsSignificantMax(), 1e-12);
        assertEquals(1, m.pairs().nSignificant());
        // v with ddof 1 over two points: std = |Δ|/√2 = 0.0070711, mean 0.015 → 0.47140452
        assertEquals(0.01 / Math.sqrt(2) / 0.015, m.v(), 1e-12);
    }

    @Test
    void emptyAndMismatchedInput() {
        assertEquals(0, VariabilityMetrics.compute(new double[] {Double.NaN}, new double[] {1}).nEpochs());
        assertThrows(IllegalArgumentException.class, () -> VariabilityMetrics.compute(new double[2], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new PairThresholds(Double.NaN, 0.26));
        assertThrows(IllegalArgumentException.class, () -> new PairThresholds(4.3, -1));
    }
}
