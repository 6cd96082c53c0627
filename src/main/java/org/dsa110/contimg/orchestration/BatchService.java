package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Batch jobs: one job per item, released at most {@code maxConcurrent} at a time (the next item is released as
 * one finishes), with per-item status and error. The batch is running until every item has finished; then it is
 * done when all items are done, failed when any failed, else cancelled.
 */
public final class BatchService {
    /** BatchJobStatus: one item. {@code ms_path} is the item's label (an MS path, a window, a data id ...). */
    public record BatchItem(String msPath, Long jobId, String status, String error, Instant startedAt,
            Instant completedAt) {
    }

    /** BatchJob. */
    public record BatchJob(long id, String type, Instant createdAt, String status, int totalItems, int completedItems,
            int failedItems, Map<String, Object> params, List<BatchItem> items) {
    }

    /** One item to run: its label and the job params for it. */
    public record ItemSpec(String label, String msPath, Map<String, Object> params) {
    }

    private final Db db;
    private final JobService jobs;
    private final int maxConcurrent;
    private final BiConsumer<String, Object> events;
    private boolean pumping;

    public BatchService(Db db, JobService jobs, int maxConcurrent, BiConsumer<String, Object> events) {
        this.db = db;
        this.jobs = jobs;
        this.maxConcurrent = Math.max(1, maxConcurrent);
        this.events = events;
        jobs.addJobListener(this::onJob);
    }

    public BatchJob create(String type, Map<String, Object> params, List<ItemSpec> items) {
        Instant now = Instant.now();
        long id = db.inTransaction(() -> {
            long batchId = db.insert("INSERT INTO batch_jobs (type, status, params, total_items, created_at, updated_at)"
                    + " VALUES (?, 'pending', ?, ?, ?, ?)", "id", type, Json.write(params), items.size(), now, now);
            int seq = 0;
            for (ItemSpec item : items) {
                db.update("INSERT INTO batch_job_items (batch_id, seq, ms_path, payload, status) VALUES (?, ?, ?, ?,"
                        + " 'pending')", batchId, seq++, item.label(), Json.write(item));
            }
            return batchId;
        });
        pump(id);
        return get(id).orElseThrow();
    }

    /** Releases pending items while fewer than {@code maxConcurrent} of the batch's jobs are unfinished. */
    public synchronized void pump(long batchId) {
        if (pumping) {
            return; // re-entered from a job listener while releasing: the outer round refreshes
        }
        pumping = true;
        try {
            release(batchId);
        } finally {
            pumping = false;
        }
    }

    private void release(long batchId) {
        Map<String, Object> batch = db.one("SELECT status, type FROM batch_jobs WHERE id = ?", batchId).orElse(null);
        if (batch == null || "cancelled".equals(batch.get("status"))) {
            return;
        }
        long active = db.scalarLong("SELECT COUNT(*) FROM batch_job_items WHERE batch_id = ? AND job_id IS NOT NULL"
                + " AND status IN ('pending', 'running')", batchId);
        List<Map<String, Object>> next = db.query("SELECT id, payload FROM batch_job_items WHERE batch_id = ?"
                + " AND job_id IS NULL AND status = 'pending' ORDER BY seq LIMIT ?", batchId,
                Math.max(0, maxConcurrent - active));
        for (Map<String, Object> item : next) {
            Map<String, Object> payload = TaskStore.jsonMap((String) item.get("payload"));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = payload.get("params") instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : Map.of();
            JobService.Job job = jobs.create((String) batch.get("type"), (String) payload.get("ms_path"), params,
                    batchId, 5);
            db.update("UPDATE batch_job_items SET job_id = ? WHERE id = ? AND job_id IS NULL", job.id(),
                    item.get("id"));
            // the job may have moved on before the item knew its id
            jobs.row(job.id()).ifPresent(this::syncItem);
        }
        refresh(batchId);
    }

    /** Tops up every unfinished batch (after a restart, items wait for a release no finishing job triggers). */
    public void pumpAll() {
        for (Map<String, Object> r : db.query("SELECT id FROM batch_jobs WHERE status IN ('pending', 'running')")) {
            pump(((Number) r.get("id")).longValue());
        }
    }

    private void onJob(Map<String, Object> job) {
        Object batchId = job.get("batch_id");
        if (batchId == null) {
            return;
        }
        syncItem(job);
        pump(((Number) batchId).longValue());
    }

    private void syncItem(Map<String, Object> job) {
        String status = (String) job.get("status");
        Instant now = Instant.now();
        db.update("UPDATE batch_job_items SET status = ?, error = ?,"
                + " started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END,"
                + " completed_at = CASE WHEN ? THEN ? ELSE NULL END WHERE job_id = ?", status, job.get("error"),
                !"pending".equals(status), now, JobService.FINAL.contains(status), now, job.get("id"));
    }

