package org.dsa110.contimg.products;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;

/**
 * Read side of the tracked sources: lists and searches with their variability, one source's detail, light curve,
 * variability metrics and detections. (Writes happen in {@link PhotometryService} and {@link VariabilityUpdater}.)
 */
public final class SourceCatalog {
    /** Sort keys of the search (API name → column). */
    static final Map<String, String> SORT_COLUMNS = Map.of("sigma_deviation", "v.sigma_deviation", "chi2_nu",
            "v.chi2_nu", "eta", "v.eta", "mean_flux_mjy", "v.mean_mjy", "nvss_flux_mjy", "s.catalog_flux_mjy",
            "n_obs", "v.n_epochs", "source_id", "s.source_id", "ra_deg", "s.ra_deg", "dec_deg", "s.dec_deg",
            "last_measured_at", "v.last_mjd");

    private static final String SUMMARY_SELECT = "SELECT s.source_id, s.name, s.ra_deg, s.dec_deg, s.catalog, "
            + "s.catalog_flux_mjy, v.n_epochs, v.mean_mjy, v.std_mjy, v.chi2_nu, v.sigma_deviation, v.eta, v.v, "
            + "v.is_variable, v.last_mjd FROM sources s LEFT JOIN variability_stats v ON v.source_id = s.source_id";

    private final Db db;

    public SourceCatalog(Db db) {
        this.db = db;
    }

    /** The source row, or 404. */
    public Map<String, Object> source(String sourceId) {
        return db.one("SELECT * FROM sources WHERE source_id = ?", sourceId)
                .orElseThrow(() -> HubException.notFound("source", sourceId));
    }

    /**
     * Search filters (seed 001, plus the dashboard's RA range and ESE flag) and paging; any filter may be null. An
     * RA range with {@code raMin > raMax} wraps through 0°.
     */
    public record Search(String query, Double variabilityMin, Double decMin, Double decMax, Double fluxMinMjy,
                         Double raMin, Double raMax, boolean eseOnly, String sortField, boolean descending, int limit,
                         int offset) {
    }

    /** One light-curve point of a search row (raw peak flux, as the light curve's {@code flux_points}). */
    public record FluxPoint(double mjd, java.time.Instant time, Double fluxJy, Double fluxErrJy, String imageId) {
    }

    /**
     * A source with its light-curve summary: the hub's names (fluxes in mJy, {@code chi2_nu}) and beside them the
     * earlier backend's (fluxes in Jy, {@code chi_sq_nu}, {@code flux_points}, {@code variability_index} = the
     * sigma deviation, {@code ese_candidate} = an active ESE candidate).
     */
    public record SourceRow(String sourceId, String name, Double raDeg, Double decDeg, String catalog,
            Double nvssFluxMjy, Double meanFluxMjy, Double stdFluxMjy, int nObs, Double chi2Nu, Double sigmaDeviation,
            Double eta, Double v, boolean isVariable, java.time.Instant lastMeasuredAt, Double meanFluxJy,
            Double stdFluxJy, Double chiSqNu, Double variabilityIndex, boolean eseCandidate,
            List<FluxPoint> fluxPoints) {
    }

    /** SourceSearchResponse: the page of rows and how many match. */
    public record SourceList(List<SourceRow> sources, long total, Integer limit, Integer offset) {
    }

    private static final String ESE_ACTIVE = "EXISTS (SELECT 1 FROM ese_candidates e WHERE e.source_id = s.source_id "
            + "AND e.status = 'active')";

