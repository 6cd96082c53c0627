package org.dsa110.contimg.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.dsa110.contimg.ops.OutOfMemoryExit;
import org.dsa110.contimg.store.ClaimFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean every stage route calls inside its circuit breaker: records the stage run (one row per stage and
 * execution; each redelivery or retry increments its attempt), resolves the stage's executor, gathers its inputs
 * and runs it. A stage already completed in this execution is not run again, which is how a resumed execution
 * continues at the stage that failed.
 */
public final class StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Inputs: the group's subband files. */
    public static final String FROM_SUBBANDS = "subbands";
    /** Inputs: the outputs of every completed upstream stage. */
    public static final String FROM_ALL = "all";

    private final PipelineStore store;
    private final StageExecutors executors;
    private final Path stagingRoot;
    private final String workerId;
    private final BiConsumer<String, Map<String, Object>> events;
    /** The DLQ context of the latest attempt per execution/stage, read when the stage is dead-lettered. */
    private final Map<String, Map<String, Object>> contexts = new ConcurrentHashMap<>();

    public StageRunner(PipelineStore store, StageExecutors executors, Path stagingRoot, String workerId,
            BiConsumer<String, Map<String, Object>> events) {
        this.store = store;
        this.executors = executors;
        this.stagingRoot = stagingRoot;
        this.workerId = workerId;
        this.events = events;
    }

    public void run(Exchange ex) throws Exception {
        String stage = ex.getProperty(PipelineHeaders.STAGE, String.class);
        String inputsFrom = ex.getProperty(PipelineHeaders.STAGE_INPUTS, String.class);
        Long executionId = ex.getMessage().getHeader(PipelineHeaders.EXECUTION_ID, Long.class);
        String groupId = ex.getMessage().getBody(String.class);
        if (stage == null || executionId == null || groupId == null) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "stage run needs the stage property, the " + PipelineHeaders.EXECUTION_ID
                            + " header and the group id body");
        }
        if (store.stageRun(executionId, stage).map(r -> "completed".equals(r.get("status"))).orElse(false)) {
            LOG.debug("{} of execution {} already completed", stage, executionId);
            return;
        }
        // the group flow runs under the group's claim (header set by pipelineRuns); operator runs have none
        Long claimVersion = ex.getMessage().getHeader(PipelineHeaders.CLAIM_VERSION, Long.class);
        ClaimFence fence = claimVersion == null ? null : new ClaimFence(groupId, workerId, claimVersion);
        PipelineStore.StageRunStart run = store.startStageRun(executionId, stage, executors.configuredKind(stage),
                fence);
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("group_id", groupId);
        ctx.put("execution_id", executionId);
        ctx.put("stage", stage);
        ctx.put("stage_run_id", run.id());
        ctx.put("attempt", run.attempt());
        contexts.put(key(executionId, stage), ctx);
        publish(executionId, groupId, stage, "running", run.attempt(), null);
        long cpuStart = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        try {
            StageExecutors.Resolved resolved = executors.resolve(stage);
            ctx.put("executor", resolved.kind());
            if (resolved.skipped()) {
                store.finishStageRun(run.id(), "skipped", null, Map.of("outputs", List.of()), null, null, fence);
                contexts.remove(key(executionId, stage));
                publish(executionId, groupId, stage, "skipped", run.attempt(), null);
                return;
            }
            Long upstreamFrom = ex.getProperty(PipelineHeaders.UPSTREAM_EXECUTION, Long.class);
            Map<String, List<String>> upstream = store.completedOutputs(upstreamFrom != null ? upstreamFrom
                    : executionId);
            List<?> given = ex.getProperty(PipelineHeaders.INPUTS_OVERRIDE, List.class);
            List<String> inputs = given != null ? given.stream().map(String::valueOf).toList()
                    : inputs(stage, inputsFrom, groupId, upstream);
            Map<String, Object> params = new LinkedHashMap<>(executors.params(stage));
            store.group(groupId).ifPresent(g -> {
                params.put("has_calibrator", g.get("has_calibrator"));
                params.put("pointing_dec_deg", g.get("pointing_dec_deg"));
                params.put("incomplete", g.get("incomplete"));
            });
            Map<?, ?> operator = ex.getProperty(PipelineHeaders.PARAMS_OVERRIDE, Map.class);
            if (operator != null) {
                operator.forEach((k, v) -> params.put(String.valueOf(k), v));
            }
            params.values().removeIf(v -> v == null);
            ctx.put("inputs", inputs);
            ctx.put("params", new LinkedHashMap<>(params));
            upstream.forEach((s, outs) -> params.put("upstream." + s, outs));
            Path outDir = stagingRoot.resolve(safe(groupId)).resolve(stage);
            ctx.put("output_dir", outDir.toString());
            StageRequest req = new StageRequest(stage, groupId, executionId, run.attempt(), inputs, outDir, params,
                    sink(run, ex.getProperty(PipelineHeaders.LOG_TEE, StageLogSink.class)));
            StageResult result = resolved.executor().run(req);
            Double cpu = number(result.metrics().get("cpu_sec"));
            if (cpu == null && StageExecutors.BUILTIN.equals(resolved.kind()) && cpuStart >= 0) {
                cpu = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            }
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("outputs", result.outputs());
            outputs.put("metrics", result.metrics());
            store.finishStageRun(run.id(), "completed", null, outputs, cpu, number(result.metrics().get("peak_memory_mb")),
                    fence);
            contexts.remove(key(executionId, stage));
            publish(executionId, groupId, stage, "completed", run.attempt(), null);
        } catch (LeaseLostException e) {
            contexts.remove(key(executionId, stage));
            LOG.warn("{} of group {} (execution {}): {}", stage, groupId, executionId, e.getMessage());
            throw e;
        } catch (OutOfMemoryError e) {
            outOfMemory(run, stage, groupId, executionId, e);
            throw e;
        } catch (Exception | Error e) {
            String error = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            store.finishStageRun(run.id(), "failed", error, null, null, null, fence);
            publish(executionId, groupId, stage, "failed", run.attempt(), error);
            throw e;
        }
    }

    /**
     * An OutOfMemoryError is never retried in this JVM: its state is unknown (any thread may have failed an
     * allocation). The stage run is marked failed with {@code out_of_memory}, the hub exits non-zero (the service
     * manager restarts it, and the restart recovery resumes the execution, up to hub.pipeline.max-attempts) and this
     * thread waits for the exit instead of letting the error handler redeliver the stage.
     */
    private void outOfMemory(PipelineStore.StageRunStart run, String stage, String groupId, long executionId,
            OutOfMemoryError e) {
        String error = OutOfMemoryExit.OUT_OF_MEMORY + ": " + stage + " ran out of Java heap (max "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB): " + e.getMessage();
        try {
            store.finishStageRun(run.id(), "failed", error, null, null, null);
        } catch (Throwable ignored) {
            // the restart recovery marks the run interrupted if this write could not be made
        }
        OutOfMemoryExit.exit(stage + " of group " + groupId + " (execution " + executionId + ")", e);
    }

    /** The context of the stage's latest attempt for a DLQ item (group, paths, attempt, params). */
    public Map<String, Object> context(long executionId, String stage) {
        Map<String, Object> c = contexts.remove(key(executionId, stage));
        return c == null ? Map.of() : c;
    }

    private List<String> inputs(String stage, String from, String groupId, Map<String, List<String>> upstream) {
        if (from == null || FROM_SUBBANDS.equals(from)) {
            List<String> paths = store.subbandPaths(groupId);
            if (paths.isEmpty()) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                        "group " + groupId + " has no usable (unflagged) subband files");
            }
            return paths;
        }
        if (FROM_ALL.equals(from)) {
            List<String> all = new ArrayList<>();
            upstream.values().forEach(all::addAll);
            return all;
        }
        List<String> outs = upstream.get(from);
        if (outs == null) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    stage + " needs the outputs of " + from + ", which has not completed in this execution");
        }
        if (outs.isEmpty()) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    from + " completed without declaring outputs (manifest.json or an outputs glob), so " + stage
                            + " has no inputs");
        }
        return outs;
    }

    /** The stage run's log (stored line by line), also copied to {@code tee} when an operator's job runs it. */
    private StageLogSink sink(PipelineStore.StageRunStart run, StageLogSink tee) {
        AtomicInteger seq = new AtomicInteger(run.firstLogSeq());
        return new StageLogSink() {
            @Override
            public void line(String stream, String text) {
                String s = "stderr".equals(stream) ? "stderr" : "stdout";
                try {
                    store.appendLog(run.id(), seq.getAndIncrement(), run.attempt(), s, text);
                } catch (RuntimeException e) {
                    LOG.warn("stage log line of run {} not stored: {}", run.id(), e.getMessage());
                }
                if (tee != null) {
                    tee.line(s, text);
                }
            }

            @Override
            public void started(Process process) {
                if (tee != null) {
                    tee.started(process);
                }
            }
        };
    }

    private void publish(long executionId, String groupId, String stage, String status, int attempt, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("execution_id", executionId);
        data.put("group_id", groupId);
        data.put("stage", stage);
        data.put("status", status);
        data.put("attempt", attempt);
        data.put("error", error);
        events.accept("stage_update", data);
    }

    private static String key(long executionId, String stage) {
        return executionId + "/" + stage;
    }

    private static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    /** A group id as a directory name ('2025-10-24T13:28:03' is fine; anything odd becomes '_'). */
    static String safe(String groupId) {
        String s = groupId.replaceAll("[^A-Za-z0-9._:+-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }
}
