package org.dsa110.contimg.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.store.Db;

/**
 * Data behind the ESE candidate plots: candidates at or above a significance (not marked false positive) with
 * their positions, and the light curves (normalised flux where available, else peak) of the most significant.
 */
public final class EseTrends {
    /** One light curve: a candidate's source, its significance and measurements (time, flux in mJy). */
    public record LightCurve(String sourceId, double maxSigma, List<Instant> times, List<Double> fluxMjy) {
    }

    private final Db db;

    public EseTrends(Db db) {
        this.db = db;
    }

    public List<Map<String, Object>> candidates(double minSigma) {
        return db.query("SELECT id, source_id, ra_deg, dec_deg, max_sigma_dev, status, current_flux_jy, "
                + "baseline_flux_jy FROM ese_candidates WHERE max_sigma_dev >= ? AND status <> 'false_positive' "
                + "ORDER BY max_sigma_dev DESC, id", minSigma);
    }

    /** Light curves of the {@code top} most significant candidates. */
    public List<LightCurve> lightCurves(double minSigma, int top) {
        List<LightCurve> out = new ArrayList<>();
        for (Map<String, Object> c : candidates(minSigma).stream().limit(top).toList()) {
            List<Instant> t = new ArrayList<>();
            List<Double> f = new ArrayList<>();
            for (Map<String, Object> p : db.query("SELECT mjd, COALESCE(normalized_flux_jy, peak_jyb) AS flux "
                    + "FROM photometry WHERE source_id = ? ORDER BY mjd", c.get("source_id"))) {
                t.add(MsCatalog.instant(((Number) p.get("mjd")).doubleValue()));
                f.add(((Number) p.get("flux")).doubleValue() * 1000);
            }
            out.add(new LightCurve((String) c.get("source_id"), ((Number) c.get("max_sigma_dev")).doubleValue(), t, f));
        }
        return out;
    }

    public String version() {
        Map<String, Object> r = db.one("SELECT COUNT(*) AS n, MAX(updated_at) AS u FROM ese_candidates")
                .orElse(new LinkedHashMap<>());
        return r.get("n") + "@" + r.get("u") + "/" + db.scalarLong("SELECT MAX(id) FROM photometry");
    }
}
