package org.dsa110.contimg.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/**
 * Pipeline performance over a look-back window, from pipeline_executions and stage_runs (written by the engine)
 * and the conversion writer timings on ingest_groups: durations per stage, throughput, failure rates.
 * A run belongs to the window when it finished in it (or, still running, started in it).
 */
public final class PerformanceMetrics {
    private final Db db;

    public PerformanceMetrics(Db db) {
        this.db = db;
    }

    /** The stage runs of the window, oldest first: stage_name, status, duration_sec, finished_at. */
    public List<Map<String, Object>> stageRuns(TimeWindow w) {
        return db.query("SELECT stage_name, status, duration_sec, started_at, finished_at FROM stage_runs "
                + "WHERE COALESCE(finished_at, started_at) >= ? AND COALESCE(finished_at, started_at) <= ? "
                + "ORDER BY COALESCE(finished_at, started_at)", w.start(), w.end());
    }

    /** Per stage: runs, completed, failed, failure rate, duration statistics (s) and throughput (per hour). */
    public List<Map<String, Object>> stageStats(TimeWindow w) {
        Map<String, List<Map<String, Object>>> byStage = new LinkedHashMap<>();
        for (Map<String, Object> r : stageRuns(w)) {
            byStage.computeIfAbsent((String) r.get("stage_name"), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : new java.util.TreeMap<>(byStage).entrySet()) {
            long completed = e.getValue().stream().filter(r -> "completed".equals(r.get("status"))).count();
            long failed = e.getValue().stream().filter(r -> "failed".equals(r.get("status"))).count();
            double[] durations = e.getValue().stream().filter(r -> "completed".equals(r.get("status")))
                    .map(r -> r.get("duration_sec")).filter(d -> d instanceof Number)
                    .mapToDouble(d -> ((Number) d).doubleValue()).toArray();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage_name", e.getKey());
            s.put("runs", e.getValue().size());
            s.put("completed", completed);
            s.put("failed", failed);
            s.put("failure_rate", completed + failed == 0 ? null
                    : TimeWindow.round3((double) failed / (completed + failed)));
            s.put("mean_duration_sec", durations.length == 0 ? null : TimeWindow.round3(TimeWindow.mean(durations)));
            s.put("median_duration_sec", TimeWindow.round3(TimeWindow.quantile(durations, 0.5)));
            s.put("p95_duration_sec", TimeWindow.round3(TimeWindow.quantile(durations, 0.95)));
            s.put("max_duration_sec", TimeWindow.round3(TimeWindow.quantile(durations, 1.0)));
            s.put("throughput_per_hour", TimeWindow.round3(completed / w.hours()));
            out.add(s);
        }
        return out;
    }

    /** Executions in the window by status, their mean duration and completed executions per hour. */
    public Map<String, Object> executionStats(TimeWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        long total = 0;
        for (String status : List.of("pending", "running", "completed", "failed", "cancelled")) {
            long n = db.scalarLong("SELECT COUNT(*) FROM pipeline_executions WHERE status = ? "
                    + "AND COALESCE(finished_at, started_at, created_at) BETWEEN ? AND ?", status, w.start(), w.end());
            m.put(status, n);
            total += n;
        }
        m.put("total", total);
        Object mean = db.one("SELECT AVG(duration_sec) AS d FROM pipeline_executions WHERE status = 'completed' "
                + "AND finished_at BETWEEN ? AND ?", w.start(), w.end()).map(r -> r.get("d")).orElse(null);
        m.put("mean_duration_sec", mean instanceof Number n ? TimeWindow.round3(n.doubleValue()) : null);
        m.put("throughput_per_hour", TimeWindow.round3(((Number) m.get("completed")).doubleValue() / w.hours()));
        return m;
    }

    /** Conversion writer timings: per writer_type the groups completed in the window and their total time (s). */
    public List<Map<String, Object>> writerStats(TimeWindow w) {
        Map<String, List<Double>> byWriter = new java.util.TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT writer_type, perf_total_time FROM ingest_groups "
                + "WHERE writer_type IS NOT NULL AND perf_total_time IS NOT NULL AND completed_at BETWEEN ? AND ?",
                w.start(), w.end())) {
            byWriter.computeIfAbsent((String) r.get("writer_type"), k -> new ArrayList<>())
                    .add(((Number) r.get("perf_total_time")).doubleValue());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byWriter.forEach((writer, times) -> {
            double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("writer_type", writer);
            s.put("groups", t.length);
            s.put("mean_total_time_sec", TimeWindow.round3(TimeWindow.mean(t)));
            s.put("median_total_time_sec", TimeWindow.round3(TimeWindow.quantile(t, 0.5)));
            out.add(s);
        });
        return out;
    }

    /** Completed runs per bin per stage (for the throughput plot): stage -> counts per bin. */
    public Map<String, double[]> completionsPerBin(TimeWindow w) {
        Map<String, double[]> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : stageRuns(w)) {
            int bin = w.binOf((Instant) r.get("finished_at"));
            if ("completed".equals(r.get("status")) && bin >= 0) {
                out.computeIfAbsent((String) r.get("stage_name"), k -> new double[w.binCount()])[bin]++;
            }
        }
        return out;
    }

    /** The whole /api/performance/metrics body. */
    public Map<String, Object> metrics(int hours) {
        TimeWindow w = TimeWindow.lastHours(hours);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hours", hours);
        m.put("window_start", w.start());
        m.put("window_end", w.end());
        m.put("executions", executionStats(w));
        m.put("stages", stageStats(w));
        m.put("writers", writerStats(w));
        return m;
    }

    /** A cheap stamp that changes whenever runs are added or finish (for plot cache keys). */
    public String dataVersion() {
        return db.one("SELECT COUNT(*) AS n, MAX(id) AS id, MAX(finished_at) AS f FROM stage_runs")
                .map(r -> r.get("n") + ":" + r.get("id") + ":" + r.get("f")).orElse("0")
                + "/" + db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE perf_total_time IS NOT NULL");
    }
}
