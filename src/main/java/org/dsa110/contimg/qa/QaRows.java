package org.dsa110.contimg.qa;

import java.util.Map;

/** Typed reads of store rows (column keys are lower case) for the QA services. */
final class QaRows {
    private QaRows() {
    }

    /** A finite double for binding or JSON, or null. */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static Double dbl(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    static double dblOr(Map<String, Object> row, String column, double fallback) {
        Double d = dbl(row, column);
        return d == null ? fallback : d;
    }

    static Long lng(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.longValue() : null;
    }

    static Integer integer(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.intValue() : null;
    }

    static boolean bool(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Boolean b ? b : v instanceof Number n && n.intValue() != 0;
    }

    static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }
}
