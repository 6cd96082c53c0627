package org.dsa110.contimg.science.photometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 15 point 4's two figures over the light curves of steady sources, one definition for the tests and the
 * validation report (bench/validate.sh): the mean over the sources of χ²ν as science.md defines it for light curves
 * (Σ(f − mean)²/σ² / (N − 1) about the unweighted mean, the formula {@code VariabilityMetrics} stores), and the
 * fraction of all measurements within 1σ of the truth. Criterion: χ²ν 1.0 ± 0.25 and 68 ± 5 %.
 *
 * @param chi2Nu       mean over the sources of each light curve's χ²ν
 * @param within1Sigma fraction of all measurements with |f − truth| ≤ σ
 * @param sources      per-source figures
 */
public record ErrorModelCriterion(double chi2Nu, double within1Sigma, List<PerSource> sources) {

    /**
     * One steady source's light curve (Jy).
     *
     * @param truth   true flux at the image frequency
     * @param mean    mean measured flux (its offset from the truth is the bias that repeats every epoch)
     * @param scatter sample standard deviation of the measurements (ddof 1)
     * @param error   mean of the measurement errors σ
     * @param chi2Nu  the light curve's χ²ν
     * @param epochs  measurements
     */
    public record PerSource(double truth, double mean, double scatter, double error, double chi2Nu, int epochs) {
    }

    /** flux[i][e], err[i][e]: source i at epoch e (at least two epochs each); truth[i] its true flux. */
    public static ErrorModelCriterion of(double[][] flux, double[][] err, double[] truth) {
        double chi2Sum = 0;
        int within = 0, total = 0;
        List<PerSource> per = new ArrayList<>();
        for (int i = 0; i < flux.length; i++) {
            int epochs = flux[i].length;
            double mean = mean(flux[i]);
            double chi2 = 0, ss = 0;
            for (int ep = 0; ep < epochs; ep++) {
                double d = flux[i][ep] - mean;
                ss += d * d;
                chi2 += d * d / (err[i][ep] * err[i][ep]);
                within += Math.abs(flux[i][ep] - truth[i]) <= err[i][ep] ? 1 : 0;
            }
            total += epochs;
            chi2Sum += chi2 / (epochs - 1);
            per.add(new PerSource(truth[i], mean, Math.sqrt(ss / (epochs - 1)), mean(err[i]), chi2 / (epochs - 1),
                    epochs));
        }
        return new ErrorModelCriterion(chi2Sum / flux.length, within / (double) total, List.copyOf(per));
    }

    /** Whether both figures meet the criterion. */
    public boolean met() {
        return Math.abs(chi2Nu - 1.0) <= 0.25 && Math.abs(within1Sigma - 0.68) <= 0.05;
    }

    /** One line per source (mJy) and the two figures. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (PerSource s : sources) {
            sb.append(String.format(Locale.ROOT, "%7.1f mJy: mean %7.2f (bias %+.2f), scatter %.2f, error %.2f, "
                    + "chi2_nu %.2f%n", s.truth() * 1e3, s.mean() * 1e3, (s.mean() - s.truth()) * 1e3,
                    s.scatter() * 1e3, s.error() * 1e3, s.chi2Nu()));
        }
        return sb.append(this).toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "chi2_nu %.2f, %.1f %% within 1 sigma of truth", chi2Nu,
                100 * within1Sigma);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
