package org.dsa110.contimg.store;

import static org.dsa110.contimg.store.TestSql.assertRejected;
import static org.dsa110.contimg.store.TestSql.column;
import static org.dsa110.contimg.store.TestSql.columnsOf;
import static org.dsa110.contimg.store.TestSql.foreignKeyColumns;
import static org.dsa110.contimg.store.TestSql.inRolledBackTransaction;
import static org.dsa110.contimg.store.TestSql.insertReturningId;
import static org.dsa110.contimg.store.TestSql.leadingIndexColumns;
import static org.dsa110.contimg.store.TestSql.one;
import static org.dsa110.contimg.store.TestSql.row;
import static org.dsa110.contimg.store.TestSql.tablesOf;
import static org.dsa110.contimg.store.TestSql.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Flyway migrations create the same working schema on H2 (memory and file, default mode) and on
 * PostgreSQL 16. Each engine is migrated once; every test then works inside a transaction it rolls back.
 */
class MigrationTest {
    private static final int MIGRATION_COUNT = 17;

    /** The tables of Quartz's JDBC job store (hub.quartz.clustered), named as Quartz queries them. */
    private static final Set<String> QUARTZ_TABLES = Set.of("qrtz_job_details", "qrtz_triggers",
            "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
            "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state",
            "qrtz_locks");

    /** Every table of the domain schema (docs/schema.md lists them by area). */
    private static final Set<String> DOMAIN_TABLES = Set.of(
            "ingest_groups", "group_calibrator_matches", "subband_files", "group_state_history",
            "hdf5_file_index", "ms_index", "pointing_history",
            "workflow_templates", "workflows", "tasks", "task_dependencies", "schedules", "schedule_fires", "workers",
            "batch_jobs", "jobs", "job_log_lines", "batch_job_items",
            "calibrators", "calibration_sets", "caltables", "calibration_solutions",
            "images", "sources", "photometry", "variability_stats", "ese_candidates",
            "transient_candidates", "transient_alerts", "alert_history", "regions",
            "mosaic_groups", "mosaic_group_images", "mosaics", "mosaic_images",
            "qa_artifacts", "calibration_qa", "image_qa", "catalog_validation",
            "data_registry", "data_relationships", "data_tags",
            "dlq_items", "breaker_config", "pipeline_executions", "stage_runs", "events",
            "system_metrics_history", "disk_usage_history", "streaming_config", "app_settings",
            "stage_log_lines", "late_files", "audit_log", "hub_nodes");

