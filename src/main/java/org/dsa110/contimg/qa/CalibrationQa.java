package org.dsa110.contimg.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/**
 * Calibration QA of a Measurement Set from the calibration tables and per-antenna solutions the store holds
 * ({@code caltables}, {@code calibration_solutions}): the tables solved on the MS, or else the active tables whose
 * validity window covers the MS's mid MJD (the ones applied to it).
 * <ul>
 * <li>per table type (K; BA/BP; GA/GP/2G): solutions, flagged fraction, antennas, channels, times, amplitude mean
 * and scatter, phase RMS, mean SNR (delays for K), over unflagged solutions;</li>
 * <li>overall quality from the mean flag fraction over the tables (science.md): &lt; 0.1 excellent, &lt; 0.3
 * good, &lt; 0.5 marginal, else poor;</li>
 * <li>per-SPW stats (PerSPWStats) over the bandpass tables (all tables when there is none): a channel is highly
 * flagged above {@code hub.qa.calibration.high-flag.fraction}; a SPW is problematic when its flagged fraction
 * exceeds {@code hub.qa.calibration.problematic.fraction} or over 10% of its channels are highly flagged;</li>
 * <li>completeness: see {@link CaltableCompleteness}.</li>
 * </ul>
 * Each evaluation that differs from the newest stored one is stored in {@code calibration_qa}.
 */
public final class CalibrationQa {
    private final Db db;
    private final double highFlagFraction;
    private final double problematicFraction;

    public CalibrationQa(Db db, double highFlagFraction, double problematicFraction) {
        this.db = db;
        this.highFlagFraction = highFlagFraction;
        this.problematicFraction = problematicFraction;
    }

    /** Path spellings a client may mean: as given, and absolute when a greedy URL dropped the leading '/'. */
    static List<String> spellings(String path) {
        return path.startsWith("/") ? List.of(path) : List.of(path, "/" + path);
    }

    /** The calibration tables of an MS (see class doc), in application order; empty when none. */
    public List<Map<String, Object>> tablesOf(String msPath) {
        for (String p : spellings(msPath)) {
            List<Map<String, Object>> solved = db.query("SELECT * FROM caltables WHERE ms_path = ? "
                    + "ORDER BY order_index, id", p);
            if (!solved.isEmpty()) {
                return solved;
            }
        }
        for (String p : spellings(msPath)) {
            Double mid = db.one("SELECT mid_mjd FROM ms_index WHERE path = ?", p)
                    .map(r -> Rows.dbl(r, "mid_mjd")).orElse(null);
            if (mid != null) {
                return db.query("SELECT * FROM caltables WHERE status = 'active' AND valid_start_mjd <= ? AND "
                        + "valid_end_mjd >= ? ORDER BY order_index, id", mid, mid);
            }
        }
        return List.of();
    }

    /** The MS path as stored (the spelling that has tables or an index row), for the response. */
    public String canonical(String msPath) {
        for (String p : spellings(msPath)) {
            if (db.one("SELECT id FROM caltables WHERE ms_path = ?", p).isPresent()
                    || db.one("SELECT path FROM ms_index WHERE path = ?", p).isPresent()) {
                return p;
            }
        }
        return msPath;
    }

    static String category(String tableType) {
        return switch (tableType) {
            case "K" -> "k";
            case "BA", "BP" -> "bp";
            case "GA", "GP", "2G" -> "g";
            default -> "other";
        };
    }

    /** Aggregate metrics of one table over its solutions. */
    Map<String, Object> tableMetrics(Map<String, Object> t) {
        long id = Rows.lng(t, "id");
        Map<String, Object> a = db.one("SELECT COUNT(*) AS n, SUM(CASE WHEN flagged THEN 1 ELSE 0 END) AS n_flagged,"
                + " COUNT(DISTINCT antenna_id) AS n_antennas, COUNT(DISTINCT spw) AS n_spws,"
                + " COUNT(DISTINCT channel) AS n_channels, COUNT(DISTINCT time_mjd) AS n_times,"
                + " AVG(CASE WHEN NOT flagged THEN amplitude END) AS amp_mean,"
                + " STDDEV_POP(CASE WHEN NOT flagged THEN amplitude END) AS amp_std,"
                + " AVG(CASE WHEN NOT flagged THEN phase_deg * phase_deg END) AS phase_ms,"
                + " AVG(CASE WHEN NOT flagged THEN snr END) AS snr_mean,"
                + " AVG(CASE WHEN NOT flagged THEN delay_ns END) AS delay_mean,"
                + " STDDEV_POP(CASE WHEN NOT flagged THEN delay_ns END) AS delay_std"
                + " FROM calibration_solutions WHERE caltable_id = ?", id).orElseThrow();
        long n = Rows.lng(a, "n");
        long nf = a.get("n_flagged") == null ? 0 : Rows.lng(a, "n_flagged");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", t.get("path"));
        m.put("table_type", t.get("table_type"));
        m.put("refant", t.get("refant"));
        m.put("total_solutions", n);
        m.put("flagged_solutions", nf);
        m.put("fraction_flagged", n == 0 ? null : nf / (double) n);
        m.put("n_antennas", a.get("n_antennas"));
        m.put("n_spws", a.get("n_spws"));
        m.put("n_channels", a.get("n_channels"));
        m.put("n_times", a.get("n_times"));
        m.put("amp_mean", a.get("amp_mean"));
        m.put("amp_std", a.get("amp_std"));
        Double phaseMs = Rows.dbl(a, "phase_ms");
        m.put("phase_rms_deg", phaseMs == null ? null : Math.sqrt(phaseMs));
        m.put("snr_mean", a.get("snr_mean"));
        if ("K".equals(t.get("table_type"))) {
            m.put("delay_mean_ns", a.get("delay_mean"));
            m.put("delay_std_ns", a.get("delay_std"));
        }
        return m;
    }

