package org.dsa110.contimg.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.ops.dlq.DeadLetters;
import org.dsa110.contimg.store.ClaimFence;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;
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
    private final LeaseTerms lease;
    private ProducerTemplate producer;
    /** Executions started before this instant and still running belong to a previous life of this node. */
    private final Instant bootedAt = Instant.now();

    public PipelineRuns(PipelineStore store, GroupStates groups, StageRunner stages, DeadLetters deadLetters,
            CamelContext context, String workerId, int maxAttempts, LeaseTerms lease,
            BiConsumer<String, Object> events) {
        this.store = store;
        this.groups = groups;
        this.stages = stages;
        this.deadLetters = deadLetters;
        this.context = context;
        this.workerId = workerId;
        this.maxAttempts = maxAttempts;
        this.events = events;
        this.lease = lease;
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
        ClaimFence fence = holdClaim(groupId, retried);
        ex.getMessage().setHeader(PipelineHeaders.CLAIM_VERSION, fence.version());
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
        boolean retried = ex.getMessage().getHeader(DeadLetters.ITEM_HEADER) != null;
        if (!retried && !operatorRun(ex)) {
            // a restart or a take-over: only the hub that holds the claim now continues
            ClaimFence fence = holdClaim(groupId, false);
            ex.getMessage().setHeader(PipelineHeaders.CLAIM_VERSION, fence.version());
        }
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
        if (retried) {
            // an operator's DLQ retry: this hub takes the group's claim, whoever held it
            ex.getMessage().setHeader(PipelineHeaders.CLAIM_VERSION, holdClaim(groupId, true).version());
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
        ClaimFence fence = fence(ex);
        if (groups.transition(groupId, GroupStates.IN_PROGRESS, GroupStates.COMPLETED, null, fence)) {
            events.accept("group_update", GroupStates.event(groupId, GroupStates.IN_PROGRESS, GroupStates.COMPLETED));
        } else if (fence != null) {
            throw new LeaseLostException(fence, "completion of execution " + id);
        } else {
            LOG.warn("group {} was no longer in_progress when execution {} completed", groupId, id);
        }
        store.finishExecution(id, "completed", null);
        store.execution(id).ifPresent(e -> store.db().update(
                "UPDATE ingest_groups SET perf_total_time = ? WHERE group_id = ?", e.get("duration_sec"), groupId));
        int resolved = deadLetters.resolveForGroup(groupId, "group completed (pipeline execution " + id + ")");
        LOG.info("group {}: pipeline execution {} completed{}", groupId, id,
                resolved > 0 ? "; " + resolved + " DLQ item(s) of the group resolved" : "");
        publishExecution(id);
    }

    /**
     * First step of {@code direct:pipeline.dead-letter}: tells the DLQ what the item is and how to resubmit it:
     * to {@value PipelineHeaders#RESUME_ENDPOINT} with the execution id, so the retry continues at the failed stage.
     */
    public void deadLetter(Exchange ex) {
        ClaimFence fence = fence(ex);
        if (ex.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof LeaseLostException
                || fence != null && !fence.holds(store.db())) {
            // this hub lost the group's claim: the new owner carries on; nothing is dead-lettered, nothing ended
            ex.setRouteStop(true);
            LOG.warn("group {}: execution {} stopped on worker {}: the group was taken over by {}",
                    fence != null ? fence.groupId() : ex.getMessage().getBody(String.class),
                    ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID), workerId,
                    fence == null ? "another hub" : Optional.ofNullable(store.currentClaim(fence.groupId()))
                            .map(ClaimFence::workerId).orElse("nobody (the group left in_progress)"));
            return;
        }
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
        if (groupId != null && groups.transition(groupId, GroupStates.IN_PROGRESS, GroupStates.FAILED, message,
                fence(ex))) {
            events.accept("group_update", GroupStates.event(groupId, GroupStates.IN_PROGRESS, GroupStates.FAILED));
        }
        LOG.warn("group {}: pipeline execution {} failed at {}: {}", groupId, id, stage, message);
    }

    /**
     * After a restart: executions this node left running are taken back under a new claim version (so nothing of the
     * previous life can commit) and resumed at their unfinished stage, or, after {@code maxAttempts} executions,
     * dead-lettered as {@code interrupted}. Only claims of the previous life are taken back: an execution the lease
     * keeper took over from a lost hub after this start (it then runs under this worker's name, started before the
     * start) is already being resumed and is not resumed twice.
     */
    public int recoverInterrupted() {
        int operatorRuns = store.failInterruptedOperatorRuns(workerId, bootedAt);
        if (operatorRuns > 0) {
            LOG.warn("{} operator stage run(s) were interrupted by a restart; their tasks are requeued", operatorRuns);
        }
        int recovered = 0;
        for (Map<String, Object> e : store.interrupted(workerId, bootedAt)) {
            long id = ((Number) e.get("id")).longValue();
            String groupId = (String) e.get("group_id");
            ClaimFence current = store.currentClaim(groupId);
            ClaimFence claim = current == null ? store.takeClaim(groupId, workerId, null, lease)
                    : workerId.equals(current.workerId())
                            ? store.reclaimFromPreviousLife(groupId, workerId, current.version(), bootedAt, lease)
                    : null;
            if (claim == null) {
                // lost the compare-and-set: the group left in_progress, someone claimed it, or this life's lease
                // keeper took it over from a lost hub since the start and is resuming it already
                if (current == null && store.currentClaim(groupId) == null) {
                    store.finishExecution(id, "cancelled", "group is no longer in_progress; not resumable");
                }
                LOG.info("execution {} of group {} is not this hub's to resume (claim: {})", id, groupId, current);
                continue;
            }
            continueTakenOver(claim, workerId, "restart");
            recovered++;
        }
        return recovered;
    }

    /**
     * Continues a group whose claim this hub has just taken ({@code claim}: from a hub whose lease ran out, or from
     * this hub's previous life): its running execution is handed over and resumed at its unfinished stage (stages it
     * completed are not run again); with none, a new execution starts. After {@code maxAttempts} executions the group
     * is dead-lettered as {@code interrupted}. A take-over from another hub publishes a {@code takeover} event naming
     * both.
     */
    public void continueTakenOver(ClaimFence claim, String fromWorker, String trigger) {
        String groupId = claim.groupId();
        boolean fromPeer = !workerId.equals(fromWorker);
        Optional<Map<String, Object>> running = store.runningExecution(groupId);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("group_id", groupId);
        event.put("from_node", fromWorker);
        event.put("to_node", workerId);
        event.put("claim_version", claim.version());
        Exchange ex = new DefaultExchange(context);
        ex.getMessage().setBody(groupId);
        ex.getMessage().setHeader(PipelineHeaders.GROUP_ID, groupId);
        ex.getMessage().setHeader(PipelineHeaders.TRIGGER, trigger);
        if (running.isEmpty()) {
            // claimed, but the execution had not started (or the claim outlived it): start one
            event.put("execution_id", null);
            if (fromPeer) {
                events.accept("takeover", event);
                LOG.warn("group {}: taken over from {} (no execution had started)", groupId, fromWorker);
            }
            producer().send("seda:pipeline.group", ex);
            return;
        }
        long id = ((Number) running.get().get("id")).longValue();
        int attempt = ((Number) running.get().get("attempt")).intValue();
        String stage = store.db().one("SELECT stage_name FROM stage_runs WHERE execution_id = ? AND status = "
                + "'running' ORDER BY id DESC", id).map(r -> (String) r.get("stage_name")).orElse(null);
        store.handOver(id, workerId, fromPeer ? "interrupted: worker " + fromWorker + " lost its lease; taken over by "
                + workerId : "interrupted by a restart");
        event.put("execution_id", id);
        event.put("stage", stage);
        if (fromPeer) {
            events.accept("takeover", event);
            LOG.warn("group {}: execution {} taken over from {} (its lease expired) at {}", groupId, id, fromWorker,
                    stage == null ? "its next stage" : "stage " + stage);
        }
        ex.getMessage().setHeader(PipelineHeaders.EXECUTION_ID, id);
        ex.getMessage().setHeader(PipelineHeaders.CLAIM_VERSION, claim.version());
        if (attempt < maxAttempts) {
            LOG.warn("requeueing execution {} of group {} ({})", id, groupId, trigger);
            producer().send(PipelineHeaders.RESUME_ENDPOINT, ex);
        } else {
            ex.setProperty(Exchange.EXCEPTION_CAUGHT, new StageException("interrupted",
                    "execution " + id + " was interrupted " + attempt + " times (" + trigger + " during processing)"));
            ex.setProperty(Exchange.FAILURE_ROUTE_ID, "pipeline.run");
            deadLetter(ex);
            deadLetters.store(ex);
            failed(ex);
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /**
     * The claim this hub runs a group under: its own current claim; else (nobody holds it, or {@code force}: an
     * operator's retry) a new claim taken now. Another hub's claim is not taken here (that is the lease keeper's job
     * once the lease runs out): {@link LeaseLostException}.
     */
    private ClaimFence holdClaim(String groupId, boolean force) {
        ClaimFence now = store.currentClaim(groupId);
        if (now != null && workerId.equals(now.workerId()) && !force) {
            return now;
        }
        if (now == null || force) {
            ClaimFence taken = store.takeClaim(groupId, workerId, now == null ? null : now.version(), lease);
            if (taken != null) {
                return taken;
            }
        }
        throw new LeaseLostException(new ClaimFence(groupId, workerId, now == null ? 0 : now.version()),
                "the start of its execution on this hub");
    }

    /** The fence of a group-flow exchange (null for operator runs and before the execution holds a claim). */
    private ClaimFence fence(Exchange ex) {
        Long version = ex.getMessage().getHeader(PipelineHeaders.CLAIM_VERSION, Long.class);
        String groupId = ex.getMessage().getBody(String.class);
        return version == null || groupId == null || operatorRun(ex) ? null
                : new ClaimFence(groupId.trim(), workerId, version);
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
