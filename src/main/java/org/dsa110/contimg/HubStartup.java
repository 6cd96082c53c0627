package org.dsa110.contimg;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.dsa110.contimg.api.AccessControl;
import org.dsa110.contimg.api.ClientAddress;
import org.dsa110.contimg.api.HttpEdge;
import org.dsa110.contimg.api.HttpMetrics;
import org.dsa110.contimg.api.HttpErrorRecorder;
import org.dsa110.contimg.api.JobLogSse;
import org.dsa110.contimg.api.RateLimitHandler;
import org.dsa110.contimg.monitoring.HttpErrorLog;
import org.dsa110.contimg.monitoring.RateLimiter;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.HealthProbes;
import org.dsa110.contimg.ops.HubMetrics;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.StoreHealthCheck;
import org.dsa110.contimg.orchestration.JobLog;
import org.dsa110.contimg.orchestration.JobService;
import org.dsa110.contimg.security.AccessPolicy;
import org.dsa110.contimg.security.AuditLog;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finishes wiring that needs the running HTTP server: the edge handlers, SSE, and the broadcaster's producer. */
final class HubStartup implements ExtendedStartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(HubStartup.class);

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        // the store opens and migrates while the routes are built; no route starts before it is ready
        StoreDataSource store = context.getRegistry().lookupByNameAndType("dataSource", StoreDataSource.class);
        if (store != null) {
            store.awaitReady();
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the edge is installed once the HTTP server has finished its set-up (onCamelContextFullyStarted)
    }

    private static VertxPlatformHttpRouter router(CamelContext context) {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("hub.port").orElse("8000"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        return router != null ? router : VertxPlatformHttpRouter.lookup(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    private boolean installed;

    private synchronized void install(CamelContext context) {
        if (installed) {
            return;
        }
        VertxPlatformHttpRouter router = router(context);
        if (router == null) {
            LOG.debug("platform-http router not available yet");
            return;
        }
        installed = true;
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        try {
            // background health probes (the health endpoints serve their latest results); stopped with the context
            context.addService(Beans.bean(context, "healthProbes", HealthProbes.class), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("health probes did not start: " + e.getMessage(), e);
        }
        StoreHealthCheck store = context.getRegistry().lookupByNameAndType("storeHealthCheck", StoreHealthCheck.class);
        if (health != null && health.getCheck(store.getId()).isEmpty()) {
            store.setCamelContext(context);
            health.register(store);
        }
        long maxBody = Long.parseLong(context.getPropertiesComponent().resolveProperty("hub.http.max.body")
                .orElse("10485760"));
        HttpEdge edge = context.getRegistry().lookupByNameAndType("httpEdge", HttpEdge.class);
        new HttpErrorRecorder(Beans.bean(context, "httpErrorLog", HttpErrorLog.class)).install(router);
        edge.install(router, maxBody);
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null && server.getServer() != null
                && server.getServer().requestHandler() instanceof io.vertx.ext.web.Router outer) {
            edge.installOuter(outer);
        }
        // the series the Grafana dashboard and alert rules read (docs/monitoring.md)
        MeterRegistry metrics = Beans.bean(context, "metricsRegistry", MeterRegistry.class);
        new HttpMetrics(metrics).install(router);
        HubSettings settings = Beans.bean(context, "hubSettings", HubSettings.class);
        HubMetrics.bind(metrics, Beans.bean(context, "db", Db.class),
                Beans.bean(context, "circuitBreakerRegistry", CircuitBreakerRegistry.class),
                List.of(settings.dataDir(), settings.incomingDir()));
        RateLimiter limiter = context.getRegistry().lookupByNameAndType("rateLimiter", RateLimiter.class);
        ClientAddress clients = Beans.bean(context, "clientAddress", ClientAddress.class);
        new RateLimitHandler(limiter, Beans.bean(context, "expensiveRateLimiter", RateLimiter.class),
                java.util.Arrays.asList(context.getPropertiesComponent().resolveProperty(
                        "hub.ratelimit.expensive.paths").orElse("").split("\\s*,\\s*")), clients).install(router);
        LOG.info("rate limit {} on /api", limiter.enabled() ? "active" : "disabled");
        new AccessControl(Beans.bean(context, "accessPolicy", AccessPolicy.class), edge,
                Beans.bean(context, "auditLog", AuditLog.class), clients).install(router);
        new JobLogSse(Beans.bean(context, "jobService", JobService.class),
                Beans.bean(context, "jobLog", JobLog.class)).install(router, router.vertx());
        edge.registerOperation("get", "/api/jobs/id/{job_id}/logs");
        EventBroadcaster broadcaster = context.getRegistry().lookupByNameAndType("eventBroadcaster",
                EventBroadcaster.class);
        context.getRegistry().lookupByNameAndType("sseChannel", SseChannel.class)
                .install(router, router.vertx(), broadcaster::statusJson);
        LOG.info(summary(context));
    }

    /** The one start line: what runs, where it listens, which store and data it uses, and when it started. */
    static String summary(CamelContext context) {
        long operations = context.getRoutes().stream().filter(r -> r.getRouteId().startsWith("api.")).count();
        long routes = context.getRoutes().size() - operations;
        HubSettings settings = context.getRegistry().lookupByNameAndType("hubSettings", HubSettings.class);
        StoreDataSource store = context.getRegistry().lookupByNameAndType("dataSource", StoreDataSource.class);
        String database = store == null ? "?" : org.dsa110.contimg.store.Database.dialectOf(store.getJdbcUrl())
                .name().toLowerCase(java.util.Locale.ROOT) + " " + org.dsa110.contimg.store.Database.redact(
                        store.getJdbcUrl().replaceFirst(";.*", ""));
        java.time.Instant started = java.time.Instant.ofEpochMilli(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        AccessPolicy access = context.getRegistry().lookupByNameAndType("accessPolicy", AccessPolicy.class);
        return String.format("contimg-hub %s started: %d pipeline routes, %d API operations, port %s, database %s, "
                + "data dir %s, worker %s, auth %s, started at %s (%.1f s)",
                settings == null ? "?" : settings.version(), routes, operations,
                context.getPropertiesComponent().resolveProperty("hub.port").orElse("?"), database,
                settings == null ? "?" : settings.dataDir(), HubSettings.workerId(context.getPropertiesComponent()
                        .resolveProperty("hub.worker.id").orElse("")), access == null ? "?" : access.mode(),
                started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                (System.currentTimeMillis() - started.toEpochMilli()) / 1000.0);
    }
}
