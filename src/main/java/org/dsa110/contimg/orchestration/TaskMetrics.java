package org.dsa110.contimg.orchestration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.dsa110.contimg.store.Db;

/**
 * Task queue metrics from the stored task rows: totals by status, wait (created → started) and execution
 * (started → finished) time statistics, throughput and success rates over 1/5/15 minutes, and a bucketed history.
 * A value with no data behind it is null (or an empty series), never a made-up number.
 */
public final class TaskMetrics {
    /** Samples for the time statistics: the most recent started tasks. */
    static final int SAMPLE_LIMIT = 10_000;
    static final Map<String, Duration> RESOLUTIONS = Map.of("5m", Duration.ofMinutes(5), "15m", Duration.ofMinutes(15),
            "1h", Duration.ofHours(1), "6h", Duration.ofHours(6));

    private final Db db;
    private final TaskStore tasks;
    private final Map<String, Counter> finished = new ConcurrentHashMap<>();
    private volatile Map<String, Long> snapshot = Map.of();
    private volatile long snapshotAt;

    public TaskMetrics(Db db, TaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
    }

    /** Registers gauges of tasks by status and counters of tasks finished here by outcome. */
    public void bind(MeterRegistry registry, TaskRunner runner) {
        for (String status : Task.STATUSES) {
            Gauge.builder("contimg.tasks", this, m -> m.countsCached().getOrDefault(status, 0L))
                    .description("Tasks in the queue by status").tag("status", status).register(registry);
        }
        for (String outcome : List.of(Task.COMPLETED, Task.FAILED, Task.CANCELLED, Task.RETRYING)) {
            finished.put(outcome, Counter.builder("contimg.tasks.finished").description(
                    "Task runs finished by outcome since start").tag("outcome", outcome).register(registry));
        }
        Gauge.builder("contimg.tasks.inflight", runner, r -> r.inFlightTaskIds().size())
                .description("Tasks running on this hub process").register(registry);
        tasks.addListener(t -> {
            Counter c = finished.get(t.status());
            if (c != null) {
                c.increment();
            }
        });
    }

    private Map<String, Long> countsCached() {
        long now = System.currentTimeMillis();
        if (now - snapshotAt > 2000) {
            try {
                snapshot = tasks.countsByStatus(null, null);
            } catch (RuntimeException e) {
                // keep the last snapshot when the store is briefly unavailable
            }
            snapshotAt = now;
        }
        return snapshot;
    }

    /** MetricsResponse. */
    public Map<String, Object> metrics() {
        Instant now = Instant.now();
        Map<String, Long> counts = tasks.countsByStatus(null, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_spawned", counts.values().stream().mapToLong(Long::longValue).sum());
        out.put("total_claimed", db.scalarLong("SELECT COUNT(*) FROM tasks WHERE claimed_at IS NOT NULL"));
        out.put("total_completed", counts.get(Task.COMPLETED));
        out.put("total_failed", counts.get(Task.FAILED));
        out.put("total_cancelled", counts.get(Task.CANCELLED));
        out.put("total_timed_out", db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND error LIKE"
                + " 'timed out%'"));
        out.put("current_pending", counts.get(Task.PENDING));
        out.put("current_claimed", counts.get(Task.CLAIMED) + counts.get(Task.RUNNING));
        List<Double> waits = new ArrayList<>();
        List<Double> execs = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT created_at, started_at, completed_at, status FROM tasks WHERE"
                + " started_at IS NOT NULL ORDER BY started_at DESC LIMIT ?", SAMPLE_LIMIT)) {
            Instant created = (Instant) r.get("created_at");
            Instant started = (Instant) r.get("started_at");
            Instant completed = (Instant) r.get("completed_at");
            waits.add(seconds(created, started));
            if (completed != null && (Task.COMPLETED.equals(r.get("status")) || Task.FAILED.equals(r.get("status")))) {
                execs.add(seconds(started, completed));
            }
        }
        double[] w = sorted(waits);
        double[] e = sorted(execs);
        out.put("avg_wait_time_sec", mean(w));
        out.put("avg_execution_time_sec", mean(e));
        out.put("p50_wait_time_sec", percentile(w, 50));
        out.put("p95_wait_time_sec", percentile(w, 95));
        out.put("p99_wait_time_sec", percentile(w, 99));
        out.put("p50_execution_time_sec", percentile(e, 50));
        out.put("p95_execution_time_sec", percentile(e, 95));
        out.put("p99_execution_time_sec", percentile(e, 99));
        Map<Integer, long[]> windows = new TreeMap<>();
        for (int minutes : new int[] {1, 5, 15}) {
            Instant since = now.minus(Duration.ofMinutes(minutes));
            long ok = db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'completed' AND completed_at >= ?", since);
            long bad = db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND completed_at >= ?", since);
            windows.put(minutes, new long[] {ok, bad});
        }
        windows.forEach((m, c) -> out.put("throughput_" + m + "min", (double) c[0] / m));
        windows.forEach((m, c) -> out.put("success_rate_" + m + "min", c[0] + c[1] == 0 ? null
                : (double) c[0] / (c[0] + c[1])));
        windows.forEach((m, c) -> out.put("error_rate_" + m + "min", c[0] + c[1] == 0 ? null
                : (double) c[1] / (c[0] + c[1])));
        return out;
    }

    /**
     * Time series of finished tasks of a queue over the last {@code hours}, one point per bucket that has data:
     * throughput (tasks finished), success rate (percent), average and p95 execution time (seconds).
     */
    public Map<String, Object> history(String queueName, int hours, String resolution) {
        Duration step = RESOLUTIONS.get(resolution);
        Instant since = Instant.now().minus(Duration.ofHours(hours));
        TreeMap<Long, List<double[]>> buckets = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT started_at, completed_at, status FROM tasks WHERE queue_name = ?"
                + " AND status IN ('completed', 'failed') AND completed_at >= ?", queueName, since)) {
            Instant completed = (Instant) r.get("completed_at");
            Instant started = (Instant) r.get("started_at");
            long bucket = Math.floorDiv(completed.getEpochSecond(), step.getSeconds()) * step.getSeconds();
            double exec = started == null ? Double.NaN : seconds(started, completed);
            buckets.computeIfAbsent(bucket, b -> new ArrayList<>())
                    .add(new double[] {Task.COMPLETED.equals(r.get("status")) ? 1 : 0, exec});
        }
        List<String> timestamps = new ArrayList<>();
        List<Long> throughput = new ArrayList<>();
        List<Double> success = new ArrayList<>();
        List<Double> avg = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        buckets.forEach((start, rows) -> {
            timestamps.add(Instant.ofEpochSecond(start).toString());
            throughput.add((long) rows.size());
            success.add(100.0 * rows.stream().filter(x -> x[0] == 1).count() / rows.size());
            double[] ex = sorted(rows.stream().map(x -> x[1]).filter(x -> !Double.isNaN(x)).toList());
            avg.add(mean(ex));
            p95.add(percentile(ex, 95));
        });
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("throughput", throughput);
        series.put("success_rate", success);
        series.put("avg_latency", avg);
        series.put("p95_latency", p95);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queue_name", queueName);
        out.put("hours", hours);
        out.put("resolution", resolution);
        out.put("timestamps", timestamps);
        out.put("series", series);
        return out;
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static Double mean(double[] sorted) {
        return sorted.length == 0 ? null : Arrays.stream(sorted).average().orElseThrow();
    }

    /** Percentile by linear interpolation between closest ranks (Hyndman and Fan 1996, definition 7). */
    static Double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        double h = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
