package org.dsa110.contimg.monitoring;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.ops.schedules.LocalQuartz;

/**
 * The monitoring samplers, on Quartz simple triggers: host metrics every {@code hub.monitoring.system.sample.seconds}
 * (default a minute), disk usage of the data roots every {@code hub.monitoring.disk.sample.seconds}, and the
 * event-log prune every {@code hub.events.prune.seconds}. Each first fires one interval after start. A failed run
 * is logged and the next one runs as usual.
 */
public class MonitoringRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "monitoring sampler ${routeId} failed: ${exception.message}");

        from(sampler("system-metrics", seconds("hub.monitoring.system.sample.seconds", 60)))
                .routeId("monitoring.system-sampler")
                .bean("systemMetrics", "sample");
        from(sampler("disk-usage", seconds("hub.monitoring.disk.sample.seconds", 300)))
                .routeId("monitoring.disk-sampler")
                .bean("diskUsage", "sample");
        from(sampler("event-prune", seconds("hub.events.prune.seconds", 3600)))
                .routeId("monitoring.event-prune")
                .bean("eventLog", "prune")
                .filter(simple("${body} > 0")) // simple: Hawtio's YAML view shows it (a builder predicate dumps empty)
                    .log(LoggingLevel.INFO, "pruned ${body} stored events past retention")
                .end();
    }

    private static String sampler(String name, long seconds) {
        long ms = seconds * 1000L;
        return LocalQuartz.COMPONENT + ":monitoring/" + name + "?trigger.repeatInterval=" + ms + "&trigger.repeatCount=-1"
                + "&triggerStartDelay=" + ms + "&stateful=true";
    }

    private long seconds(String key, long defaultValue) {
        long v = getCamelContext().getPropertiesComponent().resolveProperty(key).map(String::trim)
                .map(Long::parseLong).orElse(defaultValue);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1 second");
        }
        return v;
    }
}
