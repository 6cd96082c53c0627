package org.dsa110.contimg.dashboard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Field checks in the dashboard fact sheet's notation: {@link #must} is a {@code !} field (present, not null, of its
 * kind), {@link #field} a plain one (present, of its kind or null where the sheet allows {@code |null}),
 * {@link #optional} a {@code ?} one (absent, or of its kind).
 */
final class Shapes {

    enum Kind {
        STRING, NUMBER, INT, BOOL, ARRAY, OBJECT,
        /** Unix epoch seconds (a number, not milliseconds). */
        TS,
        /** An ISO-8601 instant. */
        ISO
    }

    private Shapes() {
    }

    static JsonNode must(JsonNode n, String field, Kind kind) {
        JsonNode v = n.get(field);
        assertTrue(v != null && !v.isNull(), "'" + field + "' present and not null in " + brief(n));
        check(field, v, kind, n);
        return v;
    }

    static JsonNode field(JsonNode n, String field, Kind kind, boolean nullable) {
        JsonNode v = n.get(field);
        assertTrue(v != null, "'" + field + "' present in " + brief(n));
        if (v.isNull()) {
            assertTrue(nullable, "'" + field + "' not null in " + brief(n));
        } else {
            check(field, v, kind, n);
        }
        return v;
    }

    static void optional(JsonNode n, String field, Kind kind) {
        JsonNode v = n.get(field);
        if (v != null && !v.isNull()) {
            check(field, v, kind, n);
        }
    }

    /** A number metric: absent or a number, never null (the dashboard formats every metric present). */
    static void metric(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null) {
            assertTrue(v.isNumber(), "'" + field + "' absent or a number, never null: " + brief(n));
        }
    }

    static void oneOf(JsonNode n, String field, Set<String> values) {
        String v = must(n, field, Kind.STRING).asText();
        assertTrue(values.contains(v), "'" + field + "' = " + v + " not in " + values);
    }

    private static void check(String field, JsonNode v, Kind kind, JsonNode in) {
        boolean ok = switch (kind) {
            case STRING -> v.isTextual();
            case NUMBER -> v.isNumber();
            case INT -> v.isIntegralNumber() && v.asLong() >= 0;
            case BOOL -> v.isBoolean();
            case ARRAY -> v.isArray();
            case OBJECT -> v.isObject();
            // after 2001 and before 5138 in seconds: not milliseconds
            case TS -> v.isNumber() && v.asDouble() > 1e9 && v.asDouble() < 1e11;
            case ISO -> v.isTextual() && isInstant(v.asText());
        };
        if (!ok) {
            fail("'" + field + "' should be " + kind + " but is " + v + " in " + brief(in));
        }
    }

    private static boolean isInstant(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static void nonEmpty(JsonNode array, String what) {
        assertTrue(array.isArray(), what + " is an array");
        assertFalse(array.isEmpty(), what + " has entries on the demo hub");
    }

    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
