package org.dsa110.contimg.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dsa110.contimg.store.Db;

/**
 * The hub's own Prometheus series, beside Camel's ({@code camel_*}) and the JVM's ({@code jvm_*}, {@code process_*}):
 * what the Grafana dashboard ({@code docs/grafana/contimg-hub.json}) and the alert rules
 * ({@code docs/prometheus/alerts.yml}) read.
 * <ul>
 * <li>{@code contimg_groups{state}}: ingest groups per state; {@code contimg_dlq_items{status}}: DLQ items per
 * status; {@code contimg_ingest_lag_seconds}: how long the oldest group waiting for a pipeline worker (state
 * pending) has waited, 0 when none; {@code contimg_group_last_completed_timestamp_seconds}: when a group last
 * completed (NaN before the first). Read from the store, which every hub of a cluster shares (aggregate with
 * max, not sum), at most once per {@link #STORE_READ_EVERY} however often Prometheus scrapes.</li>
 * <li>{@code disk_free_bytes} / {@code disk_total_bytes} {@code {path}}: the volumes of the data roots
 * (Micrometer's disk-space binder).</li>
 * <li>{@code resilience4j_circuitbreaker_*{name}}: every breaker's state, calls and failure rate (Resilience4j's
 * Micrometer binder, which follows breakers added to the registry later).</li>
 * <li>{@code contimg_stage_duration_seconds{stage, outcome}}: a histogram of the time groups spend in each stage
 * route ({@link StageTimers}).</li>
 * </ul>
 */
public final class HubMetrics {
    static final List<String> GROUP_STATES = List.of("collecting", "pending", "in_progress", "completed", "failed");
    static final List<String> DLQ_STATUSES = List.of("pending", "retrying", "resolved", "failed");
    /** The store's figures are read again after this long (scrapes come every 15-60 s; several scrapers share). */
    static final Duration STORE_READ_EVERY = Duration.ofSeconds(5);

    private final Db db;
    private final Duration cacheFor;
    private volatile Snapshot snapshot;

    /** The store's figures at one time. */
    private record Snapshot(Map<String, Long> groups, Map<String, Long> dlq, double ingestLagSeconds,
            double lastCompletedEpochSeconds, long atNanos) {
    }

    private HubMetrics(Db db, Duration cacheFor) {
        this.db = db;
        this.cacheFor = cacheFor;
    }

    /** Binds the hub's series to {@code registry}; {@code volumes} are the data roots (one binder per path). */
    public static void bind(MeterRegistry registry, Db db, CircuitBreakerRegistry breakers, Collection<Path> volumes) {
        // Micrometer holds a gauge's object weakly: nothing else references m, so the gauges hold it strongly
        // (else they read NaN after the first garbage collection)
        HubMetrics m = new HubMetrics(db, STORE_READ_EVERY);
        for (String state : GROUP_STATES) {
            Gauge.builder("contimg.groups", m, x -> x.current().groups().getOrDefault(state, 0L))
                    .description("Ingest groups per state (from the store)").tag("state", state).strongReference(true)
                    .register(registry);
        }
        for (String status : DLQ_STATUSES) {
            Gauge.builder("contimg.dlq.items", m, x -> x.current().dlq().getOrDefault(status, 0L))
                    .description("Dead-letter queue items per status (from the store)").tag("status", status)
                    .strongReference(true).register(registry);
        }
        Gauge.builder("contimg.ingest.lag", m, x -> x.current().ingestLagSeconds()).baseUnit("seconds")
                .description("How long the oldest group waiting for a pipeline worker (pending) has waited")
                .strongReference(true).register(registry);
        Gauge.builder("contimg.group.last.completed.timestamp", m, x -> x.current().lastCompletedEpochSeconds())
                .baseUnit("seconds").description("When a group last completed (Unix time; NaN before the first)")
                .strongReference(true).register(registry);
        for (Path p : new LinkedHashSet<>(volumes)) {
            new DiskSpaceMetrics(p.toFile()).bindTo(registry);
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.atNanos() > cacheFor.toNanos()) {
            synchronized (this) {
                s = snapshot;
                if (s == null || System.nanoTime() - s.atNanos() > cacheFor.toNanos()) {
                    s = read();
                    snapshot = s;
                }
            }
        }
        return s;
    }

    private Snapshot read() {
        Map<String, Long> groups = new ConcurrentHashMap<>();
        for (Map<String, Object> r : db.query("SELECT state, COUNT(*) AS n FROM ingest_groups GROUP BY state")) {
            groups.put((String) r.get("state"), ((Number) r.get("n")).longValue());
        }
        Map<String, Long> dlq = new ConcurrentHashMap<>();
        for (Map<String, Object> r : db.query("SELECT status, COUNT(*) AS n FROM dlq_items GROUP BY status")) {
            dlq.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        Instant now = Instant.now();
        Object oldest = db.one("SELECT MIN(last_update) AS t FROM ingest_groups WHERE state = 'pending'")
                .map(r -> r.get("t")).orElse(null);
        double lag = oldest instanceof Instant t ? Math.max(0, Duration.between(t, now).toMillis() / 1000.0) : 0;
        Object last = db.one("SELECT MAX(completed_at) AS t FROM ingest_groups WHERE state = 'completed'")
                .map(r -> r.get("t")).orElse(null);
        double completed = last instanceof Instant t ? t.toEpochMilli() / 1000.0 : Double.NaN;
        return new Snapshot(groups, dlq, lag, completed, System.nanoTime());
    }
}
