package org.dsa110.contimg.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.dsa110.contimg.store.Db;

/**
 * The built-in {@code housekeeping} task: prunes events, log lines of long-finished jobs and rows of workers
 * silent for longer than the retention period. Its counts are the task's result.
 */
public final class Housekeeping {
    private final Db db;
    private final WorkerRegistry workers;
    private final int defaultRetentionDays;

    public Housekeeping(Db db, WorkerRegistry workers, int defaultRetentionDays) {
        this.db = db;
        this.workers = workers;
        this.defaultRetentionDays = defaultRetentionDays;
    }

    /** Route entry: reads {@code retention_days} from the task params (header taskParams). */
    public void run(Exchange ex) {
        Map<String, Object> params = TaskStore.jsonMap(ex.getMessage().getHeader(TaskRunner.TASK_PARAMS, String.class));
        Object days = params.get("retention_days");
        int retention = days instanceof Number n ? n.intValue() : defaultRetentionDays;
        if (retention < 1) {
            throw new IllegalArgumentException("retention_days must be at least 1");
        }
        ex.getMessage().setBody(prune(retention));
    }

    public Map<String, Object> prune(int retentionDays) {
        Instant cutoff = Instant.now().minus(Duration.ofDays(retentionDays));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("retention_days", retentionDays);
        out.put("events_deleted", db.update("DELETE FROM events WHERE created_at < ?", cutoff));
        out.put("job_log_lines_deleted", db.update("DELETE FROM job_log_lines WHERE job_id IN (SELECT id FROM jobs"
                + " WHERE finished_at IS NOT NULL AND finished_at < ?)", cutoff));
        out.put("workers_deleted", workers.prune(Duration.ofDays(retentionDays)));
        return out;
    }
}
