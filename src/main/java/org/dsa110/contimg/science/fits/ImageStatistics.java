package org.dsa110.contimg.science.fits;

import java.util.Arrays;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Image quality statistics over the finite pixels of an image (NaN/infinite pixels are blanks and ignored).
 *
 * <p>rms is the robust estimate 1.4826·MAD (median absolute deviation from the median), which equals the standard
 * deviation for Gaussian noise and is barely moved by sources. Medians are exact, found by selection (O(n) on
 * average) rather than a full sort; every finite pixel is used, no sampling. Dynamic range = peak / rms, graded as
 * in the pipeline's image QA: &gt; 1000 excellent, &gt; 100 good, &gt; 10 marginal, else poor.
 *
 * @param count        number of finite pixels
 * @param min          smallest finite pixel (NaN if none)
 * @param peak         largest finite pixel (NaN if none)
 * @param mean         mean of finite pixels (NaN if none)
 * @param median       median of finite pixels (NaN if none)
 * @param mad          median |x − median| (NaN if none)
 * @param rms          1.4826·mad
 * @param dynamicRange peak / rms; NaN when rms is 0 or undefined
 */
public record ImageStatistics(long count, double min, double peak, double mean, double median, double mad,
                              double rms, double dynamicRange) {

    /** MAD → σ for a Gaussian: 1/Φ⁻¹(3/4). */
    public static final double MAD_TO_SIGMA = 1.4826;

    /** Image-QA grade of the dynamic range. */
    public enum QualityTier {
        EXCELLENT, GOOD, MARGINAL, POOR;

        /** Lower-case name as used in the API and database ("excellent", …). */
        public String label() {
            return name().toLowerCase();
        }

        /** Grade of a dynamic range: &gt; 1000 excellent, &gt; 100 good, &gt; 10 marginal, else (or NaN) poor. */
        public static QualityTier of(double dynamicRange) {
            if (dynamicRange > 1000) {
                return EXCELLENT;
            } else if (dynamicRange > 100) {
                return GOOD;
            } else if (dynamicRange > 10) {
                return MARGINAL;
            }
            return POOR;
        }
    }

    public QualityTier quality() {
        return QualityTier.of(dynamicRange);
    }

    public static ImageStatistics of(ImagePlane plane) {
        return of(plane.data());
    }

    /** Statistics of the finite values in {@code pixels} (not modified). */
    public static ImageStatistics of(float[] pixels) {
        float[] finite = finiteCopy(pixels);
        int n = finite.length;
        if (n == 0) {
            return new ImageStatistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (float v : finite) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double median = medianInPlace(finite, n);
        double mad = madInPlace(finite, n, median);
        double rms = MAD_TO_SIGMA * mad;
        double dr = rms > 0 ? max / rms : Double.NaN;
        return new ImageStatistics(n, min, max, sum / n, median, mad, rms, dr);
    }

    /** Median of the finite values (NaN if none); {@code values} is not modified. */
    public static double median(float[] values) {
        float[] finite = finiteCopy(values);
        return finite.length == 0 ? Double.NaN : medianInPlace(finite, finite.length);
    }

    /** Robust rms 1.4826·MAD of the finite values (NaN if none); {@code values} is not modified. */
    public static double robustRms(float[] values) {
        float[] finite = finiteCopy(values);
        if (finite.length == 0) {
            return Double.NaN;
        }
        double median = medianInPlace(finite, finite.length);
        return MAD_TO_SIGMA * madInPlace(finite, finite.length, median);
    }

    private static float[] finiteCopy(float[] values) {
        float[] out = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                out[n++] = v;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Replaces a[0..n) by |a − median| and returns their median. */
    private static double madInPlace(float[] a, int n, double median) {
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.abs(a[i] - median);
        }
        return medianInPlace(a, n);
    }

    /** Median of a[0..n), n ≥ 1, reordering a. The mean of the two middle values when n is even. */
    static double medianInPlace(float[] a, int n) {
        int k = n / 2;
        float upper = Selection.select(a, 0, n - 1, k);
        if (n % 2 == 1) {
            return upper;
        }
        // After selection a[0..k) holds the k smallest values; the lower middle is their maximum.
        float lower = a[0];
        for (int i = 1; i < k; i++) {
            lower = Math.max(lower, a[i]);
        }
        return ((double) lower + upper) / 2.0;
    }
}
