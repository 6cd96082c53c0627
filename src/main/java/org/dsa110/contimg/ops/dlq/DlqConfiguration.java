package org.dsa110.contimg.ops.dlq;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.store.Db;

/**
 * The dead-letter queue beans. {@code hub.dlq.auto-retry.transient-types}: error types the scheduled auto-retry
 * resubmits; {@code hub.dlq.auto-retry.max-retries}: how often at most.
 */
@Configuration
public class DlqConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.dlq.auto-retry.transient-types", defaultValue = "circuit_open,timeout,interrupted")
    String transientTypes;
    @PropertyInject(value = "hub.dlq.auto-retry.max-retries", defaultValue = "3")
    int maxRetries;

    private DeadLetters deadLetters;

    @BindToRegistry(value = "deadLetters", lazy = true)
    public synchronized DeadLetters deadLetters(CamelContext context) {
        if (deadLetters == null) {
            Set<String> types = Arrays.stream(transientTypes.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet());
            Db db = context.getRegistry().lookupByNameAndType("db", Db.class);
            if (db == null) {
                throw new IllegalStateException("bean db is not bound yet");
            }
            deadLetters = new DeadLetters(new DlqStore(db), context, types, maxRetries);
        }
        return deadLetters;
    }
}
