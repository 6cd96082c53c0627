package org.dsa110.contimg.pipeline.ingest;

/**
 * The streaming service's configuration (StreamingConfigRequest), one row of {@code streaming_config}. The store
 * is the truth: properties only seed the row on first start, POST /api/streaming/config changes it.
 * Intervals are seconds; {@code chunk_duration} is minutes; {@code queue_db}/{@code registry_db} are kept for
 * the dashboard's form but unused (the hub has one store).
 */
public record StreamingConfig(String inputDir, String outputDir, String queueDb, String registryDb,
        String scratchDir, int expectedSubbands, double chunkDuration, String logLevel, boolean useSubprocess,
        boolean monitoring, double monitorInterval, double pollInterval, double workerPollInterval,
        int maxWorkers, boolean stageToTmpfs, String tmpfsPath) {

    public StreamingConfig {
        requireText("input_dir", inputDir);
        requireText("output_dir", outputDir);
        requireRange("expected_subbands", expectedSubbands, 1, 64);
        requireRange("max_workers", maxWorkers, 1, 256);
        requirePositive("poll_interval", pollInterval, 0.05, 86400);
        requirePositive("worker_poll_interval", workerPollInterval, 0.05, 86400);
        requirePositive("monitor_interval", monitorInterval, 0.05, 86400);
        requirePositive("chunk_duration", chunkDuration, 0.01, 1440);
        logLevel = logLevel == null ? "INFO" : logLevel.toUpperCase(java.util.Locale.ROOT);
        if (!logLevel.matches("TRACE|DEBUG|INFO|WARN|WARNING|ERROR")) {
            throw new IllegalArgumentException("log_level must be one of DEBUG, INFO, WARNING, ERROR");
        }
        tmpfsPath = tmpfsPath == null || tmpfsPath.isBlank() ? "/dev/shm" : tmpfsPath;
    }

    /** Milliseconds between polls of the incoming directory. */
    public long pollIntervalMillis() {
        return Math.max(50L, Math.round(pollInterval * 1000.0));
    }

    public long workerPollIntervalMillis() {
        return Math.max(50L, Math.round(workerPollInterval * 1000.0));
    }

    static void requireText(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    static void requireRange(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    static void requirePositive(String name, double v, double min, double max) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    /**
     * A (partial) change from the API: every field optional; the ones given replace the current values.
     * Values are checked here, so a bad one is a 422 naming the field.
     */
    public record Update(String inputDir, String outputDir, String queueDb, String registryDb, String scratchDir,
            Integer expectedSubbands, Double chunkDuration, String logLevel, Boolean useSubprocess,
            Boolean monitoring, Double monitorInterval, Double pollInterval, Double workerPollInterval,
            Integer maxWorkers, Boolean stageToTmpfs, String tmpfsPath) {

        public Update {
            if (inputDir != null) {
                requireText("input_dir", inputDir);
            }
            if (outputDir != null) {
                requireText("output_dir", outputDir);
            }
            if (expectedSubbands != null) {
                requireRange("expected_subbands", expectedSubbands, 1, 64);
            }
            if (maxWorkers != null) {
                requireRange("max_workers", maxWorkers, 1, 256);
            }
            if (pollInterval != null) {
                requirePositive("poll_interval", pollInterval, 0.05, 86400);
            }
            if (workerPollInterval != null) {
                requirePositive("worker_poll_interval", workerPollInterval, 0.05, 86400);
            }
            if (monitorInterval != null) {
                requirePositive("monitor_interval", monitorInterval, 0.05, 86400);
            }
            if (chunkDuration != null) {
                requirePositive("chunk_duration", chunkDuration, 0.01, 1440);
            }
        }

        public boolean changesNothing() {
            return equals(new Update(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null));
        }

        public StreamingConfig applyTo(StreamingConfig c) {
            return new StreamingConfig(or(inputDir, c.inputDir()), or(outputDir, c.outputDir()),
                    or(queueDb, c.queueDb()), or(registryDb, c.registryDb()), or(scratchDir, c.scratchDir()),
                    or(expectedSubbands, c.expectedSubbands()), or(chunkDuration, c.chunkDuration()),
                    or(logLevel, c.logLevel()), or(useSubprocess, c.useSubprocess()), or(monitoring, c.monitoring()),
                    or(monitorInterval, c.monitorInterval()), or(pollInterval, c.pollInterval()),
                    or(workerPollInterval, c.workerPollInterval()), or(maxWorkers, c.maxWorkers()),
                    or(stageToTmpfs, c.stageToTmpfs()), or(tmpfsPath, c.tmpfsPath()));
        }

        private static <T> T or(T v, T current) {
            return v != null ? v : current;
        }
    }
}
