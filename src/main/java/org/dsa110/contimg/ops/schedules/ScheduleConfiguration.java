package org.dsa110.contimg.ops.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.dsa110.contimg.orchestration.TaskCatalog;
import org.dsa110.contimg.orchestration.TaskInputs;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.support.service.ServiceHelper;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.store.Db;

/**
 * Wiring of persisted schedules ({@code hub.schedules.*}, {@code hub.retention.days}, {@code hub.backup.keep}).
 * Once the context has started, the schedules in the store get their routes ({@code schedule.<name>}, from
 * {@code quartz:} endpoints on the quartz component's scheduler).
 */
@Configuration
public class ScheduleConfiguration implements CamelConfiguration {
    @PropertyInject(value = "hub.schedules.stale-group-sweep.cron", defaultValue = "0 * * * * ?")
    String sweepCron;
    @PropertyInject(value = "hub.schedules.dlq-auto-retry.cron", defaultValue = "0 */5 * * * ?")
    String dlqRetryCron;
    @PropertyInject(value = "hub.schedules.database-backup.cron", defaultValue = "0 30 2 * * ?")
    String backupCron;
    @PropertyInject(value = "hub.schedules.retention-cleanup.cron", defaultValue = "0 0 3 * * ?")
    String retentionCron;
    @PropertyInject(value = "hub.retention.days", defaultValue = "30")
    int retentionDays;
    @PropertyInject(value = "hub.backup.keep", defaultValue = "7")
    int backupsKept;
    @PropertyInject(value = "hub.quartz.clustered", defaultValue = "false")
    boolean clustered;
    @PropertyInject(value = "hub.quartz.instance-name", defaultValue = "contimg-hub")
    String instanceName;
    @PropertyInject(value = "hub.quartz.instance-id", defaultValue = "AUTO")
    String instanceId;
    @PropertyInject(value = "hub.quartz.thread-count", defaultValue = "5")
    int threadCount;
    @PropertyInject(value = "hub.quartz.cluster-checkin-interval-ms", defaultValue = "7500")
    long checkinIntervalMillis;
    @PropertyInject(value = "hub.quartz.misfire-threshold-ms", defaultValue = "60000")
    long misfireThresholdMillis;
    @PropertyInject(value = "hub.quartz.local.thread-count", defaultValue = "10")
    int localThreadCount;

    private ScheduleService service;

    @BindToRegistry(value = "scheduleService", lazy = true)
    public synchronized ScheduleService scheduleService(CamelContext context) {
        if (service == null) {
            Db db = context.getRegistry().lookupByNameAndType("db", Db.class);
            HubSettings settings = context.getRegistry().lookupByNameAndType("hubSettings", HubSettings.class);
            BuiltinTasks builtins = new BuiltinTasks(context, db, settings.backupsDir(), retentionDays, backupsKept);
            service = new ScheduleService(new ScheduleStore(db), builtins,
                    context.getRegistry().lookupByNameAndType("eventBroadcaster", EventBroadcaster.class),
                    context.getRegistry().lookupByNameAndType("taskInputs", TaskInputs.class),
                    context.getRegistry().lookupByNameAndType("taskCatalog", TaskCatalog.class));
        }
        return service;
    }

    Map<String, String> builtinCrons() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(BuiltinTasks.STALE_GROUP_SWEEP, sweepCron);
        m.put(BuiltinTasks.DLQ_AUTO_RETRY, dlqRetryCron);
        m.put(BuiltinTasks.DATABASE_BACKUP, backupCron);
        m.put(BuiltinTasks.RETENTION_CLEANUP, retentionCron);
        return m;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addComponent(LocalQuartz.COMPONENT, LocalQuartz.component(localThreadCount));
        QuartzComponent schedules = context.getComponent("quartz", QuartzComponent.class);
        if (clustered) {
            ClusteredQuartz.Settings s = new ClusteredQuartz.Settings(instanceName, instanceId, threadCount,
                    checkinIntervalMillis, misfireThresholdMillis);
            schedules.setSchedulerFactory(new ClusteredQuartz(s,
                    () -> context.getRegistry().lookupByNameAndType("db", Db.class)));
        }
        // Camel's quartz job finds the context under the name in its job data: the routes use the fixed context
        // name (camel.main.name, shared by the hubs of a cluster), so a job scheduled by one hub runs on another
        schedules.addScheduleInitTask(scheduler -> scheduler.getContext().put(
                QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + context.getName(), context));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                // jobs are added once everything has started (below)
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                QuartzComponent quartz = ctx.getComponent("quartz", QuartzComponent.class);
                ServiceHelper.startService(quartz);
                scheduleService(ctx).start(ctx, quartz.getScheduler(), builtinCrons());
            }
        });
    }
}
