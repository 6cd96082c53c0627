package org.dsa110.contimg.science.variability;

/**
 * Variability statistics of one light curve (science.md "Variability metrics", revised 2026-12-07 to the VAST
 * pipeline's definitions).
 *
 * <p>Inputs are fluxes and 1σ errors in Jy in chronological order (the normalised values when available). Only
 * epochs with a finite flux and a finite error &gt; 0 are used. All metrics are computed in Jy (η included);
 * mean/std/min/max are additionally reported in mJy for storage in the variability table.
 *
 * @param nEpochs        number of usable epochs N
 * @param v              coefficient of variation std/mean with the sample std (ddof 1), as the VAST pipeline
 *                       computes it (pandas {@code std()}); 0 if mean ≤ 0 or N &lt; 2
 * @param eta            η = N/(N−1)·[mean(w f²) − mean(w f)²/mean(w)], w = 1/σ² (VAST pipeline and LOFAR TraP code;
 *                       Swinbank et al. 2015); 0 if N &lt; 2
 * @param vsMean         legacy: signed mean of Vs over consecutive pairs; 0 if N &lt; 2
 * @param mMean          legacy: signed mean of the modulation index m over consecutive pairs; 0 if none
 * @param pairs          two-epoch metrics over all N(N−1)/2 pairs (VAST; Mooley et al. 2016 §5)
 * @param chi2Nu         Σ(f − mean)²/σ² / (N − 1) about the unweighted mean; 0 if N &lt; 2
 * @param sigmaDeviation max(|max − mean|, |min − mean|)/std with ddof 0; 0 if N = 1 or std = 0
 * @param meanMjy        mean flux, mJy (NaN if N = 0)
 * @param stdMjy         population std (ddof 0, the std of sigma_deviation), mJy
 * @param minMjy         minimum flux, mJy
 * @param maxMjy         maximum flux, mJy
 */
