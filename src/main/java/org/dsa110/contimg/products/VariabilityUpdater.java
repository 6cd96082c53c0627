package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.variability.EseDetector;
import org.dsa110.contimg.science.variability.VariabilityMetrics;
import org.dsa110.contimg.science.variability.VariabilityMetrics.PairThresholds;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes one source's variability statistics from its light curve and applies the ESE candidate rules
 * (science.md "Variability metrics", "ESE detection"). Runs inside the caller's transaction; returns the
 * {@code ese_update} event to publish once that transaction has committed (or null).
 *
 * <p>Which fluxes: the normalised flux and error when <em>every</em> epoch of the light curve has one, else the raw
 * peak and its error, so one light curve never mixes the two scales.
 */
public final class VariabilityUpdater {
    /**
     * The definition the stored rows are computed with: 1 = legacy (ddof-0 v, consecutive pairs), 2 = VAST
     * (science.md revised 2026-12-07). Rows with a lower version are recomputed at start
     * ({@link #recomputeOutdated}).
     */
    public static final int METRICS_VERSION = 2;
    private static final Logger LOG = LoggerFactory.getLogger(VariabilityUpdater.class);
    private static final int RECOMPUTE_BATCH = 500;
    /** The variability_stats columns {@link #stats} fills, in its order. */
    private static final List<String> COLUMNS = List.of("n_epochs", "mean_mjy", "std_mjy", "min_mjy", "max_mjy",
            "v", "eta", "vs_mean", "m_mean", "vs_max_abs", "m_max_abs", "n_pairs", "n_significant_pairs",
            "vs_abs_significant_max", "m_abs_significant_max", "significant_pair_mjd_a", "significant_pair_mjd_b",
            "chi2_nu", "sigma_deviation", "is_variable", "last_mjd", "normalized", "metrics_version");

    private final Db db;
    private final EseDetector detector;
    private final PairThresholds pairThresholds;

    public VariabilityUpdater(Db db, double eseMinSigma) {
        this(db, eseMinSigma, PairThresholds.DEFAULTS);
    }

    public VariabilityUpdater(Db db, double eseMinSigma, PairThresholds pairThresholds) {
        this.db = db;
        this.detector = new EseDetector(eseMinSigma);
        this.pairThresholds = pairThresholds;
    }

    public EseDetector detector() {
        return detector;
    }

    /** A light curve in chronological order (Jy) and whether it is the normalised one. */
    record LightCurve(double[] mjd, double[] flux, double[] error, boolean normalized) {
    }

