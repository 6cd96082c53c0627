package org.dsa110.contimg.orchestration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of the task queue as the API shows it ({@code TaskResponse}: the legacy fields task_id ... retry_count,
 * plus the scheduling facts an operator needs: attempt limits, timeout, workflow, worker and dependencies).
 */
public record Task(String taskId, String queueName, String taskName, Map<String, Object> params, int priority,
        String status, Instant createdAt, Instant claimedAt, Instant startedAt, Instant completedAt, Object result,
        String error, @JsonIgnore int attempt, int maxRetries, Integer timeoutSec, String workflowId, String workerId,
        List<String> dependsOn) {

    public static final String PENDING = "pending";
    public static final String CLAIMED = "claimed";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String RETRYING = "retrying";
    public static final String BLOCKED = "blocked";

    public static final List<String> STATUSES = List.of(PENDING, CLAIMED, RUNNING, COMPLETED, FAILED, CANCELLED,
            RETRYING, BLOCKED);

    /** attempt counts claims (runs); retries are the runs after the first. */
    @JsonProperty("retry_count")
    public int retryCount() {
        return Math.max(0, attempt - 1);
    }

    @JsonIgnore
    public boolean finished() {
        return COMPLETED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
    }
}
