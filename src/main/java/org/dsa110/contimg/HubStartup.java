package org.dsa110.contimg;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.dsa110.contimg.api.HttpEdge;
import org.dsa110.contimg.api.HttpErrorRecorder;
import org.dsa110.contimg.api.JobLogSse;
import org.dsa110.contimg.api.RateLimitHandler;
import org.dsa110.contimg.monitoring.HttpErrorLog;
import org.dsa110.contimg.monitoring.RateLimiter;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.StoreHealthCheck;
import org.dsa110.contimg.orchestration.JobLog;
import org.dsa110.contimg.orchestration.JobService;
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
        RateLimiter limiter = context.getRegistry().lookupByNameAndType("rateLimiter", RateLimiter.class);
        boolean trustForwarded = Boolean.parseBoolean(context.getPropertiesComponent()
                .resolveProperty("hub.ratelimit.trust-forwarded").orElse("false").trim());
        new RateLimitHandler(limiter, trustForwarded).install(router);
        LOG.info("rate limit {} on /api", limiter.enabled() ? "active" : "disabled");
        new JobLogSse(Beans.bean(context, "jobService", JobService.class),
                Beans.bean(context, "jobLog", JobLog.class)).install(router, router.vertx());
        edge.registerOperation("get", "/api/jobs/id/{job_id}/logs");
        EventBroadcaster broadcaster = context.getRegistry().lookupByNameAndType("eventBroadcaster",
                EventBroadcaster.class);
        context.getRegistry().lookupByNameAndType("sseChannel", SseChannel.class)
                .install(router, router.vertx(), broadcaster::statusJson);
        broadcaster.attach(context.createProducerTemplate());
        LOG.info("contimg-hub serving /api on port {}",
                context.getPropertiesComponent().resolveProperty("hub.port").orElse("?"));
    }
}
