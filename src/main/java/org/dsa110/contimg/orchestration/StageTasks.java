package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.PipelineHeaders;
import org.dsa110.contimg.pipeline.PipelineStore;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.store.Db;

/**
 * Runs an operator's task on a pipeline stage through that stage's own route ({@code direct:stage.<stage>}): the
 * same executor, redelivery, breaker, dead-letter channel and stage log as a streaming group, never a parallel
 * code path. Each run is a pipeline execution with trigger {@code api} that records the task and job; its inputs
 * come from the task's params:
 * <ul>
 * <li>{@code inputs} (a list of paths), {@code ms_path} or {@code fits_path}: exactly those files;</li>
 * <li>{@code group_id} alone: the group's subband files (conversion) or the outputs of the group's latest
 * execution (the later stages), as the group flow would have given them;</li>
 * <li>conversion with {@code start_time}/{@code end_time}: one run per ingest group in the window;</li>
 * <li>otherwise no input files (stages driven by params only: ESE detection, mosaics, publishing).</li>
 * </ul>
 * The task's params reach the executor over the stage's configured params ({@code hub.stage.<stage>.param.*}).
 * The stage's log lines also go to the job's log, and the processes it starts are registered for cancel.
 */
public final class StageTasks {
    /** Exchange property set by the task runner: the stage route the task was sent for. */
    public static final String STAGE_ENDPOINT = "taskStageEndpoint";
    public static final String STAGE_PREFIX = "direct:stage.";

    /** One stage run of a task: the group it belongs to (may be null), its inputs, or the execution feeding it. */
    record Unit(String groupId, List<String> inputs, Long upstreamExecution, String msPath) {
    }

    private final CamelContext camel;
    private final Db db;
    private final PipelineStore pipeline;
    private final JobLog jobLog;
    private final RunningProcesses processes;
    private final TaskStore tasks;
    private final String workerId;
    private ProducerTemplate producer;
    private final TaskInputs inputs;

    public StageTasks(CamelContext camel, Db db, PipelineStore pipeline, JobLog jobLog, RunningProcesses processes,
            TaskStore tasks, String workerId, TaskInputs inputs) {
        this.inputs = inputs;
        this.camel = camel;
        this.db = db;
        this.pipeline = pipeline;
        this.jobLog = jobLog;
        this.processes = processes;
        this.tasks = tasks;
        this.workerId = workerId;
    }

    /** {@code direct:task.stage}: every run of the task, in order; the first failure fails the task. */
    public void run(Exchange ex) throws Exception {
        String uri = ex.getProperty(STAGE_ENDPOINT, String.class);
        if (uri == null || !uri.startsWith(STAGE_PREFIX)) {
            throw new IllegalStateException("task.stage needs the " + STAGE_ENDPOINT + " property");
        }
        String stage = uri.substring(STAGE_PREFIX.length());
        String taskId = ex.getMessage().getHeader(TaskRunner.TASK_ID, String.class);
        String taskName = ex.getMessage().getHeader(TaskRunner.TASK_NAME, stage, String.class);
        Long jobId = ex.getMessage().getHeader(TaskRunner.JOB_ID, Long.class);
        Map<String, Object> params = confined(TaskStore.jsonMap(ex.getMessage().getHeader(TaskRunner.TASK_PARAMS,
                String.class)));
        List<Unit> units = units(stage, params);
        List<String> outputs = new ArrayList<>();
        List<Long> executions = new ArrayList<>();
        for (Unit unit : units) {
            long execution = pipeline.createExecution(unit.groupId(), jobType(taskName), PipelineHeaders.TRIGGER_API,
                    workerId);
            db.update("UPDATE pipeline_executions SET task_id = ?, job_id = ?, ms_path = ? WHERE id = ?", taskId,
                    jobId, unit.msPath(), execution);
            executions.add(execution);
            outputs.addAll(runOne(uri, stage, execution, unit, taskId, jobId, params));
        }
        ex.getMessage().setHeader(TaskRunner.TASK_ARTIFACTS, outputs);
        ex.getMessage().setBody(Map.of("outputs", outputs, "execution_ids", executions));
    }

    private List<String> runOne(String uri, String stage, long execution, Unit unit, String taskId, Long jobId,
            Map<String, Object> params) throws Exception {
        Exchange u = new DefaultExchange(camel);
        u.getMessage().setHeader(PipelineHeaders.EXECUTION_ID, execution);
        u.getMessage().setHeader(PipelineHeaders.TRIGGER, PipelineHeaders.TRIGGER_API);
        if (taskId != null) {
            u.getMessage().setHeader(TaskRunner.TASK_ID, taskId);
        }
        if (jobId != null) {
            u.getMessage().setHeader(TaskRunner.JOB_ID, jobId);
        }
        String key = unit.groupId() != null ? unit.groupId() : "op-" + execution;
        u.getMessage().setHeader(PipelineHeaders.GROUP_ID, key);
        u.getMessage().setBody(key);
        if (unit.inputs() != null) {
            u.setProperty(PipelineHeaders.INPUTS_OVERRIDE, unit.inputs());
        }
        if (unit.upstreamExecution() != null) {
            u.setProperty(PipelineHeaders.UPSTREAM_EXECUTION, unit.upstreamExecution());
        }
        u.setProperty(PipelineHeaders.LOG_TEE, tee(taskId, jobId));
        u.setProperty(PipelineHeaders.PARAMS_OVERRIDE, params); // the operator's params over the configured ones
        Exchange r = producer().send(uri, u);
        Map<String, Object> run = pipeline.stageRun(execution, stage).orElse(null);
        String status = run == null ? null : (String) run.get("status");
        if (r.getException() != null || status == null || !(status.equals("completed") || status.equals("skipped"))) {
            String error = r.getException() != null ? r.getException().getMessage()
                    : run != null && run.get("error") != null ? (String) run.get("error")
                    : pipeline.execution(execution).map(e -> (String) e.get("error")).orElse(null);
            if (!"failed".equals(pipeline.execution(execution).map(e -> e.get("status")).orElse(null))) {
                pipeline.finishExecution(execution, "failed", error);
            }
            throw new IllegalStateException(stage + " failed" + (error == null ? "" : ": " + error));
        }
        pipeline.finishExecution(execution, "completed", null);
        return pipeline.completedOutputs(execution).getOrDefault(stage, List.of());
    }

