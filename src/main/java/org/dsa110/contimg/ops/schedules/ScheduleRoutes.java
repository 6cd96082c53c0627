package org.dsa110.contimg.ops.schedules;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.TriggerListener;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel side of the schedules: every schedule that is not disabled is a route {@code schedule.<name>} from
 * {@code quartz://contimg-schedules/<name>} (its cron and time zone as endpoint options) that runs the schedule
 * through the {@code scheduleService} bean, so Hawtio shows it like any route (statistics, stop/start, source).
 * Active = route started and trigger normal; paused = route stopped and trigger paused; disabled or deleted = no
 * route and no job. The routes belong to this hub; the triggers live in the quartz component's job store (in
 * memory, or the clustered JDBC store the hubs share, where a trigger fires on one hub per fire time).
 *
 * <p>Who changes a trigger: the hub that changes the schedule, and every hub at start ({@link Mode#OWN}: the row
 * is the truth). A hub that only follows a change made through another hub of the cluster ({@link Mode#FOLLOW})
 * adjusts its own route and leaves the shared trigger alone; with an in-memory job store every trigger is the
 * hub's own, so following also adjusts the trigger.
 */
final class ScheduleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRoutes.class);
    static final String JOB_GROUP = "contimg-schedules";
    static final String ROUTE_PREFIX = "schedule.";
    /** The Quartz job Camel's quartz endpoint schedules (one run at a time: the stateful variant). */
    static final String CAMEL_JOB = "org.apache.camel.component.quartz.StatefulCamelJob";

    /**
     * How long stopping a schedule's route waits for a run in progress (a database backup may take a while): the
     * run goes on, but a pause or change through the API does not wait for it longer than this.
     */
    private static final long STOP_WAIT_SECONDS = 5;

    /**
     * A new trigger's first fire time is at least this far away (Camel's default is half a second): enough for the
     * route that stores it to start its consumer (adding a route can take that long on a busy machine), after which
     * the trigger is paused until the consumer runs. The first run of a new or changed schedule is at least this
     * late.
     */
    static final long TRIGGER_START_DELAY_MS = 5000;

    /** Whose change is being applied (see the class comment). */
    enum Mode { OWN, FOLLOW }

    private final CamelContext context;
    private final Scheduler scheduler;
    /** The endpoint URI each route of this hub was built with, by schedule name. */
    private final Map<String, String> built = new ConcurrentHashMap<>();

    ScheduleRoutes(CamelContext context, Scheduler scheduler) {
        this.context = context;
        this.scheduler = scheduler;
    }

    static String routeId(String name) {
        return ROUTE_PREFIX + name;
    }

    /**
     * The quartz endpoint of {@code d}: cron (spaces as '+', which Camel turns back into spaces) and time zone as
     * RAW values (a time zone such as Etc/GMT+5 keeps its '+'); a missed fire time is skipped, not caught up
     * (misfire instruction "do nothing", as before the schedules were routes); one run at a time (stateful);
     * the job names the context by its fixed name, which all hubs of a cluster share ({@code camel.main.name});
     * a new trigger starts {@link #TRIGGER_START_DELAY_MS} after it is stored.
     */
    static String uri(ScheduleDefinition d) {
        return "quartz://" + JOB_GROUP + "/" + d.name()
                + "?cron=RAW(" + CronSyntax.toQuartz(d.cronExpression()).replace(' ', '+') + ")"
                + "&trigger.timeZone=RAW(" + TimeZone.getTimeZone(d.timezone()).getID() + ")"
                + "&trigger.misfireInstruction=" + CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING
                + "&triggerStartDelay=" + TRIGGER_START_DELAY_MS
                + "&stateful=true&usingFixedCamelContextName=true";
    }

    /**
     * Makes this hub's route (and, in {@link Mode#OWN}, the trigger) match {@code d}. Returns the next fire time,
     * null when the schedule is paused or disabled.
     */
    synchronized Instant apply(ScheduleDefinition d, Mode mode) throws Exception {
        boolean ownTrigger = mode == Mode.OWN || !scheduler.getMetaData().isJobStoreClustered();
        JobKey job = new JobKey(d.name(), JOB_GROUP);
        if ("disabled".equals(d.state())) {
            if (ownTrigger) {
                scheduler.deleteJob(job);
            }
            removeRoute(d.name());
            return null;
        }
        boolean paused = "paused".equals(d.state());
        if (ownTrigger && !triggerMatches(d)) {
            // changed cron or time zone (Camel reschedules only on a new cron), or a job of another kind
            scheduler.deleteJob(job);
        }
        String uri = uri(d);
        if (!uri.equals(built.get(d.name())) || context.getRoute(routeId(d.name())) == null) {
            removeRoute(d.name());
            TriggerKey trigger = new TriggerKey(d.name(), JOB_GROUP);
            boolean fresh = !scheduler.checkExists(trigger);
            if (fresh && !ownTrigger) {
                // the hub that owns the change has not created the trigger yet, or has just deleted it: a route
                // started now would create (or bring back) the shared trigger behind that hub's back
                return null;
            }
            // added stopped; its endpoint schedules the trigger (a new one fires TRIGGER_START_DELAY_MS from now at
            // the earliest), which stays paused until the route's consumer runs, so no fire time finds no consumer
            addRoute(d, uri);
            if (fresh) {
                scheduler.pauseJob(job);
            }
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId(d.name()));
        if (paused) {
            if (ownTrigger) {
                scheduler.pauseJob(job);
            }
            if (status != null && status.isStarted()) {
                context.getRouteController().stopRoute(routeId(d.name()), STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            return null;
        }
        if (status != null && !status.isStarted()) {
            context.getRouteController().startRoute(routeId(d.name()));
        }
        if (ownTrigger) {
            scheduler.resumeJob(job);
        }
        return nextFireTime(d.name());
    }

    /** Removes the job (so it fires no more) and then the route of a deleted schedule. */
    synchronized void remove(String name) throws Exception {
        scheduler.deleteJob(new JobKey(name, JOB_GROUP));
        removeRoute(name);
    }

    /**
     * Removes what no schedule of {@code names} needs: this hub's routes, and (in {@link Mode#OWN}) the jobs a
     * persistent store still holds for schedules deleted meanwhile.
     */
    synchronized void retainOnly(Set<String> names, Mode mode, Predicate<String> stored) throws Exception {
        // The names were read before the routes and jobs were listed: a schedule created since (through another
        // hub, which writes its row before its job) is in neither, so each removal asks the table again.
        for (String name : Set.copyOf(built.keySet())) {
            if (!names.contains(name) && !stored.test(name)) {
                removeRoute(name);
            }
        }
        if (mode == Mode.OWN) {
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(JOB_GROUP))) {
                if (!names.contains(key.getName()) && !stored.test(key.getName())) {
                    scheduler.deleteJob(key);
                    LOG.info("removed the Quartz job of deleted schedule {}", key.getName());
                }
            }
        }
    }

    boolean hasRoute(String name) {
        return context.getRoute(routeId(name)) != null;
    }

    /** normal | paused | blocked | ... (Quartz's trigger state, lower case), null when there is no trigger. */
    String triggerState(String name) {
        try {
            Trigger.TriggerState ts = scheduler.getTriggerState(new TriggerKey(name, JOB_GROUP));
            return ts == Trigger.TriggerState.NONE ? null : ts.name().toLowerCase();
        } catch (SchedulerException e) {
            return null;
        }
    }

    /** The next fire time of an unpaused trigger, else null. */
    Instant nextFireTime(String name) {
        try {
            TriggerKey key = new TriggerKey(name, JOB_GROUP);
            Trigger t = scheduler.getTrigger(key);
            if (t == null || scheduler.getTriggerState(key) == Trigger.TriggerState.PAUSED) {
                return null;
            }
            Date next = t.getNextFireTime();
            return next == null ? null : next.toInstant();
        } catch (SchedulerException e) {
            return null;
        }
    }

    /**
     * Calls {@code missing} with the schedule's name when a trigger is about to fire on this hub while the hub has
     * no route for it (created through another hub of the cluster since this hub last looked): the callback builds
     * the route before Camel's job looks for it, so the fire time is not lost.
     */
    void onFireWithoutRoute(Consumer<String> missing) throws SchedulerException {
        scheduler.getListenerManager().addTriggerListener(new TriggerListener() {
            @Override
            public String getName() {
                return "contimg-schedule-routes";
            }

            @Override
            public void triggerFired(Trigger trigger, JobExecutionContext ctx) {
                String name = trigger.getKey().getName();
                if (!hasRoute(name)) {
                    missing.accept(name);
                }
            }

            @Override
            public boolean vetoJobExecution(Trigger trigger, JobExecutionContext ctx) {
                return false;
            }

            @Override
            public void triggerMisfired(Trigger trigger) {
                // skipped by the misfire instruction
            }

            @Override
            public void triggerComplete(Trigger trigger, JobExecutionContext ctx,
                    Trigger.CompletedExecutionInstruction instruction) {
                // nothing to record: the schedule service records its runs
            }
        }, GroupMatcher.triggerGroupEquals(JOB_GROUP));
    }

    /** True when the stored trigger is {@code d}'s (cron and time zone) and runs Camel's job. */
    private boolean triggerMatches(ScheduleDefinition d) {
        try {
            Trigger t = scheduler.getTrigger(new TriggerKey(d.name(), JOB_GROUP));
            if (!(t instanceof CronTrigger cron)) {
                return false;
            }
            JobDetail job = scheduler.getJobDetail(t.getJobKey());
            return job != null && CAMEL_JOB.equals(job.getJobClass().getName())
                    && cron.getCronExpression().equals(CronSyntax.toQuartz(d.cronExpression()))
                    && cron.getTimeZone().getID().equals(TimeZone.getTimeZone(d.timezone()).getID());
        } catch (SchedulerException | RuntimeException e) {
            // e.g. a stored job whose class no longer exists: replaced
            return false;
        }
    }

    private void addRoute(ScheduleDefinition d, String uri) throws Exception {
        RouteDefinition r = new RouteDefinition();
        r.from(uri);
        r.routeId(routeId(d.name()));
        r.routeDescription("schedule " + d.name() + ": " + d.taskName() + " at " + d.cronExpression() + " ("
                + d.timezone() + ")");
        r.autoStartup(false);
        r.bean("scheduleService", "runScheduled(" + quoted(d.name())
                + ", ${header.nextFireTime}, ${header.scheduledFireTime})");
        context.getCamelContextExtension().getContextPlugin(Model.class).addRouteDefinition(r);
        built.put(d.name(), uri);
    }

    private void removeRoute(String name) throws Exception {
        String id = routeId(name);
        built.remove(name);
        Route route = context.getRoute(id);
        if (route == null) {
            return;
        }
        String uri = route.getEndpoint().getEndpointUri();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        context.getRouteController().stopRoute(id, STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        RouteDefinition def = model.getRouteDefinition(id);
        if (def != null) {
            model.removeRouteDefinition(def);
        } else {
            context.removeRoute(id);
        }
        // a later route with the same URI starts from a new endpoint (and so schedules its trigger again)
        context.removeEndpoints(uri);
    }

    /** A schedule name as a bean-method argument (names are letters, digits, '.', '_' and '-'). */
    private static String quoted(String name) {
        return "'" + name + "'";
    }
}
