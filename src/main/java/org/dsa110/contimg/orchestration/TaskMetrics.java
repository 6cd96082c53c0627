package org.dsa110.contimg.orchestration;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * MetricsResponse: totals by status, wait and execution time statistics (s, null without samples), completed
     * tasks per minute and success/error fractions over the last 1, 5 and 15 minutes (null with nothing finished).
     */
    public record MetricsResponse(long totalSpawned, long totalClaimed, long totalCompleted, long totalFailed,
            long totalCancelled, long totalTimedOut, long currentPending, long currentClaimed, Double avgWaitTimeSec,
            Double avgExecutionTimeSec, Double p50WaitTimeSec, Double p95WaitTimeSec, Double p99WaitTimeSec,
            Double p50ExecutionTimeSec, Double p95ExecutionTimeSec, Double p99ExecutionTimeSec,
            @JsonProperty("throughput_1min") double throughput1min,
            @JsonProperty("throughput_5min") double throughput5min,
            @JsonProperty("throughput_15min") double throughput15min,
            @JsonProperty("success_rate_1min") Double successRate1min,
            @JsonProperty("success_rate_5min") Double successRate5min,
            @JsonProperty("success_rate_15min") Double successRate15min,
            @JsonProperty("error_rate_1min") Double errorRate1min,
            @JsonProperty("error_rate_5min") Double errorRate5min,
            @JsonProperty("error_rate_15min") Double errorRate15min) {
    }

    /** MetricsHistory: one timestamp (bucket start) per bucket with finished tasks, and one value per series. */
    public record MetricsHistory(String queueName, int hours, String resolution, List<String> timestamps,
            MetricsSeries series) {
    }

    /**
     * Per bucket: tasks finished, percent completed, mean and p95 execution time (s). A bucket whose tasks all
     * failed before they started has no execution time: null there.
     */
    public record MetricsSeries(List<Long> throughput, List<Double> successRate,
            @JsonSetter(contentNulls = Nulls.SET) List<Double> avgLatency,
            @JsonSetter(contentNulls = Nulls.SET) List<Double> p95Latency) {
    }

    /** Finished tasks (ok, failed) over the last {@code minutes}. */
    private record Outcomes(long ok, long failed) {
        double perMinute(int minutes) {
            return (double) ok / minutes;
        }

        Double fraction(long part) {
            return ok + failed == 0 ? null : (double) part / (ok + failed);
        }
    }

    public MetricsResponse metrics() {
        Instant now = Instant.now();
        Map<String, Long> counts = tasks.countsByStatus(null, null);
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
        Outcomes m1 = outcomes(now, 1);
        Outcomes m5 = outcomes(now, 5);
        Outcomes m15 = outcomes(now, 15);
        return new MetricsResponse(counts.values().stream().mapToLong(Long::longValue).sum(),
                db.scalarLong("SELECT COUNT(*) FROM tasks WHERE claimed_at IS NOT NULL"), counts.get(Task.COMPLETED),
                counts.get(Task.FAILED), counts.get(Task.CANCELLED),
                db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND error LIKE 'timed out%'"),
                counts.get(Task.PENDING), counts.get(Task.CLAIMED) + counts.get(Task.RUNNING), mean(w), mean(e),
                percentile(w, 50), percentile(w, 95), percentile(w, 99), percentile(e, 50), percentile(e, 95),
                percentile(e, 99), m1.perMinute(1), m5.perMinute(5), m15.perMinute(15), m1.fraction(m1.ok()),
                m5.fraction(m5.ok()), m15.fraction(m15.ok()), m1.fraction(m1.failed()), m5.fraction(m5.failed()),
                m15.fraction(m15.failed()));
    }

    private Outcomes outcomes(Instant now, int minutes) {
        Instant since = now.minus(Duration.ofMinutes(minutes));
        return new Outcomes(
                db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'completed' AND completed_at >= ?", since),
                db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'failed' AND completed_at >= ?", since));
    }

    /**
     * Time series of finished tasks of a queue over the last {@code hours}, one point per bucket that has data:
     * throughput (tasks finished), success rate (percent), average and p95 execution time (seconds).
     */
    public MetricsHistory history(String queueName, int hours, String resolution) {
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
        return new MetricsHistory(queueName, hours, resolution, timestamps, new MetricsSeries(throughput, success, avg, p95));
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
