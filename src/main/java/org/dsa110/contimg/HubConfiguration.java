package org.dsa110.contimg;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.dsa110.contimg.api.ClientAddress;
import org.dsa110.contimg.api.HttpEdge;
import org.dsa110.contimg.api.JolokiaEndpoint;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.HealthProbes;
import org.dsa110.contimg.ops.HealthReport;
import org.dsa110.contimg.ops.StageTimers;
import org.dsa110.contimg.ops.JmxScope;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.LiveClients;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.StoreHealthCheck;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.security.AuditLog;
import org.dsa110.contimg.security.JolokiaPolicy;
import org.dsa110.contimg.store.Database;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.StoreDataSource;

/**
 * Wiring: every shared bean is built here from properties (config/application.properties, overridable by
 * environment or -D), so what the hub is made of can be read in one place.
 */
@Configuration
public class HubConfiguration implements CamelConfiguration {

    @PropertyInject("hub.version")
    String version;
    @PropertyInject("hub.data.dir")
    String dataDir;
    @PropertyInject(value = "hub.incoming.dir", defaultValue = "")
    String incomingDir;
    @PropertyInject("hub.port")
    int port;
    @PropertyInject(value = "hub.db.url", defaultValue = "")
    String dbUrl;
    @PropertyInject(value = "hub.db.user", defaultValue = "sa")
    String dbUser;
    @PropertyInject(value = "hub.db.password", defaultValue = "")
    String dbPassword;
    @PropertyInject(value = "hub.db.pool.size", defaultValue = "10")
    int dbPoolSize;

    private HubSettings settings;
    private StoreDataSource dataSource;
    private Db db;
    private PrometheusMeterRegistry meterRegistry;
    private SystemProbe systemProbe;
    private StatusReport statusReport;
    private final LiveClients liveClients = new LiveClients();
    private SseChannel sseChannel;

    @PropertyInject(value = "hub.live.sse.heartbeat", defaultValue = "30")
    long sseHeartbeatSeconds;
    @PropertyInject(value = "hub.jmx.rest-routes", defaultValue = "false")
    boolean jmxRestRoutes;
    @PropertyInject(value = "hub.data.roots", defaultValue = " ")
    String dataRoots;
    @PropertyInject(value = "hub.images.roots", defaultValue = " ")
    String imageRoots;
    @PropertyInject(value = "hub.streaming.output.dir", defaultValue = " ")
    String streamingOutputDir;
    @PropertyInject(value = "hub.mosaic.dir", defaultValue = " ")
    String mosaicDir;
    @PropertyInject(value = "hub.publish.staging.roots", defaultValue = " ")
    String publishStagingRoots;
    @PropertyInject(value = "hub.ratelimit.enabled", defaultValue = "true")
    boolean rateLimitEnabled;
    @PropertyInject(value = "hub.ratelimit.exempt-loopback", defaultValue = "false")
    boolean exemptLoopback;
    @PropertyInject(value = "hub.ratelimit.expensive.rate", defaultValue = "1")
    double expensiveRate;
    @PropertyInject(value = "hub.ratelimit.expensive.burst", defaultValue = "10")
    int expensiveBurst;
    @PropertyInject(value = "hub.ratelimit.trust-forwarded", defaultValue = "false")
    boolean trustForwarded;
    @PropertyInject(value = "hub.ratelimit.trusted-proxies", defaultValue = "127.0.0.1,::1")
    String trustedProxies;
    @PropertyInject(value = "hub.health.probe-interval-ms", defaultValue = "1000")
    long healthProbeIntervalMs;
    @PropertyInject(value = "hub.health.stale-after-ms", defaultValue = "10000")
    long healthStaleAfterMs;

    @BindToRegistry("hubSettings")
    public synchronized HubSettings settings() {
        if (settings == null) {
            settings = HubSettings.of(version, dataDir, incomingDir, port);
            settings.createDirectories();
        }
        return settings;
    }

    @BindToRegistry("dataSource")
    public synchronized StoreDataSource dataSource() throws Exception {
        if (dataSource == null) {
            // migrates on its own thread while the routes are built; HubStartup waits for it before they start
            dataSource = Database.openInBackground(dbUrl, dbUser, dbPassword, dbPoolSize, settings().dataDir());
        }
        return dataSource;
    }

    @BindToRegistry("db")
    public synchronized Db db() throws Exception {
        if (db == null) {
            db = new Db(dataSource(), Database.dialectOf(dataSource().getJdbcUrl()));
        }
        return db;
    }

    /** The one JSON mapper (also picked up by any Camel Jackson data format that looks one up). */
    @BindToRegistry("jsonMapper")
    public ObjectMapper jsonMapper() {
        return Json.MAPPER;
    }

    /**
     * One shared Vert.x: the HTTP server, WebSocket and SSE must all use it to share port {@code hub.port}. Its
     * HTTP servers answer requests the decoder refuses with the JSON error body ({@code HttpDecoderErrors}).
     */
    @BindToRegistry("vertx")
    public Vertx vertx() {
        return org.dsa110.contimg.api.HttpDecoderErrors.wrap(Vertx.vertx());
    }

    @BindToRegistry(MicrometerConstants.METRICS_REGISTRY_NAME)
    public synchronized PrometheusMeterRegistry meterRegistry() {
        if (meterRegistry == null) {
            meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(meterRegistry);
            new JvmGcMetrics().bindTo(meterRegistry);
            new JvmThreadMetrics().bindTo(meterRegistry);
            new ClassLoaderMetrics().bindTo(meterRegistry);
            new ProcessorMetrics().bindTo(meterRegistry);
            new UptimeMetrics().bindTo(meterRegistry);
        }
        return meterRegistry;
    }

