package org.dsa110.contimg.store;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one way the hub runs SQL. Rows come back as ordered maps with lower-case column names (H2 reports upper
 * case), timestamps as {@link Instant} (UTC) and CLOBs as strings, so responses map the same on H2 and PostgreSQL.
 * {@link #inTransaction} binds a connection to the thread so every call inside it shares one unit of work.
 */
public final class Db {
    /** Which engine the store runs on; a few statements (row locking, backup) differ. */
    public enum Dialect { H2, POSTGRESQL }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final QueryStats queryStats = new QueryStats();

    public Db(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Statement counts and slow-statement count (for /api/metrics/database). */
    public QueryStats queryStats() {
        return queryStats;
    }

    public List<Map<String, Object>> query(String sql, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    return rows(rs);
                }
            }
        });
    }

    public Optional<Map<String, Object>> one(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** First column of the first row as a long (0 when there is no row or it is NULL). */
    public long scalarLong(String sql, Object... args) {
        return one(sql, args).map(r -> r.values().iterator().next())
                .map(v -> v instanceof Number n ? n.longValue() : 0L).orElse(0L);
    }

    public int update(String sql, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs an INSERT and returns the generated value of {@code idColumn}. */
    public long insert(String sql, String idColumn, Object... args) {
        return withConnection(c -> {
            String[] keys = {dialect == Dialect.H2 ? idColumn.toUpperCase(Locale.ROOT) : idColumn};
            try (PreparedStatement ps = c.prepareStatement(sql, keys)) {
                bind(ps, args);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    if (!rs.next()) {
                        throw new SQLException("no generated key for " + idColumn);
                    }
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Runs {@code work} in one transaction (joining an enclosing one); rolls back on any exception. */
    public <T> T inTransaction(Work<T> work) {
        if (current.get() != null) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw new StoreException(e);
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        Connection bound = current.get();
        try {
            if (bound != null) {
                return timed(work, bound);
            }
            try (Connection c = dataSource.getConnection()) {
                return timed(work, c);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private <T> T timed(ConnectionWork<T> work, Connection c) throws SQLException {
        long start = System.nanoTime();
        try {
            return work.apply(c);
        } finally {
            queryStats.record(System.nanoTime() - start);
        }
    }

    /** Runs a statement that returns nothing (DDL, backup). */
    public void execute(String sql) {
        withConnection(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                return null;
            }
        });
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (a instanceof Enum<?> e) {
                ps.setString(i + 1, e.name().toLowerCase(Locale.ROOT));
            } else if (a == null) {
                ps.setNull(i + 1, java.sql.Types.NULL);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = md.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                row.put(names[i], normalise(rs.getObject(i + 1)));
            }
            out.add(row);
        }
        return out;
    }

    static Object normalise(Object v) throws SQLException {
        if (v instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (v instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (v instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (v instanceof java.math.BigDecimal bd) {
            return bd.scale() == 0 ? (Object) bd.longValue() : (Object) bd.doubleValue();
        }
        return v;
    }
}