public record VariabilityMetrics(int nEpochs, double v, double eta, double vsMean, double mMean, PairMetrics pairs,
                                 double chi2Nu, double sigmaDeviation, double meanMjy, double stdMjy, double minMjy,
                                 double maxMjy) {

    /**
     * When a pair of epochs counts as significant (science.md: |Vs| ≥ 4.3 and |m| ≥ 0.26, both configurable).
     * The VAST pipeline's own aggregate selects on |Vs| alone; {@code mMin = 0} reproduces that.
     */
    public record PairThresholds(double vsMin, double mMin) {
        /** science.md defaults (Mooley et al. 2016: Vs 4.3, m 0.26). */
        public static final PairThresholds DEFAULTS = new PairThresholds(4.3, 0.26);

        public PairThresholds {
            if (!(vsMin >= 0) || !(mMin >= 0)) {
                throw new IllegalArgumentException("pair thresholds must be finite and >= 0: " + vsMin + ", " + mMin);
            }
        }
    }

    /**
     * Two-epoch metrics over every pair (a, b) of usable epochs, a earlier than b: Vs = (f_a − f_b)/√(σ_a² + σ_b²),
     * m = 2(f_a − f_b)/(f_a + f_b) (VAST pipeline {@code pairs.py}; Mooley et al. 2016 §5).
     *
     * @param nPairs               pairs evaluated, N(N−1)/2
     * @param vsMaxAbs             largest |Vs| over all pairs (0 if none)
     * @param mMaxAbs              largest |m| over all pairs with f_a + f_b ≠ 0 (0 if none)
     * @param nSignificant         pairs passing both thresholds
     * @param vsAbsSignificantMax  largest |Vs| among significant pairs, 0 if none
     * @param mAbsSignificantMax   largest |m| among significant pairs, 0 if none
     * @param epochA               input index of the earlier epoch of the most significant pair (largest |Vs| among
     *                             the significant ones; the earliest such pair on ties), −1 if none
     * @param epochB               input index of its later epoch, −1 if none
     */
    public record PairMetrics(long nPairs, double vsMaxAbs, double mMaxAbs, int nSignificant,
                              double vsAbsSignificantMax, double mAbsSignificantMax, int epochA, int epochB) {
        static final PairMetrics NONE = new PairMetrics(0, 0, 0, 0, 0, 0, -1, -1);
    }

    /** Metrics with the science.md pair thresholds. */
    public static VariabilityMetrics compute(double[] fluxJy, double[] errorJy) {
        return compute(fluxJy, errorJy, PairThresholds.DEFAULTS);
    }

    /**
     * Computes the metrics.
     *
     * @param fluxJy     fluxes in chronological order (Jy)
     * @param errorJy    their 1σ errors (Jy), same length
     * @param thresholds when a pair is significant
     */
    public static VariabilityMetrics compute(double[] fluxJy, double[] errorJy, PairThresholds thresholds) {
        if (fluxJy.length != errorJy.length) {
            throw new IllegalArgumentException("flux and error arrays differ in length");
        }
        int n = 0;
        double[] f = new double[fluxJy.length];
        double[] s = new double[fluxJy.length];
        int[] index = new int[fluxJy.length]; // position of each usable epoch in the input
        for (int i = 0; i < fluxJy.length; i++) {
            if (Double.isFinite(fluxJy[i]) && Double.isFinite(errorJy[i]) && errorJy[i] > 0) {
                f[n] = fluxJy[i];
                s[n] = errorJy[i];
                index[n] = i;
                n++;
            }
        }
        if (n == 0) {
            return new VariabilityMetrics(0, 0, 0, 0, 0, PairMetrics.NONE, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN);
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
            double w = 1.0 / (s[i] * s[i]); // VAST / LOFAR TraP code: w = 1/σ² (VAST's docs say 1/σ; science.md)
            sumW += w;
            sumWF += w * f[i];
            sumWF2 += w * f[i] * f[i];
        }
        double stdPop = Math.sqrt(ss / n); // ddof 0: sigma_deviation and the stored std (science.md decision)

        double v = 0, eta = 0, chi2Nu = 0;
        if (n >= 2) {
            double stdSample = Math.sqrt(ss / (n - 1)); // ddof 1 for V, as the VAST pipeline (revised 2026-12-07)
            v = mean > 0 ? stdSample / mean : 0.0;
            // η = N/(N−1)·[mean(w f²) − mean(w f)²/mean(w)]; the 1/N of each mean is written out.
            eta = (double) n / (n - 1) * (sumWF2 / n - (sumWF / n) * (sumWF / n) / (sumW / n));
            chi2Nu = chi2 / (n - 1);
        }
        double sigmaDeviation = (n >= 2 && stdPop > 0)
                ? Math.max(Math.abs(max - mean), Math.abs(min - mean)) / stdPop : 0;

        // Legacy consecutive-pair means, kept for the dashboard (vs_mean, m_mean).
        double vsSum = 0, mSum = 0;
        int mPairs = 0;
        for (int i = 0; i + 1 < n; i++) {
            double df = f[i] - f[i + 1];
            vsSum += df / Math.sqrt(s[i] * s[i] + s[i + 1] * s[i + 1]);
            double pairSum = f[i] + f[i + 1];
            if (pairSum != 0) { // m is undefined for a pair summing to zero; skip it
                mSum += 2 * df / pairSum;
                mPairs++;
            }
        }
        double vsMean = n >= 2 ? vsSum / (n - 1) : 0;
        double mMean = mPairs > 0 ? mSum / mPairs : 0;

        return new VariabilityMetrics(n, v, eta, vsMean, mMean, allPairs(f, s, n, index, thresholds), chi2Nu,
                sigmaDeviation, mean * 1e3, stdPop * 1e3, min * 1e3, max * 1e3);
    }

    /**
     * The two-epoch metrics of every pair in one pass over the N(N−1)/2 pairs of this light curve, keeping only the
     * running maxima and counts (no pair is stored).
     */
    static PairMetrics allPairs(double[] f, double[] s, int n, int[] index, PairThresholds t) {
        if (n < 2) {
            return PairMetrics.NONE;
        }
        // |Vs| is compared and maximised as Vs² (no square root per pair; the maxima are rooted at the end)
        double vs2Min = t.vsMin() * t.vsMin();
        double vs2Max = 0, mMaxAbs = 0, vs2Sig = 0, mSig = 0;
        int nSig = 0, bestA = -1, bestB = -1;
        for (int a = 0; a < n - 1; a++) {
            double fa = f[a];
            double va = s[a] * s[a];
            for (int b = a + 1; b < n; b++) {
                double df = fa - f[b];
                double vs2 = df * df / (va + s[b] * s[b]);
                vs2Max = Math.max(vs2Max, vs2);
                double sum = fa + f[b];
                if (sum == 0) {
                    continue; // m undefined: the pair cannot be significant
                }
                double m = Math.abs(2 * df / sum);
                mMaxAbs = Math.max(mMaxAbs, m);
                if (vs2 >= vs2Min && m >= t.mMin()) {
                    nSig++;
                    mSig = Math.max(mSig, m);
                    if (bestA < 0 || vs2 > vs2Sig) {
                        vs2Sig = vs2;
                        bestA = index[a];
                        bestB = index[b];
                    }
                }
            }
        }
        double vsMaxAbs = Math.sqrt(vs2Max);
        double vsSig = Math.sqrt(vs2Sig);
        return new PairMetrics((long) n * (n - 1) / 2, vsMaxAbs, mMaxAbs, nSig, vsSig, mSig, bestA, bestB);
    }
}
