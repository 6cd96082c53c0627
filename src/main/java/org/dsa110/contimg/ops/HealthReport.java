package org.dsa110.contimg.ops;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Health as operators and load balancers ask for it: the seed-001 summary (status, databases, disk, version),
 * Camel's liveness and readiness checks, and a detailed view of every check and service. Each call probes;
 * the health endpoints serve {@link HealthProbes}' background results instead.
 */
public final class HealthReport {
    /** Below this much free space on the data volume the hub reports itself degraded. */
    public static final double MIN_FREE_GB = 1.0;

    private final CamelContext context;
    private final Db db;
    private final HubSettings settings;
    private final SseChannel sse;
    private final Instant startedAt = Instant.now();

    public HealthReport(CamelContext context, Db db, HubSettings settings, SseChannel sse) {
        this.context = context;
        this.db = db;
        this.settings = settings;
        this.sse = sse;
    }

    public boolean storeAccessible() {
        try {
            db.scalarLong("SELECT 1");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Free and total space (GB) of the volume holding the data directory; both null, with {@code error}, when the
     * volume cannot be read.
     */
    public record Disk(Double freeGb, Double totalGb, @JsonInclude(JsonInclude.Include.NON_NULL) String path,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
        /** Whether at least {@link #MIN_FREE_GB} is free. */
        @JsonIgnore
        public boolean ok() {
            return freeGb != null && freeGb >= MIN_FREE_GB;
        }

        /** What is wrong when not {@link #ok}. */
        @JsonIgnore
        public String problem() {
            return freeGb == null ? "cannot read the data volume" : "only " + freeGb + " GB free on the data volume";
        }
    }

    /** The legacy backend's three SQLite databases, each accessible or inaccessible (all live in the one store). */
    public record Databases(String queue, String products, String registry) {
        static Databases all(boolean accessible) {
            String access = accessible ? "accessible" : "inaccessible";
            return new Databases(access, access, access);
        }
    }

    /**
     * GET /api/health (seed 001): {@code status} healthy | degraded; {@code message} the dashboard's one-line
     * health (dashboard.md).
     */
    public record Summary(String status, Instant timestamp, Databases databases, Disk disk, String version,
            String message) {
        @JsonIgnore
        public boolean healthy() {
            return "healthy".equals(status);
        }

        /** This summary as served when no recent probe exists: degraded, the store counted inaccessible. */
        public Summary stalled(String why) {
            return new Summary("degraded", timestamp == null ? Instant.now() : timestamp, Databases.all(false), disk,
                    version, why);
        }
    }

    /** One Camel (group camel) or hub (group hub) health check; {@code message} only where the check gave one. */
    public record Check(String name, String group, String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
        @JsonIgnore
        public boolean up() {
            return "UP".equals(status);
        }
    }

    /**
     * Liveness or readiness: UP unless a check is DOWN; {@code checks} the checks listed (all of them, or only the
     * hub's own and the failing ones in the probes' compact form), {@code checks_total} and {@code checks_up} the
     * counts over all.
     */
    public record Checks(String status, Instant timestamp, List<Check> checks, int checksTotal, long checksUp) {
        @JsonIgnore
        public boolean up() {
            return "UP".equals(status);
        }

        /** One failed check standing for the whole set (the probes themselves failed or stalled). */
        public static Checks down(String check, String message) {
            return new Checks("DOWN", Instant.now(), List.of(new Check(check, "hub", "DOWN", message)), 1, 0);
        }

        /** The hub's own checks (group hub) and every check not UP, with the counts of all. */
        public Checks compact() {
            List<Check> shown = checks.stream().filter(c -> !c.up() || !"camel".equals(c.group())).toList();
            return new Checks(status, timestamp, shown, checksTotal, checksUp);
        }
    }

    /** The hub's version, as the summary reports it. */
    public String version() {
        return settings.version();
    }

    /** Free and total space (GB) of the volume holding the data directory. */
    public Disk disk() {
        try {
            FileStore store = Files.getFileStore(settings.dataDir());
            return new Disk(round(store.getUsableSpace() / 1e9), round(store.getTotalSpace() / 1e9),
                    settings.dataDir().toString(), null);
        } catch (IOException e) {
            return new Disk(null, null, null, "cannot read the data volume");
        }
    }

    /** Seed-001 /api/health body; {@code status} is healthy or degraded. */
    public Summary summary() {
        boolean store = storeAccessible();
        Disk disk = disk();
        // the dashboard's health card shows the message line (dashboard.md)
        List<String> problems = new ArrayList<>();
        if (!store) {
            problems.add("store inaccessible");
        }
        if (!disk.ok()) {
            problems.add(disk.problem());
        }
        return new Summary(store && disk.ok() ? "healthy" : "degraded", Instant.now(), Databases.all(store), disk,
                settings.version(), problems.isEmpty() ? "all systems operational" : String.join("; ", problems));
    }

    public Checks liveness() {
        return checks(HealthCheckHelper.invokeLiveness(context));
    }

    public Checks readiness() {
        return checks(HealthCheckHelper.invokeReadiness(context));
    }

    private static Checks checks(Collection<HealthCheck.Result> results) {
        List<Check> list = results.stream().map(r -> new Check(r.getCheck().getId(), r.getCheck().getGroup(),
                r.getState().name(), r.getMessage().orElse(null))).toList();
        boolean up = results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
        return new Checks(up ? "UP" : "DOWN", Instant.now(), list, list.size(),
                list.stream().filter(Check::up).count());
    }

    /** Every check, the JVM, the connection pool and the routes. */
    public Map<String, Object> detailed() {
        @SuppressWarnings("unchecked")
        Map<String, Object> d = Json.MAPPER.convertValue(summary(), LinkedHashMap.class);
        d.put("liveness", liveness());
        d.put("readiness", readiness());
        d.put("uptime_seconds", (Instant.now().toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heap_used_mb", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
        jvm.put("heap_max_mb", round(rt.maxMemory() / 1048576.0));
        jvm.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        jvm.put("processors", rt.availableProcessors());
        d.put("jvm", jvm);
        d.put("database_pool", poolStats());
        long started = context.getRoutes().stream()
                .filter(r -> context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                .count();
        d.put("routes", Map.of("total", context.getRoutes().size(), "started", started));
        return d;
    }

    public Map<String, Object> poolStats() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dialect", db.dialect().name().toLowerCase());
        if (db.dataSource() instanceof HikariDataSource h && h.getHikariPoolMXBean() != null) {
            HikariPoolMXBean pool = h.getHikariPoolMXBean();
            p.put("active", pool.getActiveConnections());
            p.put("idle", pool.getIdleConnections());
            p.put("total", pool.getTotalConnections());
            p.put("waiting", pool.getThreadsAwaitingConnection());
            p.put("max", h.getMaximumPoolSize());
        }
        return p;
    }

    /** One line per service the hub runs: its state and, where it has one, a detail. */
    /** One service the hub runs: running, down, not_configured, or a route's state; {@code detail} where it has one. */
    public record Service(String name, String status, String detail) {
    }

    public List<Service> services() {
        List<Service> out = new ArrayList<>();
        boolean store = storeAccessible();
        out.add(service("database", store ? "running" : "down", db.dialect().name().toLowerCase()));
        out.add(service("http", "running", "port " + settings.port()));
        out.add(service("websocket", routeState("live.websocket"), "/api/ws/status"));
        out.add(service("sse", "running", sse.clientCount() + " clients"));
        out.add(service("live_status", routeState("live-status"), "status_update broadcasts"));
        return out;
    }

    private String routeState(String routeId) {
        Route r = context.getRoute(routeId);
        if (r == null) {
            return "not_configured";
        }
        ServiceStatus s = context.getRouteController().getRouteStatus(routeId);
        return s == ServiceStatus.Started ? "running" : s.name().toLowerCase();
    }

    private static Service service(String name, String status, String detail) {
        return new Service(name, status, detail);
    }

    private static Double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
