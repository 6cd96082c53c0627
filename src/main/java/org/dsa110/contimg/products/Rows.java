package org.dsa110.contimg.products;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers for reading store rows (typed reads, public: the QA services use them too) and building filtered
 * queries in this package. */
public final class Rows {
    private Rows() {
    }

    /** A finite double for binding, or null (NaN/infinite values are stored as NULL, never as numbers). */
    public static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    public static Double dbl(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    public static double dblOr(Map<String, Object> row, String column, double fallback) {
        Double d = dbl(row, column);
        return d == null ? fallback : d;
    }

    public static Long lng(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.longValue() : null;
    }

    public static Integer integer(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.intValue() : null;
    }

    public static boolean bool(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Boolean b ? b : v instanceof Number n && n.intValue() != 0;
    }

    public static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    /** Scales a nullable value (e.g. Jy → mJy). */
    static Double scaled(Double v, double factor) {
        return v == null ? null : v * factor;
    }

    /** Accumulates AND-ed conditions and their bind arguments. */
    static final class Where {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> args = new ArrayList<>();

        Where and(String condition, Object... values) {
            sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
            args.addAll(List.of(values));
            return this;
        }

        Where andIf(boolean present, String condition, Object... values) {
            return present ? and(condition, values) : this;
        }

        String sql() {
            return sql.toString();
        }

        List<Object> args() {
            return args;
        }

        Object[] argsWith(Object... more) {
            List<Object> all = new ArrayList<>(args);
            all.addAll(List.of(more));
            return all.toArray();
        }
    }
}
