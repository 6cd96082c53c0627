package org.dsa110.contimg.science.photometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Ensemble reference correction of per-image flux scale (science.md "Normalization").
 *
 * <ol>
 *   <li>{@link #selectReferences}: bright, compact, isolated catalog sources near the image centre.</li>
 *   <li>{@link #baseline}: each reference's baseline flux from its first epochs.</li>
 *   <li>{@link #correction}: per image, the median ratio measured/baseline over the references, 3σ-clipped.</li>
 *   <li>{@link #normalize}: apply the correction to any source in that image, propagating its uncertainty.</li>
 * </ol>
 */
public final class EnsembleNormalization {

    /** Selection and baseline settings; {@link #DEFAULTS} are the values in science.md. */
    public record Parameters(double minCatalogSnr, double maxSeparationDeg, int maxReferences, int baselineEpochs,
                             int minBaselineEpochs, int minReferences, double clipSigma) {

        public static final Parameters DEFAULTS = new Parameters(50.0, 1.5, 20, 10, 3, 3, 3.0);
    }

    /** A catalog source considered as a reference; separation is from the image centre. */
    public record ReferenceCandidate(String sourceId, double catalogSnr, boolean resolved, boolean confused,
                                     double separationDeg) {
    }

    /** Baseline flux of one reference: median and 1.4826·MAD of its first epochs. */
    public record Baseline(double fluxJy, double rmsJy, int nEpochs, boolean valid) {
    }

    /**
     * Per-image correction factor.
     *
     * @param correction     median of ratio = peak/baseline over the kept references
     * @param rmsCorrection  1.4826·MAD of those ratios
     * @param nUsed          references kept after clipping
     * @param nInput         references with a usable ratio before clipping
     */
    public record Correction(double correction, double rmsCorrection, int nUsed, int nInput, boolean success,
                             String error) {
    }

    /** Normalised flux and its error. */
    public record NormalizedFlux(double fluxJy, double errorJy) {
    }

    private final Parameters params;

    public EnsembleNormalization() {
        this(Parameters.DEFAULTS);
    }

    public EnsembleNormalization(Parameters params) {
        this.params = params;
    }

    /**
     * Reference selection (science.md): catalog SNR ≥ 50, unresolved, unconfused, within 1.5° of the image centre;
     * the top 20 by catalog SNR (highest first).
     */
    public List<ReferenceCandidate> selectReferences(List<ReferenceCandidate> candidates) {
        return candidates.stream()
                .filter(c -> c.catalogSnr() >= params.minCatalogSnr())
                .filter(c -> !c.resolved() && !c.confused())
                .filter(c -> c.separationDeg() <= params.maxSeparationDeg())
                .sorted(Comparator.comparingDouble(ReferenceCandidate::catalogSnr).reversed())
                .limit(params.maxReferences())
                .toList();
    }

    /**
     * Baseline of one reference from its fluxes in chronological order: the median of the first 10 finite epochs
     * (at least 3 needed, else {@code valid=false}) and rms = 1.4826·MAD of the same values.
     */
    public Baseline baseline(double[] fluxesChronological) {
        double[] first = Arrays.stream(fluxesChronological).filter(Double::isFinite)
                .limit(params.baselineEpochs()).toArray();
        if (first.length < params.minBaselineEpochs()) {
            return new Baseline(Double.NaN, Double.NaN, first.length, false);
        }
        double median = RobustStats.median(first);
        return new Baseline(median, RobustStats.MAD_TO_SIGMA * RobustStats.mad(first, median), first.length, true);
    }

    /**
     * Correction for one image from the references' measured peaks and their baselines (same order). A reference
     * contributes only if both values are finite and the baseline is &gt; 0.
     *
     * <p>science.md: ratio = peak/baseline; correction = median(ratio), rms_corr = 1.4826·MAD(ratio); drop references
     * with |ratio − median| ≥ 3·rms_corr and recompute if ≥ 3 remain; fewer than 3 references → failure.
     */
    public Correction correction(double[] peaks, double[] baselines) {
        if (peaks.length != baselines.length) {
            throw new IllegalArgumentException("peaks and baselines differ in length");
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < peaks.length; i++) {
            if (Double.isFinite(peaks[i]) && Double.isFinite(baselines[i]) && baselines[i] > 0) {
                ratios.add(peaks[i] / baselines[i]);
            }
        }
        int nInput = ratios.size();
        if (nInput < params.minReferences()) {
            return new Correction(Double.NaN, Double.NaN, 0, nInput, false,
                    "need >= " + params.minReferences() + " references, have " + nInput);
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        double median = RobustStats.median(r);
        double rms = RobustStats.MAD_TO_SIGMA * RobustStats.mad(r, median);
        double limit = params.clipSigma() * rms;
        double[] kept = Arrays.stream(r).filter(v -> Math.abs(v - median) < limit).toArray();
        if (kept.length >= params.minReferences() && kept.length < r.length) {
            double keptMedian = RobustStats.median(kept);
            return new Correction(keptMedian, RobustStats.MAD_TO_SIGMA * RobustStats.mad(kept, keptMedian),
                    kept.length, nInput, true, null);
        }
        return new Correction(median, rms, r.length, nInput, true, null);
    }

    /**
     * science.md: F_norm = F_raw/corr; σ_norm = √((σ_raw/corr)² + (F_raw·rms_corr/corr²)²).
     */
    public static NormalizedFlux normalize(double fluxRawJy, double errorRawJy, Correction c) {
        if (!c.success()) {
            throw new IllegalArgumentException("cannot normalise with a failed correction: " + c.error());
        }
        double corr = c.correction();
        double a = errorRawJy / corr;
        double b = fluxRawJy * c.rmsCorrection() / (corr * corr);
        return new NormalizedFlux(fluxRawJy / corr, Math.sqrt(a * a + b * b));
    }
}