    /**
     * CalibrationQA (endpoints.md). The metrics are stored JSON as evaluated ({@code k_metrics}: one table's
     * metrics, or {@code {"tables": [...]}} for several). {@code calibration_quality}, {@code flagging} and
     * {@code tables} come with an evaluation and are null on a stored row read back for an MS whose tables are gone.
     */
    public record Report(String msPath, Long jobId, String setName, Object kMetrics, Object bpMetrics, Object gMetrics,
            String overallQuality, Double flagsTotal, Object perSpwStats, java.time.Instant timestamp,
            SeedQuality calibrationQuality, Flagging flagging, List<TableRef> tables) {
    }

    /** Seed 001's summary: solution-weighted phase and amplitude rms, unflagged fraction. */
    public record SeedQuality(Double phaseRms, Double ampRms, Double successRate) {
    }

    public record Flagging(double percentFlagged, long flaggedSolutions, long totalSolutions) {
    }

    public record TableRef(String path, String tableType) {
    }

    /** Evaluates (and stores when changed) the calibration QA of an MS; 404 when it has no tables. */
    public Report evaluate(String msPath) {
        List<Map<String, Object>> tables = tablesOf(msPath);
        if (tables.isEmpty()) {
            throw HubException.notFound("calibration tables of MS", msPath);
        }
        String ms = canonical(msPath);
        Map<String, List<Map<String, Object>>> byCat = new TreeMap<>();
        List<Double> fractions = new ArrayList<>();
        long total = 0;
        long flagged = 0;
        List<Long> bpIds = new ArrayList<>();
        List<Long> allIds = new ArrayList<>();
        for (Map<String, Object> t : tables) {
            Map<String, Object> m = tableMetrics(t);
            byCat.computeIfAbsent(category(Rows.str(t, "table_type")), k -> new ArrayList<>()).add(m);
            if (m.get("fraction_flagged") instanceof Double f) {
                fractions.add(f);
            }
            total += (Long) m.get("total_solutions");
            flagged += (Long) m.get("flagged_solutions");
            allIds.add(Rows.lng(t, "id"));
            if ("bp".equals(category(Rows.str(t, "table_type")))) {
                bpIds.add(Rows.lng(t, "id"));
            }
        }
        Double flagsTotal = fractions.isEmpty() ? null
                : fractions.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        String quality = flagsTotal == null ? "unknown" : flagsTotal < 0.1 ? "excellent" : flagsTotal < 0.3 ? "good"
                : flagsTotal < 0.5 ? "marginal" : "poor";
        List<Map<String, Object>> perSpw = perSpw(bpIds.isEmpty() ? allIds : bpIds);
        String k = json(metricsOf(byCat.get("k")));
        String bp = json(metricsOf(byCat.get("bp")));
        String g = json(metricsOf(byCat.get("g")));
        String spw = json(perSpw);
        String setName = Rows.str(tables.get(0), "set_name");
        Map<String, Object> stored = db.one("SELECT * FROM calibration_qa WHERE ms_path = ? ORDER BY timestamp DESC, "
                + "id DESC LIMIT 1", ms).orElse(null);
        boolean same = stored != null && java.util.Objects.equals(k, stored.get("k_metrics"))
                && java.util.Objects.equals(bp, stored.get("bp_metrics"))
                && java.util.Objects.equals(g, stored.get("g_metrics"))
                && java.util.Objects.equals(spw, stored.get("per_spw_stats"));
        if (!same) {
            long id = db.insert("INSERT INTO calibration_qa (ms_path, set_name, k_metrics, bp_metrics, g_metrics, "
                    + "overall_quality, flags_total, per_spw_stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "id", ms,
                    setName, k, bp, g, quality, flagsTotal, spw);
            stored = db.one("SELECT * FROM calibration_qa WHERE id = ?", id).orElseThrow();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        byCat.values().forEach(all::addAll);
        return view(stored, new SeedQuality(weighted(all, "phase_rms_deg"), weighted(all, "amp_std"),
                total == 0 ? null : (total - flagged) / (double) total),
                new Flagging(total == 0 ? 0.0 : 100.0 * flagged / total, flagged, total),
                tables.stream().map(t -> new TableRef(Rows.str(t, "path"), Rows.str(t, "table_type"))).toList());
    }

    private static Object metricsOf(List<Map<String, Object>> tables) {
        if (tables == null || tables.isEmpty()) {
            return null;
        }
        return tables.size() == 1 ? tables.get(0) : Map.of("tables", tables);
    }

    /** Mean of a metric over tables weighted by their unflagged solutions; null when none has it. */
    private static Double weighted(List<Map<String, Object>> tables, String key) {
        double sum = 0;
        double w = 0;
        for (Map<String, Object> t : tables) {
            if (t.get(key) instanceof Number v) {
                long good = (Long) t.get("total_solutions") - (Long) t.get("flagged_solutions");
                sum += v.doubleValue() * good;
                w += good;
            }
        }
        return w > 0 ? sum / w : null;
    }

    /** PerSPWStats over the given tables. */
    List<Map<String, Object>> perSpw(List<Long> tableIds) {
        if (tableIds.isEmpty()) {
            return List.of();
        }
        String in = "?" + ", ?".repeat(tableIds.size() - 1);
        List<Map<String, Object>> rows = db.query("SELECT spw, channel, COUNT(*) AS n, SUM(CASE WHEN flagged THEN 1 "
                + "ELSE 0 END) AS nf FROM calibration_solutions WHERE caltable_id IN (" + in + ") GROUP BY spw, channel "
                + "ORDER BY spw, channel", tableIds.toArray());
        Map<Integer, List<long[]>> bySpw = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            bySpw.computeIfAbsent(Rows.integer(r, "spw"), s -> new ArrayList<>())
                    .add(new long[] {Rows.lng(r, "n"), r.get("nf") == null ? 0 : Rows.lng(r, "nf")});
        }
        List<Map<String, Object>> out = new ArrayList<>();
        bySpw.forEach((spw, channels) -> {
            long n = 0;
            long nf = 0;
            long maxF = 0;
            int high = 0;
            for (long[] c : channels) {
                n += c[0];
                nf += c[1];
                maxF = Math.max(maxF, c[1]);
                if (c[0] > 0 && c[1] / (double) c[0] > highFlagFraction) {
                    high++;
                }
            }
            double frac = n == 0 ? 0 : nf / (double) n;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spw_id", spw);
            m.put("total_solutions", n);
            m.put("flagged_solutions", nf);
            m.put("fraction_flagged", frac);
            m.put("n_channels", channels.size());
            m.put("channels_with_high_flagging", high);
            m.put("avg_flagged_per_channel", nf / (double) channels.size());
            m.put("max_flagged_in_channel", maxF);
            m.put("is_problematic", frac > problematicFraction || high > 0.1 * channels.size());
            out.add(m);
        });
        return out;
    }

    /** CalibrationQA (endpoints.md) of a stored row. */
    static Report view(Map<String, Object> r, SeedQuality quality, Flagging flagging, List<TableRef> tables) {
        return new Report(Rows.str(r, "ms_path"), r.get("job_id") == null ? null : Rows.lng(r, "job_id"),
                Rows.str(r, "set_name"), parse(r.get("k_metrics")), parse(r.get("bp_metrics")),
                parse(r.get("g_metrics")), Rows.str(r, "overall_quality"),
                r.get("flags_total") == null ? null : Rows.dbl(r, "flags_total"), parse(r.get("per_spw_stats")),
                (java.time.Instant) r.get("timestamp"), quality, flagging, tables);
    }

    /** The newest stored calibration QA of an MS, or null. */
    public Report stored(String msPath) {
        for (String p : spellings(msPath)) {
            var r = db.one("SELECT * FROM calibration_qa WHERE ms_path = ? ORDER BY timestamp DESC, id DESC LIMIT 1",
                    p);
            if (r.isPresent()) {
                return view(r.get(), null, null, null);
            }
        }
        return null;
    }

    private static String json(Object o) {
        try {
            return o == null ? null : Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(Object json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json.toString(), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
