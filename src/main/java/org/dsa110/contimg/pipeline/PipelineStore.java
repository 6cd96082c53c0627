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
import org.dsa110.contimg.store.ClaimFence;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;

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
        return startStageRun(executionId, stage, executor, null);
    }

    /**
     * Like {@link #startStageRun(long, String, String)}, in the same transaction as a check that {@code fence} (when
     * given) still holds: a hub that lost the group's claim does not start its next stage.
     */
    public StageRunStart startStageRun(long executionId, String stage, String executor, ClaimFence fence) {
        return db.inTransaction(() -> {
            if (fence != null && !fence.holds(db)) {
                throw new LeaseLostException(fence, stage + " start");
            }
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
        finishStageRun(runId, status, error, outputs, cpuSec, peakMemoryMb, null);
    }

    /**
     * Ends a stage run. With a {@code fence} the UPDATE is a compare-and-set on the group's claim (one statement):
     * when the claim has moved on, nothing is written and {@link LeaseLostException} is thrown.
     */
    public void finishStageRun(long runId, String status, String error, Map<String, Object> outputs,
            Double cpuSec, Double peakMemoryMb, ClaimFence fence) {
        Instant now = Instant.now();
        Object started = db.one("SELECT started_at FROM stage_runs WHERE id = ?", runId)
                .map(r -> r.get("started_at")).orElse(null);
        Double duration = started instanceof Instant s ? Duration.between(s, now).toNanos() / 1e9 : null;
        String sql = "UPDATE stage_runs SET status = ?, error = ?, outputs = ?, finished_at = ?, duration_sec = ?, "
                + "cpu_sec = ?, peak_memory_mb = ? WHERE id = ?";
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(status, truncate(error, 10000),
                outputs == null ? null : Json.write(outputs), now, duration, cpuSec, peakMemoryMb, runId));
        if (fence != null) {
            sql += " AND EXISTS (SELECT 1 FROM ingest_groups WHERE group_id = ? AND " + ClaimFence.CONDITION + ")";
            args.add(fence.groupId());
            args.addAll(List.of(fence.args()));
        }
        if (db.update(sql, args.toArray()) == 0 && fence != null) {
            throw new LeaseLostException(fence, "stage result (" + status + ")");
        }
    }

    /** The claim a group is held under now (null when nobody holds it). */
    public ClaimFence currentClaim(String groupId) {
        return db.one("SELECT claimed_by, claim_version FROM ingest_groups WHERE group_id = ? AND state = 'in_progress'",
                groupId).filter(r -> r.get("claimed_by") != null)
                .map(r -> new ClaimFence(groupId, (String) r.get("claimed_by"),
                        ((Number) r.get("claim_version")).longValue())).orElse(null);
    }

    /**
     * Takes an in_progress group's claim for {@code workerId} when it holds version {@code expected} (or, with
     * {@code expected} null, while nobody holds it): a new version and a fresh lease. Returns the new claim, or null when
     * the claim moved on meanwhile (another hub won).
     */
    public ClaimFence takeClaim(String groupId, String workerId, Long expected, LeaseTerms lease) {
        return takeClaim(groupId, workerId, expected, lease, false);
    }

    /**
     * {@link #takeClaim(String, String, Long, LeaseTerms)}, with {@code onlyExpired}: only while the lease has run
     * out (a take-over must not steal the claim of a hub that renewed it meanwhile). One compare-and-set statement.
     */
    public ClaimFence takeClaim(String groupId, String workerId, Long expected, LeaseTerms lease,
            boolean onlyExpired) {
        String expiry = onlyExpired ? "lease_until < CURRENT_TIMESTAMP AND " : "";
        // expected null: only while nobody holds it, so two takers of an unclaimed group cannot both win
        return expected == null ? casClaim(groupId, workerId, lease, expiry + "claimed_by IS NULL")
                : casClaim(groupId, workerId, lease, expiry + "claim_version = ?", expected);
    }

    /**
     * After a restart: takes back {@code workerId}'s own claim (version {@code expected}) only while it dates from
     * before {@code bootedAt}, i.e. from this hub's previous life. A claim this life took since (a take-over from a hub
     * whose lease ran out, already being resumed) is left alone: null. One compare-and-set statement.
     */
    public ClaimFence reclaimFromPreviousLife(String groupId, String workerId, long expected, Instant bootedAt,
            LeaseTerms lease) {
        return casClaim(groupId, workerId, lease, "claimed_by = ? AND claim_version = ? AND (claimed_at IS NULL OR "
                + "claimed_at < ?)", workerId, expected, bootedAt);
    }

    /**
     * The claim compare-and-set: an in_progress group meeting {@code condition} (its arguments {@code args}) gets
     * {@code workerId} as holder, a new version and a fresh lease. The new claim, or null when the condition failed.
     */
    private ClaimFence casClaim(String groupId, String workerId, LeaseTerms lease, String condition, Object... args) {
        Object[] all = new Object[3 + args.length];
        all[0] = workerId;
        all[1] = Instant.now();
        all[2] = groupId;
        System.arraycopy(args, 0, all, 3, args.length);
        int n = db.update("UPDATE ingest_groups SET claimed_by = ?, claimed_at = ?, claim_version = "
                + "claim_version + 1, lease_until = " + lease.untilSql() + " WHERE group_id = ? AND state = "
                + "'in_progress' AND " + condition, all);
        if (n == 0) {
            return null;
        }
        ClaimFence now = currentClaim(groupId);
        return now != null && workerId.equals(now.workerId()) ? now : null;
    }

    /** The group flow's running execution of a group (operator runs excluded), newest first. */
    public Optional<Map<String, Object>> runningExecution(String groupId) {
        return db.one("SELECT * FROM pipeline_executions WHERE group_id = ? AND status = 'running' "
                + "AND trigger_source <> 'api' ORDER BY id DESC", groupId);
    }

    /** Hands a running execution to {@code workerId}; its running stage runs are marked failed with {@code why}. */
    public void handOver(long executionId, String workerId, String why) {
        db.inTransaction(() -> {
            db.update("UPDATE stage_runs SET status = 'failed', error = ?, finished_at = ? WHERE execution_id = ? "
                    + "AND status = 'running'", truncate(why, 10000), Instant.now(), executionId);
            db.update("UPDATE pipeline_executions SET worker_id = ? WHERE id = ?", workerId, executionId);
            return null;
        });
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

    /** One stdout/stderr line of a stage run ({@code seq} counts across attempts). */
    public record LogLine(int seq, int attempt, Instant ts, String stream, String line) {
    }

    public List<LogLine> logLines(long runId, int limit) {
        return db.query("SELECT seq, attempt, ts, stream, line FROM stage_log_lines WHERE stage_run_id = ? "
                + "ORDER BY seq LIMIT ?", runId, limit).stream()
                .map(r -> new LogLine(((Number) r.get("seq")).intValue(), ((Number) r.get("attempt")).intValue(),
                        (Instant) r.get("ts"), (String) r.get("stream"), (String) r.get("line"))).toList();
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
