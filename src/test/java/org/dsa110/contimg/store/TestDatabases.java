package org.dsa110.contimg.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Empty databases for store tests on the two engines the hub supports: H2 (in memory or a file, default
 * mode) and PostgreSQL 16 (embedded, started once per test JVM, one fresh database per call).
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** A new private in-memory H2 database that lives until the JVM exits. */
    public static DataSource h2Memory() {
        return h2("jdbc:h2:mem:store-test-" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    }

    /** An H2 file database under {@code dir}; it is closed whenever its last connection closes. */
    public static DataSource h2File(Path dir) {
        return h2("jdbc:h2:file:" + dir.toAbsolutePath().resolve("contimg"));
    }

    /** A new empty database in the shared embedded PostgreSQL server. */
    public static DataSource postgres() {
        EmbeddedPostgres server = postgresServer();
        String name = "store_test_" + COUNTER.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server.getDatabase("postgres", name);
    }

    /** The user of the embedded PostgreSQL server (trust authentication, no password). */
    public static final String POSTGRES_USER = "postgres";

    /** The JDBC URL of a new empty database in the shared embedded server, for hubs started on it. */
    public static String postgresUrl() {
        EmbeddedPostgres server = postgresServer();
        String name = "hub_test_" + COUNTER.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server.getJdbcUrl(POSTGRES_USER, name);
    }

    /** Applies the hub's migrations, exactly as the application does. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    private static DataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    private static synchronized EmbeddedPostgres postgresServer() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary anyway
                }
            }));
        }
        return postgres;
    }
}