    /** Sources matching the search, with their light-curve summary (SourceSearchResponse of seed 001). */
    public SourceList search(Search q) {
        String sort = q.sortField() == null ? "sigma_deviation" : q.sortField();
        String column = SORT_COLUMNS.get(sort);
        if (column == null) {
            throw HubException.unprocessable("sort.field must be one of " + SORT_COLUMNS.keySet(),
                    Map.of("field", "sort.field"));
        }
        Rows.Where w = new Rows.Where()
                .andIf(q.query() != null, "(LOWER(s.source_id) LIKE ? OR LOWER(s.name) LIKE ?)",
                        like(q.query()), like(q.query()))
                .andIf(q.variabilityMin() != null, "v.sigma_deviation >= ?", q.variabilityMin())
                .andIf(q.decMin() != null, "s.dec_deg >= ?", q.decMin())
                .andIf(q.decMax() != null, "s.dec_deg <= ?", q.decMax())
                .andIf(q.fluxMinMjy() != null, "COALESCE(v.mean_mjy, s.catalog_flux_mjy) >= ?", q.fluxMinMjy())
                .andIf(q.raMin() != null && q.raMax() != null && q.raMin() > q.raMax(),
                        "(s.ra_deg >= ? OR s.ra_deg <= ?)", q.raMin(), q.raMax())
                .andIf(q.raMin() != null && (q.raMax() == null || q.raMin() <= q.raMax()), "s.ra_deg >= ?", q.raMin())
                .andIf(q.raMax() != null && (q.raMin() == null || q.raMin() <= q.raMax()), "s.ra_deg <= ?", q.raMax())
                .andIf(q.eseOnly(), ESE_ACTIVE);
        long total = db.scalarLong("SELECT COUNT(*) FROM sources s LEFT JOIN variability_stats v "
                + "ON v.source_id = s.source_id" + w.sql(), w.args().toArray());
        List<Map<String, Object>> rows = db.query(SUMMARY_SELECT + w.sql() + " ORDER BY " + column
                + (q.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST") + ", s.source_id LIMIT ? OFFSET ?",
                w.argsWith(q.limit(), q.offset()));
        return new SourceList(rows(rows), total, q.limit(), q.offset());
    }

    private static String like(String s) {
        return s == null ? null : "%" + s.toLowerCase(Locale.ROOT) + "%";
    }

    /** Tracked sources (those with a light curve), most recently measured first. */
    public SourceList list(int limit) {
        long total = db.scalarLong("SELECT COUNT(*) FROM variability_stats");
        List<Map<String, Object>> rows = db.query(SUMMARY_SELECT + " WHERE v.source_id IS NOT NULL "
                + "ORDER BY v.last_mjd DESC NULLS LAST, s.source_id LIMIT ?", limit);
        return new SourceList(rows(rows), total, null, null);
    }

    /** The rows of a page, with their flux points and ESE flags (one query each for the whole page). */
    private List<SourceRow> rows(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Object> ids = rows.stream().map(r -> r.get("source_id")).toList();
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        Map<String, List<FluxPoint>> points = new LinkedHashMap<>();
        for (Map<String, Object> p : db.query("SELECT source_id, image_id, mjd, peak_jyb, peak_err_jyb FROM photometry "
                + "WHERE source_id IN (" + marks + ") ORDER BY mjd, id", ids.toArray())) {
            double mjd = Rows.dblOr(p, "mjd", Double.NaN);
            points.computeIfAbsent((String) p.get("source_id"), k -> new ArrayList<>()).add(new FluxPoint(mjd,
                    SkyCoords.mjdToInstant(mjd), Rows.dbl(p, "peak_jyb"), Rows.dbl(p, "peak_err_jyb"),
                    p.get("image_id") == null ? null : String.valueOf(p.get("image_id"))));
        }
        java.util.Set<String> ese = new java.util.HashSet<>();
        db.query("SELECT DISTINCT source_id FROM ese_candidates WHERE status = 'active' AND source_id IN (" + marks
                + ")", ids.toArray()).forEach(r -> ese.add((String) r.get("source_id")));
        List<SourceRow> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            String id = (String) r.get("source_id");
            Integer n = Rows.integer(r, "n_epochs");
            Double last = Rows.dbl(r, "last_mjd");
            Double mean = Rows.dbl(r, "mean_mjy");
            Double std = Rows.dbl(r, "std_mjy");
            Double chi2 = Rows.dbl(r, "chi2_nu");
            Double sigma = Rows.dbl(r, "sigma_deviation");
            out.add(new SourceRow(id, (String) r.get("name"), Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"),
                    (String) r.get("catalog"), Rows.dbl(r, "catalog_flux_mjy"), mean, std, n == null ? 0 : n, chi2,
                    sigma, Rows.dbl(r, "eta"), Rows.dbl(r, "v"), Rows.bool(r, "is_variable"),
                    last == null ? null : SkyCoords.mjdToInstant(last), Rows.scaled(mean, 1e-3),
                    Rows.scaled(std, 1e-3), chi2, sigma, ese.contains(id), points.getOrDefault(id, List.of())));
        }
        return out;
    }

