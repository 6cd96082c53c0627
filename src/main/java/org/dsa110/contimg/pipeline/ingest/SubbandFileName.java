package org.dsa110.contimg.pipeline.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name the correlator gives a subband file, {@code YYYY-MM-DDTHH:MM:SS_sbNN.hdf5}: the UTC start of the
 * ~5-minute scan and the subband number (sb00 = highest frequency).
 */
public record SubbandFileName(String timestamp, Instant time, int subband) {
    private static final Pattern NAME =
            Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})_sb(\\d{2})\\.hdf5");

    /** The parsed name, or empty when {@code filename} is not a subband file (or names an impossible date). */
    public static Optional<SubbandFileName> parse(String filename) {
        Matcher m = NAME.matcher(filename);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Instant t = LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC);
            return Optional.of(new SubbandFileName(m.group(1), t, Integer.parseInt(m.group(2))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static boolean matches(String filename) {
        return parse(filename).isPresent();
    }
}
