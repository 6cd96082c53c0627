package org.dsa110.contimg.ops.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.component.quartz.QuartzComponent;

/**
 * The per-hub Quartz component ({@code quartz-local:}) of the timed routes that every hub runs for itself: the
 * ingest poll and claim loop and the monitoring samplers. It always keeps its triggers in memory, whatever
 * {@code hub.quartz.clustered} says: in a clustered store those triggers would fire on one hub per tick, a hub
 * that stops would delete them for all, and suspending a route would not pause them. Cron schedules stay on
 * Camel's {@code quartz} component (clustered or not).
 */
public final class LocalQuartz {
    public static final String COMPONENT = "quartz-local";

    private LocalQuartz() {
    }

    /** A quartz component with an in-memory job store (instance name prefixed with the context name by Camel). */
    static QuartzComponent component(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("hub.quartz.local.thread-count must be at least 1");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("org.quartz.scheduler.instanceName", "contimg-local");
        props.put("org.quartz.scheduler.instanceId", "NON_CLUSTERED");
        props.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        props.put("org.quartz.threadPool.threadCount", Integer.toString(threadCount));
        props.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        QuartzComponent c = new QuartzComponent();
        c.setProperties(props);
        return c;
    }
}
