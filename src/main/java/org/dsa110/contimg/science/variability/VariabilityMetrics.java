package org.dsa110.contimg.science.variability;

/**
 * Variability statistics of one light curve (science.md "Variability metrics").
 *
 * <p>Inputs are fluxes and 1σ errors in Jy (the normalised values when available). Only epochs with a finite flux
 * and a finite error &gt; 0 are used. All metrics are computed in Jy (η included); mean/std/min/max are additionally
 * reported in mJy for storage in the variability table.
 *
 * @param nEpochs        number of usable epochs N
 * @param v              coefficient of variation std/mean (population std); 0 if mean ≤ 0 or N &lt; 2
 * @param eta            weighted reduced-χ² style η = N/(N−1)·[mean(w f²) − mean(w f)²/mean(w)], w = 1/σ²; 0 if N &lt; 2
 * @param vsMean         signed mean of Vs over consecutive pairs; 0 if N &lt; 2
 * @param mMean          signed mean of the modulation index m over consecutive pairs; 0 if N &lt; 2
 * @param vsMaxAbs       max |Vs|
 * @param mMaxAbs        max |m|
 * @param chi2Nu         Σ(f − mean)²/σ² / (N − 1) about the unweighted mean; 0 if N &lt; 2
 * @param sigmaDeviation max(|max − mean|, |min − mean|)/std with ddof 0; 0 if N = 1 or std = 0
 * @param meanMjy        mean flux, mJy (NaN if N = 0)
 * @param stdMjy         population std, mJy
 * @param minMjy         minimum flux, mJy
 * @param maxMjy         maximum flux, mJy
 */
public record VariabilityMetrics(int nEpochs, double v, double eta, double vsMean, double mMean, double vsMaxAbs,
                                 double mMaxAbs, double chi2Nu, double sigmaDeviation, double meanMjy, double stdMjy,
                                 double minMjy, double maxMjy) {

    /** VAST two-epoch significance thresholds: |Vs| ≥ 4.3 together with |m| &gt; 0.26. */
    public static final double VS_SIGNIFICANT = 4.3;
    public static final double M_SIGNIFICANT = 0.26;

    /** True when the most extreme consecutive pair passes both VAST two-epoch thresholds (uses the maxima). */
    public boolean twoEpochSignificant() {
        return vsMaxAbs >= VS_SIGNIFICANT && mMaxAbs > M_SIGNIFICANT;
    }

    /**
     * Computes the metrics.
     *
     * @param fluxJy  fluxes in chronological order (Jy)
     * @param errorJy their 1σ errors (Jy), same length
     */
    public static VariabilityMetrics compute(double[] fluxJy, double[] errorJy) {
        if (fluxJy.length != errorJy.length) {
            throw new IllegalArgumentException("flux and error arrays differ in length");
        }
        int n = 0;
        double[] f = new double[fluxJy.length];
        double[] s = new double[fluxJy.length];
        for (int i = 0; i < fluxJy.length; i++) {
            if (Double.isFinite(fluxJy[i]) && Double.isFinite(errorJy[i]) && errorJy[i] > 0) {
                f[n] = fluxJy[i];
                s[n] = errorJy[i];
                n++;
            }
        }
        if (n == 0) {
            return new VariabilityMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        double mean = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mean += f[i];
            min = Math.min(min, f[i]);
            max = Math.max(max, f[i]);
        }
        mean /= n;
        double ss = 0, chi2 = 0;
        double sumW = 0, sumWF = 0, sumWF2 = 0;
        for (int i = 0; i < n; i++) {
            double d = f[i] - mean;
            ss += d * d;
            chi2 += d * d / (s[i] * s[i]);
            double w = 1.0 / (s[i] * s[i]); // VAST / LOFAR TraP: w = 1/σ² (science.md)
            sumW += w;
            sumWF += w * f[i];
            sumWF2 += w * f[i] * f[i];
        }
        double std = Math.sqrt(ss / n); // population std, ddof 0 (science.md decision)

        double v = (n >= 2 && mean > 0) ? std / mean : 0.0;
        double eta = 0, chi2Nu = 0;
        if (n >= 2) {
            // η = N/(N−1)·[mean(w f²) − mean(w f)²/mean(w)]; the 1/N of each mean is written out.
            eta = (double) n / (n - 1) * (sumWF2 / n - (sumWF / n) * (sumWF / n) / (sumW / n));
            chi2Nu = chi2 / (n - 1);
        }
        double sigmaDeviation = (n >= 2 && std > 0) ? Math.max(Math.abs(max - mean), Math.abs(min - mean)) / std : 0;

        // Consecutive-pair metrics (VAST two-epoch): Vs = Δf/√(σ_i² + σ_j²), m = 2Δf/(f_i + f_j).
        double vsSum = 0, mSum = 0, vsMaxAbs = 0, mMaxAbs = 0;
        int mPairs = 0;
        for (int i = 0; i + 1 < n; i++) {
            double df = f[i] - f[i + 1];
            double vs = df / Math.sqrt(s[i] * s[i] + s[i + 1] * s[i + 1]);
            vsSum += vs;
            vsMaxAbs = Math.max(vsMaxAbs, Math.abs(vs));
            double pairSum = f[i] + f[i + 1];
            if (pairSum != 0) { // m is undefined for a pair summing to zero; skip it
                double m = 2 * df / pairSum;
                mSum += m;
                mMaxAbs = Math.max(mMaxAbs, Math.abs(m));
                mPairs++;
            }
        }
        double vsMean = n >= 2 ? vsSum / (n - 1) : 0;
        double mMean = mPairs > 0 ? mSum / mPairs : 0;

        return new VariabilityMetrics(n, v, eta, vsMean, mMean, vsMaxAbs, mMaxAbs, chi2Nu, sigmaDeviation,
                mean * 1e3, std * 1e3, min * 1e3, max * 1e3);
    }
}