    /** Recounts items and derives the batch status; publishes progress when anything changed. */
    private void refresh(long batchId) {
        Map<String, Long> n = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT status, COUNT(*) AS n FROM batch_job_items WHERE batch_id = ?"
                + " GROUP BY status", batchId)) {
            n.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        long total = n.values().stream().mapToLong(Long::longValue).sum();
        long done = n.getOrDefault("done", 0L);
        long failed = n.getOrDefault("failed", 0L);
        long cancelled = n.getOrDefault("cancelled", 0L);
        long finished = done + failed + cancelled;
        Map<String, Object> before = db.one("SELECT * FROM batch_jobs WHERE id = ?", batchId).orElseThrow();
        String status;
        if ("cancelled".equals(before.get("status"))) {
            status = "cancelled";
        } else if (total > 0 && finished == total) {
            status = failed > 0 ? "failed" : cancelled > 0 ? "cancelled" : "done";
        } else {
            status = finished > 0 || n.getOrDefault("running", 0L) > 0 ? "running" : "pending";
        }
        boolean fin = JobService.FINAL.contains(status);
        Instant now = Instant.now();
        int changed = db.update("UPDATE batch_jobs SET status = ?, completed_items = ?, failed_items = ?, updated_at = ?,"
                + " finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END WHERE id = ? AND (status <> ?"
                + " OR completed_items <> ? OR failed_items <> ?)", status, (int) done, (int) failed, now, fin, now,
                batchId, status, (int) done, (int) failed);
        if (changed > 0 || finished == 0) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("batch_id", batchId);
            event.put("type", before.get("type"));
            event.put("status", status);
            event.put("total_items", total);
            event.put("completed_items", done);
            event.put("failed_items", failed);
            event.put("progress_percent", total == 0 ? 0.0 : 100.0 * finished / total);
            events.accept("batch_update", event);
        }
    }

    /** Cancels a batch: items not yet released are cancelled, released ones have their jobs cancelled. */
    /** The outcome of a cancel: the batch's status after it and how many items were cancelled. */
    public record BatchCancelled(long batchId, String status, int cancelledItems, String message) {
    }

    public Optional<BatchCancelled> cancel(long batchId) {
        Map<String, Object> batch = db.one("SELECT status FROM batch_jobs WHERE id = ?", batchId).orElse(null);
        if (batch == null) {
            return Optional.empty();
        }
        db.update("UPDATE batch_jobs SET status = 'cancelled', updated_at = ?, finished_at = ? WHERE id = ?"
                + " AND status NOT IN ('done', 'failed', 'cancelled')", Instant.now(), Instant.now(), batchId);
        int n = db.update("UPDATE batch_job_items SET status = 'cancelled', completed_at = ? WHERE batch_id = ?"
                + " AND job_id IS NULL AND status = 'pending'", Instant.now(), batchId);
        for (Map<String, Object> item : db.query("SELECT job_id FROM batch_job_items WHERE batch_id = ? AND job_id IS"
                + " NOT NULL AND status IN ('pending', 'running')", batchId)) {
            if (jobs.cancel(((Number) item.get("job_id")).longValue())) {
                n++;
            }
        }
        refresh(batchId);
        return Optional.of(new BatchCancelled(batchId, get(batchId).map(BatchJob::status).orElse("cancelled"), n,
                "Batch job cancelled"));
    }

    public Optional<BatchJob> get(long id) {
        return db.one("SELECT * FROM batch_jobs WHERE id = ?", id).map(r -> toBatch(r, items(id)));
    }

    public List<BatchJob> list(String status, int limit) {
        List<Map<String, Object>> rows = status == null
                ? db.query("SELECT * FROM batch_jobs ORDER BY created_at DESC, id DESC LIMIT ?", limit)
                : db.query("SELECT * FROM batch_jobs WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        status, limit);
        List<BatchJob> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            long id = ((Number) r.get("id")).longValue();
            out.add(toBatch(r, items(id)));
        }
        return out;
    }

    private List<BatchItem> items(long batchId) {
        return db.query("SELECT * FROM batch_job_items WHERE batch_id = ? ORDER BY seq", batchId).stream()
                .map(r -> new BatchItem((String) r.get("ms_path"),
                        r.get("job_id") == null ? null : ((Number) r.get("job_id")).longValue(),
                        (String) r.get("status"), (String) r.get("error"), (Instant) r.get("started_at"),
                        (Instant) r.get("completed_at"))).toList();
    }

    private static BatchJob toBatch(Map<String, Object> r, List<BatchItem> items) {
        return new BatchJob(((Number) r.get("id")).longValue(), (String) r.get("type"), (Instant) r.get("created_at"),
                (String) r.get("status"), ((Number) r.get("total_items")).intValue(),
                ((Number) r.get("completed_items")).intValue(), ((Number) r.get("failed_items")).intValue(),
                TaskStore.jsonMap((String) r.get("params")), items);
    }
}
