package org.dsa110.contimg.pipeline.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/** SQL for the single {@code streaming_config} row (id = 1). */
public final class StreamingConfigStore {
    private static final String COLUMNS = "input_dir, output_dir, queue_db, registry_db, scratch_dir, "
            + "expected_subbands, chunk_duration, log_level, use_subprocess, monitoring, monitor_interval, "
            + "poll_interval, worker_poll_interval, max_workers, stage_to_tmpfs, tmpfs_path";

    private final Db db;
    private final StreamingConfig defaults;

    /** {@code defaults} come from the properties and seed the row on first start. */
    public StreamingConfigStore(Db db, StreamingConfig defaults) {
        this.db = db;
        this.defaults = defaults;
    }

    /** The configuration in force: the stored row, created from the defaults when missing. */
    public StreamingConfig current() {
        return load().orElseGet(() -> loadOrCreate(defaults));
    }

    public Optional<StreamingConfig> load() {
        return db.one("SELECT " + COLUMNS + " FROM streaming_config WHERE id = 1").map(StreamingConfigStore::map);
    }

    /** The stored row; written from {@code defaults} when there is none yet (first start of the first node). */
    public StreamingConfig loadOrCreate(StreamingConfig defaults) {
        Optional<StreamingConfig> stored = load();
        if (stored.isPresent()) {
            return stored.get();
        }
        try {
            db.update("INSERT INTO streaming_config (id, " + COLUMNS + ", updated_at) VALUES "
                    + "(1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args(defaults, Instant.now()));
        } catch (StoreException e) {
            // another hub process wrote it first: theirs stands
        }
        return load().orElse(defaults);
    }

    public void save(StreamingConfig c) {
        Object[] values = args(c, Instant.now());
        int n = db.update("UPDATE streaming_config SET input_dir = ?, output_dir = ?, queue_db = ?, registry_db = ?, "
                + "scratch_dir = ?, expected_subbands = ?, chunk_duration = ?, log_level = ?, use_subprocess = ?, "
                + "monitoring = ?, monitor_interval = ?, poll_interval = ?, worker_poll_interval = ?, "
                + "max_workers = ?, stage_to_tmpfs = ?, tmpfs_path = ?, updated_at = ? WHERE id = 1", values);
        if (n == 0) {
            loadOrCreate(c);
        }
    }

    private static Object[] args(StreamingConfig c, Instant now) {
        return new Object[] {c.inputDir(), c.outputDir(), c.queueDb(), c.registryDb(), c.scratchDir(),
            c.expectedSubbands(), c.chunkDuration(), c.logLevel(), c.useSubprocess(), c.monitoring(),
            c.monitorInterval(), c.pollInterval(), c.workerPollInterval(), c.maxWorkers(), c.stageToTmpfs(),
            c.tmpfsPath(), now};
    }

    private static StreamingConfig map(Map<String, Object> r) {
        return new StreamingConfig((String) r.get("input_dir"), (String) r.get("output_dir"),
                (String) r.get("queue_db"), (String) r.get("registry_db"), (String) r.get("scratch_dir"),
                ((Number) r.get("expected_subbands")).intValue(), ((Number) r.get("chunk_duration")).doubleValue(),
                (String) r.get("log_level"), Boolean.TRUE.equals(r.get("use_subprocess")),
                Boolean.TRUE.equals(r.get("monitoring")), ((Number) r.get("monitor_interval")).doubleValue(),
                ((Number) r.get("poll_interval")).doubleValue(),
                ((Number) r.get("worker_poll_interval")).doubleValue(),
                ((Number) r.get("max_workers")).intValue(), Boolean.TRUE.equals(r.get("stage_to_tmpfs")),
                (String) r.get("tmpfs_path"));
    }
}
