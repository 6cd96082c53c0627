package org.dsa110.contimg.ops.schedules;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.orchestration.TaskCatalog;
import org.dsa110.contimg.orchestration.TaskInputs;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron schedules persisted in the store and carried out as Camel routes ({@link ScheduleRoutes}: one route
 * {@code schedule.<name>} from a {@code quartz:} endpoint per schedule). The table is the truth: at start every
 * active or paused row gets its route (paused ones stopped, their trigger paused), every change through the API
 * updates the row first, then the route, and {@link #sync} keeps this hub's routes in step with changes made
 * through other hubs. A run starts a built-in task in the hub, or inserts a pending row into {@code tasks} for the
 * task queue.
 */
public final class ScheduleService {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);

    private final ScheduleStore store;
    private final BuiltinTasks builtins;
    private final EventBroadcaster events;
    private final TaskInputs inputs;
    private final TaskCatalog catalog;
    private volatile ScheduleRoutes routes;

    /**
     * @param inputs the submission-time checks of task parameters: a schedule's params become a task's params
     *               at every fire, so they are checked (paths inside the data roots, no option-like values) when
     *               the schedule is created or changed, exactly as a task submitted through {@code /api/tasks}
     * @param catalog the tasks the hub can run: a schedule names one of them or a built-in task, and a queue the
     *                hub knows (a schedule naming anything else would fail at every fire)
     */
    public ScheduleService(ScheduleStore store, BuiltinTasks builtins, EventBroadcaster events, TaskInputs inputs,
            TaskCatalog catalog) {
        this.store = store;
        this.builtins = builtins;
        this.events = events;
        this.inputs = inputs;
        this.catalog = catalog;
    }

    /** Writes the built-in schedules that are missing (first start), then builds the routes of all rows. */
    public synchronized void start(CamelContext context, Scheduler quartz, Map<String, String> builtinCrons)
            throws Exception {
        ScheduleRoutes r = new ScheduleRoutes(context, quartz);
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
        // the table is the truth: a persistent (clustered) job store may hold jobs of schedules deleted since
        int n = reconcile(r, ScheduleRoutes.Mode.OWN);
        this.routes = r;
        r.onFireWithoutRoute(this::follow);
        standbyWhenStopping(context, quartz);
        LOG.info("schedules loaded from the store: {}", n);
    }

    /**
     * A stopping hub stops its routes before Camel shuts the scheduler down; a trigger firing in between would find
     * no consumer and its fire time would be dropped (Camel's job only logs that at DEBUG). Putting the scheduler in
     * standby as soon as the context starts stopping releases the triggers this hub had acquired, so in a cluster
     * another hub fires them.
     */
    private static void standbyWhenStopping(CamelContext context, Scheduler quartz) {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                try {
                    quartz.standby();
                } catch (SchedulerException e) {
                    LOG.warn("could not put the schedules' scheduler in standby: {}", e.getMessage());
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        };
        notifier.start(); // added to a running context, it is not started for us
        context.getManagementStrategy().addEventNotifier(notifier);
    }

    /**
     * Brings this hub's schedule routes in step with the table (schedules created, changed or deleted through
     * another hub of a cluster); called periodically by the route schedules.sync. Returns the number of rows.
     */
    public synchronized int sync() throws Exception {
        ScheduleRoutes r = routes;
        return r == null ? 0 : reconcile(r, ScheduleRoutes.Mode.FOLLOW);
    }

    private int reconcile(ScheduleRoutes r, ScheduleRoutes.Mode mode) throws Exception {
        List<Map<String, Object>> rows = store.list(null, null);
        Set<String> names = new HashSet<>();
        for (Map<String, Object> row : rows) {
            ScheduleDefinition d = ScheduleDefinition.fromRow(row);
            names.add(d.name());
            try {
                Instant next = r.apply(d, mode);
                if (mode == ScheduleRoutes.Mode.OWN) {
                    store.setNextRun(d.name(), next);
                }
            } catch (Exception e) {
                LOG.warn("schedule {} not started: {}", d.name(), e.getMessage());
            }
        }
        r.retainOnly(names, mode, store::exists);
        return rows.size();
    }

    /** A trigger fired here for a schedule this hub has no route for yet: build it from the row. */
    private synchronized void follow(String name) {
        ScheduleRoutes r = routes;
        store.get(name).map(ScheduleDefinition::fromRow).ifPresent(d -> {
            try {
                r.apply(d, ScheduleRoutes.Mode.FOLLOW);
            } catch (Exception e) {
                LOG.warn("schedule {}: cannot build its route: {}", name, e.getMessage());
            }
        });
    }

    /**
     * A schedule as the API shows it: its stored row, params as JSON, whether it runs a built-in task, and the
     * Quartz route driving it with its trigger's state (null while it has none, e.g. disabled).
     */
    public record Schedule(String name, String taskName, String queueName, String cronExpression, String timezone,
            JsonNode params, int priority, String state, String description, Instant nextRunAt, Instant lastRunAt,
            String lastTaskId, long runCount, Instant createdAt, Instant updatedAt, boolean builtin, String routeId,
            String triggerState) {
    }

    public List<Schedule> list(String queueName, String state) {
        return store.list(queueName, state).stream().map(this::view).toList();
    }

    public Schedule get(String name) {
        return store.get(name).map(this::view).orElse(null);
    }

    /** The stored definition of a schedule, or null. */
    public ScheduleDefinition definition(String name) {
        return store.get(name).map(ScheduleDefinition::fromRow).orElse(null);
    }

    public synchronized Schedule create(ScheduleDefinition d) {
        knownTask(d);
        d = checked(d);
        if (store.exists(d.name())) {
            throw new IllegalStateException("schedule '" + d.name() + "' already exists");
        }
        store.insert(d);
        apply(d);
        return get(d.name());
    }

    public synchronized Schedule update(ScheduleDefinition d) {
        d = checked(d);
        store.update(d);
        apply(d);
        return get(d.name());
    }

    /**
     * A new schedule names a built-in task or one of the catalog's, and a queue the hub knows (422 otherwise, as for
     * {@code /api/tasks}). Not asked on update: neither name can be changed, and a row stored before this check
     * must stay pausable.
     */
    private void knownTask(ScheduleDefinition d) {
        if (BuiltinTasks.isBuiltin(d.taskName())) {
            return;
        }
        if (!catalog.knows(d.taskName())) {
            throw HubException.unprocessable("unknown task_name '" + d.taskName() + "' (a built-in schedule task or"
                    + " one of GET /api/available)", Map.of("task_name", String.valueOf(d.taskName())));
        }
        if (!catalog.knowsQueue(d.queueName())) {
            throw HubException.unprocessable("unknown queue_name '" + d.queueName() + "'",
                    Map.of("queue_name", d.queueName()));
        }
    }

    /**
     * The definition with its task params checked and their paths resolved ({@link TaskInputs}: a 400 naming the
     * first bad one); built-in tasks take no paths and are left as they are.
     */
    private ScheduleDefinition checked(ScheduleDefinition d) {
        if (BuiltinTasks.isBuiltin(d.taskName())) {
            return d;
        }
        Map<String, Object> params = Json.MAPPER.convertValue(d.params(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        return d.withParamsJson(Json.write(inputs.check(params)));
    }

    /** Removes the job (no fire after this) and the route, then the row. */
    public synchronized boolean delete(String name) {
        ScheduleRoutes r = routes;
        if (r != null) {
            try {
                r.remove(name);
            } catch (Exception e) {
                throw new IllegalStateException("cannot remove the route of schedule " + name + ": " + e.getMessage(),
                        e);
            }
        }
        return store.delete(name);
    }

    /** Makes the route and trigger match {@code d} (this hub made the change) and stores the next fire time. */
    private void apply(ScheduleDefinition d) {
        ScheduleRoutes r = routes;
        if (r == null) {
            return; // not started yet: start() reads the table
        }
        try {
            store.setNextRun(d.name(), r.apply(d, ScheduleRoutes.Mode.OWN));
        } catch (Exception e) {
            throw new IllegalStateException("Quartz refused schedule " + d.name() + ": " + e.getMessage(), e);
        }
    }

    /** Called by the route {@code schedule.<name>} when its cron fires. */
    public void runScheduled(String name, Date nextFire, Date scheduledFire) {
        try {
            // One run per fire time across the cluster: the fire time is claimed in the store before the run. A
            // hub dying between the claim and the task insert (milliseconds) loses that one run; a second fire of
            // it never runs it twice.
            if (scheduledFire != null && !store.claimFireTime(name, scheduledFire.toInstant())) {
                LOG.info("schedule {}: fire time {} has already run, this duplicate fire is skipped", name,
                        scheduledFire.toInstant());
                return;
            }
            Run out = run(name, "schedule", nextFire == null ? null : nextFire.toInstant(),
                    scheduledFire == null ? null : scheduledFire.toInstant());
            LOG.debug("schedule {} ran: {}", name, out.kind());
        } catch (RuntimeException e) {
            LOG.warn("schedule {} failed: {}", name, e.getMessage());
        }
    }

    /** POST /trigger: runs the schedule now (whatever its state) and returns what it started. */
    public Run trigger(String name) {
        return run(name, "manual", nextFireTime(name), null);
    }

    /** The task a run enqueued (its status is "pending" when enqueued). */
    public record EnqueuedTask(String taskId, String taskName, String queueName, Integer priority, String status) {
    }

    /**
     * What a run started: a built-in task ({@code kind} "builtin", with its {@code result}) or a queued task
     * ({@code kind} "task", with {@code task}). {@code fire_time} (the scheduled fire time) is written for runs
     * the schedule fired, not for manual ones.
     */
    public record Run(String schedule, String taskName, String trigger, Instant triggeredAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant fireTime, String kind,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> result,
            @JsonInclude(JsonInclude.Include.NON_NULL) EnqueuedTask task) {
    }

    private Run run(String name, String source, Instant next, Instant fireTime) {
        ScheduleDefinition d = ScheduleDefinition.fromRow(store.get(name)
                .orElseThrow(() -> new IllegalArgumentException("schedule '" + name + "' does not exist")));
        Instant at = Instant.now();
        String taskId = null;
        Run out;
        if (BuiltinTasks.isBuiltin(d.taskName())) {
            Map<String, Object> result;
            try {
                result = builtins.run(d.taskName(), d.params());
            } catch (Exception e) {
                result = new LinkedHashMap<>();
                result.put("success", false);
                result.put("status", "failed");
                result.put("message", e.getMessage());
            }
            out = new Run(d.name(), d.taskName(), source, at, fireTime, "builtin", result, null);
        } else {
            taskId = enqueue(d);
            out = new Run(d.name(), d.taskName(), source, at, fireTime, "task", null,
                    new EnqueuedTask(taskId, d.taskName(), d.queueName(), d.priority(), "pending"));
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
        ScheduleRoutes r = routes;
        return r == null ? null : r.nextFireTime(name);
    }

    /** The row as the API shows it: params as JSON, its route and Quartz trigger state, whether it is built in. */
    private Schedule view(Map<String, Object> row) {
        ScheduleRoutes r = routes;
        String name = (String) row.get("name");
        return new Schedule(name, (String) row.get("task_name"), (String) row.get("queue_name"),
                (String) row.get("cron_expression"), (String) row.get("timezone"),
                ScheduleDefinition.fromRow(row).params(), ((Number) row.get("priority")).intValue(),
                (String) row.get("state"), (String) row.get("description"), (Instant) row.get("next_run_at"),
                (Instant) row.get("last_run_at"), (String) row.get("last_task_id"),
                ((Number) row.get("run_count")).longValue(), (Instant) row.get("created_at"),
                (Instant) row.get("updated_at"), BuiltinTasks.isBuiltin((String) row.get("task_name")),
                r != null && r.hasRoute(name) ? ScheduleRoutes.routeId(name) : null,
                r == null ? null : r.triggerState(name));
    }
}
