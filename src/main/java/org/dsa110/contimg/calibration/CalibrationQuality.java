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

    /** GET /api/calibration-quality/metrics: overall and per-type summaries, the tables, the SNR threshold. */
    public record Metrics(int hours, Summary summary, Map<String, Summary> byType, List<Table> tables, double minSnr,
            Instant timestamp) {
    }

    /** Tables, solutions, median of the tables' mean SNR, mean flagged fraction, tables below min_snr. */
    public record Summary(int nTables, long nSolutions, Double snrMedian, Double flaggedFractionMean, long nLowSnr) {
    }

    /** One table solved in the window: SNR of its unflagged solutions. */
    public record Table(Long caltableId, String path, String tableType, String setName, String calibratorName,
            String refant, Instant createdAt, long nSolutions, Double flaggedFraction, Double snrMean, Double snrMin,
            boolean lowSnr) {
    }

    /** Per-table rows for tables created since {@code since}, oldest first. */
    public List<Table> tables(Instant since) {
        List<Table> out = new ArrayList<>();
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
            Double snr = r.get("snr_mean") == null ? null : ((Number) r.get("snr_mean")).doubleValue();
            out.add(new Table(((Number) r.get("id")).longValue(), (String) r.get("path"), (String) r.get("table_type"),
                    (String) r.get("set_name"), (String) r.get("calibrator_name"),
                    r.get("refant") == null ? null : r.get("refant").toString(), (Instant) r.get("created_at"), n,
                    n == 0 ? null : AntennaHealth.round((nf == null ? 0 : nf.doubleValue()) / n),
                    AntennaHealth.round(snr), r.get("snr_min") == null ? null
                            : AntennaHealth.round(((Number) r.get("snr_min")).doubleValue()),
                    snr != null && snr < minSnr));
        }
        return out;
    }

    public Metrics metrics(Instant since, int hours) {
        List<Table> tables = tables(since);
        Map<String, List<Table>> byType = new TreeMap<>();
        for (Table t : tables) {
            byType.computeIfAbsent(t.tableType(), k -> new ArrayList<>()).add(t);
        }
        Map<String, Summary> types = new LinkedHashMap<>();
        byType.forEach((type, rows) -> types.put(type, summary(rows)));
        return new Metrics(hours, summary(tables), types, tables, minSnr, Instant.now());
    }

    private static Summary summary(List<Table> rows) {
        double[] snr = rows.stream().filter(r -> r.snrMean() != null).mapToDouble(Table::snrMean).sorted().toArray();
        double[] flagged = rows.stream().filter(r -> r.flaggedFraction() != null)
                .mapToDouble(Table::flaggedFraction).toArray();
        return new Summary(rows.size(), rows.stream().mapToLong(Table::nSolutions).sum(),
                snr.length == 0 ? null : AntennaHealth.round(AntennaHealth.median(snr)),
                flagged.length == 0 ? null
                        : AntennaHealth.round(java.util.Arrays.stream(flagged).average().orElse(Double.NaN)),
                rows.stream().filter(Table::lowSnr).count());
    }
}
