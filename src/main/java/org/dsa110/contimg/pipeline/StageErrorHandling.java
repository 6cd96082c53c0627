package org.dsa110.contimg.pipeline;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The error handling the stage routes opt into with {@code routeConfigurationId}:
 * <ul>
 * <li>{@code stage-errors.<stage>}: redelivery with exponential back-off ({@code hub.stage.redelivery.*},
 * overridable per stage as {@code hub.stage.<stage>.redelivery.*}), then the dead-letter channel
 * {@code direct:pipeline.dead-letter}. Permanent failures ({@link PermanentStageException}) and an open breaker
 * ({@link CallNotPermittedException}) skip redelivery and go to the dead-letter channel at once.</li>
 * <li>{@code pipeline-errors}: for the group flow itself (start, resume, completion): no redelivery.</li>
 * </ul>
 */
public class StageErrorHandling extends RouteConfigurationBuilder {
    public static final String DEAD_LETTER = "direct:pipeline.dead-letter";

    @Override
    public void configuration() {
        PropertiesComponent pc = getCamelContext().getPropertiesComponent();
        String stages = pc.resolveProperty("hub.pipeline.stages").orElse(PipelineConfiguration.DEFAULT_STAGES);
        for (String raw : stages.split(",")) {
            String stage = raw.trim();
            if (stage.isEmpty()) {
                continue;
            }
            DeadLetterChannelBuilder dlc = deadLetterChannel(DEAD_LETTER);
            dlc.maximumRedeliveries(setting(pc, stage, "max-redeliveries", 2))
                    .redeliveryDelay(setting(pc, stage, "delay", 5000))
                    .useExponentialBackOff()
                    .backOffMultiplier((double) setting(pc, stage, "backoff-multiplier", 2))
                    .maximumRedeliveryDelay(setting(pc, stage, "max-delay", 300_000))
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logExhaustedMessageHistory(false);
            RouteConfigurationDefinition rc = routeConfiguration("stage-errors." + stage);
            rc.errorHandler(dlc);
            rc.onException(PermanentStageException.class, CallNotPermittedException.class)
                    .maximumRedeliveries(0)
                    .handled(true)
                    .to(DEAD_LETTER);
        }
        routeConfiguration("pipeline-errors").errorHandler(deadLetterChannel(DEAD_LETTER).maximumRedeliveries(0)
                .logExhaustedMessageHistory(false));
    }

    private static int setting(PropertiesComponent pc, String stage, String key, int def) {
        String v = pc.resolveProperty("hub.stage." + stage + ".redelivery." + key)
                .or(() -> pc.resolveProperty("hub.stage.redelivery." + key))
                .map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        return v == null ? def : Integer.parseInt(v);
    }
}
