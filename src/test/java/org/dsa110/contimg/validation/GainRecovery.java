package org.dsa110.contimg.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Solved against injected complex antenna gains. Calibration fixes gains only up to one common phase, so both sets
 * are referred to the solution's reference antenna first: g_a·conj(g_ref)/|g_ref| (docs of
 * {@link org.dsa110.contimg.science.sim.GainModel}). Amplitude error = |g_solved|/|g_injected| − 1, phase error =
 * arg of the referred solved gain minus that of the referred injected gain, wrapped to (−180°, 180°].
 */
public final class GainRecovery {
    /** Collected comparisons: one per (antenna, channel, solution interval). */
    private final List<double[]> errors = new ArrayList<>();

    /** Result: root-mean-square and largest absolute amplitude (fraction) and phase (degrees) error, and the count. */
    public record Result(int n, double ampRms, double ampMaxAbs, double ampMedianRatio, double phaseRmsDeg,
                         double phaseMaxAbsDeg) {
    }

    /**
     * Adds one comparison.
     *
     * @param solved      solved gain of the antenna {re, im}
     * @param solvedRef   solved gain of the reference antenna at the same channel and time
     * @param injected    injected gain of the antenna
     * @param injectedRef injected gain of the reference antenna
     */
    public void add(double[] solved, double[] solvedRef, double[] injected, double[] injectedRef) {
        double amp = Math.hypot(solved[0], solved[1]) / Math.hypot(injected[0], injected[1]);
        double ps = Math.atan2(solved[1], solved[0]) - Math.atan2(solvedRef[1], solvedRef[0]);
        double pi = Math.atan2(injected[1], injected[0]) - Math.atan2(injectedRef[1], injectedRef[0]);
        double d = Math.toDegrees(Math.atan2(Math.sin(ps - pi), Math.cos(ps - pi)));
        errors.add(new double[] {amp, d});
    }

    public Result result() {
        int n = errors.size();
        if (n == 0) {
            return new Result(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double ampSq = 0, ampMax = 0, phSq = 0, phMax = 0;
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            double a = errors.get(i)[0] - 1, p = errors.get(i)[1];
            ratios[i] = errors.get(i)[0];
            ampSq += a * a;
            phSq += p * p;
            ampMax = Math.max(ampMax, Math.abs(a));
            phMax = Math.max(phMax, Math.abs(p));
        }
        return new Result(n, Math.sqrt(ampSq / n), ampMax, TruthComparison.Summary.of(ratios).median(),
                Math.sqrt(phSq / n), phMax);
    }
}
