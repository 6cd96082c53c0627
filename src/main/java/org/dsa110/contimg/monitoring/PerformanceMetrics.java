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

    /** One stage over the window: runs, outcomes, failure rate, duration statistics (s) and throughput (per hour). */
    public record StageStats(String stageName, int runs, long completed, long failed, Double failureRate,
            Double meanDurationSec, Double medianDurationSec, Double p95DurationSec, Double maxDurationSec,
            Double throughputPerHour) {
    }

    /** Executions of the window by status, their mean duration (s) and completed executions per hour. */
    public record ExecutionStats(long pending, long running, long completed, long failed, long cancelled, long total,
            Double meanDurationSec, Double throughputPerHour) {
    }

    /** One conversion writer: groups it converted in the window and their total processing time (s). */
    public record WriterStats(String writerType, int groups, Double meanTotalTimeSec, Double medianTotalTimeSec) {
    }

    /** The whole /api/performance/metrics body. */
    public record PerformanceReport(int hours, Instant windowStart, Instant windowEnd, ExecutionStats executions,
            List<StageStats> stages, List<WriterStats> writers) {
    }

    /** Per stage (by name): runs, completed, failed, failure rate, duration statistics and throughput. */
    public List<StageStats> stageStats(TimeWindow w) {
        Map<String, List<Map<String, Object>>> byStage = new java.util.TreeMap<>();
        for (Map<String, Object> r : stageRuns(w)) {
            byStage.computeIfAbsent((String) r.get("stage_name"), k -> new ArrayList<>()).add(r);
        }
        List<StageStats> out = new ArrayList<>();
        byStage.forEach((stage, runs) -> {
            long completed = runs.stream().filter(r -> "completed".equals(r.get("status"))).count();
            long failed = runs.stream().filter(r -> "failed".equals(r.get("status"))).count();
            double[] durations = runs.stream().filter(r -> "completed".equals(r.get("status")))
                    .map(r -> r.get("duration_sec")).filter(d -> d instanceof Number)
                    .mapToDouble(d -> ((Number) d).doubleValue()).toArray();
            out.add(new StageStats(stage, runs.size(), completed, failed, completed + failed == 0 ? null
                    : TimeWindow.round3((double) failed / (completed + failed)),
                    durations.length == 0 ? null : TimeWindow.round3(TimeWindow.mean(durations)),
                    TimeWindow.round3(TimeWindow.quantile(durations, 0.5)),
                    TimeWindow.round3(TimeWindow.quantile(durations, 0.95)),
                    TimeWindow.round3(TimeWindow.quantile(durations, 1.0)), TimeWindow.round3(completed / w.hours())));
        });
        return out;
    }

    public ExecutionStats executionStats(TimeWindow w) {
        Map<String, Long> n = new LinkedHashMap<>();
        for (String status : List.of("pending", "running", "completed", "failed", "cancelled")) {
            n.put(status, db.scalarLong("SELECT COUNT(*) FROM pipeline_executions WHERE status = ? "
                    + "AND COALESCE(finished_at, started_at, created_at) BETWEEN ? AND ?", status, w.start(), w.end()));
        }
        Object mean = db.one("SELECT AVG(duration_sec) AS d FROM pipeline_executions WHERE status = 'completed' "
                + "AND finished_at BETWEEN ? AND ?", w.start(), w.end()).map(r -> r.get("d")).orElse(null);
        return new ExecutionStats(n.get("pending"), n.get("running"), n.get("completed"), n.get("failed"),
                n.get("cancelled"), n.values().stream().mapToLong(Long::longValue).sum(),
                mean instanceof Number d ? TimeWindow.round3(d.doubleValue()) : null,
                TimeWindow.round3(n.get("completed") / w.hours()));
    }

    /** Conversion writer timings: per writer_type the groups completed in the window and their total time (s). */
    public List<WriterStats> writerStats(TimeWindow w) {
        Map<String, List<Double>> byWriter = new java.util.TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT writer_type, perf_total_time FROM ingest_groups "
                + "WHERE writer_type IS NOT NULL AND perf_total_time IS NOT NULL AND completed_at BETWEEN ? AND ?",
                w.start(), w.end())) {
            byWriter.computeIfAbsent((String) r.get("writer_type"), k -> new ArrayList<>())
                    .add(((Number) r.get("perf_total_time")).doubleValue());
        }
        List<WriterStats> out = new ArrayList<>();
        byWriter.forEach((writer, times) -> {
            double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
            out.add(new WriterStats(writer, t.length, TimeWindow.round3(TimeWindow.mean(t)),
                    TimeWindow.round3(TimeWindow.quantile(t, 0.5))));
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

    public PerformanceReport metrics(int hours) {
        TimeWindow w = TimeWindow.lastHours(hours);
        return new PerformanceReport(hours, w.start(), w.end(), executionStats(w), stageStats(w), writerStats(w));
    }

    /** A cheap stamp that changes whenever runs are added or finish (for plot cache keys). */
    public String dataVersion() {
        return db.one("SELECT COUNT(*) AS n, MAX(id) AS id, MAX(finished_at) AS f FROM stage_runs")
                .map(r -> r.get("n") + ":" + r.get("id") + ":" + r.get("f")).orElse("0")
                + "/" + db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE perf_total_time IS NOT NULL");
    }
}
