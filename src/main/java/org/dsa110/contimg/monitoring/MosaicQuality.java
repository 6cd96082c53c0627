package org.dsa110.contimg.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/**
 * Quality of the mosaics of a window (table {@code mosaics}; a mosaic belongs to the window its data end in): noise (median of the effective noise map),
 * peak and dynamic range (peak / noise when the builder did not store it), image and source counts.
 */
public final class MosaicQuality {
    private final Db db;

    public MosaicQuality(Db db) {
        this.db = db;
    }

    /** Mosaics whose data end at or after {@code since}, oldest first. */
    public List<Map<String, Object>> mosaics(Instant since) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id, name, status, tier, created_at, start_time, end_time, "
                + "image_count, noise_jy, peak_flux_jy, dynamic_range, source_count FROM mosaics "
                + "WHERE end_time >= ? ORDER BY end_time, id", since)) {
            Map<String, Object> m = new LinkedHashMap<>(r);
            Number noise = (Number) r.get("noise_jy");
            Number peak = (Number) r.get("peak_flux_jy");
            if (r.get("dynamic_range") == null && noise != null && peak != null && noise.doubleValue() > 0) {
                m.put("dynamic_range", peak.doubleValue() / noise.doubleValue());
            }
            m.put("noise_mjy", noise == null ? null : noise.doubleValue() * 1000);
            out.add(m);
        }
        return out;
    }

    public Map<String, Object> metrics(Instant since, int hours) {
        List<Map<String, Object>> mosaics = mosaics(since);
        double[] noise = values(mosaics, "noise_mjy");
        double[] dr = values(mosaics, "dynamic_range");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("n_mosaics", mosaics.size());
        summary.put("n_completed", mosaics.stream().filter(m -> "completed".equals(m.get("status"))).count());
        summary.put("n_failed", mosaics.stream().filter(m -> "failed".equals(m.get("status"))).count());
        summary.put("noise_mjy_median", median(noise));
        summary.put("noise_mjy_min", noise.length == 0 ? null : Arrays.stream(noise).min().getAsDouble());
        summary.put("noise_mjy_max", noise.length == 0 ? null : Arrays.stream(noise).max().getAsDouble());
        summary.put("dynamic_range_median", median(dr));
        summary.put("dynamic_range_max", dr.length == 0 ? null : Arrays.stream(dr).max().getAsDouble());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hours", hours);
        out.put("summary", summary);
        out.put("mosaics", mosaics);
        out.put("timestamp", Instant.now());
        return out;
    }

    static double[] values(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> r.get(key)).filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v)
                .doubleValue()).filter(Double::isFinite).toArray();
    }

    private static Double median(double[] v) {
        return v.length == 0 ? null : TimeWindow.round3(TimeWindow.quantile(v, 0.5));
    }

    public String version() {
        return db.one("SELECT COUNT(*) AS n, MAX(id) AS last_id FROM mosaics")
                .map(r -> r.get("n") + "@" + r.get("last_id")).orElse("0");
    }
}
