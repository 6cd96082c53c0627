package org.dsa110.contimg.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/** SQL of pipeline executions, their stage runs and stage logs. */
public final class PipelineStore {
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    /** A stage run as started: its row id and which attempt this is. */
    public record StageRunStart(long id, int attempt, int firstLogSeq) {
    }

    private final Db db;

    public PipelineStore(Db db) {
        this.db = db;
    }

    public Db db() {
        return db;
    }

    public long createExecution(String groupId, String jobType, String trigger, String workerId) {
        Instant now = Instant.now();
        return db.insert("INSERT INTO pipeline_executions (group_id, job_type, trigger_source, status, attempt, "
                + "worker_id, created_at, started_at) VALUES (?, ?, ?, 'running', 1, ?, ?, ?)", "id",
                groupId, jobType, trigger, workerId, now, now);
    }

    public Optional<Map<String, Object>> execution(long id) {
        return db.one("SELECT * FROM pipeline_executions WHERE id = ?", id);
    }

    /** Puts a failed or interrupted execution back to running for another attempt; false when it is not there. */
    public boolean resumeExecution(long id, String trigger, String workerId) {
        return db.update("UPDATE pipeline_executions SET status = 'running', attempt = attempt + 1, error = NULL, "
                + "finished_at = NULL, duration_sec = NULL, trigger_source = ?, worker_id = ?, started_at = ? "
                + "WHERE id = ? AND status <> 'completed'", trigger, workerId, Instant.now(), id) == 1;
    }

    public void finishExecution(long id, String status, String error) {
        Instant now = Instant.now();
        Object started = execution(id).map(r -> r.get("started_at")).orElse(null);
        Double duration = started instanceof Instant s ? Duration.between(s, now).toNanos() / 1e9 : null;
        db.update("UPDATE pipeline_executions SET status = ?, error = ?, finished_at = ?, duration_sec = ? "
                + "WHERE id = ?", status, truncate(error, 10000), now, duration, id);
    }

    public Optional<Map<String, Object>> stageRun(long executionId, String stage) {
        return db.one("SELECT * FROM stage_runs WHERE execution_id = ? AND stage_name = ? ORDER BY id DESC",
                executionId, stage);
    }

    /** Starts (or re-starts, attempt + 1) the one stage-run row of {@code stage} in the execution. */
    public StageRunStart startStageRun(long executionId, String stage, String executor) {
        return db.inTransaction(() -> {
            Instant now = Instant.now();
            Optional<Map<String, Object>> existing = stageRun(executionId, stage);
            if (existing.isEmpty()) {
                long id = db.insert("INSERT INTO stage_runs (execution_id, stage_name, status, attempt, executor, "
                        + "started_at) VALUES (?, ?, 'running', 1, ?, ?)", "id", executionId, stage, executor, now);
                return new StageRunStart(id, 1, 0);
            }
            long id = ((Number) existing.get().get("id")).longValue();
            int attempt = ((Number) existing.get().get("attempt")).intValue() + 1;
            db.update("UPDATE stage_runs SET status = 'running', attempt = ?, executor = ?, started_at = ?, "
                    + "finished_at = NULL, duration_sec = NULL, error = NULL WHERE id = ?",
                    attempt, executor, now, id);
            int seq = (int) db.scalarLong("SELECT COALESCE(MAX(seq) + 1, 0) FROM stage_log_lines "
                    + "WHERE stage_run_id = ?", id);
            return new StageRunStart(id, attempt, seq);
        });
    }

    public void finishStageRun(long runId, String status, String error, Map<String, Object> outputs,
            Double cpuSec, Double peakMemoryMb) {
        Instant now = Instant.now();
        Object started = db.one("SELECT started_at FROM stage_runs WHERE id = ?", runId)
                .map(r -> r.get("started_at")).orElse(null);
        Double duration = started instanceof Instant s ? Duration.between(s, now).toNanos() / 1e9 : null;
        db.update("UPDATE stage_runs SET status = ?, error = ?, outputs = ?, finished_at = ?, duration_sec = ?, "
                + "cpu_sec = ?, peak_memory_mb = ? WHERE id = ?", status, truncate(error, 10000),
                outputs == null ? null : Json.write(outputs), now, duration, cpuSec, peakMemoryMb, runId);
    }

