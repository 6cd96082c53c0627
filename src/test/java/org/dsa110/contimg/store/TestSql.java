package org.dsa110.contimg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** Plain-JDBC helpers for store tests that must behave the same on H2 and PostgreSQL. */
final class TestSql {
    private TestSql() {
    }

    @FunctionalInterface
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    static void inRolledBackTransaction(DataSource ds, SqlWork work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    /** The statement must fail with an integrity-constraint violation (SQLSTATE class 23) on every engine. */
    static void assertRejected(Connection c, String sql, Object... args) throws SQLException {
        Savepoint before = c.setSavepoint();   // PostgreSQL aborts the whole transaction on an error otherwise
        SQLException e = assertThrows(SQLException.class, () -> update(c, sql, args), sql);
        c.rollback(before);
        assertTrue(e.getSQLState() != null && e.getSQLState().startsWith("23"),
                () -> "expected a constraint violation for " + sql + " but got " + e.getSQLState() + " " + e.getMessage());
    }

    private static PreparedStatement prepare(Connection c, String sql, int keys, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql, keys);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args)) {
            return ps.executeUpdate();
        }
    }

    static long insertReturningId(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.RETURN_GENERATED_KEYS, args)) {
            assertEquals(1, ps.executeUpdate());
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertTrue(keys.next(), "a generated id");
                return keys.getLong("id");
            }
        }
    }

    static <T> T one(Connection c, Class<T> type, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getObject(1, type);
        }
    }

    /** The first row, every value as text (booleans as true/false, numbers in Java's notation). */
    static List<String> row(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), sql);
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(String.valueOf(rs.getObject(i)));
            }
            return values;
        }
    }

    /** The first column of every row, as text. */
    static List<String> column(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args); ResultSet rs = ps.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(String.valueOf(rs.getObject(1)));
            }
            return values;
        }
    }

    private static String metaName(Connection c, String name) throws SQLException {
        return c.getMetaData().storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }

    static Set<String> tablesOf(Connection c) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }

    static Set<String> columnsOf(Connection c, String table) throws SQLException {
        Set<String> columns = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), metaName(c, table), "%")) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    static Set<String> foreignKeyColumns(Connection c, String table) throws SQLException {
        Set<String> columns = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getImportedKeys(null, c.getSchema(), metaName(c, table))) {
            while (rs.next()) {
                columns.add(rs.getString("FKCOLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    /** Columns that are the first column of some index (primary key and unique constraints included). */
    static Set<String> leadingIndexColumns(Connection c, String table) throws SQLException {
        Set<String> columns = new TreeSet<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getIndexInfo(null, c.getSchema(), metaName(c, table), false, false)) {
            while (rs.next()) {
                if (rs.getShort("ORDINAL_POSITION") == 1 && rs.getString("COLUMN_NAME") != null) {
                    columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }
}
