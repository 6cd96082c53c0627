package org.dsa110.contimg.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the store: a pooled connection to H2 (embedded default) or PostgreSQL, migrated to the current schema. */
public final class Database {
    /** The embedded default's URL prefix: an H2 file database through H2's interrupt-safe async file system. */
    public static final String EMBEDDED_PREFIX = "jdbc:h2:async:";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    /** The JDBC URL of the embedded default: an H2 file database under {@code dataDir/db}. */
    public static String embeddedUrl(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("db").resolve("contimg");
        // WRITE_DELAY=0: every commit reaches the file at once (H2's default holds commits up to 0.5 s in memory,
        // so a killed hub could forget a claim or a finished stage and run it again after its restart). The writes
        // then happen on the committing thread, which a cancel may interrupt: the async: file system keeps the
        // file open through an interrupt (a plain FileChannel is closed by one and the database is lost).
        return EMBEDDED_PREFIX + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }

    /** Opens and migrates the store before returning. */
    public static HikariDataSource open(String url, String user, String password, int poolSize, Path dataDir)
            throws java.io.IOException {
        String jdbcUrl = jdbcUrl(url, dataDir);
        HikariDataSource ds = new HikariDataSource(config(jdbcUrl, user, password, poolSize));
        migrate(ds);
        LOG.info("store ready: {}", redact(jdbcUrl));
        return ds;
    }

    /**
     * Returns at once; the pool opens and the schema migrates on a thread of its own, and every connection waits
     * for that ({@link StoreDataSource#awaitReady()}). The hub's start-up uses this to build its routes meanwhile.
     */
    public static StoreDataSource openInBackground(String url, String user, String password, int poolSize,
            Path dataDir) throws java.io.IOException {
        String jdbcUrl = jdbcUrl(url, dataDir);
        StoreDataSource ds = new StoreDataSource(config(jdbcUrl, user, password, poolSize));
        ds.openInBackground(() -> LOG.info("store ready: {}", redact(jdbcUrl)));
        return ds;
    }

    private static String jdbcUrl(String url, Path dataDir) throws java.io.IOException {
        String jdbcUrl = url == null || url.isBlank() ? embeddedUrl(dataDir) : url;
        if (jdbcUrl.startsWith(EMBEDDED_PREFIX) || jdbcUrl.startsWith("jdbc:h2:file:")) {
            Files.createDirectories(dataDir.resolve("db"));
        }
        return jdbcUrl;
    }

    private static HikariConfig config(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password == null ? "" : password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("hub-store");
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(30_000);
        return cfg;
    }

    public static void migrate(javax.sql.DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .failOnMissingLocations(false).load().migrate();
    }

    public static Db.Dialect dialectOf(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:") ? Db.Dialect.POSTGRESQL : Db.Dialect.H2;
    }

    /** The URL with any password parameter removed, for logs and health output. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
