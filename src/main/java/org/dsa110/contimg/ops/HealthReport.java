package org.dsa110.contimg.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Health as operators and load balancers ask for it: the seed-001 summary (status, databases, disk, version),
 * Camel's liveness and readiness checks, and a detailed view of every check and service.
 *
 * <p>Scrapers and load balancers call the health endpoints constantly, so the hub does not probe per request:
 * once started ({@link #start}) two background threads refresh the liveness checks, and the readiness checks with
 * the summary, every {@code probeInterval}; {@link #latestLiveness}, {@link #latestReadiness} and
 * {@link #latestSummary} return the last results (at most about one interval old) in constant time. Liveness runs on
 * its own thread and touches no database, so a hanging store cannot make the hub look dead. A result older than
 * {@code staleAfter} (a probe that hangs, e.g. on an unresponsive database) is reported as DOWN / degraded rather
 * than served as if fresh. {@link #summary}, {@link #liveness} and {@link #readiness} still probe when called.
 */
public final class HealthReport implements Service {
    /** Below this much free space on the data volume the hub reports itself degraded. */
    static final double MIN_FREE_GB = 1.0;
    static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(10);

    private final CamelContext context;
    private final Db db;
    private final HubSettings settings;
    private final SseChannel sse;
    private final Instant startedAt = Instant.now();
    private final Duration probeInterval;
    private final Duration staleAfter;

    /**
     * A health result as the endpoints serve it: whether it is good (UP, or healthy), the body, and the body
     * already written as JSON (once per probe, not per request).
     */
    public record Served(boolean ok, Map<String, Object> body, byte[] json) {
        static Served of(boolean ok, Map<String, Object> body) {
            try {
                return new Served(ok, body, Json.MAPPER.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("health result not serialisable: " + e.getMessage(), e);
            }
        }
    }

    /** A probe's result and when it was taken ({@link System#nanoTime}). */
    private record Probed(Served served, long atNanos) {
        static Probed now(Served s) {
            return new Probed(s, System.nanoTime());
        }
    }

    private volatile Probed lastLiveness;
    private volatile Probed lastReadiness;
    private volatile Probed lastSummary;
    private ScheduledExecutorService probes;

    public HealthReport(CamelContext context, Db db, HubSettings settings, SseChannel sse) {
        this(context, db, settings, sse, DEFAULT_PROBE_INTERVAL, DEFAULT_STALE_AFTER);
    }

    /**
     * @param probeInterval pause between two background probes ({@code hub.health.probe-interval-ms})
     * @param staleAfter    a result older than this is reported as down ({@code hub.health.stale-after-ms})
     */
    public HealthReport(CamelContext context, Db db, HubSettings settings, SseChannel sse, Duration probeInterval,
            Duration staleAfter) {
        if (probeInterval.toMillis() < 10 || staleAfter.compareTo(probeInterval) <= 0) {
            throw new IllegalArgumentException("hub.health.probe-interval-ms must be at least 10 and below "
                    + "hub.health.stale-after-ms");
        }
        this.context = context;
        this.db = db;
        this.settings = settings;
        this.sse = sse;
        this.probeInterval = probeInterval;
        this.staleAfter = staleAfter;
    }

    /** Starts the background probes (the first results are taken at once). */
    @Override
    public synchronized void start() {
        if (probes != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        probes = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "health-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long every = probeInterval.toMillis();
        probes.scheduleWithFixedDelay(this::probeLiveness, 0, every, TimeUnit.MILLISECONDS);
        probes.scheduleWithFixedDelay(this::probeReadinessAndSummary, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (probes != null) {
            probes.shutdownNow();
            probes = null;
        }
    }

    private void probeLiveness() {
        lastLiveness = Probed.now(checked("liveness", () -> compact(liveness())));
    }

    private void probeReadinessAndSummary() {
        lastReadiness = Probed.now(checked("readiness", () -> compact(readiness())));
        Map<String, Object> s = summary();
        lastSummary = Probed.now(Served.of(isHealthy(s), s));
    }

    /**
     * A check result as a probe answer: Camel's per-route and per-consumer checks (hundreds, ~40 KB) appear only
     * when not UP, the hub's own checks (the store) always, with the counts of all; /api/health/detailed lists
     * every check.
     */
    static Map<String, Object> compact(Map<String, Object> checks) {
        List<?> all = (List<?>) checks.get("checks");
        List<Object> shown = new ArrayList<>();
        long up = 0;
        for (Object o : all) {
            Map<?, ?> c = (Map<?, ?>) o;
            boolean isUp = "UP".equals(c.get("status"));
            up += isUp ? 1 : 0;
            if (!isUp || !"camel".equals(c.get("group"))) {
                shown.add(c);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(checks);
        out.put("checks", shown);
        out.put("checks_total", all.size());
        out.put("checks_up", up);
        return out;
    }

    private static Served checked(String what, Supplier<Map<String, Object>> checks) {
        try {
            Map<String, Object> c = checks.get();
            return Served.of(isUp(c), c);
        } catch (RuntimeException e) {
            return Served.of(false, down(what, "the " + what + " checks failed: " + e.getClass().getSimpleName()));
        }
    }

    /** The last liveness result (constant time); DOWN when the probes have stalled. */
    public Served servedLiveness() {
        Probed p = lastLiveness;
        if (p == null) { // not started, or the first probe still running
            p = Probed.now(checked("liveness", () -> compact(liveness())));
        }
        return stale(p) ? stalled(p) : p.served();
    }

    /** The last readiness result (constant time); DOWN when the probes have stalled. */
    public Served servedReadiness() {
        Probed p = lastReadiness;
        if (p == null) {
            p = Probed.now(checked("readiness", () -> compact(readiness())));
        }
        return stale(p) ? stalled(p) : p.served();
    }

    /** The last seed-001 summary (constant time); degraded, store inaccessible, when the probes have stalled. */
    public Served servedSummary() {
        Probed p = lastSummary;
        if (p == null) {
            Map<String, Object> s = summary();
            p = Probed.now(Served.of(isHealthy(s), s));
        }
        if (!stale(p)) {
            return p.served();
        }
        Map<String, Object> h = new LinkedHashMap<>(p.served().body());
        h.put("status", "degraded");
        h.put("databases", databases(false));
        return Served.of(false, h);
    }

    /** {@link #servedLiveness}'s body. */
    public Map<String, Object> latestLiveness() {
        return servedLiveness().body();
    }

    /** {@link #servedReadiness}'s body. */
    public Map<String, Object> latestReadiness() {
        return servedReadiness().body();
    }

    /** {@link #servedSummary}'s body. */
    public Map<String, Object> latestSummary() {
        return servedSummary().body();
    }

    private boolean stale(Probed p) {
        return System.nanoTime() - p.atNanos() > staleAfter.toNanos();
    }

    private static Served stalled(Probed p) {
        return Served.of(false, down("health-probes", "no probe has completed for "
                + Math.round((System.nanoTime() - p.atNanos()) / 1e9) + " s"));
    }

    private static Map<String, Object> down(String check, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", check);
        c.put("group", "hub");
        c.put("status", "DOWN");
        c.put("message", message);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "DOWN");
        out.put("timestamp", Instant.now());
        out.put("checks", List.of(c));
        return out;
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
        Object free = disk.get("free_gb");
        boolean diskOk = free instanceof Double f && f >= MIN_FREE_GB;
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", store && diskOk ? "healthy" : "degraded");
        h.put("timestamp", Instant.now());
        h.put("databases", databases(store));
        h.put("disk", disk);
        h.put("version", settings.version());
        return h;
    }

    private static Map<String, Object> databases(boolean accessible) {
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
    public List<Map<String, Object>> services() {
        List<Map<String, Object>> out = new ArrayList<>();
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

    private static Map<String, Object> service(String name, String status, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status);
        m.put("detail", detail);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
