package org.dsa110.contimg.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
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
    public record Served<T>(boolean ok, T body, byte[] json) {
        static <T> Served<T> of(boolean ok, T body) {
            try {
                return new Served<>(ok, body, Json.MAPPER.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("health result not serialisable: " + e.getMessage(), e);
            }
        }
    }

    /** A probe's result and when it was taken ({@link System#nanoTime}). */
    private record Probed<T>(Served<T> served, long atNanos) {
        static <T> Probed<T> now(Served<T> s) {
            return new Probed<>(s, System.nanoTime());
        }
    }

    private static final Served<HealthReport.Checks> NOT_STARTED =
            Served.of(false, HealthReport.Checks.down("health-probes", "not started"));

    private final HealthReport report;
    private final Duration probeInterval;
    private final Duration staleAfter;
    private volatile Probed<HealthReport.Checks> lastLiveness;
    private volatile Probed<HealthReport.Checks> lastReadiness;
    private volatile Probed<HealthReport.Summary> lastSummary;
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
    public Served<HealthReport.Checks> liveness() {
        Probed<HealthReport.Checks> p = lastLiveness;
        return p == null ? NOT_STARTED : stale(p) ? stalled(p) : p.served();
    }

    /** The last readiness result; DOWN when the probes have stalled or not started. */
    public Served<HealthReport.Checks> readiness() {
        Probed<HealthReport.Checks> p = lastReadiness;
        return p == null ? NOT_STARTED : stale(p) ? stalled(p) : p.served();
    }

    /** The last seed-001 summary; degraded, store inaccessible, when the probes have stalled or not started. */
    public Served<HealthReport.Summary> summary() {
        Probed<HealthReport.Summary> p = lastSummary;
        if (p != null && !stale(p)) {
            return p.served();
        }
        HealthReport.Summary last = p == null
                ? new HealthReport.Summary("degraded", null, null, null, null, null) : p.served().body();
        return Served.of(false, last.stalled("no recent health probe result (the probes have stalled or not started)"));
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

    private Served<HealthReport.Checks> probedLiveness() {
        return checked("liveness", () -> report.liveness().compact());
    }

    private Served<HealthReport.Checks> probedReadiness() {
        return checked("readiness", () -> report.readiness().compact());
    }

    private Served<HealthReport.Summary> probedSummary() {
        HealthReport.Summary s = report.summary();
        return Served.of(s.healthy(), s);
    }

    private static Served<HealthReport.Checks> checked(String what, Supplier<HealthReport.Checks> checks) {
        try {
            HealthReport.Checks c = checks.get();
            return Served.of(c.up(), c);
        } catch (RuntimeException e) {
            return Served.of(false, HealthReport.Checks.down(what,
                    "the " + what + " checks failed: " + e.getClass().getSimpleName()));
        }
    }

    private boolean stale(Probed<?> p) {
        return System.nanoTime() - p.atNanos() > staleAfter.toNanos();
    }

    private static Served<HealthReport.Checks> stalled(Probed<?> p) {
        return Served.of(false, HealthReport.Checks.down("health-probes", "no probe has completed for "
                + Math.round((System.nanoTime() - p.atNanos()) / 1e9) + " s"));
    }
}
