package org.dsa110.contimg.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dsa110.contimg.store.Db;

/** Read models of the pipeline API: executions with their stages, stage metrics, summary and workflow status. */
public final class PipelineReports {
    private final PipelineStore store;
    private final Db db;
    private final PipelineGraph graph;

    public PipelineReports(PipelineStore store, PipelineGraph graph) {
        this.store = store;
        this.db = store.db();
        this.graph = graph;
    }

    /** One execution of the pipeline with its stage runs (ExecutionResponse). */
    public record Execution(long id, String groupId, String jobType, String triggerSource, String status,
            Instant createdAt, Instant startedAt, Instant finishedAt, Double durationSeconds, List<StageRun> stages,
            String errorMessage, int retryCount, int attempt, String workerId) {
    }

    /** One stage run (StageStatusResponse) plus executor, resources and outputs. */
    public record StageRun(long id, String name, String status, Double durationSeconds, int attempt,
            String errorMessage, Instant startedAt, Instant completedAt, String executor, Double cpuSeconds,
            Double peakMemoryMb, Object outputs, Object metrics) {
    }

    /** StageMetricsResponse: counts and durations of one stage over its runs (no averages before a run). */
    public record StageMetrics(String stageName, long totalExecutions, long successfulExecutions,
            long failedExecutions, Double averageDurationSeconds, Double minDurationSeconds,
            Double maxDurationSeconds, Double averageMemoryMb, Double averageCpuPercent, long totalAttempts) {
    }

    /** Execution counts, success rate (null before any finished) and mean duration of completed ones. */
    public record Summary(long totalJobs, long runningJobs, long completedJobs, long failedJobs, Double successRate,
            Double averageDurationSeconds, long stageRunsToday, Instant timestamp) {
    }

    public PipelineGraph graph() {
        return graph;
    }

