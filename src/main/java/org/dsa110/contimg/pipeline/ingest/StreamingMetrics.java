package org.dsa110.contimg.pipeline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/** Throughput of the streaming service and the mosaic grouping queue, read from the store. */
public final class StreamingMetrics {
    private final Db db;

    public StreamingMetrics(Db db) {
        this.db = db;
    }

    /** Files and groups over the last hour, processing time over the last day, this worker's share. */
    public Map<String, Object> metrics(String workerId, int maxWorkers) {
        Instant now = Instant.now();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant dayAgo = now.minus(Duration.ofDays(1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files_indexed_last_hour", db.scalarLong(
                "SELECT COUNT(*) FROM hdf5_file_index WHERE valid = TRUE AND indexed_at >= ?", hourAgo));
        m.put("files_invalid_last_hour", db.scalarLong(
                "SELECT COUNT(*) FROM hdf5_file_index WHERE valid = FALSE AND indexed_at >= ?", hourAgo));
        m.put("groups_created_last_hour", db.scalarLong(
                "SELECT COUNT(*) FROM ingest_groups WHERE received_at >= ?", hourAgo));
        m.put("groups_completed_last_hour", db.scalarLong("SELECT COUNT(*) FROM ingest_groups "
                + "WHERE state = 'completed' AND completed_at >= ?", hourAgo));
        m.put("groups_failed_last_hour", db.scalarLong("SELECT COUNT(*) FROM ingest_groups "
                + "WHERE state = 'failed' AND completed_at >= ?", hourAgo));
        List<Map<String, Object>> done = db.query("SELECT started_at, completed_at FROM ingest_groups "
                + "WHERE state = 'completed' AND completed_at >= ? AND started_at IS NOT NULL", dayAgo);
        double sum = 0;
        for (Map<String, Object> r : done) {
            sum += Duration.between((Instant) r.get("started_at"), (Instant) r.get("completed_at")).toMillis() / 1e3;
        }
        m.put("avg_processing_seconds_last_day", done.isEmpty() ? null : sum / done.size());
        m.put("in_progress_here", db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'in_progress' "
                + "AND claimed_by = ?", workerId));
        m.put("max_workers", maxWorkers);
        m.put("open_dlq_items", db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE component = 'ingest' "
                + "AND status IN ('pending', 'retrying')"));
        return m;
    }

    /** Mosaic groups by status, and the ones not finished yet (oldest first). */
    public Map<String, Object> mosaicQueue() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String s : List.of("collecting", "ready", "building", "completed", "failed")) {
            counts.put(s, 0L);
        }
        long total = 0;
        for (Map<String, Object> r : db.query("SELECT status, COUNT(*) AS n FROM mosaic_groups GROUP BY status")) {
            long n = ((Number) r.get("n")).longValue();
            counts.put((String) r.get("status"), n);
            total += n;
        }
        counts.put("total", total);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counts", counts);
        m.put("groups", db.query("SELECT id, status, tier, image_count, dec_deg, first_mjd, last_mjd, created_at, "
                + "updated_at FROM mosaic_groups WHERE status IN ('collecting', 'ready', 'building') "
                + "ORDER BY created_at, id FETCH FIRST 100 ROWS ONLY"));
        return m;
    }
}
