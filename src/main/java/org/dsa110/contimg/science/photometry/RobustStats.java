package org.dsa110.contimg.science.photometry;

import java.util.Arrays;

/** Median / MAD statistics used by the photometry and normalisation code (science.md). */
public final class RobustStats {

    /** MAD → Gaussian σ: 1.4826 (science.md). */
    public static final double MAD_TO_SIGMA = 1.4826;

    private RobustStats() {
    }

    /** Median of the values (the mean of the two middle ones for an even count); NaN when empty. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return (n % 2 == 1) ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** Median absolute deviation about {@code center}: median|x − center|. */
    public static double mad(double[] values, double center) {
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            dev[i] = Math.abs(values[i] - center);
        }
        return median(dev);
    }

    /** Robust σ = 1.4826·median|x − median(x)|. */
    public static double robustSigma(double[] values) {
        return MAD_TO_SIGMA * mad(values, median(values));
    }

    /** Population (ddof 0) standard deviation; NaN when empty. */
    public static double populationStd(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / values.length);
    }
}