    public List<Execution> executions(String status, String jobType, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (status != null) {
            where.add("status = ?");
            args.add(status);
        }
        if (jobType != null) {
            where.add("job_type = ?");
            args.add(jobType);
        }
        args.add(limit);
        args.add(offset);
        return withStages(db.query("SELECT * FROM pipeline_executions"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", args.toArray()));
    }

    public Optional<Execution> execution(long id) {
        return store.execution(id).map(r -> withStages(List.of(r)).get(0));
    }

    public List<StageRun> stages(long executionId) {
        return db.query("SELECT * FROM stage_runs WHERE execution_id = ? ORDER BY id", executionId).stream()
                .map(PipelineReports::stageView).toList();
    }

    /** The log of a stage run (all attempts), oldest first. */
    public List<PipelineStore.LogLine> stageLog(long executionId, String stage, int limit) {
        return store.stageRun(executionId, stage)
                .map(r -> store.logLines(((Number) r.get("id")).longValue(), limit)).orElse(List.of());
    }

    /** StageMetricsResponse per stage with runs, by stage name. */
    public List<StageMetrics> stageMetrics(String stageName, int limit) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (stageName != null) {
            where = " WHERE stage_name = ?";
            args.add(stageName);
        }
        args.add(limit);
        return db.query("SELECT stage_name, COUNT(*) AS total, "
                + "SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS ok, "
                + "SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS bad, "
                + "AVG(duration_sec) AS avg_d, MIN(duration_sec) AS min_d, MAX(duration_sec) AS max_d, "
                + "AVG(peak_memory_mb) AS avg_mem, "
                + "AVG(CASE WHEN duration_sec > 0 AND cpu_sec IS NOT NULL THEN 100.0 * cpu_sec / duration_sec END) "
                + "AS avg_cpu, SUM(attempt) AS attempts FROM stage_runs" + where
                + " GROUP BY stage_name ORDER BY stage_name LIMIT ?", args.toArray())
                .stream().map(PipelineReports::metricsView).toList();
    }

    /** Metrics of one stage: zeros (and no averages) for a loaded stage that has not run yet; empty if unknown. */
    public Optional<StageMetrics> stageMetrics(String stageName) {
        List<StageMetrics> m = stageMetrics(stageName, 1);
        if (!m.isEmpty()) {
            return Optional.of(m.get(0));
        }
        if (!graph.isStage(stageName)) {
            return Optional.empty();
        }
        StageMetrics zero = new StageMetrics(stageName, 0, 0, 0, null, null, null, null, null, 0);
        return Optional.of(zero);
    }

    public Summary summary() {
        long total = db.scalarLong("SELECT COUNT(*) FROM pipeline_executions");
        long running = count("running");
        long completed = count("completed");
        long failed = count("failed");
        Double mean = db.one("SELECT AVG(duration_sec) AS d FROM pipeline_executions WHERE status = 'completed'")
                .map(r -> d(r, "d")).orElse(null);
        return new Summary(total, running, completed, failed,
                completed + failed == 0 ? null : (double) completed / (completed + failed), mean,
                db.scalarLong("SELECT COUNT(*) FROM stage_runs WHERE started_at >= ?", today()), Instant.now());
    }

    /**
     * Per stage (flow order): pending (failed runs awaiting redelivery; for the first stage also groups waiting to
     * be claimed and executions not yet at a stage), processing (running), completed/failed today and the mean
     * duration today; the bottleneck (most work waiting or running, else the slowest stage today), an estimated
     * completion of the current load over {@code workers} pipeline workers, and a health verdict (unhealthy: a
     * stage's breaker is open or it only failed today; degraded: failures today or pending DLQ items).
     */
    public WorkflowStatus workflowStatus(Set<String> openBreakers, int workers) {
        Instant today = today();
        List<String> order = graph.stageOrder();
        Map<String, long[]> counts = new LinkedHashMap<>(); // pending, processing, completed today, failed today
        Map<String, Double> meanToday = new LinkedHashMap<>();
        for (String s : order) {
            counts.put(s, new long[4]);
        }
        for (Map<String, Object> r : db.query("SELECT r.stage_name, r.status, COUNT(*) AS n FROM stage_runs r "
                + "JOIN pipeline_executions e ON e.id = r.execution_id WHERE e.status = 'running' "
                + "AND r.status IN ('running', 'failed') GROUP BY r.stage_name, r.status")) {
            long[] c = counts.get((String) r.get("stage_name"));
            if (c != null) {
                c["running".equals(r.get("status")) ? 1 : 0] += ((Number) r.get("n")).longValue();
            }
        }
        if (!order.isEmpty()) {
            counts.get(order.get(0))[0] += db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'pending'")
                    + db.scalarLong("SELECT COUNT(*) FROM pipeline_executions e WHERE e.status = 'running' AND "
                    + "NOT EXISTS (SELECT 1 FROM stage_runs r WHERE r.execution_id = e.id)");
        }
        for (Map<String, Object> r : db.query("SELECT stage_name, status, COUNT(*) AS n, AVG(duration_sec) AS d "
                + "FROM stage_runs WHERE finished_at >= ? AND status IN ('completed', 'failed') "
                + "GROUP BY stage_name, status", today)) {
            String stage = (String) r.get("stage_name");
            long[] c = counts.get(stage);
            if (c != null) {
                boolean ok = "completed".equals(r.get("status"));
                c[ok ? 2 : 3] = ((Number) r.get("n")).longValue();
                if (ok && r.get("d") instanceof Number d) {
                    meanToday.put(stage, d.doubleValue());
                }
            }
        }
        List<WorkflowStatus.Stage> stages = new ArrayList<>();
        counts.forEach((s, c) -> stages.add(new WorkflowStatus.Stage(s, WorkflowStatus.displayName(s), s, c[0], c[1],
                c[2], c[3], meanToday.get(s), openBreakers.contains(s))));
        long dlqPending = db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE status = 'pending'");
        boolean unhealthy = stages.stream().anyMatch(m -> "unhealthy".equals(WorkflowStatus.health(m)));
        boolean degraded = dlqPending > 0 || stages.stream().anyMatch(m -> !"healthy".equals(WorkflowStatus.health(m)));
        String health = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        WorkflowStatus.Bottleneck bottleneck = WorkflowStatus.bottleneck(stages);
        Instant now = Instant.now();
        return new WorkflowStatus(stages, bottleneck == null ? null : bottleneck.stage(), bottleneck,
                WorkflowStatus.estimate(stages, workers, now), unhealthy ? "stalled" : health,
                stages.stream().mapToLong(WorkflowStatus.Stage::pending).sum(),
                stages.stream().mapToLong(WorkflowStatus.Stage::completedToday).sum(),
                stages.stream().mapToLong(WorkflowStatus.Stage::failedToday).sum(), now, dlqPending,
                openBreakers.stream().sorted().collect(Collectors.toList()), health, now);
    }

    /** {@code g} with each stage's health now ({@link WorkflowStatus#health}) as its node's status. */
    public PipelineGraph.DependencyGraph withStatus(PipelineGraph.DependencyGraph g, Set<String> openBreakers,
            int workers) {
        Map<String, String> health = new LinkedHashMap<>();
        for (WorkflowStatus.Stage s : workflowStatus(openBreakers, workers).stages()) {
            health.put(s.stage(), WorkflowStatus.health(s));
        }
        return new PipelineGraph.DependencyGraph(g.nodes().stream().map(n -> n.withStatus(health.get(n.id())))
                .collect(Collectors.toList()), g.edges());
    }

    private long count(String status) {
        return db.scalarLong("SELECT COUNT(*) FROM pipeline_executions WHERE status = ?", status);
    }

    private List<Execution> withStages(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Object> ids = rows.stream().map(r -> r.get("id")).collect(Collectors.toList());
        String marks = ids.stream().map(i -> "?").collect(Collectors.joining(", "));
        Map<Object, List<StageRun>> stages = new LinkedHashMap<>();
        for (Map<String, Object> s : db.query("SELECT * FROM stage_runs WHERE execution_id IN (" + marks
                + ") ORDER BY id", ids.toArray())) {
            stages.computeIfAbsent(((Number) s.get("execution_id")).longValue(), k -> new ArrayList<>())
                    .add(stageView(s));
        }
        List<Execution> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            long id = ((Number) r.get("id")).longValue();
            int attempt = ((Number) r.get("attempt")).intValue();
            out.add(new Execution(id, (String) r.get("group_id"), (String) r.get("job_type"),
                    (String) r.get("trigger_source"), (String) r.get("status"), (Instant) r.get("created_at"),
                    (Instant) r.get("started_at"), (Instant) r.get("finished_at"), d(r, "duration_sec"),
                    stages.getOrDefault(id, List.of()), (String) r.get("error"), Math.max(0, attempt - 1), attempt,
                    (String) r.get("worker_id")));
        }
        return out;
    }