    /**
     * SourceDetail: {@code ese_probability} is the composite ESE score (0-10) of an active candidate as a 0-1
     * figure, null when the source is not one; {@code variability_metrics} null before its first light curve.
     */
    public record SourceDetail(String id, String name, double raDeg, double decDeg, String catalog,
            Double catalogFluxMjy, long nMeas, long nMeasForced, Double meanFluxJy, Double stdFluxJy, Double maxSnr,
            boolean isVariable, Double eseProbability, boolean newSource, VariabilityMetrics variabilityMetrics) {
    }

    /**
     * VariabilityMetrics: VAST V and η, the legacy two-epoch means and the aggregates over all pairs
     * (science.md), fluxes in Jy. A source without a light curve has n_epochs 0, v and eta 0, the rest null.
     */
    public record VariabilityMetrics(String sourceId, Double v, Double eta, Double vsMean, Double mMean, int nEpochs,
            Double vsMaxAbs, Double mMaxAbs, Double vsAbsSignificantMax, Double mAbsSignificantMax,
            Integer nSignificantPairs, Long nPairs, Double significantPairMjdA, Double significantPairMjdB,
            Boolean normalized, Double chi2Nu, Double sigmaDeviation, Double meanFluxJy, Double stdFluxJy,
            Double minFluxJy, Double maxFluxJy, Boolean isVariable) {
    }

    /** LightCurveData: raw points and, where measured, normalised ones (null when there are none), chronological. */
    public record LightCurve(String sourceId, double raDeg, double decDeg, List<CurvePoint> fluxPoints,
            List<CurvePoint> normalizedFluxPoints) {
    }

    public record CurvePoint(double mjd, java.time.Instant time, Double fluxJy, Double fluxErrJy, String imageId,
            String imagePath) {
    }

    /** DetectionList; fluxes in mJy as in seed 001's example. */
    public record DetectionList(List<Detection> items, long total, int page, int pageSize) {
    }

    /** One measurement: {@code name} is the source id, {@code frequency} in Hz. */
    public record Detection(long id, String name, long imageId, String imagePath, double ra, double dec,
            Double fluxPeak, Double fluxPeakErr, Double fluxInt, Double fluxIntErr, Double snr, boolean forced,
            Double frequency, double mjd, java.time.Instant measuredAt) {
    }

    /** SourceDetail. */
    public SourceDetail detail(String sourceId) {
        Map<String, Object> s = source(sourceId);
        Map<String, Object> v = db.one("SELECT * FROM variability_stats WHERE source_id = ?", sourceId).orElse(null);
        Map<String, Object> counts = db.one("SELECT COUNT(*) AS n, "
                + "SUM(CASE WHEN forced THEN 1 ELSE 0 END) AS n_forced, MAX(snr) AS max_snr FROM photometry "
                + "WHERE source_id = ?", sourceId).orElseThrow();
        Double score = db.one("SELECT composite_score FROM ese_candidates WHERE source_id = ? AND status = 'active' "
                + "ORDER BY id DESC LIMIT 1", sourceId).map(r -> Rows.dbl(r, "composite_score")).orElse(null);
        Long n = Rows.lng(counts, "n");
        Long nf = Rows.lng(counts, "n_forced");
        return new SourceDetail(sourceId, Rows.str(s, "name"), Rows.dbl(s, "ra_deg"), Rows.dbl(s, "dec_deg"),
                Rows.str(s, "catalog"), Rows.dbl(s, "catalog_flux_mjy"), n == null ? 0 : n, nf == null ? 0 : nf,
                v == null ? null : Rows.scaled(Rows.dbl(v, "mean_mjy"), 1e-3),
                v == null ? null : Rows.scaled(Rows.dbl(v, "std_mjy"), 1e-3), Rows.dbl(counts, "max_snr"),
                v != null && Rows.bool(v, "is_variable"), score == null ? null : score / 10.0,
                Rows.bool(s, "new_source"), v == null ? null : metrics(sourceId, v));
    }

