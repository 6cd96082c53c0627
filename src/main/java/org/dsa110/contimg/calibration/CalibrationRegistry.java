package org.dsa110.contimg.calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dsa110.contimg.store.Db;

/**
 * Writes the calibration registry: calibration sets (one per solve on a calibrator group, with a validity
 * window), their tables ({@code caltables}) and each table's per-antenna solutions ({@code calibration_solutions}).
 * The calibration stage calls it after writing a table file; the views ({@link CalibrationViews},
 * {@link AntennaHealth}, {@link CalibrationQuality}) read what it stored.
 */
public final class CalibrationRegistry {
    /** Table types in apply order with their order_index (schema V1.3). */
    public static final Map<String, Integer> ORDER = Map.of("K", 10, "BA", 20, "BP", 30, "GA", 40, "GP", 50,
            "2G", 60, "FLUX", 70);

    /** A calibration set: the tables solved together on one calibrator observation. Validity in MJD. */
    public record CalSet(String setName, String calGroupId, String calibratorName, Double validStartMjd,
            Double validEndMjd) {
        public CalSet {
            Objects.requireNonNull(setName, "set_name");
        }
    }

    /** One calibration table file. Frequencies in GHz, validity in MJD. */
    public record CalTable(String path, String tableType, String setName, String calGroupId, String msPath,
            Double validStartMjd, Double validEndMjd, String refant, Integer nAntennas, Double freqMinGhz,
            Double freqMaxGhz) {
        public CalTable {
            Objects.requireNonNull(path, "path");
            if (tableType == null || !ORDER.containsKey(tableType)) {
                throw new IllegalArgumentException("table type must be one of " + ORDER.keySet() + ": " + tableType);
            }
        }
    }

    /**
     * One solution: antenna, spectral window, channel (null for gain tables), polarisation (0 = XX, 1 = YY),
     * time (MJD; null for a bandpass solved over the whole scan), amplitude, phase (deg), delay (ns, K tables),
     * SNR and whether it is flagged.
     */
    public record Solution(int antennaId, int spw, Integer channel, int pol, Double timeMjd, Double amplitude,
            Double phaseDeg, Double delayNs, Double snr, boolean flagged) {
    }

    private final Db db;

    public CalibrationRegistry(Db db) {
        this.db = db;
    }

    /** Inserts the set, or updates its calibrator and validity when it exists; the set is active. */
    public void registerSet(CalSet s) {
        int n = db.update("UPDATE calibration_sets SET cal_group_id = ?, calibrator_name = ?, valid_start_mjd = ?, "
                + "valid_end_mjd = ?, active = TRUE WHERE set_name = ?", s.calGroupId(), s.calibratorName(),
                s.validStartMjd(), s.validEndMjd(), s.setName());
        if (n == 0) {
            db.update("INSERT INTO calibration_sets (set_name, cal_group_id, calibrator_name, created_at, "
                    + "valid_start_mjd, valid_end_mjd, active) VALUES (?, ?, ?, ?, ?, ?, TRUE)", s.setName(),
                    s.calGroupId(), s.calibratorName(), Instant.now(), s.validStartMjd(), s.validEndMjd());
        }
    }

    /** Marks a set inactive (it is no longer chosen for new data); its tables stay listed. */
    public int deactivateSet(String setName) {
        return db.update("UPDATE calibration_sets SET active = FALSE WHERE set_name = ?", setName);
    }

    /**
     * Registers a table (size and modification time from the file when it exists) and returns its id; a table
     * registered again at the same path replaces its row and its solutions.
     */
    public long registerTable(CalTable t) {
        Path file = Path.of(t.path());
        Long size = null;
        Instant modified = null;
        try {
            if (Files.exists(file)) {
                size = Files.isDirectory(file) ? directorySize(file) : Files.size(file);
                modified = Files.getLastModifiedTime(file).toInstant();
            }
        } catch (IOException e) {
            // an unreadable file is registered without size and time
        }
        Long sizeBytes = size;
        Instant mtime = modified;
        return db.inTransaction(() -> {
            db.update("DELETE FROM caltables WHERE path = ?", t.path());
            return db.insert("INSERT INTO caltables (path, filename, table_type, set_name, cal_group_id, ms_path, "
                    + "order_index, valid_start_mjd, valid_end_mjd, status, refant, n_antennas, freq_min_ghz, "
                    + "freq_max_ghz, size_bytes, created_at, modified_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)", "id",
                    t.path(), file.getFileName().toString(), t.tableType(), t.setName(), t.calGroupId(), t.msPath(),
                    ORDER.get(t.tableType()), t.validStartMjd(), t.validEndMjd(), t.refant(), t.nAntennas(),
                    t.freqMinGhz(), t.freqMaxGhz(), sizeBytes, Instant.now(), mtime);
        });
    }

    /** Marks a table retired (kept for the record, no longer applied). */
    public int retireTable(String path) {
        return db.update("UPDATE caltables SET status = 'retired' WHERE path = ?", path);
    }

    /** Stores the solutions of table {@code caltableId} (in one transaction). */
    public void recordSolutions(long caltableId, List<Solution> solutions) {
        db.inTransaction(() -> {
            for (Solution s : solutions) {
                db.update("INSERT INTO calibration_solutions (caltable_id, antenna_id, spw, channel, pol, time_mjd, "
                        + "amplitude, phase_deg, delay_ns, snr, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        caltableId, s.antennaId(), s.spw(), s.channel(), s.pol(), s.timeMjd(), finite(s.amplitude()),
                        finite(s.phaseDeg()), finite(s.delayNs()), finite(s.snr()), s.flagged());
            }
        });
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static long directorySize(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
