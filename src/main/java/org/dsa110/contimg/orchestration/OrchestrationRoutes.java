package org.dsa110.contimg.orchestration;

import org.apache.camel.builder.RouteBuilder;

/**
 * The orchestration's own routes: the claim timer of this hub's task runner, the heartbeat timer (this worker's
 * heartbeat, crashed workers' tasks handed back, batches topped up) and the built-in housekeeping task.
 */
public class OrchestrationRoutes extends RouteBuilder {
    @Override
    public void configure() {
        String poll = getCamelContext().getPropertiesComponent().resolveProperty("hub.tasks.poll-interval-ms")
                .orElse("1000");
        String beat = getCamelContext().getPropertiesComponent().resolveProperty("hub.workers.heartbeat-seconds")
                .orElse("10");
        from("timer:orchestration.claim?delay=2000&period=" + poll).routeId("orchestration.claim")
                .bean("taskRunner", "poll");
        from("timer:orchestration.heartbeat?delay=1000&period=" + (Long.parseLong(beat.trim()) * 1000))
                .routeId("orchestration.heartbeat")
                .bean("taskRunner", "heartbeat")
                .bean("taskRunner", "reap")
                .bean("batchService", "pumpAll");
        from(TaskCatalog.HOUSEKEEPING_ENDPOINT).routeId("task.housekeeping")
                .bean("housekeeping", "run");
    }
}
