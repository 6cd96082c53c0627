package org.dsa110.contimg.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.monitoring.HealthSummary;
import org.dsa110.contimg.ops.HealthReport;

/**
 * /api/health*, /api/metrics/prometheus. The dashboard's fields (the checks card, the queue-health fields of the
 * earlier task-queue service) come from {@link HealthSummary}, beside the hub's own.
 */
public class HealthApi extends ApiRoutes {

    @Override
    public void configure() {
        HealthReport health = lookup("healthReport", HealthReport.class);
        PrometheusMeterRegistry prometheus = lookup("metricsRegistry", PrometheusMeterRegistry.class);
        HealthSummary dashboard = lookup("healthSummary", HealthSummary.class);

        get("/health", "health", "Overall health: store, disk, version (503 when degraded)", req -> {
            Map<String, Object> s = health.summary();
            return ApiResponse.status(health.isHealthy(s) ? 200 : 503, HealthSummary.withMessage(s));
        });
        get("/health/summary", "health.summary", "Checks card: store, disk, liveness, readiness, services",
                req -> dashboard.summary());
        get("/health/live", "health.live", "Liveness (Camel health checks)", req -> {
            Map<String, Object> c = health.liveness();
            return ApiResponse.status(HealthReport.isUp(c) ? 200 : 503, c);
        });
        get("/health/ready", "health.ready", "Readiness (Camel health checks incl. the store)", req -> {
            Map<String, Object> c = health.readiness();
            return ApiResponse.status(HealthReport.isUp(c) ? 200 : 503, c);
        });
        get("/health/detailed", "health.detailed", "Every check, JVM, pool and routes; queue depth, alerts, warnings",
                req -> dashboard.withQueueFields(health.detailed()));
        get("/health/services", "health.services", "State of each service the hub runs", req -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("services", health.services());
            return out;
        });
        get("/metrics/prometheus", "metrics.prometheus", "Prometheus exposition (Camel routes, JVM, pipeline)",
                req -> ApiResponse.text(prometheus.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    }
}