    /** Marks the stage's row failed unless it completed (used when a failure happened outside the executor). */
    public void failStageRunIfRunning(long executionId, String stage, String error) {
        stageRun(executionId, stage).ifPresent(r -> {
            if ("running".equals(r.get("status"))) {
                finishStageRun(((Number) r.get("id")).longValue(), "failed", error, null, null, null);
            }
        });
    }

    public void appendLog(long runId, int seq, int attempt, String stream, String line) {
        db.update("INSERT INTO stage_log_lines (stage_run_id, seq, attempt, ts, stream, line) VALUES (?, ?, ?, ?, ?, ?)",
                runId, seq, attempt, Instant.now(), stream, truncate(line, 16000));
    }

    public List<Map<String, Object>> logLines(long runId, int limit) {
        return db.query("SELECT seq, attempt, ts, stream, line FROM stage_log_lines WHERE stage_run_id = ? "
                + "ORDER BY seq LIMIT ?", runId, limit);
    }

    /** Outputs of the completed stages of an execution, in completion order: stage → output paths. */
    public Map<String, List<String>> completedOutputs(long executionId) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT stage_name, outputs FROM stage_runs WHERE execution_id = ? "
                + "AND status = 'completed' ORDER BY finished_at, id", executionId)) {
            out.put((String) r.get("stage_name"), outputPaths((String) r.get("outputs")));
        }
        return out;
    }

    /** Executions this worker left running before {@code bootedAt} (a crash or a kill), oldest first. */
    public List<Map<String, Object>> interrupted(String workerId, Instant bootedAt) {
        return db.query("SELECT * FROM pipeline_executions WHERE status = 'running' AND worker_id = ? "
                + "AND trigger_source <> 'api' AND started_at < ? ORDER BY created_at", workerId, bootedAt);
    }

    /**
     * Operator runs (trigger {@code api}) this worker left running before {@code bootedAt} are failed: their task
     * is requeued by the task runner, which starts a new execution. Returns how many there were.
     */
    public int failInterruptedOperatorRuns(String workerId, Instant bootedAt) {
        Instant now = Instant.now();
        return db.inTransaction(() -> {
            db.update("UPDATE stage_runs SET status = 'failed', error = 'interrupted by a restart', finished_at = ?"
                    + " WHERE status = 'running' AND execution_id IN (SELECT id FROM pipeline_executions WHERE"
                    + " status = 'running' AND worker_id = ? AND trigger_source = 'api' AND started_at < ?)", now,
                    workerId, bootedAt);
            return db.update("UPDATE pipeline_executions SET status = 'failed', error = 'interrupted by a restart',"
                    + " finished_at = ? WHERE status = 'running' AND worker_id = ? AND trigger_source = 'api'"
                    + " AND started_at < ?", now, workerId, bootedAt);
        });
    }

    public Optional<Map<String, Object>> group(String groupId) {
        return db.one("SELECT * FROM ingest_groups WHERE group_id = ?", groupId);
    }

    public List<String> subbandPaths(String groupId) {
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT path FROM subband_files WHERE group_id = ? AND flagged = FALSE "
                + "ORDER BY subband", groupId)) {
            paths.add((String) r.get("path"));
        }
        return paths;
    }

    @SuppressWarnings("unchecked")
    static List<String> outputPaths(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            Object o = Json.MAPPER.readValue(json, JSON_OBJECT).get("outputs");
            return o instanceof List<?> l ? (List<String>) l : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    static Map<String, Object> parseObject(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, JSON_OBJECT);
        } catch (Exception e) {
            return Map.of("raw", json);
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
