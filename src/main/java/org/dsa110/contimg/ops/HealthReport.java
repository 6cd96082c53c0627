package org.dsa110.contimg.ops;

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

    /** Free and total space (GB) of the volume holding the data directory. */
    public Map<String, Object> disk() {
        Map<String, Object> d = new LinkedHashMap<>();
        try {
            FileStore store = Files.getFileStore(settings.dataDir());
            d.put("free_gb", round(store.getUsableSpace() / 1e9));
            d.put("total_gb", round(store.getTotalSpace() / 1e9));
            d.put("path", settings.dataDir().toString());
        } catch (IOException e) {
            d.put("free_gb", null);
            d.put("total_gb", null);
            d.put("error", "cannot read the data volume");
        }
        return d;
    }

    /** Seed-001 /api/health body; {@code status} is healthy or degraded. */
    public Map<String, Object> summary() {
        boolean store = storeAccessible();
        Map<String, Object> disk = disk();
        boolean diskOk = diskOk(disk);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", store && diskOk ? "healthy" : "degraded");
        h.put("timestamp", Instant.now());
        h.put("databases", databases(store));
        h.put("disk", disk);
        h.put("version", settings.version());
        // the dashboard's health card shows this line (dashboard.md)
        List<String> problems = new ArrayList<>();
        if (!store) {
            problems.add("store inaccessible");
        }
        if (!diskOk) {
            problems.add(diskProblem(disk));
        }
        h.put("message", problems.isEmpty() ? "all systems operational" : String.join("; ", problems));
        return h;
    }

    /** Whether a {@link #disk()} result leaves at least {@link #MIN_FREE_GB} free. */
    public static boolean diskOk(Map<String, Object> disk) {
        return disk.get("free_gb") instanceof Number f && f.doubleValue() >= MIN_FREE_GB;
    }

    /** What is wrong with a {@link #disk()} result that is not {@link #diskOk}. */
    public static String diskProblem(Map<String, Object> disk) {
        return disk.get("free_gb") == null ? "cannot read the data volume"
                : "only " + disk.get("free_gb") + " GB free on the data volume";
    }

    /** The summary's {@code databases}: every legacy database accessible or not. */
    static Map<String, Object> databases(boolean accessible) {
        String access = accessible ? "accessible" : "inaccessible";
        Map<String, Object> databases = new LinkedHashMap<>();
        // The legacy backend had three SQLite files; all three live in the one store here.
        databases.put("queue", access);
        databases.put("products", access);
        databases.put("registry", access);
        return databases;
    }

    public boolean isHealthy(Map<String, Object> summary) {
        return "healthy".equals(summary.get("status"));
    }

    public Map<String, Object> liveness() {
        return checks(HealthCheckHelper.invokeLiveness(context));
    }

    public Map<String, Object> readiness() {
        return checks(HealthCheckHelper.invokeReadiness(context));
    }

    public static boolean isUp(Map<String, Object> checks) {
        return "UP".equals(checks.get("status"));
    }

    private static Map<String, Object> checks(Collection<HealthCheck.Result> results) {
        boolean up = results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
        List<Map<String, Object>> list = new ArrayList<>();
        for (HealthCheck.Result r : results) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", r.getCheck().getId());
            c.put("group", r.getCheck().getGroup());
            c.put("status", r.getState().name());
            r.getMessage().ifPresent(m -> c.put("message", m));
            list.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", up ? "UP" : "DOWN");
        out.put("timestamp", Instant.now());
        out.put("checks", list);
        return out;
    }

    /** Every check, the JVM, the connection pool and the routes. */
    public Map<String, Object> detailed() {
        Map<String, Object> d = new LinkedHashMap<>(summary());
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

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
