package org.dsa110.contimg.calibration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.store.Db;

/**
 * Antenna health from the stored calibration solutions of tables solved in a window: per antenna the gain
 * amplitude level and its stability over time (coefficient of variation), the phase stability (circular standard
 * deviation, degrees), SNR and flagged fraction, and outlier flags. An antenna is an outlier when its value lies
 * more than {@code outlierZ} robust standard deviations (1.4826 × MAD) from the array median, or when more than
 * {@code flagThreshold} of its solutions are flagged.
 */
public final class AntennaHealth {
    /** Gain-type tables whose solutions vary with time (bandpass tables are per channel). */
    static final String GAIN_TYPES = "('GA', 'GP', '2G', 'BA')";

    /** One unflagged gain solution. */
    public record GainPoint(int antenna, Instant time, double amplitude, Double phaseDeg, Double snr) {
    }

    /** Per-antenna statistics; null fields are unknown (no gain solutions). */
    public record Stats(int antenna, long nSolutions, double flaggedFraction, Double ampMean, Double ampCv,
            Double phaseStdDeg, Double snrMean, List<String> flags) {
    }

    private final Db db;
    private final double outlierZ;
    private final double flagThreshold;

    public AntennaHealth(Db db, double outlierZ, double flagThreshold) {
        this.db = db;
        this.outlierZ = outlierZ;
        this.flagThreshold = flagThreshold;
    }

    /** Table filter: tables created since {@code since}, optionally only those solved on a batch's files. */
    public record Scope(Instant since, Long batchId) {
        String where(List<Object> args) {
            args.add(since);
            String w = " t.created_at >= ?";
            if (batchId != null) {
                w += " AND t.ms_path IN (SELECT ms_path FROM batch_job_items WHERE batch_id = ?)";
                args.add(batchId);
            }
            return w;
        }
    }

