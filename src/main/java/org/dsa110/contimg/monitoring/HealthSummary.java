package org.dsa110.contimg.monitoring;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.ops.HealthReport;
import org.dsa110.contimg.ops.breakers.Breakers;
import org.dsa110.contimg.orchestration.WorkerRegistry;
import org.dsa110.contimg.store.Db;

/**
 * The health views the operators' dashboard reads, built on {@link HealthReport}'s public probes: the checks card
 * ({@code /api/health/summary}: one entry per check, each healthy or not) and the queue-health fields of the
 * earlier task-queue service ({@code message, queue_depth, database_available, worker_pool_healthy, alerts,
 * warnings}) that {@code /api/health} and {@code /api/health/detailed} carry beside their own.
 *
 * <p>Alerts are conditions that stop work (store unreachable, data volume nearly full, a stage's breaker open);
 * warnings need an operator's look but the pipeline keeps going (DLQ items waiting, stale or crashed workers).
 */
public final class HealthSummary {

    /** One check of the summary card; {@code timestamp} in Unix seconds. */
    public record Check(boolean healthy, String error, String message, long timestamp) {
    }

    /** GET /api/health/summary: {@code status} healthy | degraded | unhealthy; {@code timestamp} in Unix seconds. */
    public record Summary(String status, long timestamp, Map<String, Check> checks, String version) {
    }

    /** An alert or warning of the queue-health view ({@code level} alert | warning). */
    public record Alert(String level, String message, Instant timestamp) {
    }

    /** The queue-health fields of the earlier task-queue service's HealthResponse. */
    public record QueueFields(String message, long queueDepth, boolean databaseAvailable, boolean workerPoolHealthy,
            List<Alert> alerts, List<Alert> warnings) {
    }

    /**
     * A health body of the hub ({@code report}, as {@link HealthReport} builds it) with the queue-health fields
     * beside its own keys. {@code status} stays the report's (healthy | degraded).
     */
    public record WithQueueFields(@JsonIgnore Map<String, Object> report, String message, long queueDepth,
            boolean databaseAvailable, boolean workerPoolHealthy, List<Alert> alerts, List<Alert> warnings) {
        @JsonAnyGetter
        public Map<String, Object> reportFields() {
            return report;
        }
    }

    private final HealthReport health;
    private final Db db;
    private final Breakers breakers;
    private final WorkerRegistry workers;

    public HealthSummary(HealthReport health, Db db, Breakers breakers, WorkerRegistry workers) {
        this.health = health;
        this.db = db;
        this.breakers = breakers;
        this.workers = workers;
    }

    /**
     * The checks card: store, data volume, Camel liveness and readiness, and each service the hub runs. Unhealthy
     * when the store is unreachable (nothing works without it), degraded when any other check fails.
     */
    public Summary summary() {
        long now = Instant.now().getEpochSecond();
        Map<String, Check> checks = new LinkedHashMap<>();
        boolean store = health.storeAccessible();
        checks.put("database", new Check(store, store ? null : "the store does not answer",
                store ? "store accessible" : "store inaccessible", now));
        HealthReport.Disk disk = health.disk();
        checks.put("disk", new Check(disk.ok(), disk.ok() ? null : disk.problem(), diskMessage(disk), now));
        checks.put("liveness", camelCheck(health.liveness(), now));
        checks.put("readiness", camelCheck(health.readiness(), now));
        for (HealthReport.Service s : health.services()) {
            String status = String.valueOf(s.status());
            boolean ok = "running".equals(status);
            String name = String.valueOf(s.name());
            if (!checks.containsKey(name)) {
                checks.put(name, new Check(ok, ok ? null : name + " is " + status,
                        s.detail() == null ? status : status + " (" + s.detail() + ")", now));
            }
        }
        String status = !store ? "unhealthy"
                : checks.values().stream().allMatch(Check::healthy) ? "healthy" : "degraded";
        return new Summary(status, now, checks, health.version());
    }

    /** The queue-health fields, from the store, the data volume, the breakers and the worker registry. */
    public QueueFields queueFields() {
        Instant now = Instant.now();
        boolean store = health.storeAccessible();
        List<Alert> alerts = new ArrayList<>();
        List<Alert> warnings = new ArrayList<>();
        long depth = 0;
        boolean pool = false;
        if (!store) {
            alerts.add(new Alert("alert", "the store does not answer: no work can be queued or claimed", now));
        } else {
            depth = db.scalarLong("SELECT COUNT(*) FROM tasks WHERE status = 'pending'");
            long dlq = db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'pending'");
            if (dlq > 0) {
                warnings.add(new Alert("warning", dlq + " dead-letter item(s) waiting for triage", now));
            }
            List<WorkerRegistry.Worker> all = workers.list();
            pool = all.stream().anyMatch(w -> "active".equals(w.state()) || "idle".equals(w.state()));
            long lost = all.stream().filter(w -> "stale".equals(w.state()) || "crashed".equals(w.state())).count();
            if (lost > 0) {
                warnings.add(new Alert("warning", lost + " worker(s) stale or crashed", now));
            }
            if (!pool) {
                warnings.add(new Alert("warning", "no live worker: queued tasks are not being claimed", now));
            }
        }
        HealthReport.Disk disk = health.disk();
        if (!disk.ok()) {
            alerts.add(new Alert("alert", disk.problem(), now));
        }
        for (org.dsa110.contimg.ops.breakers.Breakers.BreakerState b : breakers.list()) {
            if ("open".equals(b.state())) {
                alerts.add(new Alert("alert", "circuit breaker '" + b.name() + "' is open", now));
            }
        }
        String message = !alerts.isEmpty() ? alerts.get(0).message()
                : !warnings.isEmpty() ? warnings.get(0).message() : "all systems operational";
        return new QueueFields(message, depth, store, pool, List.copyOf(alerts), List.copyOf(warnings));
    }

    /** {@code report} with the queue-health fields beside its keys. */
    public WithQueueFields withQueueFields(Map<String, Object> report) {
        QueueFields q = queueFields();
        return new WithQueueFields(report, q.message(), q.queueDepth(), q.databaseAvailable(),
                q.workerPoolHealthy(), q.alerts(), q.warnings());
    }

    private static Check camelCheck(HealthReport.Checks result, long now) {
        List<String> down = result.checks().stream().filter(c -> "DOWN".equals(c.status()))
                .map(HealthReport.Check::name).toList();
        return new Check(result.up(), result.up() ? null : "checks down: " + String.join(", ", down),
                result.up() ? "UP" : "DOWN", now);
    }

    private static String diskMessage(HealthReport.Disk disk) {
        return disk.freeGb() == null ? "data volume unreadable"
                : disk.freeGb() + " GB free of " + disk.totalGb() + " GB";
    }
}