    @BindToRegistry("liveClients")
    public LiveClients liveClients() {
        return liveClients;
    }

    @BindToRegistry("httpEdge")
    public HttpEdge httpEdge() {
        return new HttpEdge();
    }

    /** Completes /api/openapi.json with what each operation declares (Camel's REST API endpoint finds it by type). */
    @BindToRegistry("apiDocument")
    public org.dsa110.contimg.api.ApiDocument apiDocument() {
        return new org.dsa110.contimg.api.ApiDocument();
    }

    /** Who a request comes from (rate limit, audit): X-Forwarded-For only from the configured proxies. */
    @BindToRegistry("clientAddress")
    public ClientAddress clientAddress() {
        java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
        for (String p : trustedProxies.split(",")) {
            if (!p.isBlank()) {
                proxies.add(p.strip());
            }
        }
        return new ClientAddress(trustForwarded, proxies);
    }

    /**
     * The stricter budget of the expensive endpoints (hub.ratelimit.expensive.*), taken on top of the general one
     * by the same clients; loopback and the general exemptions apply as there.
     */
    @BindToRegistry("expensiveRateLimiter")
    public org.dsa110.contimg.monitoring.RateLimiter expensiveRateLimiter() {
        return new org.dsa110.contimg.monitoring.RateLimiter(rateLimitEnabled, expensiveRate, expensiveBurst,
                exemptLoopback, List.of(), 10_000);
    }

    /** Jolokia at /api/jolokia under the hub's policy (replaces Camel's default plugin of the same id). */
    @BindToRegistry(value = "jolokia", lazy = true)
    public JolokiaEndpoint jolokia(CamelContext context) {
        return new JolokiaEndpoint(Beans.bean(context, "jolokiaPolicy", JolokiaPolicy.class),
                Beans.bean(context, "auditLog", AuditLog.class), clientAddress());
    }

    /**
     * The directories clients may name paths in (docs/architecture.md, "Paths from clients"): the data directory,
     * the incoming directory, and every directory the operator configured for data: hub.data.roots,
     * hub.images.roots, hub.streaming.output.dir, hub.mosaic.dir, hub.publish.staging.roots.
     */
    @BindToRegistry("dataRoots")
    public synchronized DataRoots dataRoots() {
        List<Path> extra = new ArrayList<>();
        extra.add(settings().incomingDir());
        for (String key : List.of(dataRoots, imageRoots, streamingOutputDir, mosaicDir, publishStagingRoots)) {
            extra.addAll(DataRoots.parseList(key));
        }
        return new DataRoots(settings().dataDir(), extra);
    }

    @BindToRegistry("systemProbe")
    public synchronized SystemProbe systemProbe() {
        if (systemProbe == null) {
            systemProbe = new SystemProbe();
        }
        return systemProbe;
    }

    @BindToRegistry("statusReport")
    public synchronized StatusReport statusReport() throws Exception {
        if (statusReport == null) {
            statusReport = new StatusReport(db(), systemProbe());
        }
        return statusReport;
    }

    @BindToRegistry("sseChannel")
    public synchronized SseChannel sseChannel() {
        if (sseChannel == null) {
            sseChannel = new SseChannel(sseHeartbeatSeconds);
        }
        return sseChannel;
    }

    @BindToRegistry("eventBroadcaster")
    public EventBroadcaster eventBroadcaster() throws Exception {
        return new EventBroadcaster(db(), sseChannel(), statusReport(), liveClients);
    }

    @BindToRegistry("healthReport")
    public HealthReport healthReport(CamelContext context) throws Exception {
        return new HealthReport(context, db(), settings(), sseChannel());
    }

    /** The health endpoints' background probes (started by HubStartup once the hub serves). */
    @BindToRegistry(value = "healthProbes", lazy = true)
    public HealthProbes healthProbes(CamelContext context) {
        return new HealthProbes(Beans.bean(context, "healthReport", HealthReport.class),
                Duration.ofMillis(healthProbeIntervalMs), Duration.ofMillis(healthStaleAfterMs));
    }

    @BindToRegistry("groupStates")
    public GroupStates groupStates() throws Exception {
        return new GroupStates(db());
    }

    @BindToRegistry("storeHealthCheck")
    public StoreHealthCheck storeHealthCheck() throws Exception {
        return new StoreHealthCheck(db());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (context.getManagementStrategy() != null) {
            context.getManagementStrategy().setManagementObjectStrategy(new JmxScope(jmxRestRoutes));
        }
        context.addStartupListener(new HubStartup());
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext ctx) {
                sseChannel().close();
            }

            @Override
            public void onContextStopped(CamelContext ctx) {
                if (dataSource != null) {
                    dataSource.close();
                }
            }
        });
        // Route-level timers and exchange counters (camel_exchanges_*, camel_route_policy_*) for Prometheus.
        MicrometerRoutePolicyFactory policy = new MicrometerRoutePolicyFactory();
        policy.setMeterRegistry(meterRegistry());
        context.addRoutePolicyFactory(policy);
        // stage durations as a histogram (contimg_stage_duration_seconds): Camel's timers above are summaries
        context.addRoutePolicyFactory(new StageTimers(meterRegistry()));
        context.getShutdownStrategy().setTimeout(15);
    }
}
