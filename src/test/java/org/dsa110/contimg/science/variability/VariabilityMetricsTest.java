package org.dsa110.contimg.science.variability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VariabilityMetricsTest {

    private static final double TOL = 1e-12;

    /**
     * f = {1, 2, 3, 2} Jy, σ = {0.5, 1, 1, 0.5} Jy, N = 4.
     * <pre>
     * mean = 8/4 = 2;  deviations {−1, 0, 1, 0};  std(ddof 0) = √(2/4) = 0.70710678
     * v = 0.70710678/2 = 0.35355339
     * χ² = 1/0.25 + 0 + 1/1 + 0 = 5;  chi2_nu = 5/3 = 1.66666667
     * w = 1/σ² = {4, 1, 1, 4}: Σw = 10, Σwf = 4+2+3+8 = 17, Σwf² = 4+4+9+16 = 33
     * η = 4/3·[33/4 − (17/4)²/(10/4)] = 4/3·[8.25 − 18.0625/2.5] = 4/3·(8.25 − 7.225) = 4/3·1.025 = 1.36666667
     * sigma_deviation = max(|3−2|, |1−2|)/0.70710678 = √2 = 1.41421356
     * pairs: Vs = −1/√1.25, −1/√2, +1/√1.25 = −0.89442719, −0.70710678, 0.89442719
     *        m  = −2/3, −2/5, +2/5
     * vs_mean = −0.70710678/3 = −0.23570226;  m_mean = (−2/3)/3 = −0.22222222
     * max|Vs| = 0.89442719;  max|m| = 0.66666667
     * </pre>
     */
    @Test
    void matchesHandComputedValues() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {1, 2, 3, 2}, new double[] {0.5, 1, 1, 0.5});
        assertHandValues(m);
    }

    private static void assertHandValues(VariabilityMetrics m) {
        assertEquals(4, m.nEpochs());
        assertEquals(0.35355339059327373, m.v(), TOL);
        assertEquals(1.3666666666666667, m.eta(), TOL);
        assertEquals(5.0 / 3.0, m.chi2Nu(), TOL);
        assertEquals(Math.sqrt(2), m.sigmaDeviation(), TOL);
        assertEquals(-0.23570226039551584, m.vsMean(), TOL);
        assertEquals(-2.0 / 9.0, m.mMean(), TOL);
        assertEquals(0.8944271909999159, m.vsMaxAbs(), TOL);
        assertEquals(2.0 / 3.0, m.mMaxAbs(), TOL);
        assertEquals(2000.0, m.meanMjy(), 1e-9);
        assertEquals(707.1067811865476, m.stdMjy(), 1e-9);
        assertEquals(1000.0, m.minMjy(), 1e-9);
        assertEquals(3000.0, m.maxMjy(), 1e-9);
        assertFalse(m.twoEpochSignificant());
    }

    @Test
    void dropsNonFiniteAndNonPositiveErrorPoints() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        VariabilityMetrics m = VariabilityMetrics.compute(
                new double[] {nan, 1, 5, 2, 4, 3, inf, 2, 7},
                new double[] {0.5, 0.5, 0, 1, -1, 1, 1, 0.5, nan});
        assertHandValues(m); // the surviving points are exactly the hand-computed curve
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
        assertEquals(0, m.mMaxAbs());
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
        assertEquals(0, m.vsMaxAbs());
        assertEquals(0, m.mMean());
        assertEquals(10.0, m.meanMjy(), 1e-12);
    }

    @Test
    void negativeMeanGivesZeroV() {
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {-1, -3}, new double[] {1, 1});
        assertEquals(0, m.v());
        // two points: std = 1 about mean −2, deviation 1 → sigma_deviation = 1
        assertEquals(1.0, m.sigmaDeviation(), TOL);
    }

    @Test
    void vastTwoEpochFlag() {
        // f 10 → 20 mJy with σ 1 mJy: Vs = −10/√2 = −7.07, m = −20/30 = −0.667
        VariabilityMetrics m = VariabilityMetrics.compute(new double[] {0.010, 0.020}, new double[] {0.001, 0.001});
        assertEquals(10 / Math.sqrt(2), m.vsMaxAbs(), 1e-9);
        assertTrue(m.twoEpochSignificant());
    }

    @Test
    void emptyAndMismatchedInput() {
        assertEquals(0, VariabilityMetrics.compute(new double[] {Double.NaN}, new double[] {1}).nEpochs());
        assertThrows(IllegalArgumentException.class, () -> VariabilityMetrics.compute(new double[2], new double[1]));
    }
}
