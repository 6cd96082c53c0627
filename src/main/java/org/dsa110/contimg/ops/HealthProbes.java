package org.dsa110.contimg.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.camel.Service;
import org.dsa110.contimg.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health endpoints' answers, probed in the background. Scrapers and load balancers call /api/health, /ready and
 * /live constantly, so a request must not run the probes: once started, two threads refresh the liveness checks,
 * and the readiness checks with the summary, every {@code probeInterval}, and {@link #liveness}, {@link #readiness}
 * and {@link #summary} return the last results (at most about one interval old), already written as JSON, in
 * constant time. Liveness runs on its own thread and touches no database, so a hanging store cannot make the hub
 * look dead. A result older than {@code staleAfter} (a probe hanging, e.g. on an unresponsive database) is served
 * as DOWN / degraded rather than as if it were fresh.
 */
public final class HealthProbes implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(HealthProbes.class);

    /**
     * A health answer: whether it is good (UP, or healthy), the body, and the body already written as JSON (once
     * per probe, not per request).
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

    private static final Served NOT_STARTED = Served.of(false, down("health-probes", "not started"));

    private final HealthReport report;
    private final Duration probeInterval;
    private final Duration staleAfter;
    private volatile Probed lastLiveness;
    private volatile Probed lastReadiness;
    private volatile Probed lastSummary;
    private ScheduledExecutorService probes;

    /**
     * @param probeInterval pause between two background probes ({@code hub.health.probe-interval-ms})
     * @param staleAfter    a result older than this is served as down ({@code hub.health.stale-after-ms})
     */
    public HealthProbes(HealthReport report, Duration probeInterval, Duration staleAfter) {
        if (probeInterval.toMillis() < 10 || staleAfter.compareTo(probeInterval) <= 0) {
            throw new IllegalArgumentException("hub.health.probe-interval-ms must be at least 10 and below "
                    + "hub.health.stale-after-ms");
        }
        this.report = report;
        this.probeInterval = probeInterval;
        this.staleAfter = staleAfter;
    }

    /**
     * Takes the first results (here, so the endpoints have answers once the hub serves), then starts the
     * background probes.
     */
    @Override
    public synchronized void start() {
        if (probes != null) {
            return;
        }
        probeLiveness();
        probeReadinessAndSummary();
        AtomicInteger n = new AtomicInteger();
        probes = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "health-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long every = probeInterval.toMillis();
        probes.scheduleWithFixedDelay(this::probeLiveness, every, every, TimeUnit.MILLISECONDS);
        probes.scheduleWithFixedDelay(this::probeReadinessAndSummary, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (probes != null) {
            probes.shutdownNow();
            probes = null;
        }
    }

    /** The last liveness result; DOWN when the probes have stalled or not started. */
    public Served liveness() {
        Probed p = lastLiveness;
        return p == null ? NOT_STARTED : stale(p) ? stalled(p) : p.served();
    }

    /** The last readiness result; DOWN when the probes have stalled or not started. */
    public Served readiness() {
        Probed p = lastReadiness;
        return p == null ? NOT_STARTED : stale(p) ? stalled(p) : p.served();
    }

    /** The last seed-001 summary; degraded, store inaccessible, when the probes have stalled or not started. */
    public Served summary() {
        Probed p = lastSummary;
        if (p != null && !stale(p)) {
            return p.served();
        }
        Map<String, Object> h = p == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.served().body());
        h.put("status", "degraded");
        h.putIfAbsent("timestamp", Instant.now());
        h.put("databases", HealthReport.databases(false));
        h.put("message", "no recent health probe result (the probes have stalled or not started)");
        return Served.of(false, h);
    }

    private void probeLiveness() {
        lastLiveness = Probed.now(probedLiveness());
    }

    private void probeReadinessAndSummary() {
        lastReadiness = Probed.now(probedReadiness());
        try {
            lastSummary = Probed.now(probedSummary());
        } catch (RuntimeException e) {
            // keep the schedule alive (an exception would cancel it); the old summary turns stale and is served so
            LOG.warn("health summary probe failed: {}", e.toString());
        }
    }

    private Served probedLiveness() {
        return checked("liveness", () -> compact(report.liveness()));
    }

    private Served probedReadiness() {
        return checked("readiness", () -> compact(report.readiness()));
    }

    private Served probedSummary() {
        Map<String, Object> s = report.summary();
        return Served.of(report.isHealthy(s), s);
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
            return Served.of(HealthReport.isUp(c), c);
        } catch (RuntimeException e) {
            return Served.of(false, down(what, "the " + what + " checks failed: " + e.getClass().getSimpleName()));
        }
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
}
