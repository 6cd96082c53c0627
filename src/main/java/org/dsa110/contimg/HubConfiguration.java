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
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.dsa110.contimg.api.HttpEdge;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.HealthReport;
import org.dsa110.contimg.ops.JmxScope;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.LiveClients;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.StoreHealthCheck;
import org.dsa110.contimg.ops.SystemProbe;
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

    /** One shared Vert.x: the HTTP server, WebSocket and SSE must all use it to share port {@code hub.port}. */
    @BindToRegistry("vertx")
    public Vertx vertx() {
        return Vertx.vertx();
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
        return new EventBroadcaster(db(), sseChannel(), statusReport());
    }

    @BindToRegistry("healthReport")
    public HealthReport healthReport(CamelContext context) throws Exception {
        return new HealthReport(context, db(), settings(), sseChannel());
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
        context.getShutdownStrategy().setTimeout(15);
    }
}
