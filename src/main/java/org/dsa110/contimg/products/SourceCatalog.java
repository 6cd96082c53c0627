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

    /** Search filters (seed 001) and paging; any field may be null. */
    public record Search(String query, Double variabilityMin, Double decMin, Double decMax, Double fluxMinMjy,
                         String sortField, boolean descending, int limit, int offset) {
    }

    /** Sources matching the search, with their light-curve summary (SourceSearchResponse of seed 001). */
    public Map<String, Object> search(Search q) {
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
                .andIf(q.fluxMinMjy() != null, "COALESCE(v.mean_mjy, s.catalog_flux_mjy) >= ?", q.fluxMinMjy());
        long total = db.scalarLong("SELECT COUNT(*) FROM sources s LEFT JOIN variability_stats v "
                + "ON v.source_id = s.source_id" + w.sql(), w.args().toArray());
        List<Map<String, Object>> rows = db.query(SUMMARY_SELECT + w.sql() + " ORDER BY " + column
                + (q.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST") + ", s.source_id LIMIT ? OFFSET ?",
                w.argsWith(q.limit(), q.offset()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sources", rows.stream().map(SourceCatalog::summary).toList());
        out.put("total", total);
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        return out;
    }

    private static String like(String s) {
        return s == null ? null : "%" + s.toLowerCase(Locale.ROOT) + "%";
    }

    /** Tracked sources (those with a light curve), most recently measured first. */
    public Map<String, Object> list(int limit) {
        long total = db.scalarLong("SELECT COUNT(*) FROM variability_stats");
        List<Map<String, Object>> rows = db.query(SUMMARY_SELECT + " WHERE v.source_id IS NOT NULL "
                + "ORDER BY v.last_mjd DESC NULLS LAST, s.source_id LIMIT ?", limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sources", rows.stream().map(SourceCatalog::summary).toList());
        out.put("total", total);
        return out;
    }

    private static Map<String, Object> summary(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_id", r.get("source_id"));
        m.put("name", r.get("name"));
        m.put("ra_deg", r.get("ra_deg"));
        m.put("dec_deg", r.get("dec_deg"));
        m.put("catalog", r.get("catalog"));
        m.put("nvss_flux_mjy", r.get("catalog_flux_mjy"));
        m.put("mean_flux_mjy", r.get("mean_mjy"));
        m.put("std_flux_mjy", r.get("std_mjy"));
        Integer n = Rows.integer(r, "n_epochs");
        m.put("n_obs", n == null ? 0 : n);
        m.put("chi2_nu", r.get("chi2_nu"));
        m.put("sigma_deviation", r.get("sigma_deviation"));
        m.put("eta", r.get("eta"));
        m.put("v", r.get("v"));
        m.put("is_variable", Rows.bool(r, "is_variable"));
        Double last = Rows.dbl(r, "last_mjd");
        m.put("last_measured_at", last == null ? null : SkyCoords.mjdToInstant(last));
        return m;
    }

    /** SourceDetail. */
    public Map<String, Object> detail(String sourceId) {
        Map<String, Object> s = source(sourceId);
        Map<String, Object> v = db.one("SELECT * FROM variability_stats WHERE source_id = ?", sourceId).orElse(null);
        Map<String, Object> counts = db.one("SELECT COUNT(*) AS n, "
                + "SUM(CASE WHEN forced THEN 1 ELSE 0 END) AS n_forced, MAX(snr) AS max_snr FROM photometry "
                + "WHERE source_id = ?", sourceId).orElseThrow();
        Double score = db.one("SELECT composite_score FROM ese_candidates WHERE source_id = ? AND status = 'active' "
                + "ORDER BY id DESC LIMIT 1", sourceId).map(r -> Rows.dbl(r, "composite_score")).orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", sourceId);
        m.put("name", s.get("name"));
        m.put("ra_deg", s.get("ra_deg"));
        m.put("dec_deg", s.get("dec_deg"));
        m.put("catalog", s.get("catalog"));
        m.put("catalog_flux_mjy", s.get("catalog_flux_mjy"));
        Long n = Rows.lng(counts, "n");
        Long nf = Rows.lng(counts, "n_forced");
        m.put("n_meas", n == null ? 0 : n);
        m.put("n_meas_forced", nf == null ? 0 : nf);
        m.put("mean_flux_jy", v == null ? null : Rows.scaled(Rows.dbl(v, "mean_mjy"), 1e-3));
        m.put("std_flux_jy", v == null ? null : Rows.scaled(Rows.dbl(v, "std_mjy"), 1e-3));
        m.put("max_snr", counts.get("max_snr"));
        m.put("is_variable", v != null && Rows.bool(v, "is_variable"));
        // The composite ESE score (0-10) of an active candidate, as a 0-1 figure; null when not a candidate.
        m.put("ese_probability", score == null ? null : score / 10.0);
        m.put("new_source", Rows.bool(s, "new_source"));
        m.put("variability_metrics", v == null ? null : metrics(sourceId, v));
        return m;
    }

    /** VariabilityMetrics of a source (n_epochs 0 when it has no light curve yet). */
    public Map<String, Object> variability(String sourceId) {
        source(sourceId);
        Map<String, Object> v = db.one("SELECT * FROM variability_stats WHERE source_id = ?", sourceId).orElse(null);
        if (v == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source_id", sourceId);
            m.put("v", 0.0);
            m.put("eta", 0.0);
            m.put("vs_mean", null);
            m.put("m_mean", null);
            m.put("n_epochs", 0);
            return m;
        }
        return metrics(sourceId, v);
    }

    private static Map<String, Object> metrics(String sourceId, Map<String, Object> v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_id", sourceId);
        m.put("v", v.get("v"));
        m.put("eta", v.get("eta"));
        m.put("vs_mean", v.get("vs_mean"));
        m.put("m_mean", v.get("m_mean"));
        m.put("n_epochs", v.get("n_epochs"));
        m.put("vs_max_abs", v.get("vs_max_abs"));
        m.put("m_max_abs", v.get("m_max_abs"));
        // VAST two-epoch aggregates over all pairs (science.md); vs_mean/m_mean above are the legacy fields
        m.put("vs_abs_significant_max", v.get("vs_abs_significant_max"));
        m.put("m_abs_significant_max", v.get("m_abs_significant_max"));
        m.put("n_significant_pairs", v.get("n_significant_pairs"));
        m.put("n_pairs", v.get("n_pairs"));
        m.put("significant_pair_mjd_a", v.get("significant_pair_mjd_a"));
        m.put("significant_pair_mjd_b", v.get("significant_pair_mjd_b"));
        m.put("normalized", Rows.bool(v, "normalized"));
        m.put("chi2_nu", v.get("chi2_nu"));
        m.put("sigma_deviation", v.get("sigma_deviation"));
        m.put("mean_flux_jy", Rows.scaled(Rows.dbl(v, "mean_mjy"), 1e-3));
        m.put("std_flux_jy", Rows.scaled(Rows.dbl(v, "std_mjy"), 1e-3));
        m.put("min_flux_jy", Rows.scaled(Rows.dbl(v, "min_mjy"), 1e-3));
        m.put("max_flux_jy", Rows.scaled(Rows.dbl(v, "max_mjy"), 1e-3));
        m.put("is_variable", Rows.bool(v, "is_variable"));
        return m;
    }

    /** LightCurveData: raw points and, where measured, normalised ones, chronological. */
    public Map<String, Object> lightCurve(String sourceId) {
        Map<String, Object> s = source(sourceId);
        List<Map<String, Object>> raw = new ArrayList<>();
        List<Map<String, Object>> normalized = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT image_id, image_path, mjd, peak_jyb, peak_err_jyb, "
                + "normalized_flux_jy, normalized_error_jy FROM photometry WHERE source_id = ? ORDER BY mjd, id",
                sourceId)) {
            raw.add(point(r, "peak_jyb", "peak_err_jyb"));
            if (r.get("normalized_flux_jy") != null) {
                normalized.add(point(r, "normalized_flux_jy", "normalized_error_jy"));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_id", sourceId);
        m.put("ra_deg", s.get("ra_deg"));
        m.put("dec_deg", s.get("dec_deg"));
        m.put("flux_points", raw);
        m.put("normalized_flux_points", normalized.isEmpty() ? null : normalized);
        return m;
    }

    private static Map<String, Object> point(Map<String, Object> r, String flux, String error) {
        Map<String, Object> p = new LinkedHashMap<>();
        double mjd = Rows.dblOr(r, "mjd", Double.NaN);
        p.put("mjd", mjd);
        p.put("time", SkyCoords.mjdToInstant(mjd));
        p.put("flux_jy", r.get(flux));
        p.put("flux_err_jy", r.get(error));
        p.put("image_id", String.valueOf(r.get("image_id")));
        p.put("image_path", r.get("image_path"));
        return p;
    }

    /** DetectionList; fluxes in mJy as in seed 001's example. */
    public Map<String, Object> detections(String sourceId, int page, int pageSize) {
        source(sourceId);
        long total = db.scalarLong("SELECT COUNT(*) FROM photometry WHERE source_id = ?", sourceId);
        List<Map<String, Object>> items = db.query("SELECT * FROM photometry WHERE source_id = ? "
                + "ORDER BY mjd DESC, id DESC LIMIT ? OFFSET ?", sourceId, pageSize, (long) (page - 1) * pageSize)
                .stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.get("id"));
                    m.put("name", sourceId);
                    m.put("image_id", r.get("image_id"));
                    m.put("image_path", r.get("image_path"));
                    m.put("ra", r.get("ra_deg"));
                    m.put("dec", r.get("dec_deg"));
                    m.put("flux_peak", Rows.scaled(Rows.dbl(r, "peak_jyb"), 1e3));
                    m.put("flux_peak_err", Rows.scaled(Rows.dbl(r, "peak_err_jyb"), 1e3));
                    m.put("flux_int", Rows.scaled(Rows.dbl(r, "integrated_flux_jy"), 1e3));
                    m.put("flux_int_err", Rows.scaled(Rows.dbl(r, "err_integrated_flux_jy"), 1e3));
                    m.put("snr", r.get("snr"));
                    m.put("forced", Rows.bool(r, "forced"));
                    m.put("frequency", r.get("frequency_hz"));
                    m.put("mjd", r.get("mjd"));
                    m.put("measured_at", r.get("measured_at"));
                    return m;
                }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("total", total);
        out.put("page", page);
        out.put("page_size", pageSize);
        return out;
    }
}
