package org.dsa110.contimg.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamps as clients and stored parameters give them. */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * An ISO-8601 timestamp with an offset ({@code 2025-10-24T14:00:00Z}) or without one (read as UTC).
     *
     * @throws HubException {@code INVALID_PARAMETER} naming {@code name} when {@code value} is neither
     */
    public static Instant parse(String name, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw HubException.invalidParameter(name, value, "an ISO-8601 timestamp, e.g. 2025-10-24T14:00:00Z");
            }
        }
    }
}
