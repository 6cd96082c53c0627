package org.dsa110.contimg.ops.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron schedules persisted in the store and carried out by Quartz (the scheduler of Camel's quartz component).
 * The table is the truth: at start every active or paused row gets its Quartz job (paused ones paused), and every
 * change through the API updates the row first, then the job. A run starts a built-in task in the hub, or inserts a
 * pending row into {@code tasks} for the task queue.
 */
public final class ScheduleService {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
    static final String JOB_GROUP = "contimg-schedules";

    private final ScheduleStore store;
    private final BuiltinTasks builtins;
    private final EventBroadcaster events;
    private volatile Scheduler scheduler;

    public ScheduleService(ScheduleStore store, BuiltinTasks builtins, EventBroadcaster events) {
        this.store = store;
        this.builtins = builtins;
        this.events = events;
    }

    /** Writes the built-in schedules that are missing (first start), then creates the Quartz jobs of all rows. */
    public synchronized void start(Scheduler quartz, Map<String, String> builtinCrons) throws SchedulerException {
        this.scheduler = quartz;
        quartz.getContext().put(ScheduleJob.SERVICE_KEY, this);
        for (Map.Entry<String, String> b : builtinCrons.entrySet()) {
            if (!store.exists(b.getKey())) {
                try {
                    store.insert(new ScheduleDefinition(b.getKey(), b.getKey(), null, b.getValue(), "UTC", "{}", 5,
                            "active", "Built-in: " + b.getKey()));
                } catch (RuntimeException e) {
                    LOG.debug("built-in schedule {} written by another node: {}", b.getKey(), e.getMessage());
                }
            }
        }
        List<Map<String, Object>> rows = store.list(null, null);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Map<String, Object> row : rows) {
            ScheduleDefinition d = ScheduleDefinition.fromRow(row);
            names.add(d.name());
            try {
                if (!matchesStoredJob(d)) {
                    apply(d);
                }
            } catch (RuntimeException e) {
                LOG.warn("schedule {} not started: {}", d.name(), e.getMessage());
            }
        }
        // a persistent (clustered) job store may hold jobs of schedules deleted since: the table is the truth
        for (JobKey key : quartz.getJobKeys(GroupMatcher.jobGroupEquals(JOB_GROUP))) {
            if (!names.contains(key.getName())) {
                quartz.deleteJob(key);
                LOG.info("removed the Quartz job of deleted schedule {}", key.getName());
            }
        }
        LOG.info("schedules loaded from the store: {}", rows.size());
    }

    public List<Map<String, Object>> list(String queueName, String state) {
        return store.list(queueName, state).stream().map(this::view).toList();
    }

    public Map<String, Object> get(String name) {
        return store.get(name).map(this::view).orElse(null);
    }

    /** The stored definition of a schedule, or null. */
    public ScheduleDefinition definition(String name) {
        return store.get(name).map(ScheduleDefinition::fromRow).orElse(null);
    }

    public synchronized Map<String, Object> create(ScheduleDefinition d) {
        if (store.exists(d.name())) {
            throw new IllegalStateException("schedule '" + d.name() + "' already exists");
        }
        store.insert(d);
        apply(d);
        return get(d.name());
    }

    public synchronized Map<String, Object> update(ScheduleDefinition d) {
        store.update(d);
        apply(d);
        return get(d.name());
    }

    public synchronized boolean delete(String name) {
        unschedule(name);
        return store.delete(name);
    }

    /**
     * True when the scheduler already carries {@code d} as it is (a persistent job store, another hub of the
     * cluster started first): same cron, time zone and paused-ness. Such a job is kept, not re-created, so a hub
     * joining the cluster does not reset the triggers the others are firing.
     */
    private boolean matchesStoredJob(ScheduleDefinition d) {
        Scheduler s = scheduler;
        try {
            Trigger t = s.getTrigger(new TriggerKey(d.name(), JOB_GROUP));
            if ("disabled".equals(d.state())) {
                return false;
            }
            if (!sameCron(t, d)) {
                return false;
            }
            boolean paused = s.getTriggerState(t.getKey()) == Trigger.TriggerState.PAUSED;
            if (paused != "paused".equals(d.state())) {
                return false;
            }
            Date next = t.getNextFireTime();
            store.setNextRun(d.name(), paused || next == null ? null : next.toInstant());
            return true;
        } catch (SchedulerException | RuntimeException e) {
            return false;
        }
    }

    /** True when {@code t} is the cron trigger of {@code d} as stored (expression and time zone). */
    private static boolean sameCron(Trigger t, ScheduleDefinition d) {
        return t instanceof CronTrigger cron
                && cron.getCronExpression().equals(CronSyntax.toQuartz(d.cronExpression()))
                && cron.getTimeZone().getID().equals(TimeZone.getTimeZone(d.timezone()).getID());
    }

    /**
     * (Re)creates, pauses or removes the Quartz job so it matches {@code d}; stores the next fire time. A change
     * of state alone pauses or resumes the existing trigger (no window in which a new trigger runs unpaused).
     */
    private void apply(ScheduleDefinition d) {
        Scheduler s = scheduler;
        if (s == null) {
            return; // not started yet: start() reads the table
        }
        try {
            TriggerKey key = new TriggerKey(d.name(), JOB_GROUP);
            Trigger existing = "disabled".equals(d.state()) ? null : s.getTrigger(key);
            if (existing != null && sameCron(existing, d)) {
                if ("paused".equals(d.state())) {
                    s.pauseJob(existing.getJobKey());
                    store.setNextRun(d.name(), null);
                } else {
                    s.resumeJob(existing.getJobKey());
                    Trigger now = s.getTrigger(key);
                    Date next = now == null ? null : now.getNextFireTime();
                    store.setNextRun(d.name(), next == null ? null : next.toInstant());
                }
                return;
            }
            unschedule(d.name());
            if ("disabled".equals(d.state())) {
                store.setNextRun(d.name(), null);
                return;
            }
            JobDetail job = JobBuilder.newJob(ScheduleJob.class).withIdentity(d.name(), JOB_GROUP).storeDurably(false)
                    .build();
            CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(d.name(), JOB_GROUP)
                    .withSchedule(CronScheduleBuilder.cronSchedule(CronSyntax.toQuartz(d.cronExpression()))
                            .inTimeZone(TimeZone.getTimeZone(d.timezone()))
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
            Date first = s.scheduleJob(job, trigger);
            if ("paused".equals(d.state())) {
                s.pauseJob(job.getKey());
                store.setNextRun(d.name(), null);
            } else {
                store.setNextRun(d.name(), first == null ? null : first.toInstant());
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz refused schedule " + d.name() + ": " + e.getMessage(), e);
        }
    }

    private void unschedule(String name) {
        Scheduler s = scheduler;
        if (s == null) {
            return;
        }
        try {
            s.deleteJob(new JobKey(name, JOB_GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot remove Quartz job " + name + ": " + e.getMessage(), e);
        }
    }

    /** Called by Quartz when the cron fires. */
    void runScheduled(String name, Date nextFire) {
        try {
            run(name, "schedule", nextFire == null ? null : nextFire.toInstant());
        } catch (RuntimeException e) {
            LOG.warn("schedule {} failed: {}", name, e.getMessage());
        }
    }

    /** POST /trigger: runs the schedule now (whatever its state) and returns what it started. */
    public Map<String, Object> trigger(String name) {
        return run(name, "manual", nextFireTime(name));
    }

    private Map<String, Object> run(String name, String source, Instant next) {
        ScheduleDefinition d = ScheduleDefinition.fromRow(store.get(name)
                .orElseThrow(() -> new IllegalArgumentException("schedule '" + name + "' does not exist")));
        Instant at = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schedule", d.name());
        out.put("task_name", d.taskName());
        out.put("trigger", source);
        out.put("triggered_at", at);
        String taskId = null;
        if (BuiltinTasks.isBuiltin(d.taskName())) {
            out.put("kind", "builtin");
            try {
                out.put("result", builtins.run(d.taskName(), d.params()));
            } catch (Exception e) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("success", false);
                failed.put("status", "failed");
                failed.put("message", e.getMessage());
                out.put("result", failed);
            }
        } else {
            out.put("kind", "task");
            taskId = enqueue(d);
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("task_id", taskId);
            task.put("task_name", d.taskName());
            task.put("queue_name", d.queueName());
            task.put("priority", d.priority());
            task.put("status", "pending");
            out.put("task", task);
        }
        store.recordRun(name, at, taskId, next);
        events.publish("schedule_triggered", out);
        return out;
    }

    /** A pending task for the task queue (the queue's claimer runs it). */
    private String enqueue(ScheduleDefinition d) {
        String id = UUID.randomUUID().toString();
        store.db().update("INSERT INTO tasks (task_id, queue_name, task_name, params, priority, status, created_at) "
                + "VALUES (?, ?, ?, ?, ?, 'pending', ?)", id, d.queueName(), d.taskName(), d.paramsJson(),
                d.priority(), Instant.now());
        return id;
    }

    private Instant nextFireTime(String name) {
        Scheduler s = scheduler;
        try {
            Trigger t = s == null ? null : s.getTrigger(new TriggerKey(name, JOB_GROUP));
            if (t == null || s.getTriggerState(t.getKey()) == Trigger.TriggerState.PAUSED) {
                return null;
            }
            return t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant();
        } catch (SchedulerException e) {
            return null;
        }
    }

    /** The row as the API shows it: params as JSON, the Quartz trigger state, whether it is built in. */
    private Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>(row);
        JsonNode params = ScheduleDefinition.fromRow(row).params();
        m.put("params", params);
        m.put("builtin", BuiltinTasks.isBuiltin((String) row.get("task_name")));
        String triggerState = null;
        Scheduler s = scheduler;
        if (s != null) {
            try {
                Trigger.TriggerState ts = s.getTriggerState(new TriggerKey((String) row.get("name"), JOB_GROUP));
                triggerState = ts == Trigger.TriggerState.NONE ? null : ts.name().toLowerCase();
            } catch (SchedulerException e) {
                triggerState = null;
            }
        }
        m.put("trigger_state", triggerState);
        return m;
    }
}
