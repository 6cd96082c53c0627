package org.dsa110.contimg.pipeline;

import static org.dsa110.contimg.Beans.bean;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.PropertiesComponent;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.dlq.DeadLetters;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;

/**
 * Wiring of the pipeline engine: the store, the stage executor resolution, the stage runner and the group-flow
 * bookkeeping. Beans are lazy because they need {@code db} and friends from the hub's own configuration.
 */
@Configuration
public class PipelineConfiguration implements CamelConfiguration {
    @PropertyInject(value = "hub.worker.id", defaultValue = "")
    String nodeId;
    @PropertyInject(value = "hub.pipeline.max-attempts", defaultValue = "3")
    int maxAttempts;
    @PropertyInject(value = "hub.calibration.ordering.enabled", defaultValue = "true")
    boolean orderingEnabled;
    @PropertyInject(value = "hub.calibration.ordering.timeout.seconds", defaultValue = "1800")
    long orderingTimeoutSeconds;
    @PropertyInject(value = "hub.calibration.ordering.poll.ms", defaultValue = "1000")
    long orderingPollMs;
    @PropertyInject(value = "hub.calibration.ordering.on-timeout", defaultValue = "fail")
    String orderingOnTimeout;

    private PipelineStore store;
    private StageExecutors executors;
    private StageRunner runner;
    private PipelineRuns runs;
    private PipelineReports reports;
    private CalibrationOrdering ordering;

    @BindToRegistry(value = "pipelineStore", lazy = true)
    public synchronized PipelineStore pipelineStore(CamelContext context) {
        if (store == null) {
            store = new PipelineStore(bean(context, "db", Db.class));
        }
        return store;
    }

    @BindToRegistry(value = "stageExecutors", lazy = true)
    public synchronized StageExecutors stageExecutors(CamelContext context) {
        if (executors == null) {
            PropertiesComponent pc = context.getPropertiesComponent();
            executors = new StageExecutors(
                    key -> pc.resolveProperty(key).filter(v -> !v.isBlank()),
                    name -> context.getRegistry().lookupByNameAndType(name, StageExecutor.class),
                    prefix -> {
                        Properties p = pc.loadProperties(k -> k.startsWith(prefix));
                        Map<String, String> out = new LinkedHashMap<>();
                        for (String k : p.stringPropertyNames()) {
                            pc.resolveProperty(k).ifPresent(v -> out.put(k.substring(prefix.length()), v));
                        }
                        return out;
                    });
        }
        return executors;
    }

    @BindToRegistry(value = "stageRunner", lazy = true)
    public synchronized StageRunner stageRunner(CamelContext context) {
        if (runner == null) {
            HubSettings settings = bean(context, "hubSettings", HubSettings.class);
            runner = new StageRunner(pipelineStore(context), stageExecutors(context),
                    settings.stagingDir().resolve("pipeline"), workerId(), (type, data) -> publish(context, type, data));
        }
        return runner;
    }

    @BindToRegistry(value = "pipelineRuns", lazy = true)
    public synchronized PipelineRuns pipelineRuns(CamelContext context) {
        if (runs == null) {
            runs = new PipelineRuns(pipelineStore(context), bean(context, "groupStates", GroupStates.class),
                    stageRunner(context), bean(context, "deadLetters", DeadLetters.class), context, workerId(),
                    maxAttempts, bean(context, "leaseTerms", LeaseTerms.class), (type, data) -> publish(context, type, data));
        }
        return runs;
    }

    @BindToRegistry(value = "calibrationOrdering", lazy = true)
    public synchronized CalibrationOrdering calibrationOrdering(CamelContext context) {
        if (ordering == null) {
            ordering = new CalibrationOrdering(bean(context, "db", Db.class), stageExecutors(context),
                    CalibrationOrdering.Settings.parse(orderingEnabled, orderingTimeoutSeconds, orderingPollMs,
                            orderingOnTimeout));
        }
        return ordering;
    }

    @BindToRegistry(value = "pipelineReports", lazy = true)
    public synchronized PipelineReports pipelineReports(CamelContext context) {
        if (reports == null) {
            reports = new PipelineReports(pipelineStore(context), new PipelineGraph(context, stageExecutors(context)));
        }
        return reports;
    }

    /** This hub's id in pipeline_executions.worker_id: restart recovery only takes back its own work. */
    String workerId() {
        return org.dsa110.contimg.HubSettings.workerId(nodeId);
    }

    private static void publish(CamelContext context, String type, Object data) {
        Optional.ofNullable(context.getRegistry().lookupByNameAndType("eventBroadcaster", EventBroadcaster.class))
                .ifPresent(e -> e.publish(type, data));
    }
}