    /** API model fields (shared/spec/endpoints.md) that must be columns of the table serving the model. */
    private static final Map<String, List<String>> MODEL_COLUMNS = Map.ofEntries(
            Map.entry("ingest_groups", List.of("group_id", "state", "received_at", "last_update",
                    "subbands_present", "expected_subbands", "has_calibrator", "perf_total_time", "writer_type")),
            Map.entry("group_calibrator_matches", List.of("name", "ra_deg", "dec_deg", "sep_deg", "weighted_flux")),
            Map.entry("ms_index", List.of("path", "start_mjd", "end_mjd", "mid_mjd", "processed_at", "status",
                    "stage", "stage_updated_at", "cal_applied", "imagename", "has_calibrator", "calibrator_name",
                    "calibrator_quality", "calibration_quality", "image_quality")),
            Map.entry("images", List.of("id", "path", "ms_path", "created_at", "type", "beam_major_arcsec",
                    "beam_minor_arcsec", "beam_pa_deg", "noise_jy", "peak_flux_jy", "pbcor", "center_ra_deg",
                    "center_dec_deg", "image_size_deg", "pixel_size_arcsec")),
            Map.entry("jobs", List.of("id", "type", "status", "ms_path", "params", "artifacts", "created_at",
                    "started_at", "finished_at")),
            Map.entry("batch_jobs", List.of("id", "type", "created_at", "status", "total_items",
                    "completed_items", "failed_items", "params")),
            Map.entry("batch_job_items", List.of("ms_path", "job_id", "status", "error", "started_at",
                    "completed_at")),
            Map.entry("mosaics", List.of("id", "name", "path", "start_mjd", "end_mjd", "start_time", "end_time",
                    "created_at", "status", "image_count", "noise_jy", "source_count", "thumbnail_path")),
            Map.entry("ese_candidates", List.of("id", "source_id", "ra_deg", "dec_deg", "first_detection_at",
                    "last_detection_at", "max_sigma_dev", "current_flux_jy", "baseline_flux_jy", "status", "notes")),
            Map.entry("alert_history", List.of("id", "source_id", "alert_type", "severity", "message",
                    "triggered_at", "resolved_at")),
            Map.entry("variability_stats", List.of("source_id", "v", "eta", "vs_mean", "m_mean", "n_epochs")),
            Map.entry("photometry", List.of("ra_deg", "dec_deg", "peak_jyb", "peak_err_jyb", "integrated_flux_jy",
                    "err_integrated_flux_jy", "method", "forced", "snr", "mjd", "measured_at", "image_id")),
            Map.entry("qa_artifacts", List.of("group_id", "name", "path", "created_at")),
            Map.entry("calibration_qa", List.of("ms_path", "job_id", "k_metrics", "bp_metrics", "g_metrics",
                    "overall_quality", "flags_total", "per_spw_stats", "timestamp")),
            Map.entry("image_qa", List.of("ms_path", "job_id", "image_path", "rms_noise", "peak_flux",
                    "dynamic_range", "beam_major", "beam_minor", "beam_pa", "num_sources", "thumbnail_path",
                    "overall_quality", "timestamp")),
            Map.entry("system_metrics_history", List.of("ts", "cpu_percent", "mem_percent", "mem_total",
                    "mem_used", "disk_total", "disk_used", "load_1", "load_5", "load_15")),
            Map.entry("streaming_config", List.of("input_dir", "output_dir", "queue_db", "registry_db",
                    "scratch_dir", "expected_subbands", "chunk_duration", "log_level", "use_subprocess", "monitoring",
                    "monitor_interval", "poll_interval", "worker_poll_interval", "max_workers", "stage_to_tmpfs",
                    "tmpfs_path")),
            Map.entry("caltables", List.of("path", "filename", "table_type")));

    @TempDir
    static Path fileDbDir;

    private static final Map<String, DataSource> ENGINES = new LinkedHashMap<>();
    private static final Map<String, MigrateResult> FIRST_MIGRATION = new HashMap<>();

    @BeforeAll
    static void migrateEveryEngine() {
        ENGINES.put("h2-memory", TestDatabases.h2Memory());
        ENGINES.put("h2-file", TestDatabases.h2File(fileDbDir));
        ENGINES.put("postgresql", TestDatabases.postgres());
        ENGINES.forEach((name, ds) -> FIRST_MIGRATION.put(name, TestDatabases.migrate(ds)));
    }

    static Stream<Arguments> engines() {
        return ENGINES.entrySet().stream().map(e -> Arguments.of(Named.of(e.getKey(), e.getValue())));
    }