    LightCurve lightCurve(String sourceId) {
        List<Map<String, Object>> rows = db.query("SELECT mjd, peak_jyb, peak_err_jyb, normalized_flux_jy, "
                + "normalized_error_jy FROM photometry WHERE source_id = ? ORDER BY mjd, id", sourceId);
        boolean normalized = !rows.isEmpty() && rows.stream().allMatch(r -> r.get("normalized_flux_jy") != null
                && r.get("normalized_error_jy") != null);
        int n = rows.size();
        double[] mjd = new double[n];
        double[] f = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = rows.get(i);
            mjd[i] = Rows.dblOr(r, "mjd", Double.NaN);
            f[i] = Rows.dblOr(r, normalized ? "normalized_flux_jy" : "peak_jyb", Double.NaN);
            e[i] = Rows.dblOr(r, normalized ? "normalized_error_jy" : "peak_err_jyb", Double.NaN);
        }
        return new LightCurve(mjd, f, e, normalized);
    }

    /** Recomputes the source's statistics and candidate; returns the event payload to publish, or null. */
    public Map<String, Object> update(String sourceId) {
        LightCurve lc = lightCurve(sourceId);
        VariabilityMetrics m = store(sourceId, lc);
        return applyEseRules(sourceId, m, lc);
    }

    /** Computes and upserts the statistics row of one light curve (no ESE rules). */
    private VariabilityMetrics store(String sourceId, LightCurve lc) {
        VariabilityMetrics m = VariabilityMetrics.compute(lc.flux(), lc.error(), pairThresholds);
        Object[] values = stats(m, lc);
        db.update("MERGE INTO variability_stats t USING (VALUES (CAST(? AS VARCHAR(64)))) AS v (sid) "
                + "ON t.source_id = v.sid "
                + "WHEN MATCHED THEN UPDATE SET " + String.join(" = ?, ", COLUMNS) + " = ?, "
                + "updated_at = CURRENT_TIMESTAMP "
                + "WHEN NOT MATCHED THEN INSERT (source_id, " + String.join(", ", COLUMNS) + ") "
                + "VALUES (v.sid" + ", ?".repeat(COLUMNS.size()) + ")",
                concat(new Object[] {sourceId}, values, values));
        return m;
    }

    private static Object[] stats(VariabilityMetrics m, LightCurve lc) {
        double[] mjd = lc.mjd();
        double lastMjd = mjd.length == 0 ? Double.NaN : mjd[mjd.length - 1];
        VariabilityMetrics.PairMetrics p = m.pairs();
        return new Object[] {m.nEpochs(), num(m.meanMjy()), num(m.stdMjy()), num(m.minMjy()), num(m.maxMjy()),
                num(m.v()), num(m.eta()), num(m.vsMean()), num(m.mMean()), num(p.vsMaxAbs()), num(p.mMaxAbs()),
                p.nPairs(), p.nSignificant(), num(p.vsAbsSignificantMax()), num(p.mAbsSignificantMax()),
                p.epochA() < 0 ? null : num(mjd[p.epochA()]), p.epochB() < 0 ? null : num(mjd[p.epochB()]),
                num(m.chi2Nu()), num(m.sigmaDeviation()), EseDetector.isVariable(m), num(lastMjd), lc.normalized(),
                METRICS_VERSION};
    }

    /**
     * Recomputes, from their stored light curves, the rows written by an older definition of the metrics
     * ({@code metrics_version} below {@link #METRICS_VERSION}: every row that existed before the VAST migration),
     * in batches of one transaction each, so the stored values are consistent whatever computed them. ESE
     * candidates are not re-decided here (sigma_deviation's definition did not change). Safe to run on several hubs
     * at once: each row is recomputed from the same light curve. Returns the number of rows recomputed.
     */
    public int recomputeOutdated() {
        int done = 0;
        while (true) {
            List<String> ids = db.query("SELECT source_id FROM variability_stats WHERE metrics_version < ? "
                    + "ORDER BY source_id FETCH FIRST " + RECOMPUTE_BATCH + " ROWS ONLY", METRICS_VERSION).stream()
                    .map(r -> Rows.str(r, "source_id")).toList();
            if (ids.isEmpty()) {
                break;
            }
            db.inTransaction(() -> ids.forEach(id -> store(id, lightCurve(id))));
            done += ids.size();
        }
        if (done > 0) {
            LOG.info("variability: recomputed {} source(s) with the VAST metrics (metrics_version {})", done,
                    METRICS_VERSION);
        }
        return done;
    }

    private static Object[] concat(Object[]... parts) {
        int n = 0;
        for (Object[] p : parts) {
            n += p.length;
        }
        Object[] out = new Object[n];
        int i = 0;
        for (Object[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    private Map<String, Object> applyEseRules(String sourceId, VariabilityMetrics m, LightCurve lc) {
        if (!detector.isCandidate(m)) {
            return null;
        }
        Map<String, Object> existingRow = db.one("SELECT id, status, significance, max_sigma_dev FROM ese_candidates "
                + "WHERE source_id = ? ORDER BY id DESC LIMIT 1", sourceId).orElse(null);
        EseDetector.ExistingCandidate existing = existingRow == null ? null
                : new EseDetector.ExistingCandidate(statusOf(Rows.str(existingRow, "status")),
                        Rows.dblOr(existingRow, "significance", 0));
        double sigma = m.sigmaDeviation();
        EseDetector.Action action = detector.decide(existing, sigma);
        if (action == EseDetector.Action.NONE) {
            return null;
        }
        int n = lc.flux().length;
        double mean = m.meanMjy() / 1e3;
        double current = lc.flux()[n - 1];
        double extreme = mean; // the epoch furthest from the mean: the event's peak (or dip) flux
        for (double f : lc.flux()) {
            if (Double.isFinite(f) && Math.abs(f - mean) > Math.abs(extreme - mean)) {
                extreme = f;
            }
        }
        Instant last = SkyCoords.mjdToInstant(lc.mjd()[n - 1]);
        double score = EseDetector.compositeScore(sigma, m.chi2Nu(), m.eta());
        String confidence = EseDetector.confidence(score).name().toLowerCase(Locale.ROOT);
        Map<String, Object> source = db.one("SELECT ra_deg, dec_deg FROM sources WHERE source_id = ?", sourceId)
                .orElseThrow();
        long id;
        if (action == EseDetector.Action.INSERT) {
            id = db.insert("INSERT INTO ese_candidates (source_id, ra_deg, dec_deg, first_detection_at, "
                    + "last_detection_at, max_sigma_dev, significance, current_flux_jy, baseline_flux_jy, "
                    + "peak_flux_jy, status, flag_type, composite_score, confidence) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)", "id", sourceId,
                    source.get("ra_deg"), source.get("dec_deg"), last, last, sigma, sigma, num(current), num(mean),
                    num(extreme), EseDetector.FLAG_TYPE_AUTO, num(score), confidence);
            db.update("INSERT INTO alert_history (source_id, alert_type, severity, message, triggered_at) "
                    + "VALUES (?, 'ese_candidate', ?, ?, ?)", sourceId, "high".equals(confidence) ? "critical"
                    : "warning", String.format(Locale.ROOT, "ESE candidate detected: %.1fσ deviation", sigma),
                    Instant.now());
        } else {
            id = Rows.lng(existingRow, "id");
            double maxSigma = Math.max(sigma, Rows.dblOr(existingRow, "max_sigma_dev", sigma));
            db.update("UPDATE ese_candidates SET significance = ?, max_sigma_dev = ?, last_detection_at = ?, "
                    + "current_flux_jy = ?, baseline_flux_jy = ?, peak_flux_jy = ?, composite_score = ?, "
                    + "confidence = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?", sigma, maxSigma, last,
                    num(current), num(mean), num(extreme), num(score), confidence, id);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("action", action == EseDetector.Action.INSERT ? "new" : "rise");
        event.put("candidate_id", id);
        event.put("source_id", sourceId);
        event.put("significance", sigma);
        event.put("composite_score", num(score));
        event.put("confidence", confidence);
        event.put("status", "active");
        return event;
    }

    /** The detector's status for a stored (API-worded) status. */
    static EseDetector.Status statusOf(String apiName) {
        for (EseDetector.Status s : EseDetector.Status.values()) {
            if (s.apiName().equals(apiName)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown ESE candidate status " + apiName);
    }
}
