package org.dsa110.contimg.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Times every pass of a group (or an operator's task) through a stage route {@code stage.<name>}:
 * {@code contimg_stage_duration_seconds{stage, outcome}} with histogram buckets from 10 ms to 2 h, so a dashboard
 * draws stage-duration percentiles over any range (Camel's own route timers are summaries, whose quantiles cannot
 * be aggregated, and one metric name cannot be both). A pass includes its redeliveries; outcome is
 * {@code completed}, or {@code failed} when the stage was dead-lettered or failed.
 */
public final class StageTimers implements RoutePolicyFactory {
    static final String STAGE_ROUTE_PREFIX = "stage.";
    private static final String STARTED = "contimg.stageTimerStart";

    private final MeterRegistry registry;

    public StageTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (routeId == null || !routeId.startsWith(STAGE_ROUTE_PREFIX)) {
            return null;
        }
        String stage = routeId.substring(STAGE_ROUTE_PREFIX.length());
        Timer completed = timer(stage, "completed");
        Timer failed = timer(stage, "failed");
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                exchange.setProperty(STARTED + "." + stage, System.nanoTime());
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                Long start = exchange.getProperty(STARTED + "." + stage, Long.class);
                if (start == null) {
                    return;
                }
                exchange.removeProperty(STARTED + "." + stage);
                boolean bad = exchange.isFailed() || ExchangeHelper.isFailureHandled(exchange);
                (bad ? failed : completed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    private Timer timer(String stage, String outcome) {
        return Timer.builder("contimg.stage.duration")
                .description("Time of one pass through a stage route, redeliveries included")
                .tag("stage", stage)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
    }
}