    /** The stage's log also goes to the job's log; its processes are registered under the task and job. */
    private StageLogSink tee(String taskId, Long jobId) {
        LogSink job = jobId == null ? LogSink.DISCARD : jobLog.sink(jobId);
        return new StageLogSink() {
            @Override
            public void line(String stream, String text) {
                job.line(stream, text);
            }

            @Override
            public void started(Process process) {
                if (taskId != null) {
                    processes.register(taskId, process);
                }
                if (jobId != null) {
                    processes.register(RunningProcesses.jobKey(jobId), process);
                }
            }
        };
    }

    List<Unit> units(String stage, Map<String, Object> params) {
        String group = text(params.get("group_id"));
        Object listed = params.get("inputs");
        if (listed instanceof List<?> l && !l.isEmpty()) {
            List<String> inputs = l.stream().map(String::valueOf).toList();
            return List.of(new Unit(group != null ? group : groupOfMs(inputs.get(0)), inputs, null, null));
        }
        String ms = text(params.get("ms_path"));
        if (ms != null) {
            return List.of(new Unit(group != null ? group : groupOfMs(ms), List.of(ms), null, ms));
        }
        String fits = text(params.get("fits_path"));
        if (fits != null) {
            return List.of(new Unit(group, List.of(fits), null, null));
        }
        if (group != null) {
            if (pipeline.group(group).isEmpty()) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "unknown group " + group);
            }
            if ("conversion".equals(stage)) {
                return List.of(new Unit(group, null, null, null));
            }
            Long latest = db.one("SELECT e.id FROM pipeline_executions e WHERE e.group_id = ? AND EXISTS (SELECT 1"
                    + " FROM stage_runs r WHERE r.execution_id = e.id AND r.status = 'completed') ORDER BY e.id DESC",
                    group).map(r -> ((Number) r.get("id")).longValue()).orElseThrow(() -> new PermanentStageException(
                            PermanentStageException.INVALID_INPUT, "group " + group + " has no completed stage to"
                                    + " take " + stage + "'s inputs from"));
            return List.of(new Unit(group, null, latest, null));
        }
        String start = text(params.get("start_time"));
        String end = text(params.get("end_time"));
        if ("conversion".equals(stage) && start != null && end != null) {
            List<Unit> units = new ArrayList<>();
            for (Map<String, Object> r : db.query("SELECT group_id FROM ingest_groups WHERE group_time >= ? AND"
                    + " group_time <= ? ORDER BY group_time", instant(start), instant(end))) {
                units.add(new Unit((String) r.get("group_id"), null, null, null));
            }
            if (units.isEmpty()) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                        "no ingest groups between " + start + " and " + end);
            }
            return units;
        }
        if ("conversion".equals(stage)) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "conversion needs group_id, inputs, or start_time and end_time");
        }
        return List.of(new Unit(null, List.of(), null, null));
    }

    /**
     * The task's parameters checked again when it runs (a task stored before the checks existed, or a file
     * that vanished or was swapped for a link since): a bad input fails the run as invalid input, which is
     * neither redelivered nor counted against the stage's breaker.
     */
    private Map<String, Object> confined(Map<String, Object> params) {
        try {
            return inputs.check(params);
        } catch (org.dsa110.contimg.core.HubException e) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT, e.getMessage());
        }
    }

    /** {@code direct:task.retry}: a DLQ retry of an operator's stage run retries its task. */
    public void retryTask(Exchange ex) {
        String taskId = ex.getMessage().getHeader(TaskRunner.TASK_ID, String.class);
        if (taskId == null || !tasks.retry(taskId)) {
            throw new IllegalStateException("task " + taskId + " is not failed or cancelled; nothing to retry");
        }
    }

    private String groupOfMs(String path) {
        return db.one("SELECT group_id FROM ms_index WHERE path = ?", path).map(r -> (String) r.get("group_id"))
                .orElse(null);
    }

    private static String jobType(String taskName) {
        return taskName.length() > 32 ? taskName.substring(0, 32) : taskName;
    }

    private static String text(Object v) {
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static Instant instant(String iso) {
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "not an ISO-8601 time: " + iso);
            }
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }
}
