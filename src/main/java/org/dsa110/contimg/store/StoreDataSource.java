package org.dsa110.contimg.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's pool, opened and migrated on a thread of its own while the hub builds its routes (the Flyway
 * migration of a new database is a second or more of a cold start). Every connection handed out waits until the
 * schema is current, so no caller can see a half-migrated store; {@link #awaitReady()} is the gate the start-up
 * passes before any route starts, and it fails the start when the store could not be opened or migrated.
 */
public final class StoreDataSource extends HikariDataSource {
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    StoreDataSource(HikariConfig config) {
        super(); // the pool starts on the first connection, on the migration thread
        config.copyStateTo(this);
    }

    /** Opens the pool and migrates the schema on thread {@code hub-store-migrate}; {@code done} runs after success. */
    void openInBackground(Runnable done) {
        Thread t = new Thread(() -> {
            try {
                Database.migrate(new Unguarded());
                ready.complete(null);
                done.run();
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "hub-store-migrate");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the store; throws when it could not be opened or migrated. */
    public void awaitReady() throws SQLException {
        try {
            ready.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SQLException("the store could not be opened: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store", e);
        }
    }

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    @Override
    public Connection getConnection() throws SQLException {
        awaitReady();
        return super.getConnection();
    }

    private Connection unguardedConnection() throws SQLException {
        return super.getConnection();
    }

    /** The pool without the gate, for the migration itself. */
    private final class Unguarded implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return unguardedConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("the store pool has one user");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return StoreDataSource.this.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            StoreDataSource.this.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            StoreDataSource.this.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return StoreDataSource.this.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("org.dsa110.contimg.store");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return StoreDataSource.this.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return StoreDataSource.this.isWrapperFor(iface);
        }
    }
}
