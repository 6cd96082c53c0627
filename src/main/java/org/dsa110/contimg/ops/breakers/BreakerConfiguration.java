package org.dsa110.contimg.ops.breakers;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the breakers from config ({@code hub.breaker.names}; per breaker {@code hub.breaker.<name>.failure-threshold}
 * and {@code .recovery-seconds}, defaulting to {@code hub.breaker.failure-threshold} / {@code .recovery-seconds};
 * {@code hub.breaker.failure-rate} in percent) and binds them, with each breaker's route-side configuration
 * {@code breaker.<name>} that the circuitBreaker steps in routes/ reference. The effective settings are written
 * to breaker_config at start so every node and the dashboard see what runs.
 */
@Configuration
public class BreakerConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerConfiguration.class);

    @PropertyInject(value = "hub.breaker.names",
            defaultValue = "conversion,calibration_solve,calibration_apply,imaging,photometry,ese_detection,"
                    + "mosaic,publishing,catalog")
    String names;

    private Breakers breakers;

    @BindToRegistry("breakers")
    public synchronized Breakers breakers(CamelContext context) {
        if (breakers == null) {
            PropertiesComponent pc = context.getPropertiesComponent();
            int defThreshold = intProp(pc, "hub.breaker.failure-threshold", 5);
            int defRecovery = intProp(pc, "hub.breaker.recovery-seconds", 60);
            float rate = (float) Double.parseDouble(pc.resolveProperty("hub.breaker.failure-rate").orElse("100"));
            Map<String, Breakers.Settings> configured = new LinkedHashMap<>();
            for (String raw : names.split(",")) {
                String name = raw.trim();
                if (!name.isEmpty()) {
                    configured.put(name, new Breakers.Settings(
                            intProp(pc, "hub.breaker." + name + ".failure-threshold", defThreshold),
                            intProp(pc, "hub.breaker." + name + ".recovery-seconds", defRecovery), rate));
                }
            }
            breakers = new Breakers(configured, BreakerConfiguration::doesNotCount, (name, state) -> {
                EventBroadcaster events = context.getRegistry().lookupByNameAndType("eventBroadcaster",
                        EventBroadcaster.class);
                if (events != null) {
                    events.publish("circuit_breaker_update", state);
                }
            });
        }
        return breakers;
    }

    /** Camel's circuitBreaker EIP takes breakers from the one CircuitBreakerRegistry it finds by type. */
    @BindToRegistry("circuitBreakerRegistry")
    public CircuitBreakerRegistry circuitBreakerRegistry(CamelContext context) {
        return breakers(context).registry();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Breakers b = breakers(context);
        for (String name : b.settings().keySet()) {
            b.routeConfiguration(name).ifPresent(d -> context.getRegistry().bind(d.getId(),
                    Resilience4jConfigurationDefinition.class, d));
        }
        context.addStartupListener((ctx, alreadyStarted) -> persist(ctx));
    }

    private void persist(CamelContext ctx) {
        Db db = ctx.getRegistry().lookupByNameAndType("db", Db.class);
        if (db == null) {
            return;
        }
        Instant now = Instant.now();
        try {
            breakers(ctx).settings().forEach((name, s) -> {
                int n = db.update("UPDATE breaker_config SET failure_threshold = ?, recovery_seconds = ?, "
                        + "updated_at = ? WHERE name = ?", s.failureThreshold(), s.recoverySeconds(), now, name);
                if (n == 0) {
                    db.update("INSERT INTO breaker_config (name, failure_threshold, recovery_seconds, updated_at) "
                            + "VALUES (?, ?, ?, ?)", name, s.failureThreshold(), s.recoverySeconds(), now);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not record breaker settings: {}", e.getMessage());
        }
    }

    /**
     * Failures that do not count against a breaker: permanent input/config errors, and the breaker's own refusal.
     * Walks the cause chain because Camel may wrap the stage's exception.
     */
    static boolean doesNotCount(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PermanentStageException || c instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    private static int intProp(PropertiesComponent pc, String key, int def) {
        return pc.resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).orElse(def);
    }
}
