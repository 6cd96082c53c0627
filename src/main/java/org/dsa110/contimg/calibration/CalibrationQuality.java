package org.dsa110.contimg.calibration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dsa110.contimg.store.Db;

/**
 * Calibration quality over a window: per table solved in it, the number of solutions, the flagged fraction and
 * the SNR of the unflagged solutions; per table type and overall summaries. A table is "low SNR" when its mean
 * SNR is below {@code minSnr}.
 */
public final class CalibrationQuality {
    private final Db db;
    private final double minSnr;

    public CalibrationQuality(Db db, double minSnr) {
        this.db = db;
        this.minSnr = minSnr;
    }

    /** Per-table rows for tables created since {@code since}, oldest first. */
    public List<Map<String, Object>> tables(Instant since) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT t.id, t.path, t.table_type, t.set_name, t.refant, "
                + "t.created_at, c.calibrator_name, COUNT(s.id) AS n, "
                + "SUM(CASE WHEN s.flagged THEN 1 ELSE 0 END) AS nf, "
                + "AVG(CASE WHEN s.flagged THEN NULL ELSE s.snr END) AS snr_mean, "
                + "MIN(CASE WHEN s.flagged THEN NULL ELSE s.snr END) AS snr_min "
                + "FROM caltables t LEFT JOIN calibration_solutions s ON s.caltable_id = t.id "
                + "LEFT JOIN calibration_sets c ON c.set_name = t.set_name WHERE t.created_at >= ? "
                + "GROUP BY t.id, t.path, t.table_type, t.set_name, t.refant, t.created_at, c.calibrator_name "
                + "ORDER BY t.created_at, t.id", since)) {
            long n = ((Number) r.get("n")).longValue();
            Number nf = (Number) r.get("nf");
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("caltable_id", r.get("id"));
            e.put("path", r.get("path"));
            e.put("table_type", r.get("table_type"));
            e.put("set_name", r.get("set_name"));
            e.put("calibrator_name", r.get("calibrator_name"));
            e.put("refant", r.get("refant"));
            e.put("created_at", r.get("created_at"));
            e.put("n_solutions", n);
            e.put("flagged_fraction", n == 0 ? null : AntennaHealth.round((nf == null ? 0 : nf.doubleValue()) / n));
            Double snr = r.get("snr_mean") == null ? null : ((Number) r.get("snr_mean")).doubleValue();
            e.put("snr_mean", AntennaHealth.round(snr));
            e.put("snr_min", r.get("snr_min") == null ? null
                    : AntennaHealth.round(((Number) r.get("snr_min")).doubleValue()));
            e.put("low_snr", snr != null && snr < minSnr);
            out.add(e);
        }
        return out;
    }

    public Map<String, Object> metrics(Instant since, int hours) {
        List<Map<String, Object>> tables = tables(since);
        Map<String, List<Map<String, Object>>> byType = new TreeMap<>();
        for (Map<String, Object> t : tables) {
            byType.computeIfAbsent((String) t.get("table_type"), k -> new ArrayList<>()).add(t);
        }
        Map<String, Object> types = new LinkedHashMap<>();
        byType.forEach((type, rows) -> types.put(type, summary(rows)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hours", hours);
        out.put("summary", summary(tables));
        out.put("by_type", types);
        out.put("tables", tables);
        out.put("min_snr", minSnr);
        out.put("timestamp", Instant.now());
        return out;
    }

    private static Map<String, Object> summary(List<Map<String, Object>> rows) {
        double[] snr = rows.stream().filter(r -> r.get("snr_mean") != null)
                .mapToDouble(r -> (Double) r.get("snr_mean")).sorted().toArray();
        double[] flagged = rows.stream().filter(r -> r.get("flagged_fraction") != null)
                .mapToDouble(r -> (Double) r.get("flagged_fraction")).toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n_tables", rows.size());
        s.put("n_solutions", rows.stream().mapToLong(r -> (Long) r.get("n_solutions")).sum());
        s.put("snr_median", snr.length == 0 ? null : AntennaHealth.round(AntennaHealth.median(snr)));
        s.put("flagged_fraction_mean", flagged.length == 0 ? null
                : AntennaHealth.round(java.util.Arrays.stream(flagged).average().orElse(Double.NaN)));
        s.put("n_low_snr", rows.stream().filter(r -> Boolean.TRUE.equals(r.get("low_snr"))).count());
        return s;
    }
}
