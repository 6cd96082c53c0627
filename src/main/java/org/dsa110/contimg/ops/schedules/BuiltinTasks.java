package org.dsa110.contimg.ops.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.dsa110.contimg.pipeline.ingest.StaleGroupSweep;
import org.dsa110.contimg.store.Db;

/**
 * The housekeeping tasks schedules can run in the hub itself: stale-group sweep, DLQ auto-retry (through the
 * engine's {@code direct:dlq.auto-retry} when it is deployed), database backup and retention cleanup. Each returns
 * what it did; a task that cannot run here says so ({@code success=false} with the reason), never a fake success.
 */
public final class BuiltinTasks {
    public static final String STALE_GROUP_SWEEP = "stale-group-sweep";
    public static final String DLQ_AUTO_RETRY = "dlq-auto-retry";
    public static final String DATABASE_BACKUP = "database-backup";
    public static final String RETENTION_CLEANUP = "retention-cleanup";
    public static final Set<String> NAMES = Set.of(STALE_GROUP_SWEEP, DLQ_AUTO_RETRY, DATABASE_BACKUP,
            RETENTION_CLEANUP);
    static final String DLQ_RETRY_ENDPOINT = "direct:dlq.auto-retry";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final CamelContext context;
    private final Db db;
    private final Path backupsDir;
    private final int retentionDays;
    private final int backupsKept;

    public BuiltinTasks(CamelContext context, Db db, Path backupsDir, int retentionDays, int backupsKept) {
        this.context = context;
        this.db = db;
        this.backupsDir = backupsDir;
        this.retentionDays = retentionDays;
        this.backupsKept = backupsKept;
    }

    public static boolean isBuiltin(String taskName) {
        return NAMES.contains(taskName);
    }

    public Map<String, Object> run(String taskName, JsonNode params) throws Exception {
        return switch (taskName) {
            case STALE_GROUP_SWEEP -> result(true, context.getRegistry()
                    .lookupByNameAndType("staleGroupSweep", StaleGroupSweep.class).sweep());
            case DLQ_AUTO_RETRY -> dlqAutoRetry(params);
            case DATABASE_BACKUP -> backup();
            case RETENTION_CLEANUP -> retention(params);
            default -> throw new IllegalArgumentException("not a built-in task: " + taskName);
        };
    }

    private Map<String, Object> dlqAutoRetry(JsonNode params) {
        boolean available = context.getRoutes().stream().map(Route::getEndpoint)
                .anyMatch(e -> e.getEndpointUri().startsWith("direct://dlq.auto-retry"));
        if (!available) {
            return result(false, Map.of("status", "not_available",
                    "message", "DLQ auto-retry is not available: no route consumes " + DLQ_RETRY_ENDPOINT));
        }
        Object reply = context.createFluentProducerTemplate().to(DLQ_RETRY_ENDPOINT)
                .withBody(params == null ? "{}" : params.toString()).request();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "completed");
        out.put("reply", reply);
        return result(true, out);
    }

    /** H2: an online {@code BACKUP TO} zip under the backups directory. PostgreSQL: pg_dump is the operator's. */
    private Map<String, Object> backup() throws IOException {
        if (db.dialect() == Db.Dialect.POSTGRESQL) {
            return result(false, Map.of("status", "not_available", "message",
                    "The store is PostgreSQL: back it up with pg_dump (or continuous archiving) run by the operator; "
                            + "the hub does not make PostgreSQL backups."));
        }
        Files.createDirectories(backupsDir);
        Path file = backupsDir.resolve("contimg-" + STAMP.format(Instant.now()) + ".zip");
        db.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "completed");
        out.put("path", file.toString());
        out.put("size_bytes", Files.size(file));
        out.put("deleted_old_backups", pruneBackups());
        return result(true, out);
    }

    private List<String> pruneBackups() throws IOException {
        try (Stream<Path> s = Files.list(backupsDir)) {
            List<Path> backups = s.filter(p -> p.getFileName().toString().matches("contimg-\\d{8}T\\d{6}Z\\.zip"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
            List<Path> old = backups.subList(Math.min(backupsKept, backups.size()), backups.size());
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
            return old.stream().map(Path::toString).toList();
        }
    }

    /** Deletes rows older than the retention period (param {@code days} overrides {@code hub.retention.days}). */
    private Map<String, Object> retention(JsonNode params) {
        int days = params != null && params.has("days") ? params.get("days").asInt(retentionDays) : retentionDays;
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("events", db.update("DELETE FROM events WHERE created_at < ?", cutoff));
        deleted.put("system_metrics_history", db.update("DELETE FROM system_metrics_history WHERE ts < ?", cutoff));
        deleted.put("disk_usage_history", db.update("DELETE FROM disk_usage_history WHERE ts < ?", cutoff));
        deleted.put("dlq_items", db.update("DELETE FROM dlq_items WHERE status IN ('resolved', 'failed') "
                + "AND updated_at < ?", cutoff));
        deleted.put("tasks", db.update("DELETE FROM tasks WHERE status IN ('completed', 'failed', 'cancelled') "
                + "AND completed_at < ? AND NOT EXISTS (SELECT 1 FROM task_dependencies d "
                + "WHERE d.depends_on_task_id = tasks.task_id)", cutoff));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "completed");
        out.put("retention_days", days);
        out.put("cutoff", cutoff);
        out.put("deleted", deleted);
        return result(true, out);
    }

    private static Map<String, Object> result(boolean success, Map<String, Object> details) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.putAll(details);
        return m;
    }
}
