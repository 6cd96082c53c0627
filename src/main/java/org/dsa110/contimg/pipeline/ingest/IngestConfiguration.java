package org.dsa110.contimg.pipeline.ingest;

import static org.dsa110.contimg.Beans.bean;

import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;

/**
 * Wiring of streaming ingest (keys {@code hub.streaming.*}, {@code hub.worker.id}). The beans are lazy so the
 * shared ones of HubConfiguration (db, hubSettings, eventBroadcaster) exist by the time they are built.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {
    @PropertyInject(value = "hub.streaming.autostart", defaultValue = "true")
    boolean autoStart;
    @PropertyInject(value = "hub.streaming.poll.interval", defaultValue = "5")
    double pollInterval;
    @PropertyInject(value = "hub.streaming.worker.poll.interval", defaultValue = "5")
    double workerPollInterval;
    @PropertyInject(value = "hub.streaming.max.workers", defaultValue = "4")
    int maxWorkers;
    @PropertyInject(value = "hub.streaming.expected.subbands", defaultValue = "16")
    int expectedSubbands;
    @PropertyInject(value = "hub.streaming.output.dir", defaultValue = "")
    String outputDir;
    @PropertyInject(value = "hub.streaming.settle.seconds", defaultValue = "2")
    double settleSeconds;
    @PropertyInject(value = "hub.streaming.stale.timeout.minutes", defaultValue = "15")
    double staleTimeoutMinutes;
    @PropertyInject(value = "hub.streaming.stale.min.subbands", defaultValue = "12")
    int staleMinSubbands;
    @PropertyInject(value = "hub.worker.id", defaultValue = "")
    String workerId;

    private StreamingConfigStore configStore;
    private GroupStore groupStore;
    private IngestDeadLetters deadLetters;
    private GroupEvents groupEvents;
    private IngestService ingestService;
    private GroupClaimer claimer;
    private StreamingService streaming;
    private StaleGroupSweep sweep;

    /** This process's worker id ({@link org.dsa110.contimg.HubSettings#workerId}). */
    public String workerId() {
        return org.dsa110.contimg.HubSettings.workerId(workerId);
    }

    @BindToRegistry(value = "streamingConfigStore", lazy = true)
    public synchronized StreamingConfigStore streamingConfigStore(CamelContext context) {
        if (configStore == null) {
            HubSettings s = bean(context, "hubSettings", HubSettings.class);
            String out = outputDir == null || outputDir.isBlank() ? s.stagingDir().toString() : outputDir;
            StreamingConfig defaults = new StreamingConfig(s.incomingDir().toString(), out, null, null,
                    s.scratchDir().toString(), expectedSubbands, 5.0, "INFO", false, true, 60.0, pollInterval,
                    workerPollInterval, maxWorkers, false, "/dev/shm");
            configStore = new StreamingConfigStore(bean(context, "db", Db.class), defaults);
            configStore.loadOrCreate(defaults);
        }
        return configStore;
    }

    @BindToRegistry(value = "groupStore", lazy = true)
    public synchronized GroupStore groupStore(CamelContext context) {
        if (groupStore == null) {
            groupStore = new GroupStore(bean(context, "db", Db.class));
        }
        return groupStore;
    }

    @BindToRegistry(value = "ingestDeadLetters", lazy = true)
    public synchronized IngestDeadLetters ingestDeadLetters(CamelContext context) {
        if (deadLetters == null) {
            deadLetters = new IngestDeadLetters(bean(context, "db", Db.class));
        }
        return deadLetters;
    }

    @BindToRegistry(value = "groupEvents", lazy = true)
    public synchronized GroupEvents groupEvents(CamelContext context) {
        if (groupEvents == null) {
            groupEvents = new GroupEvents(bean(context, "eventBroadcaster", EventBroadcaster.class));
        }
        return groupEvents;
    }

    @BindToRegistry(value = "ingestService", lazy = true)
    public synchronized IngestService ingestService(CamelContext context) {
        if (ingestService == null) {
            Db db = bean(context, "db", Db.class);
            StreamingConfigStore configs = streamingConfigStore(context);
            ingestService = new IngestService(db, groupStore(context), new FileIndex(db), ingestDeadLetters(context),
                    groupEvents(context), configs::current, Math.round(settleSeconds * 1000));
        }
        return ingestService;
    }

    @BindToRegistry(value = "groupClaimer", lazy = true)
    public synchronized GroupClaimer groupClaimer(CamelContext context) {
        if (claimer == null) {
            StreamingConfigStore configs = streamingConfigStore(context);
            claimer = new GroupClaimer(bean(context, "db", Db.class), groupStore(context), groupEvents(context),
                    configs::current, workerId(), bean(context, "leaseTerms", LeaseTerms.class));
            claimer.releaseOrphanedClaims();
        }
        return claimer;
    }

    @BindToRegistry(value = "streamingService", lazy = true)
    public synchronized StreamingService streamingService(CamelContext context) {
        if (streaming == null) {
            streaming = new StreamingService(ingestService(context), streamingConfigStore(context), workerId(),
                    autoStart, bean(context, "dataRoots", org.dsa110.contimg.core.DataRoots.class));
        }
        return streaming;
    }

    @BindToRegistry(value = "staleGroupSweep", lazy = true)
    public synchronized StaleGroupSweep staleGroupSweep(CamelContext context) {
        if (sweep == null) {
            sweep = new StaleGroupSweep(bean(context, "db", Db.class), groupStore(context),
                    ingestDeadLetters(context), groupEvents(context),
                    Duration.ofMillis(Math.round(staleTimeoutMinutes * 60_000)), staleMinSubbands);
        }
        return sweep;
    }

    @BindToRegistry(value = "groupQueue", lazy = true)
    public GroupQueue groupQueue(CamelContext context) {
        return new GroupQueue(bean(context, "db", Db.class), groupStore(context), groupEvents(context));
    }

    @BindToRegistry(value = "streamingMetrics", lazy = true)
    public StreamingMetrics streamingMetrics(CamelContext context) {
        return new StreamingMetrics(bean(context, "db", Db.class));
    }

    @BindToRegistry(value = "msCatalog", lazy = true)
    public MsCatalog msCatalog(CamelContext context) {
        return new MsCatalog(bean(context, "db", Db.class));
    }

    @Override
    public void configure(CamelContext context) {
        // beans are created on first lookup (the routes), see the class comment
    }
}
