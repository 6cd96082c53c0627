package org.dsa110.contimg.security;

import java.util.Locale;

/**
 * What a caller may do, each role including the ones below it: {@code read} (GET, live channels, Jolokia
 * inspection), {@code write} (every operation that changes data or starts work), {@code admin} (operations that
 * change how the hub itself runs: breakers, streaming configuration, schedules, exec templates, caches, the DLQ,
 * workers, route control through Jolokia, the audit log).
 */
public enum Role {
    READ, WRITE, ADMIN;

    /** True when a caller with this role may do what {@code needed} requires. */
    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The lower-case name used in configuration, tokens and the OpenAPI document. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code read | write | admin} (case-insensitive); anything else is a configuration error. */
    public static Role parse(String word) {
        if (word != null) {
            for (Role r : values()) {
                if (r.word().equalsIgnoreCase(word.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + word + "' (read, write or admin)");
    }
}
