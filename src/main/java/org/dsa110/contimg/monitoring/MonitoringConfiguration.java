package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.Beans.bean;

import org.dsa110.contimg.ops.breakers.Breakers;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.HealthReport;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.store.Db;

/**
 * Wiring of monitoring: the shared cache, the rate limiter, and the services behind the metrics, disk-usage,
 * performance, queue-health, events and dashboard endpoints. Beans that need the store are bound lazily and
 * look the foundation's beans up when first used, so the order configuration classes are read in does not matter.
 */
@Configuration
public class MonitoringConfiguration implements CamelConfiguration {

    static {
        // Plots render with AWT; no display on the telescope's servers.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    @PropertyInject(value = "hub.cache.max-bytes", defaultValue = "67108864")
    long cacheMaxBytes;
    @PropertyInject(value = "hub.cache.ttl.seconds", defaultValue = "60")
    long cacheTtlSeconds;
    @PropertyInject(value = "hub.ratelimit.enabled", defaultValue = "true")
    boolean rateLimitEnabled;
    @PropertyInject(value = "hub.ratelimit.rate", defaultValue = "20")
    double rateLimitRate;
    @PropertyInject(value = "hub.ratelimit.burst", defaultValue = "100")
    int rateLimitBurst;
    @PropertyInject(value = "hub.ratelimit.exempt-loopback", defaultValue = "false")
    boolean rateLimitExemptLoopback;
    @PropertyInject(value = "hub.ratelimit.exempt-paths", defaultValue = "/api/health,/api/metrics/prometheus,/api/ws")
    String rateLimitExemptPaths;
    @PropertyInject(value = "hub.ratelimit.max-clients", defaultValue = "10000")
    int rateLimitMaxClients;
    @PropertyInject(value = "hub.db.slow-query-ms", defaultValue = "500")
    long slowQueryMillis;
    @PropertyInject(value = "hub.monitoring.system.retention.days", defaultValue = "7")
    double systemRetentionDays;
    @PropertyInject(value = "hub.monitoring.disk.retention.days", defaultValue = "90")
    double diskRetentionDays;
    @PropertyInject(value = "hub.monitoring.disk.walk.max-files", defaultValue = "200000")
    long diskWalkMaxFiles;
    @PropertyInject(value = "hub.monitoring.disk.walk.cache.seconds", defaultValue = "300")
    long diskWalkCacheSeconds;
    @PropertyInject(value = "hub.events.retention.days", defaultValue = "7")
    double eventRetentionDays;
    @PropertyInject(value = "hub.events.retention.max-rows", defaultValue = "100000")
    long eventMaxRows;

    private final Volumes volumes = new Volumes();
    private HubCache cache;
    private RateLimiter limiter;
    private HttpErrorLog httpErrors;

    @BindToRegistry("hubCache")
    public synchronized HubCache hubCache() {
        if (cache == null) {
            cache = new HubCache(cacheMaxBytes, cacheTtlSeconds);
        }
        return cache;
    }

    @BindToRegistry("rateLimiter")
    public synchronized RateLimiter rateLimiter() {
        if (limiter == null) {
            List<String> exempt = Arrays.stream(rateLimitExemptPaths.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            limiter = new RateLimiter(rateLimitEnabled, rateLimitRate, rateLimitBurst, rateLimitExemptLoopback,
                    exempt, rateLimitMaxClients);
        }
        return limiter;
    }

    @BindToRegistry(value = "systemMetrics", lazy = true)
    public SystemMetrics systemMetrics(CamelContext context) {
        return new SystemMetrics(db(context), bean(context, "systemProbe", SystemProbe.class), settings(context),
                volumes, days(systemRetentionDays));
    }

    @BindToRegistry(value = "diskUsage", lazy = true)
    public DiskUsage diskUsage(CamelContext context) {
        return new DiskUsage(db(context), settings(context), volumes, diskWalkMaxFiles,
                Duration.ofSeconds(diskWalkCacheSeconds), days(diskRetentionDays));
    }

    @BindToRegistry(value = "databaseMetrics", lazy = true)
    public DatabaseMetrics databaseMetrics(CamelContext context) {
        HealthReport health = bean(context, "healthReport", HealthReport.class);
        return new DatabaseMetrics(db(context), health::poolStats);
    }

    @BindToRegistry(value = "performanceMetrics", lazy = true)
    public PerformanceMetrics performanceMetrics(CamelContext context) {
        return new PerformanceMetrics(db(context));
    }

    @BindToRegistry(value = "queueHealth", lazy = true)
    public QueueHealth queueHealth(CamelContext context) {
        return new QueueHealth(db(context));
    }

    @BindToRegistry(value = "eventLog", lazy = true)
    public EventLog eventLog(CamelContext context) {
        return new EventLog(db(context), days(eventRetentionDays), eventMaxRows);
    }

    @BindToRegistry(value = "dashboardSummary", lazy = true)
    public DashboardSummary dashboardSummary(CamelContext context) {
        return new DashboardSummary(db(context), bean(context, "statusReport", StatusReport.class),
                bean(context, "breakers", Breakers.class), volumes, settings(context));
    }

    @BindToRegistry("httpErrorLog")
    public synchronized HttpErrorLog httpErrorLog() {
        if (httpErrors == null) {
            httpErrors = new HttpErrorLog();
        }
        return httpErrors;
    }

    @BindToRegistry(value = "errorAnalytics", lazy = true)
    public ErrorAnalytics errorAnalytics(CamelContext context) {
        return new ErrorAnalytics(db(context), httpErrorLog());
    }

    @BindToRegistry(value = "healthSummary", lazy = true)
    public HealthSummary healthSummary(CamelContext context) {
        return new HealthSummary(bean(context, "healthReport", HealthReport.class), db(context),
                bean(context, "breakers", Breakers.class),
                bean(context, "workerRegistry", org.dsa110.contimg.orchestration.WorkerRegistry.class));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new MonitoringStartup(slowQueryMillis));
    }

    private static Db db(CamelContext context) {
        return bean(context, "db", Db.class);
    }

    private static HubSettings settings(CamelContext context) {
        return bean(context, "hubSettings", HubSettings.class);
    }

    private static Duration days(double days) {
        return Duration.ofSeconds((long) (days * 86400));
    }

    /** The bean names this configuration binds (documentation and tests). */
    public static final Map<String, Class<?>> BEANS = Map.of("hubCache", HubCache.class, "rateLimiter",
            RateLimiter.class, "systemMetrics", SystemMetrics.class, "diskUsage", DiskUsage.class, "databaseMetrics",
            DatabaseMetrics.class, "performanceMetrics", PerformanceMetrics.class, "queueHealth", QueueHealth.class,
            "eventLog", EventLog.class, "dashboardSummary", DashboardSummary.class);
}