    /** StageStatusResponse plus executor, resources and outputs. */
    static StageRun stageView(Map<String, Object> s) {
        Map<String, Object> outputs = PipelineStore.parseObject((String) s.get("outputs"));
        return new StageRun(((Number) s.get("id")).longValue(), (String) s.get("stage_name"),
                (String) s.get("status"), d(s, "duration_sec"), ((Number) s.get("attempt")).intValue(),
                (String) s.get("error"), (Instant) s.get("started_at"), (Instant) s.get("finished_at"),
                (String) s.get("executor"), d(s, "cpu_sec"), d(s, "peak_memory_mb"),
                outputs.getOrDefault("outputs", List.of()), outputs.getOrDefault("metrics", Map.of()));
    }

    private static StageMetrics metricsView(Map<String, Object> r) {
        return new StageMetrics((String) r.get("stage_name"), n(r, "total"), n(r, "ok"), n(r, "bad"), d(r, "avg_d"),
                d(r, "min_d"), d(r, "max_d"), d(r, "avg_mem"), d(r, "avg_cpu"), n(r, "attempts"));
    }

    /** A nullable number column as a Double (aggregates come back as Long, Double or BigDecimal by engine). */
    private static Double d(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number x ? x.doubleValue() : null;
    }

    private static long n(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Number x ? x.longValue() : 0L;
    }

    private static Instant today() {
        return LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