    /** VariabilityMetrics of a source (n_epochs 0 when it has no light curve yet). */
    public VariabilityMetrics variability(String sourceId) {
        source(sourceId);
        Map<String, Object> v = db.one("SELECT * FROM variability_stats WHERE source_id = ?", sourceId).orElse(null);
        if (v == null) {
            return new VariabilityMetrics(sourceId, 0.0, 0.0, null, null, 0, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
        }
        return metrics(sourceId, v);
    }

    private static VariabilityMetrics metrics(String sourceId, Map<String, Object> v) {
        // vs_mean/m_mean are the legacy fields; the *_significant_* ones are VAST's aggregates over all pairs
        return new VariabilityMetrics(sourceId, Rows.dbl(v, "v"), Rows.dbl(v, "eta"), Rows.dbl(v, "vs_mean"),
                Rows.dbl(v, "m_mean"), Rows.integer(v, "n_epochs"), Rows.dbl(v, "vs_max_abs"),
                Rows.dbl(v, "m_max_abs"), Rows.dbl(v, "vs_abs_significant_max"), Rows.dbl(v, "m_abs_significant_max"),
                Rows.integer(v, "n_significant_pairs"), Rows.lng(v, "n_pairs"), Rows.dbl(v, "significant_pair_mjd_a"),
                Rows.dbl(v, "significant_pair_mjd_b"), Rows.bool(v, "normalized"), Rows.dbl(v, "chi2_nu"),
                Rows.dbl(v, "sigma_deviation"), Rows.scaled(Rows.dbl(v, "mean_mjy"), 1e-3),
                Rows.scaled(Rows.dbl(v, "std_mjy"), 1e-3), Rows.scaled(Rows.dbl(v, "min_mjy"), 1e-3),
                Rows.scaled(Rows.dbl(v, "max_mjy"), 1e-3), Rows.bool(v, "is_variable"));
    }

    /** LightCurveData: raw points and, where measured, normalised ones, chronological. */
    public LightCurve lightCurve(String sourceId) {
        Map<String, Object> s = source(sourceId);
        List<CurvePoint> raw = new ArrayList<>();
        List<CurvePoint> normalized = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT image_id, image_path, mjd, peak_jyb, peak_err_jyb, "
                + "normalized_flux_jy, normalized_error_jy FROM photometry WHERE source_id = ? ORDER BY mjd, id",
                sourceId)) {
            raw.add(point(r, "peak_jyb", "peak_err_jyb"));
            if (r.get("normalized_flux_jy") != null) {
                normalized.add(point(r, "normalized_flux_jy", "normalized_error_jy"));
            }
        }
        return new LightCurve(sourceId, Rows.dbl(s, "ra_deg"), Rows.dbl(s, "dec_deg"), raw,
                normalized.isEmpty() ? null : normalized);
    }

    private static CurvePoint point(Map<String, Object> r, String flux, String error) {
        double mjd = Rows.dblOr(r, "mjd", Double.NaN);
        return new CurvePoint(mjd, SkyCoords.mjdToInstant(mjd), Rows.dbl(r, flux), Rows.dbl(r, error),
                String.valueOf(r.get("image_id")), Rows.str(r, "image_path"));
    }

    /** DetectionList; fluxes in mJy as in seed 001's example. */
    public DetectionList detections(String sourceId, int page, int pageSize) {
        source(sourceId);
        long total = db.scalarLong("SELECT COUNT(*) FROM photometry WHERE source_id = ?", sourceId);
        List<Detection> items = db.query("SELECT * FROM photometry WHERE source_id = ? "
                + "ORDER BY mjd DESC, id DESC LIMIT ? OFFSET ?", sourceId, pageSize, (long) (page - 1) * pageSize)
                .stream().map(r -> new Detection(Rows.lng(r, "id"), sourceId, Rows.lng(r, "image_id"),
                        Rows.str(r, "image_path"), Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"),
                        Rows.scaled(Rows.dbl(r, "peak_jyb"), 1e3), Rows.scaled(Rows.dbl(r, "peak_err_jyb"), 1e3),
                        Rows.scaled(Rows.dbl(r, "integrated_flux_jy"), 1e3),
                        Rows.scaled(Rows.dbl(r, "err_integrated_flux_jy"), 1e3), Rows.dbl(r, "snr"),
                        Rows.bool(r, "forced"), Rows.dbl(r, "frequency_hz"), Rows.dbl(r, "mjd"),
                        (java.time.Instant) r.get("measured_at"))).toList();
        return new DetectionList(items, total, page, pageSize);
    }
}