    @Test
    void everyEngineAppliesEveryMigrationOnceAndOnlyOnce() {
        for (String engine : ENGINES.keySet()) {
            MigrateResult first = FIRST_MIGRATION.get(engine);
            assertTrue(first.success, engine);
            assertEquals(MIGRATION_COUNT, first.migrationsExecuted, engine);
            // Re-running (as every hub start does) finds nothing to do, also after the H2 file was reopened.
            MigrateResult again = TestDatabases.migrate(ENGINES.get(engine));
            assertEquals(0, again.migrationsExecuted, engine);
            assertEquals(first.targetSchemaVersion, again.initialSchemaVersion, engine);
        }
        assertTrue(Files.exists(fileDbDir.resolve("contimg.mv.db")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void createsExactlyTheDomainTables(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Set<String> tables = tablesOf(c);
            tables.remove("flyway_schema_history");
            assertTrue(tables.containsAll(QUARTZ_TABLES), "Quartz job store tables: " + tables);
            tables.removeAll(QUARTZ_TABLES);
            assertEquals(new TreeSet<>(DOMAIN_TABLES), tables);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void tablesCarryTheApiModelFieldsAsColumns(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (Map.Entry<String, List<String>> model : MODEL_COLUMNS.entrySet()) {
                Set<String> columns = columnsOf(c, model.getKey());
                for (String field : model.getValue()) {
                    assertTrue(columns.contains(field), model.getKey() + " lacks column " + field);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void everyForeignKeyColumnLeadsAnIndex(DataSource ds) throws SQLException {
        // PostgreSQL does not index foreign keys by itself; cascades and joins need these indexes.
        int checked = 0;
        try (Connection c = ds.getConnection()) {
            for (String table : DOMAIN_TABLES) {
                Set<String> leading = leadingIndexColumns(c, table);
                for (String fk : foreignKeyColumns(c, table)) {
                    assertTrue(leading.contains(fk), table + "." + fk + " is a foreign key without an index");
                    checked++;
                }
            }
        }
        assertTrue(checked > 30, "the metadata reported the schema's foreign keys (" + checked + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void groupKeepsItsSubbandFilesAndRejectsInconsistentRows(DataSource ds) throws SQLException {
        String group = "2025-10-24T14:00:00";
        inRolledBackTransaction(ds, c -> {
            update(c, "INSERT INTO ingest_groups (group_id, group_time) VALUES (?, ?)",
                    group, OffsetDateTime.parse(group + "Z"));
            update(c, "INSERT INTO group_state_history (group_id, from_state, to_state) VALUES (?, NULL, 'collecting')",
                    group);
            for (int subband : new int[] {15, 0, 1}) {
                update(c, "INSERT INTO subband_files (group_id, subband, path, filename, size_bytes) VALUES (?, ?, ?, ?, ?)",
                        group, subband, subbandPath(group, subband), group + "_sb" + subband + ".hdf5", 140_000_000L);
            }
            update(c, "UPDATE ingest_groups SET subbands_present = "
                    + "(SELECT COUNT(*) FROM subband_files f WHERE f.group_id = ingest_groups.group_id) WHERE group_id = ?",
                    group);
            update(c, "INSERT INTO group_calibrator_matches (group_id, match_rank, name, ra_deg, dec_deg, sep_deg, "
                    + "weighted_flux, pb_response, flux_jy) VALUES (?, 0, '0834+555', 128.7, 55.6, 1.1, 4.3, 0.55, 7.8)",
                    group);

            assertEquals(List.of("collecting", "3", "16"), row(c, "SELECT state, subbands_present, expected_subbands "
                    + "FROM ingest_groups WHERE group_id = ?", group));
            assertEquals(List.of("0", "1", "15"), column(c, "SELECT f.subband FROM ingest_groups g "
                    + "JOIN subband_files f ON f.group_id = g.group_id WHERE g.group_id = ? ORDER BY f.subband", group));
            assertEquals(List.of("0834+555"), column(c,
                    "SELECT name FROM group_calibrator_matches WHERE group_id = ? ORDER BY match_rank", group));

            assertRejected(c, "INSERT INTO subband_files (group_id, subband, path, filename) VALUES (?, 2, ?, 'dup')",
                    group, subbandPath(group, 1));                       // same path twice
            assertRejected(c, "INSERT INTO subband_files (group_id, subband, path, filename) VALUES (?, 1, '/x.hdf5', 'x')",
                    group);                                              // same subband twice in a group
            assertRejected(c, "INSERT INTO subband_files (group_id, subband, path, filename) VALUES (?, 3, '/y.hdf5', 'y')",
                    "2025-10-24T15:00:00");                              // no such group
            assertRejected(c, "INSERT INTO ingest_groups (group_id, group_time, state) VALUES ('g2', ?, 'queued')",
                    OffsetDateTime.parse("2025-10-24T15:00:00Z"));       // not a group state

            update(c, "DELETE FROM ingest_groups WHERE group_id = ?", group);
            assertEquals(0L, one(c, Long.class, "SELECT COUNT(*) FROM subband_files WHERE group_id = ?", group));
            assertEquals(0L, one(c, Long.class, "SELECT COUNT(*) FROM group_state_history WHERE group_id = ?", group));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void taskDependenciesHoldBackDownstreamTasks(DataSource ds) throws SQLException {
        String convert = "00000000-0000-4000-8000-00000000000a";
        String calibrate = "00000000-0000-4000-8000-00000000000b";
        String housekeeping = "00000000-0000-4000-8000-00000000000c";
        OffsetDateTime t0 = OffsetDateTime.parse("2025-10-24T14:00:00Z");
        // Ready = pending with every upstream task completed; the claim order is priority, then age.
        String ready = "SELECT t.task_id FROM tasks t WHERE t.status = 'pending' AND NOT EXISTS ("
                + "SELECT 1 FROM task_dependencies d JOIN tasks u ON u.task_id = d.depends_on_task_id "
                + "WHERE d.task_id = t.task_id AND u.status <> 'completed') ORDER BY t.priority DESC, t.created_at";
        inRolledBackTransaction(ds, c -> {
            String insert = "INSERT INTO tasks (task_id, task_name, params, priority, created_at) VALUES (?, ?, ?, ?, ?)";
            update(c, insert, convert, "conversion", "{\"group_id\":\"2025-10-24T14:00:00\"}", 5, t0);
            update(c, insert, housekeeping, "housekeeping", "{}", 1, t0.plusSeconds(1));
            update(c, insert, calibrate, "calibration", "{}", 9, t0.plusSeconds(2));
            update(c, "INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)", calibrate, convert);

            assertEquals(List.of(convert, housekeeping), column(c, ready));
            assertEquals(List.of("pending", "0", "3", "dsa110-pipeline"),
                    row(c, "SELECT status, attempt, max_retries, queue_name FROM tasks WHERE task_id = ?", convert));

            update(c, "UPDATE tasks SET status = 'completed', completed_at = ? WHERE task_id = ?",
                    t0.plusMinutes(3), convert);
            assertEquals(List.of(calibrate, housekeeping), column(c, ready + " FETCH FIRST 2 ROWS ONLY"));

            assertRejected(c, "INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)",
                    calibrate, calibrate);                               // a task cannot wait for itself
            assertRejected(c, "INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)",
                    calibrate, "00000000-0000-4000-8000-0000000000ff");  // unknown upstream task
            assertRejected(c, "UPDATE tasks SET status = 'done' WHERE task_id = ?", housekeeping);

            update(c, "DELETE FROM tasks WHERE task_id = ?", convert);
            assertEquals(0L, one(c, Long.class, "SELECT COUNT(*) FROM task_dependencies"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void photometryRowsGetIdentityIdsAndStayConsistent(DataSource ds) throws SQLException {
        String source = "NVSS J123456.7+420312";
        inRolledBackTransaction(ds, c -> {
            // dec_zone = floor(2 * 42.05333) = 84
            update(c, "INSERT INTO sources (source_id, name, ra_deg, dec_deg, dec_zone, catalog_flux_mjy, catalog_snr) "
                    + "VALUES (?, ?, 188.73625, 42.05333, 84, 145.0, 320.0)", source, source);
            long image1 = insertReturningId(c, "INSERT INTO images (path, ms_path, mjd_obs, pbcor) "
                    + "VALUES ('/stage/images/a.fits', '/stage/ms/a.ms', 60238.5, TRUE)");
            long image2 = insertReturningId(c, "INSERT INTO images (path, ms_path, mjd_obs) "
                    + "VALUES ('/stage/images/b.fits', '/stage/ms/b.ms', 60239.5)");
            assertNotEquals(image1, image2);

            String measure = "INSERT INTO photometry (source_id, image_id, image_path, ra_deg, dec_deg, mjd, "
                    + "peak_jyb, peak_err_jyb, local_rms, snr) VALUES (?, ?, ?, 188.73625, 42.05333, ?, ?, 0.0052, 0.0052, ?)";
            long first = insertReturningId(c, measure, source, image2, "/stage/images/b.fits", 60239.5, 0.205, 39.4);
            long second = insertReturningId(c, measure, source, image1, "/stage/images/a.fits", 60238.5, 0.198, 38.1);
            assertTrue(second > first, "identity ids increase in insert order");

            assertEquals(List.of("0.198", "true", "weighted_convolution"),
                    row(c, "SELECT peak_jyb, forced, method FROM photometry WHERE id = ?", second));
            assertEquals(List.of("60238.5", "60239.5"),
                    column(c, "SELECT mjd FROM photometry WHERE source_id = ? ORDER BY mjd", source));
            // Cone search by declination zone, as the forced-photometry position query does.
            assertEquals(List.of(source), column(c, "SELECT source_id FROM sources WHERE dec_zone BETWEEN 83 AND 85 "
                    + "AND ra_deg BETWEEN 188.0 AND 189.5"));

            assertRejected(c, measure, source, image1, "/stage/images/a.fits", 60238.5, 0.2, 38.0);  // same source+image
            assertRejected(c, measure, source, 999_999L, "/nowhere.fits", 60238.5, 0.2, 38.0);      // no such image
            assertRejected(c, "INSERT INTO photometry (source_id, image_id, image_path, ra_deg, dec_deg, peak_jyb) "
                    + "VALUES (?, ?, 'a', 1, 1, 0.1)", source, image2);                              // mjd is required
            assertRejected(c, "INSERT INTO sources (source_id, ra_deg, dec_deg, dec_zone) "
                    + "VALUES ('NVSS J000000.0+000000', 0.5, 42.05, 85)");                           // wrong zone
            assertRejected(c, "INSERT INTO ese_candidates (source_id, ra_deg, dec_deg, first_detection_at, "
                    + "last_detection_at, max_sigma_dev, significance, status) VALUES (?, 1, 1, ?, ?, 6, 6, 'investigated')",
                    source, OffsetDateTime.parse("2025-10-24T12:00:00Z"), OffsetDateTime.parse("2025-10-24T14:30:00Z"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void timestampsWithTimeZoneKeepTheirInstant(DataSource ds) throws SQLException {
        OffsetDateTime indian = OffsetDateTime.of(2025, 10, 24, 19, 30, 5, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30));
        inRolledBackTransaction(ds, c -> {
            long stamped = insertReturningId(c, "INSERT INTO events (event_type, payload, created_at) VALUES (?, ?, ?)",
                    "status_update", "{\"queue\":{\"pending\":12}}", indian);
            long defaulted = insertReturningId(c, "INSERT INTO events (event_type) VALUES ('metrics_update')");

            OffsetDateTime back = one(c, OffsetDateTime.class, "SELECT created_at FROM events WHERE id = ?", stamped);
            assertEquals(indian.toInstant(), back.toInstant());
            assertEquals(Instant.parse("2025-10-24T14:00:05.123456Z"), back.toInstant());

            OffsetDateTime now = one(c, OffsetDateTime.class, "SELECT created_at FROM events WHERE id = ?", defaulted);
            assertTrue(Duration.between(now.toInstant(), Instant.now()).abs().toHours() < 24, "default is the current time");
            assertEquals("{}", one(c, String.class, "SELECT payload FROM events WHERE id = ?", defaulted));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void columnsNamedLikeKeywordsWorkInQueries(DataSource ds) throws SQLException {
        OffsetDateTime ranAt = OffsetDateTime.parse("2025-10-24T14:05:00Z");
        inRolledBackTransaction(ds, c -> {
            long job = insertReturningId(c, "INSERT INTO jobs (type, ms_path, params) VALUES (?, ?, ?)",
                    "calibrate", "/stage/ms/a.ms", "{\"refant\":\"103\"}");
            assertEquals(List.of("calibrate", "pending", "[]"),
                    row(c, "SELECT type, status, artifacts FROM jobs WHERE type = ? ORDER BY type", "calibrate"));
            assertRejected(c, "UPDATE jobs SET status = 'completed' WHERE id = ?", job);  // jobs say 'done'

            update(c, "INSERT INTO job_log_lines (job_id, seq, stream, line) VALUES (?, 0, 'stdout', 'solving K')", job);
            update(c, "INSERT INTO job_log_lines (job_id, seq, stream, line) VALUES (?, 1, 'stderr', 'refant 103 flagged')",
                    job);
            assertEquals(List.of("solving K", "refant 103 flagged"),
                    column(c, "SELECT line FROM job_log_lines WHERE job_id = ? ORDER BY seq", job));
            assertRejected(c, "INSERT INTO job_log_lines (job_id, seq, stream, line) VALUES (?, 2, 'syslog', 'x')", job);

            update(c, "INSERT INTO calibration_qa (ms_path, job_id, overall_quality, flags_total, timestamp) "
                    + "VALUES ('/stage/ms/a.ms', ?, 'good', 0.12, ?)", job, ranAt);
            assertEquals(List.of("good"), column(c, "SELECT overall_quality FROM calibration_qa "
                    + "WHERE timestamp >= ? ORDER BY timestamp DESC", ranAt));

            update(c, "INSERT INTO schedules (name, task_name, cron_expression, timezone) "
                    + "VALUES ('nightly-mosaic', 'mosaic', '0 0 3 * * ?', 'America/Los_Angeles')");
            assertEquals(List.of("America/Los_Angeles", "active", "0"),
                    row(c, "SELECT timezone, state, run_count FROM schedules WHERE name = 'nightly-mosaic'"));

            update(c, "INSERT INTO disk_usage_history (root_name, path, total, used, free) "
                    + "VALUES ('staging', '/stage', 5000, 3200, 1800)");
            assertEquals(List.of("1800"), column(c, "SELECT free FROM disk_usage_history WHERE root_name = 'staging'"));

            update(c, "INSERT INTO app_settings (setting_key, setting_value) VALUES ('auto_publish', 'true')");
            assertEquals("true", one(c, String.class,
                    "SELECT setting_value FROM app_settings WHERE setting_key = 'auto_publish'"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void largeJsonTextComesBackAsAPlainString(DataSource ds) throws SQLException {
        String body = "{\"visdata\":\"" + "x".repeat(200_000) + "\"}";
        inRolledBackTransaction(ds, c -> {
            long item = insertReturningId(c, "INSERT INTO dlq_items (component, operation, error_type, "
                    + "resubmit_target, original_body) VALUES ('ingest', 'validate', 'incomplete_group', 'direct:ingest', ?)",
                    body);
            try (PreparedStatement ps = c.prepareStatement("SELECT original_body, status FROM dlq_items WHERE id = ?")) {
                ps.setLong(1, item);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    Object stored = rs.getObject(1);
                    assertInstanceOf(String.class, stored, "VARCHAR, not a CLOB");
                    assertEquals(body, stored);
                    assertEquals("pending", rs.getString(2));
                }
            }
            assertRejected(c, "UPDATE dlq_items SET status = 'archived' WHERE id = ?", item);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void seededAndSingletonConfiguration(DataSource ds) throws SQLException {
        inRolledBackTransaction(ds, c -> {
            assertEquals(List.of("calibration_solve:3:300", "ese_detection:5:60", "photometry:10:30"),
                    column(c, "SELECT name || ':' || failure_threshold || ':' || recovery_seconds "
                            + "FROM breaker_config ORDER BY name"));
            update(c, "INSERT INTO streaming_config (input_dir, output_dir) VALUES ('/data/incoming', '/stage/ms')");
            assertEquals(List.of("1", "16", "5.0"),
                    row(c, "SELECT id, expected_subbands, poll_interval FROM streaming_config"));
            assertRejected(c, "INSERT INTO streaming_config (id, input_dir, output_dir) VALUES (2, '/a', '/b')");
            assertRejected(c, "INSERT INTO data_registry (data_id, data_type, stage_path) VALUES ('x', 'thumbnail', '/s')");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void standardMergeUpsertsOnBothEngines(DataSource ds) throws SQLException {
        // The portable upsert (no ON CONFLICT, no H2 MERGE ... KEY): SQL:2003 MERGE, in PostgreSQL since 15.
        String upsert = "MERGE INTO app_settings s USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(100000)))) "
                + "AS v (k, val) ON s.setting_key = v.k "
                + "WHEN MATCHED THEN UPDATE SET setting_value = v.val, updated_at = CURRENT_TIMESTAMP "
                + "WHEN NOT MATCHED THEN INSERT (setting_key, setting_value) VALUES (v.k, v.val)";
        inRolledBackTransaction(ds, c -> {
            update(c, upsert, "rate_limit_per_minute", "120");
            update(c, upsert, "rate_limit_per_minute", "600");
            assertEquals(List.of("600"),
                    column(c, "SELECT setting_value FROM app_settings WHERE setting_key = 'rate_limit_per_minute'"));
        });
    }

    static String subbandPath(String group, int subband) {
        return String.format(Locale.ROOT, "/data/incoming/%s_sb%02d.hdf5", group, subband);
    }
}
