package org.dsa110.contimg.observing;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Registers a visibility file the pipeline wrote (a Measurement Set or our UVFITS) in {@code ms_index} with its
 * times, pointing, antennas and frequency range, and records the pointing at its mid time in
 * {@link PointingHistory}. Registering the same path again updates its row (the conversion stage may re-run).
 */
public final class MsRegistry {

    /**
     * What the writer knows about one visibility file. Times are MJD (UTC); pointing is J2000 degrees of the
     * phase centre at the mid time; frequencies in GHz. Nullable fields are unknown.
     */
    public record MsRecord(String path, String groupId, String format, double startMjd, double endMjd,
            Double pointingRaDeg, Double pointingDecDeg, Integer numAntennas, Integer numChannels,
            Double freqMinGhz, Double freqMaxGhz, List<String> fieldNames, Long sizeBytes) {
        public MsRecord {
            Objects.requireNonNull(path, "path");
            if (!(endMjd >= startMjd)) {
                throw new IllegalArgumentException("end_mjd must not precede start_mjd");
            }
            format = format == null ? (path.endsWith(".ms") ? "ms" : "uvfits") : format;
            fieldNames = fieldNames == null ? List.of() : List.copyOf(fieldNames);
        }

        public double midMjd() {
            return (startMjd + endMjd) / 2;
        }
    }

    private final Db db;
    private final PointingHistory pointing;

    public MsRegistry(Db db, PointingHistory pointing) {
        this.db = db;
        this.pointing = pointing;
    }

    /** Inserts or updates the row of {@code r.path()} and records its pointing; returns the row id. */
    public long register(MsRecord r) {
        String fields = fieldsJson(r.fieldNames());
        Object[] values = {r.groupId(), r.format(), r.startMjd(), r.endMjd(), r.midMjd(),
            (r.endMjd() - r.startMjd()) * 86400.0, r.pointingRaDeg(), r.pointingDecDeg(),
            r.fieldNames().isEmpty() ? null : r.fieldNames().size(), fields, r.numAntennas(), r.numChannels(),
            r.freqMinGhz(), r.freqMaxGhz(), r.sizeBytes()};
        long id = db.inTransaction(() -> {
            Object[] update = append(values, r.path());
            int n = db.update("UPDATE ms_index SET group_id = ?, format = ?, start_mjd = ?, end_mjd = ?, mid_mjd = ?, "
                    + "duration_sec = ?, pointing_ra_deg = ?, pointing_dec_deg = ?, num_fields = ?, field_names = ?, "
                    + "num_antennas = ?, num_channels = ?, freq_min_ghz = ?, freq_max_ghz = ?, size_bytes = ? "
                    + "WHERE path = ?", update);
            if (n == 0) {
                Object[] insert = append(append(values, r.path()), Instant.now());
                return db.insert("INSERT INTO ms_index (group_id, format, start_mjd, end_mjd, mid_mjd, duration_sec, "
                        + "pointing_ra_deg, pointing_dec_deg, num_fields, field_names, num_antennas, num_channels, "
                        + "freq_min_ghz, freq_max_ghz, size_bytes, path, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "id", insert);
            }
            return db.scalarLong("SELECT id FROM ms_index WHERE path = ?", r.path());
        });
        if (r.pointingRaDeg() != null && r.pointingDecDeg() != null) {
            pointing.record(r.midMjd(), r.pointingRaDeg(), r.pointingDecDeg(), r.groupId());
        }
        return id;
    }

    private static Object[] append(Object[] a, Object v) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private static String fieldsJson(List<String> names) {
        if (names.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
