package org.dsa110.contimg.pipeline.builtin;

import java.util.Arrays;
import java.util.Map;
import org.dsa110.contimg.pipeline.PermanentStageException;

/** Typed access to a stage's {@code hub.stage.<stage>.param.*} values; a malformed value fails the stage permanently. */
final class StageParams {
    private final String stage;
    private final Map<String, Object> params;

    StageParams(String stage, Map<String, Object> params) {
        this.stage = stage;
        this.params = params;
    }

    String string(String key, String dflt) {
        Object v = params.get(key);
        return v == null || v.toString().isBlank() ? dflt : v.toString().trim();
    }

    double number(String key, double dflt) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(key, s);
        }
    }

    /** A number that must be ≥ 0 (a size, a count, a cell); a negative value fails the stage naming the key. */
    double nonNegative(String key, double dflt) {
        double d = number(key, dflt);
        if (!(d >= 0)) {
            throw bad(key, string(key, ""));
        }
        return d;
    }

    /** An integer that must be ≥ 0. */
    int nonNegativeInteger(String key, int dflt) {
        int i = integer(key, dflt);
        if (i < 0) {
            throw bad(key, string(key, ""));
        }
        return i;
    }

    boolean bool(String key, boolean dflt) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw bad(key, s);
    }

    int integer(String key, int dflt) {
        double d = number(key, dflt);
        if (d != Math.rint(d)) {
            throw bad(key, string(key, ""));
        }
        return (int) d;
    }

    int[] integers(String key, int[] dflt) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        try {
            return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw bad(key, s);
        }
    }

    private PermanentStageException bad(String key, String value) {
        return new PermanentStageException(PermanentStageException.INVALID_INPUT,
                "hub.stage." + stage + ".param." + key + " has an invalid value: '" + value + "'");
    }
}
