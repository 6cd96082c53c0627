package org.dsa110.contimg.science.variability;

import java.util.Locale;

/**
 * Extreme-scattering-event candidate rules (science.md "ESE detection").
 *
 * <p>A source is a candidate when its {@code sigma_deviation ≥ min_sigma} (default 5.0; the monitoring list uses
 * 3.0). {@link #decide} says what to do with the candidate table: insert a new active candidate, raise the
 * significance of an active one, or leave it alone. An optional composite score combines sigma_deviation, chi2_nu
 * and η.
 */
public final class EseDetector {

    /** Default candidate threshold (science.md). */
    public static final double DEFAULT_MIN_SIGMA = 5.0;
    /** Threshold used for the monitoring list (science.md). */
    public static final double MONITORING_MIN_SIGMA = 3.0;
    /** Light-curve rules (science.md): minimum epochs, η and v thresholds. */
    public static final int MIN_EPOCHS = 3;
    public static final double ETA_VARIABLE = 2.0;
    public static final double V_VARIABLE = 0.1;

    /** Candidate status as stored (API names in {@link #apiName()}). */
    public enum Status {
        ACTIVE("active"), INVESTIGATED("resolved"), DISMISSED("false_positive");

        private final String apiName;

        Status(String apiName) {
            this.apiName = apiName;
        }

        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String apiName() {
            return apiName;
        }
    }

    /** Existing row for the source in the candidate table. */
    public record ExistingCandidate(Status status, double significance) {
    }

    public enum Action { INSERT, UPDATE, NONE }

    public enum Confidence { HIGH, MEDIUM, LOW }

    /** Weights of the composite score (science.md: 0.5 / 0.3 / 0.2). */
    public record Weights(double sigmaDeviation, double chi2Nu, double eta) {
        public static final Weights DEFAULTS = new Weights(0.5, 0.3, 0.2);

        public Weights {
            if (sigmaDeviation < 0 || chi2Nu < 0 || eta < 0 || !(sigmaDeviation + chi2Nu + eta > 0)) {
                throw new IllegalArgumentException("weights must be >= 0 with a positive sum");
            }
        }
    }

    /** Flag type recorded on automatically inserted candidates. */
    public static final String FLAG_TYPE_AUTO = "auto";

    private final double minSigma;

    public EseDetector() {
        this(DEFAULT_MIN_SIGMA);
    }

    public EseDetector(double minSigma) {
        this.minSigma = minSigma;
    }

    public double minSigma() {
        return minSigma;
    }

    /** Candidate rule: sigma_deviation ≥ min_sigma. */
    public boolean isCandidate(double sigmaDeviation) {
        return sigmaDeviation >= minSigma;
    }

    /** Candidate rule on full metrics; also requires the minimum number of epochs. */
    public boolean isCandidate(VariabilityMetrics m) {
        return m.nEpochs() >= MIN_EPOCHS && isCandidate(m.sigmaDeviation());
    }

    /**
     * What to do with the candidate table for a source whose current significance (= sigma_deviation) is given.
     *
     * @param existing the source's current candidate row, or null if there is none
     * @return INSERT (new active candidate, flag_type auto) when there is no row and the rule fires; UPDATE when an
     *         active candidate's significance rises; NONE otherwise. Rows already investigated or dismissed by a
     *         person are never overwritten automatically.
     */
    public Action decide(ExistingCandidate existing, double significance) {
        if (!isCandidate(significance)) {
            return Action.NONE;
        }
        if (existing == null) {
            return Action.INSERT;
        }
        if (existing.status() == Status.ACTIVE && significance > existing.significance()) {
            return Action.UPDATE;
        }
        return Action.NONE;
    }

    /** Composite score with the default weights. */
    public static double compositeScore(double sigmaDeviation, double chi2Nu, double eta) {
        return compositeScore(sigmaDeviation, chi2Nu, eta, Weights.DEFAULTS);
    }

    /**
     * science.md: sigma_deviation and chi2_nu scaled by 1/10, η by 1/5, each clipped to [0, 1];
     * score = Σ w·x / Σ w × 10, so 0 ≤ score ≤ 10. A NaN input counts as 0.
     */
    public static double compositeScore(double sigmaDeviation, double chi2Nu, double eta, Weights w) {
        double xs = unit(sigmaDeviation / 10.0);
        double xc = unit(chi2Nu / 10.0);
        double xe = unit(eta / 5.0);
        double sumW = w.sigmaDeviation() + w.chi2Nu() + w.eta();
        return (w.sigmaDeviation() * xs + w.chi2Nu() * xc + w.eta() * xe) / sumW * 10.0;
    }

    /** Confidence from a composite score: high ≥ 7, medium ≥ 4, else low. */
    public static Confidence confidence(double score) {
        if (score >= 7.0) {
            return Confidence.HIGH;
        }
        return score >= 4.0 ? Confidence.MEDIUM : Confidence.LOW;
    }

    /** Light-curve rule: at least 3 epochs and (η &gt; 2.0 or v &gt; 0.1). */
    public static boolean isVariable(VariabilityMetrics m) {
        return m.nEpochs() >= MIN_EPOCHS && (m.eta() > ETA_VARIABLE || m.v() > V_VARIABLE);
    }

    private static double unit(double x) {
        return Double.isNaN(x) ? 0.0 : Math.max(0.0, Math.min(1.0, x));
    }
}
