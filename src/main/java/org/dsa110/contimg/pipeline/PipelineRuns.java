package org.dsa110.contimg.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.ops.dlq.DeadLetters;
import org.dsa110.contimg.store.GroupStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group flow's bookkeeping (bean {@code pipelineRuns}): opens a pipeline execution when a claimed group
 * arrives, ends it (and the group) as completed or failed, prepares dead-lettered groups for a resume at the failed
 * stage, and requeues executions a crash left running.
 */
public final class PipelineRuns {
    /** The task header of operator runs (the orchestration's TaskRunner sets it). */
    static final String TASK_ID_HEADER = "taskId";
    /** Where a DLQ retry of an operator's stage run goes: the task is retried. */
    public static final String TASK_RETRY_ENDPOINT = "direct:task.retry";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRuns.class);

    private final PipelineStore store;
    private final GroupStates groups;
    private final StageRunner stages;
    private final DeadLetters deadLetters;
    private final CamelContext context;
    private final String workerId;
    private final int maxAttempts;
    private final BiConsumer<String, Object> events;
    /** Executions started before this instant and still running belong to a previous life of this node. */
    private final Instant bootedAt = Instant.now();

    public PipelineRuns(PipelineStore store, GroupStates groups, StageRunner stages, DeadLetters deadLetters,
            CamelContext context, String workerId, int maxAttempts, BiConsumer<String, Object> events) {
        this.store = store;
        this.groups = groups;
        this.stages = stages;
        this.deadLetters = deadLetters;
        this.context = context;
        this.workerId = workerId;
        this.maxAttempts = maxAttempts;
        this.events = events;
    }

    /**
     * {@code seda:pipeline.group}: a group the ingest claimed (in_progress) starts a new execution. A DLQ retry may
     * also bring back a group that failed before its execution opened.
     */
    public void start(Exchange ex) {
        String groupId = groupId(ex);
        Map<String, Object> group = store.group(groupId).orElseThrow(() -> new PermanentStageException(
                PermanentStageException.INVALID_INPUT, "unknown group " + groupId));
        boolean retried = ex.getMessage().getHeader(DeadLetters.ITEM_HEADER) != null;
        if (retried && GroupStates.FAILED.equals(group.get("state"))
                && groups.transition(groupId, GroupStates.FAILED, GroupStates.IN_PROGRESS, null)) {
            // a DLQ retry of a group that failed before its execution opened
            events.accept("group_update", GroupStates.event(groupId, GroupStates.FAILED, GroupStates.IN_PROGRESS));
        } else if (!GroupStates.IN_PROGRESS.equals(group.get("state"))) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "group " + groupId + " is "
                    + group.get("state") + ", not in_progress: the ingest claims a group before sending it");
        }
        String trigger = ex.getMessage().getHeader(PipelineHeaders.TRIGGER, "ingest", String.class);
        String jobType = ex.getMessage().getHeader(PipelineHeaders.JOB_TYPE, "streaming", String.class);
        long id = store.createExecution(groupId, jobType, trigger, workerId);
        ex.getMessage().setHeader(PipelineHeaders.EXECUTION_ID, id);
        ex.getMessage().setHeader(PipelineHeaders.GROUP_ID, groupId);
        LOG.info("group {}: pipeline execution {} started ({})", groupId, id, trigger);
        publishExecution(id);
    }

    /**
     * {@code seda:pipeline.resume}: a DLQ retry or a restart continues an execution; stages it completed are not
     * run again. A failed group goes back to in_progress.
     */
    public void resume(Exchange ex) {
        String groupId = groupId(ex);
        Long id = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        if (id == null) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "resume needs the " + PipelineHeaders.EXECUTION_ID + " header");
        }
        String trigger = ex.getMessage().getHeader(PipelineHeaders.TRIGGER, "dlq_retry", String.class);
        if (!store.resumeExecution(id, trigger, workerId)) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "execution " + id + " does not exist or already completed");
        }
        Object state = store.group(groupId).map(g -> g.get("state")).orElse(null);
        if (GroupStates.FAILED.equals(state)
                && groups.transition(groupId, GroupStates.FAILED, GroupStates.IN_PROGRESS, null)) {
            events.accept("group_update", GroupStates.event(groupId, GroupStates.FAILED, GroupStates.IN_PROGRESS));
        } else if (!GroupStates.IN_PROGRESS.equals(state)) {
            store.finishExecution(id, "cancelled", "group is " + state + ", not resumable");
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "group " + groupId + " is " + state + "; it was requeued or reprocessed elsewhere");
        }
        ex.getMessage().setHeader(PipelineHeaders.GROUP_ID, groupId);
        LOG.info("group {}: pipeline execution {} resumed ({})", groupId, id, trigger);
        publishExecution(id);
    }

    /**
     * After conversion, before the calibration_solve decision: whether the group holds a calibrator is known only
     * once its data are converted. The conversion's {@code has_calibrator} metric (builtin conversion; an exec
     * conversion may report it in its manifest) is stored on the group and decides; without it the group's row
     * decides (NULL = no), and the decision is written back. Runs on resumed executions too, where conversion
     * completed in an earlier attempt.
     */
    public void afterConversion(Exchange ex) {
        String groupId = groupId(ex);
        Long id = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        Boolean reported = id == null ? null : store.stageRun(id, "conversion")
                .filter(r -> "completed".equals(r.get("status")))
                .map(r -> PipelineStore.parseObject((String) r.get("outputs")).get("metrics"))
                .filter(m -> m instanceof Map<?, ?>)
                .map(m -> ((Map<?, ?>) m).get("has_calibrator"))
                .filter(v -> v instanceof Boolean)
                .map(v -> (Boolean) v)
                .orElse(null);
        boolean has = reported != null ? reported
                : store.group(groupId).map(g -> Boolean.TRUE.equals(g.get("has_calibrator"))).orElse(false);
        // the decision is always stored (NULL = not decided yet): calibration ordering reads it
        store.db().update("UPDATE ingest_groups SET has_calibrator = ? WHERE group_id = ?", has, groupId);
        ex.getMessage().setHeader(PipelineHeaders.HAS_CALIBRATOR, has);
        LOG.debug("group {}: has_calibrator = {} ({})", groupId, has, reported != null ? "conversion" : "group row");
    }

    /** End of the group flow: execution and group completed. */
    public void complete(Exchange ex) {
        String groupId = groupId(ex);
        long id = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        store.finishExecution(id, "completed", null);
        store.execution(id).ifPresent(e -> store.db().update(
                "UPDATE ingest_groups SET perf_total_time = ? WHERE group_id = ?", e.get("duration_sec"), groupId));
        if (groups.transition(groupId, GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null)) {
            events.accept("group_update", GroupStates.event(groupId, GroupStates.IN_PROGRESS, GroupStates.COMPLETED));
        } else {
            LOG.warn("group {} was no longer in_progress when execution {} completed", groupId, id);
        }
        LOG.info("group {}: pipeline execution {} completed", groupId, id);
        publishExecution(id);
    }

    /**
     * First step of {@code direct:pipeline.dead-letter}: tells the DLQ what the item is and how to resubmit it:
     * to {@value PipelineHeaders#RESUME_ENDPOINT} with the execution id, so the retry continues at the failed stage.
     */
    public void deadLetter(Exchange ex) {
        String failedRoute = ex.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String stage = failedRoute != null && failedRoute.startsWith("stage.")
                ? ex.getProperty(PipelineHeaders.STAGE, String.class) : null;
        Long id = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        String groupId = ex.getMessage().getBody(String.class);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("group_id", groupId);
        ctx.put("execution_id", id);
        if (stage != null && id != null) {
            ctx.putAll(stages.context(id, stage));
        }
        ex.setProperty(DeadLetters.COMPONENT, stage != null ? stage : "pipeline");
        ex.setProperty(DeadLetters.OPERATION, failedRoute != null ? failedRoute : "pipeline.group");
        ex.setProperty(DeadLetters.CONTEXT, ctx);
        Map<String, Object> headers = new LinkedHashMap<>();
        Object taskId = ex.getMessage().getHeader(TASK_ID_HEADER);
        if (id != null && operatorRun(ex) && taskId != null) {
            // an operator's task: retrying the item runs the task again (with its dependents unblocked)
            headers.put(TASK_ID_HEADER, taskId);
            ex.setProperty(DeadLetters.TARGET, TASK_RETRY_ENDPOINT);
        } else if (id != null) {
            headers.put(PipelineHeaders.EXECUTION_ID, id);
            headers.put(PipelineHeaders.GROUP_ID, groupId);
            headers.put(PipelineHeaders.TRIGGER, "dlq_retry");
            ex.setProperty(DeadLetters.TARGET, PipelineHeaders.RESUME_ENDPOINT);
        } else {
            // failed before an execution existed (unknown group, not claimed): resubmit as a fresh group
            ex.setProperty(DeadLetters.TARGET, "seda:pipeline.group");
        }
        ex.setProperty(DeadLetters.HEADERS, headers);
    }

    /**
     * Last step of {@code direct:pipeline.dead-letter}: stage run, execution and group failed, and the group flow
     * stopped (the stage's error handler has handled the failure, so the flow would otherwise go on; stopping
     * earlier would skip the rest of the dead-letter route).
     */
    public void failed(Exchange ex) {
        ex.setRouteStop(true);
        Throwable error = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String message = "[" + DeadLetters.errorType(error) + "] " + DeadLetters.message(error);
        String groupId = ex.getMessage().getBody(String.class);
        Long id = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        String stage = ex.getProperty(DeadLetters.COMPONENT, String.class);
        if (id != null) {
            if (stage != null) {
                store.failStageRunIfRunning(id, stage, message);
            }
            store.finishExecution(id, "failed", (stage == null ? "" : stage + ": ") + message);
            publishExecution(id);
        }
        if (operatorRun(ex)) {
            LOG.warn("operator run {} of {} failed at {}: {}", id, groupId, stage, message);
            return; // an operator's re-run of one stage does not decide the group's state
        }
        if (groupId != null && groups.transition(groupId, GroupStates.IN_PROGRESS, GroupStates.FAILED, message)) {
            events.accept("group_update", GroupStates.event(groupId, GroupStates.IN_PROGRESS, GroupStates.FAILED));
        }
        LOG.warn("group {}: pipeline execution {} failed at {}: {}", groupId, id, stage, message);
    }

    /**
     * After a restart: executions this node left running are requeued (resumed at their unfinished stage), or,
     * after {@code maxAttempts} executions, dead-lettered as {@code interrupted}.
     */
    public int recoverInterrupted() {
        int operatorRuns = store.failInterruptedOperatorRuns(workerId, bootedAt);
        if (operatorRuns > 0) {
            LOG.warn("{} operator stage run(s) were interrupted by a restart; their tasks are requeued", operatorRuns);
        }
        List<Map<String, Object>> stuck = store.interrupted(workerId, bootedAt);
        ProducerTemplate producer = context.createProducerTemplate();
        try {
            for (Map<String, Object> e : stuck) {
                long id = ((Number) e.get("id")).longValue();
                String groupId = (String) e.get("group_id");
                int attempt = ((Number) e.get("attempt")).intValue();
                store.db().update("UPDATE stage_runs SET status = 'failed', error = 'interrupted by a restart', "
                        + "finished_at = ? WHERE execution_id = ? AND status = 'running'", Instant.now(), id);
                Exchange ex = new DefaultExchange(context);
                ex.getMessage().setBody(groupId);
                ex.getMessage().setHeader(PipelineHeaders.EXECUTION_ID, id);
                ex.getMessage().setHeader(PipelineHeaders.GROUP_ID, groupId);
                if (attempt < maxAttempts) {
                    LOG.warn("requeueing execution {} of group {} left running by a restart", id, groupId);
                    ex.getMessage().setHeader(PipelineHeaders.TRIGGER, "restart");
                    // the execution stays running until the resume takes it: a group with a running execution of
                    // this worker is never released to pending by the ingest, which would run it from the start
                    producer.send(PipelineHeaders.RESUME_ENDPOINT, ex);
                } else {
                    ex.setProperty(Exchange.EXCEPTION_CAUGHT, new StageException("interrupted",
                            "execution " + id + " was interrupted " + attempt + " times (restart during processing)"));
                    ex.setProperty(Exchange.FAILURE_ROUTE_ID, "pipeline.run");
                    deadLetter(ex);
                    deadLetters.store(ex);
                    failed(ex);
                }
            }
        } finally {
            try {
                producer.stop();
            } catch (Exception ignored) {
                // best effort
            }
        }
        return stuck.size();
    }

    private void publishExecution(long id) {
        store.execution(id).ifPresent(e -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("execution_id", id);
            data.put("group_id", e.get("group_id"));
            data.put("status", e.get("status"));
            data.put("attempt", e.get("attempt"));
            data.put("trigger_source", e.get("trigger_source"));
            data.put("error", e.get("error"));
            events.accept("pipeline_update", data);
        });
    }

    private static String groupId(Exchange ex) {
        String body = ex.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "the group flow expects the group id as the message body");
        }
        return body.trim();
    }

    /** True for a stage run an operator's task started (trigger {@code api}), not a group's own flow. */
    private static boolean operatorRun(Exchange ex) {
        return PipelineHeaders.TRIGGER_API.equals(ex.getMessage().getHeader(PipelineHeaders.TRIGGER, String.class));
    }
}
