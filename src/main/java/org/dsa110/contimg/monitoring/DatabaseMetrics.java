package org.dsa110.contimg.monitoring;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.QueryStats;

/**
 * /api/metrics/database: row counts of every table of the schema, the database's size on disk, the connection
 * pool and the statement counters of {@link Db} (slow = over {@code hub.db.slow-query-ms}).
 */
public final class DatabaseMetrics {
    private final Db db;
    private final Supplier<Map<String, Object>> poolStats;

    public DatabaseMetrics(Db db, Supplier<Map<String, Object>> poolStats) {
        this.db = db;
        this.poolStats = poolStats;
    }

    /** Statement counts of this process: all, those over the slow threshold, and the mean time. */
    public record Queries(long statements, long slowQueries, long slowQueryThresholdMs, double meanMs) {
    }

    /**
     * GET /api/metrics/database: rows per table, the database's size in bytes (null when unknown), the
     * connection pool's figures and the statement timings.
     */
    public record Snapshot(Instant timestamp, String dialect, Map<String, Long> tables, long totalRows,
            Long sizeBytes, Map<String, Object> connectionPool, Queries queries) {
    }

    public Snapshot snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (String table : tables()) {
            // table names come from the catalogue, not from the request
            long n = db.scalarLong("SELECT COUNT(*) FROM " + table);
            counts.put(table, n);
            total += n;
        }
        QueryStats q = db.queryStats();
        return new Snapshot(Instant.now(), db.dialect().name().toLowerCase(), counts, total, sizeBytes(),
                poolStats.get(), new Queries(q.statements(), q.slowStatements(), q.slowThresholdMillis(),
                        Math.round(q.meanMillis() * 1000.0) / 1000.0));
    }

    /** The schema's base tables (lower case), without Flyway's own. */
    public List<String> tables() {
        return db.query("SELECT LOWER(table_name) AS name FROM information_schema.tables "
                + "WHERE LOWER(table_schema) = 'public' AND table_type = 'BASE TABLE' ORDER BY LOWER(table_name)")
                .stream().map(r -> (String) r.get("name"))
                .filter(n -> !n.startsWith("flyway_") && n.matches("[a-z0-9_]+")).toList();
    }

    /** PostgreSQL: pg_database_size; embedded H2: the size of its file; null when unknown (in-memory). */
    Long sizeBytes() {
        if (db.dialect() == Db.Dialect.POSTGRESQL) {
            return db.scalarLong("SELECT pg_database_size(current_database())");
        }
        if (db.dataSource() instanceof HikariDataSource h) {
            return h2FileSize(h.getJdbcUrl());
        }
        return null;
    }

    static Long h2FileSize(String url) {
        String prefix = url == null ? null : url.startsWith("jdbc:h2:file:") ? "jdbc:h2:file:"
                : url.startsWith(org.dsa110.contimg.store.Database.EMBEDDED_PREFIX)
                        ? org.dsa110.contimg.store.Database.EMBEDDED_PREFIX : null;
        if (prefix == null) {
            return null;
        }
        String base = url.substring(prefix.length());
        int semi = base.indexOf(';');
        Path file = Path.of((semi < 0 ? base : base.substring(0, semi)) + ".mv.db");
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }
}
