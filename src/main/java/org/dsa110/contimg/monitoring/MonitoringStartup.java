package org.dsa110.contimg.monitoring;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Once the HTTP server runs: puts the rate limiter on the platform router and sets the slow-query threshold. */
final class MonitoringStartup implements ExtendedStartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringStartup.class);

    private final RateLimiter limiter;
    private final boolean trustForwarded;
    private final long slowQueryMillis;
    private boolean installed;

    MonitoringStartup(RateLimiter limiter, boolean trustForwarded, long slowQueryMillis) {
        this.limiter = limiter;
        this.trustForwarded = trustForwarded;
        this.slowQueryMillis = slowQueryMillis;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        // nothing before start
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the router is complete once the context has fully started
    }

    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (installed) {
            return;
        }
        Db db = context.getRegistry().lookupByNameAndType("db", Db.class);
        if (db != null) {
            db.queryStats().setSlowThresholdMillis(slowQueryMillis);
        }
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("hub.port").orElse("8000"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            LOG.warn("platform-http router not found: the API runs without a rate limit");
            return;
        }
        new RateLimitHandler(limiter, trustForwarded).install(router);
        installed = true;
        LOG.info("rate limit {} on /api", limiter.enabled() ? "active" : "disabled");
    }
}