    /** Unflagged gain solutions in scope, oldest first (time = solution time, else the table's solve time). */
    public List<GainPoint> gains(Scope scope) {
        List<Object> args = new ArrayList<>();
        String w = scope.where(args);
        List<GainPoint> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT s.antenna_id, s.time_mjd, s.amplitude, s.phase_deg, s.snr, "
                + "t.created_at FROM calibration_solutions s JOIN caltables t ON t.id = s.caltable_id WHERE" + w
                + " AND t.table_type IN " + GAIN_TYPES + " AND s.flagged = FALSE AND s.amplitude IS NOT NULL "
                + "ORDER BY s.antenna_id, s.time_mjd", args.toArray())) {
            Number mjd = (Number) r.get("time_mjd");
            Instant t = mjd == null ? (Instant) r.get("created_at") : MsCatalog.instant(mjd.doubleValue());
            out.add(new GainPoint(((Number) r.get("antenna_id")).intValue(), t,
                    ((Number) r.get("amplitude")).doubleValue(), number(r.get("phase_deg")), number(r.get("snr"))));
        }
        out.sort(Comparator.comparing(GainPoint::time));
        return out;
    }

    /** Statistics of every antenna with solutions in scope, by antenna id, with outlier flags. */
    public List<Stats> stats(Scope scope) {
        List<Object> args = new ArrayList<>();
        String w = scope.where(args);
        Map<Integer, long[]> counts = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT s.antenna_id, COUNT(*) AS n, "
                + "SUM(CASE WHEN s.flagged THEN 1 ELSE 0 END) AS nf FROM calibration_solutions s "
                + "JOIN caltables t ON t.id = s.caltable_id WHERE" + w + " GROUP BY s.antenna_id", args.toArray())) {
            counts.put(((Number) r.get("antenna_id")).intValue(),
                    new long[] {((Number) r.get("n")).longValue(), ((Number) r.get("nf")).longValue()});
        }
        Map<Integer, List<GainPoint>> byAntenna = new TreeMap<>();
        for (GainPoint g : gains(scope)) {
            byAntenna.computeIfAbsent(g.antenna(), k -> new ArrayList<>()).add(g);
        }
        List<Stats> raw = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            List<GainPoint> g = byAntenna.getOrDefault(e.getKey(), List.of());
            double[] amp = g.stream().mapToDouble(GainPoint::amplitude).toArray();
            Double mean = amp.length == 0 ? null : Arrays.stream(amp).average().orElse(Double.NaN);
            Double cv = amp.length < 2 || mean == null || mean == 0 ? null : std(amp) / Math.abs(mean);
            double[] ph = g.stream().filter(p -> p.phaseDeg() != null).mapToDouble(GainPoint::phaseDeg).toArray();
            double[] snr = g.stream().filter(p -> p.snr() != null).mapToDouble(GainPoint::snr).toArray();
            raw.add(new Stats(e.getKey(), e.getValue()[0], (double) e.getValue()[1] / e.getValue()[0], mean, cv,
                    ph.length < 2 ? null : circularStdDeg(ph),
                    snr.length == 0 ? null : Arrays.stream(snr).average().orElse(Double.NaN), List.of()));
        }
        return flagOutliers(raw);
    }

    private List<Stats> flagOutliers(List<Stats> raw) {
        double[] ampRef = robust(raw.stream().map(Stats::ampMean).toList());
        double[] cvRef = robust(raw.stream().map(Stats::ampCv).toList());
        double[] phRef = robust(raw.stream().map(Stats::phaseStdDeg).toList());
        List<Stats> out = new ArrayList<>();
        for (Stats s : raw) {
            List<String> flags = new ArrayList<>();
            if (s.flaggedFraction() > flagThreshold) {
                flags.add("high_flagging");
            }
            if (s.nSolutions() > 0 && s.ampMean() == null) {
                flags.add("no_gain_solutions");
            }
            if (outside(s.ampMean(), ampRef, false)) {
                flags.add("amplitude_outlier");
            }
            if (outside(s.ampCv(), cvRef, true)) {
                flags.add("unstable_amplitude");
            }
            if (outside(s.phaseStdDeg(), phRef, true)) {
                flags.add("unstable_phase");
            }
            out.add(new Stats(s.antenna(), s.nSolutions(), s.flaggedFraction(), s.ampMean(), s.ampCv(),
                    s.phaseStdDeg(), s.snrMean(), List.copyOf(flags)));
        }
        return out;
    }

    /** GET /api/antenna-health/metrics: per-antenna rows, counts, thresholds and the reference-antenna report. */
    public record Metrics(int hours, int nAntennas, long nOutliers, List<Integer> outlierAntennas,
            Thresholds thresholds, List<AntennaRow> antennas, RefantReport refant, Instant timestamp) {
    }

    /** The outlier threshold (robust z) and the flagged fraction above which an antenna is flagged. */
    public record Thresholds(double outlierZ, double flaggedFraction) {
    }

    /** One antenna: amplitude stability is the coefficient of variation, phase stability the circular std. */
    public record AntennaRow(int antennaId, long nSolutions, Double flaggedFraction, Double amplitudeMean,
            Double amplitudeStability, Double phaseStabilityDeg, Double snrMean, boolean outlier,
            List<String> flags) {
    }

    /** Reference antennas in use (most used first), the one in use most, the recommended one and runners-up. */
    public record RefantReport(List<RefantUse> used, String current, String recommended, List<String> candidates) {
    }

    public record RefantUse(String refant, long nTables) {
    }

    /** The metrics document: per-antenna rows, counts and the reference-antenna report. */
    public Metrics metrics(Scope scope, int hours) {
        List<Stats> stats = stats(scope);
        List<AntennaRow> antennas = new ArrayList<>();
        for (Stats s : stats) {
            antennas.add(new AntennaRow(s.antenna(), s.nSolutions(), round(s.flaggedFraction()), round(s.ampMean()),
                    round(s.ampCv()), round(s.phaseStdDeg()), round(s.snrMean()), !s.flags().isEmpty(), s.flags()));
        }
        return new Metrics(hours, stats.size(), stats.stream().filter(s -> !s.flags().isEmpty()).count(),
                stats.stream().filter(s -> !s.flags().isEmpty()).map(Stats::antenna).toList(),
                new Thresholds(outlierZ, flagThreshold), antennas, refantReport(scope, stats), Instant.now());
    }

    /** Reference antennas used by the tables in scope and the recommended one (fewest flags, steadiest phase). */
    public RefantReport refantReport(Scope scope, List<Stats> stats) {
        List<Object> args = new ArrayList<>();
        String w = scope.where(args);
        List<RefantUse> used = db.query("SELECT t.refant, COUNT(*) AS n_tables FROM caltables t WHERE" + w
                + " AND t.refant IS NOT NULL GROUP BY t.refant ORDER BY COUNT(*) DESC, t.refant", args.toArray())
                .stream().map(r -> new RefantUse(r.get("refant").toString(), ((Number) r.get("n_tables")).longValue()))
                .toList();
        List<Stats> ranked = ranked(stats);
        return new RefantReport(used, used.isEmpty() ? null : used.get(0).refant(),
                ranked.isEmpty() ? null : String.valueOf(ranked.get(0).antenna()),
                ranked.stream().limit(5).map(s -> String.valueOf(s.antenna())).toList());
    }

    /** Antennas without outlier flags, fewest flagged solutions first, then steadiest phase. */
    public static List<Stats> ranked(List<Stats> stats) {
        return stats.stream().filter(s -> s.flags().isEmpty() && s.ampMean() != null)
                .sorted(Comparator.comparingDouble(Stats::flaggedFraction)
                        .thenComparingDouble(s -> s.phaseStdDeg() == null ? Double.MAX_VALUE : s.phaseStdDeg())
                        .thenComparingInt(Stats::antenna))
                .toList();
    }

    /** Median and robust sigma of the non-null values; sigma NaN when fewer than three. */
    private static double[] robust(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        if (v.length < 3) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double med = median(v);
        double[] dev = Arrays.stream(v).map(x -> Math.abs(x - med)).sorted().toArray();
        return new double[] {med, 1.4826 * median(dev)};
    }

    private boolean outside(Double v, double[] ref, boolean highOnly) {
        if (v == null || !Double.isFinite(ref[1]) || ref[1] <= 0) {
            return false;
        }
        double z = (v - ref[0]) / ref[1];
        return highOnly ? z > outlierZ : Math.abs(z) > outlierZ;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double std(double[] v) {
        double m = Arrays.stream(v).average().orElse(0);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    /** Circular standard deviation sqrt(-2 ln R) of angles in degrees, in degrees. */
    static double circularStdDeg(double[] deg) {
        double c = 0;
        double s = 0;
        for (double d : deg) {
            c += Math.cos(Math.toRadians(d));
            s += Math.sin(Math.toRadians(d));
        }
        double r = Math.min(1.0, Math.hypot(c, s) / deg.length);
        return Math.toDegrees(Math.sqrt(-2 * Math.log(Math.max(r, 1e-12))));
    }

    /** Row count and newest table time in scope: a version stamp for cached plots. */
    public String version() {
        return db.one("SELECT COUNT(*) AS n, MAX(created_at) AS last_ts FROM caltables")
                .map(r -> r.get("n") + "@" + r.get("last_ts")).orElse("0") + "/"
                + db.scalarLong("SELECT MAX(id) FROM calibration_solutions");
    }

    private static Double number(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    static Double round(Double v) {
        return v == null || !Double.isFinite(v) ? null : Math.round(v * 10000.0) / 10000.0;
    }
}
