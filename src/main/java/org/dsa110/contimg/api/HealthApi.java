package org.dsa110.contimg.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.monitoring.HealthSummary;
import org.dsa110.contimg.ops.HealthProbes;
import org.dsa110.contimg.ops.HealthReport;

/**
 * /api/health*, /api/metrics/prometheus. The dashboard's fields (the checks card, the queue-health fields of the
 * earlier task-queue service) come from {@link HealthSummary}, beside the hub's own.
 */
public class HealthApi extends ApiRoutes {

    /** GET /api/health/services. */
    public record Services(List<HealthReport.Service> services) {
    }

    @Override
    public void configure() {
        HealthReport health = lookup("healthReport", HealthReport.class);
        HealthProbes probes = lookup("healthProbes", HealthProbes.class);
        PrometheusMeterRegistry prometheus = lookup("metricsRegistry", PrometheusMeterRegistry.class);
        HealthSummary dashboard = lookup("healthSummary", HealthSummary.class);

        // the three probes load balancers and scrapers call constantly serve the background probes' latest results,
        // already written as JSON
        get("/health", "health", "Overall health: store, disk, version (503 when degraded; probed at most ~1 s ago)",
                req -> served(probes.summary()))
                .returns(HealthReport.Summary.class).returns(503, HealthReport.Summary.class)
                .example("{\"status\": \"healthy\", \"timestamp\": \"2026-12-07T18:20:01.25Z\", \"databases\": "
                        + "{\"queue\": \"accessible\", \"products\": \"accessible\", \"registry\": \"accessible\"}, "
                        + "\"disk\": {\"free_gb\": 812.4, \"total_gb\": 1968.1, \"path\": \"/data/contimg\"}, "
                        + "\"version\": \"0.1.0\", \"message\": \"all systems operational\"}");
        get("/health/summary", "health.summary", "Checks card: store, disk, liveness, readiness, services",
                req -> dashboard.summary())
                .returns(org.dsa110.contimg.monitoring.HealthSummary.Summary.class);
        get("/health/live", "health.live", "Liveness (Camel liveness checks, probed in the background)",
                req -> served(probes.liveness()))
                .returns(HealthReport.Checks.class).returns(503, HealthReport.Checks.class);
        get("/health/ready", "health.ready", "Readiness (Camel health checks incl. the store; probed at most ~1 s ago)",
                req -> served(probes.readiness()))
                .returns(HealthReport.Checks.class).returns(503, HealthReport.Checks.class);
        get("/health/detailed", "health.detailed", "Every check, JVM, pool and routes; queue depth, alerts, warnings",
                req -> dashboard.withQueueFields(health.detailed()))
                .returns(org.dsa110.contimg.monitoring.HealthSummary.WithQueueFields.class);
        get("/health/services", "health.services", "State of each service the hub runs",
                req -> new Services(health.services()))
                .returns(Services.class);
        get("/metrics/prometheus", "metrics.prometheus", "Prometheus exposition (Camel routes, JVM, pipeline)",
                req -> ApiResponse.text(prometheus.scrape(), "text/plain; version=0.0.4; charset=utf-8"))
                .returnsMedia(200, "text/plain", "Prometheus text exposition format 0.0.4");
    }

    private static ApiResponse served(HealthProbes.Served<?> s) {
        return new ApiResponse(s.ok() ? 200 : 503, ApiResponse.JSON, s.json(), Map.of());
    }
}
