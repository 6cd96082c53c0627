package org.dsa110.contimg.pipeline.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainSolution;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/**
 * Calibration sets and tables in the store (calibration_sets, caltables, calibration_solutions). A solve registers
 * one set named {@code <group>_<calibrator>} whose tables are valid for a window centred on the calibrator
 * observation (per table type); re-solving the same group replaces its set. For an MJD the newest active set whose
 * window covers it is in force, with those of its active tables whose own windows cover the MJD, in table order.
 */
final class CalibrationRegistry {
    /** One registered table. */
    record Table(String type, Path path, String setName) {
    }

    private final Db db;

    CalibrationRegistry(Db db) {
        this.db = db;
    }

    /**
     * Registers the set of a calibrator group: the bandpass and gain tables with their windows (days, centred on
     * {@code midMjd}), and the per-antenna solutions.
     */
    String register(String groupId, String calibrator, String msPath, double midMjd, Path bpPath,
            BandpassSolution bp, double bpWindowDays, Path gpPath, GainSolution gp, double gpWindowDays,
            String refant) throws IOException {
        String set = groupId + "_" + calibrator;
        double setHalf = Math.max(bpWindowDays, gpWindowDays) / 2;
        double[] freq = bp.freqHz();
        double fMin = java.util.Arrays.stream(freq).min().orElse(Double.NaN) / 1e9;
        double fMax = java.util.Arrays.stream(freq).max().orElse(Double.NaN) / 1e9;
        long bpSize = Files.size(bpPath);
        long gpSize = Files.size(gpPath);
        Instant now = Instant.now();
        long[] ids = db.inTransaction(() -> {
            db.update("DELETE FROM caltables WHERE set_name = ?", set);
            db.update("DELETE FROM calibration_sets WHERE set_name = ?", set);
            db.update("DELETE FROM caltables WHERE path IN (?, ?)", bpPath.toString(), gpPath.toString());
            db.update("INSERT INTO calibration_sets (set_name, cal_group_id, calibrator_name, created_at, "
                    + "valid_start_mjd, valid_end_mjd, active) VALUES (?, ?, ?, ?, ?, ?, TRUE)", set, groupId,
                    calibrator, now, midMjd - setHalf, midMjd + setHalf);
            long bpId = insertTable(bpPath, "BP", set, groupId, msPath, midMjd, bpWindowDays, refant,
                    bp.antennas().length, fMin, fMax, bpSize, now);
            long gpId = insertTable(gpPath, "GP", set, groupId, msPath, midMjd, gpWindowDays, refant,
                    gp.antennas().length, fMin, fMax, gpSize, now);
            return new long[] {bpId, gpId};
        });
        insertSolutions(ids[0], ids[1], bp, gp);
        return set;
    }

    private long insertTable(Path path, String type, String set, String groupId, String msPath, double mid,
            double windowDays, String refant, int nAnt, double fMin, double fMax, long size, Instant now) {
        return db.insert("INSERT INTO caltables (path, filename, table_type, set_name, cal_group_id, ms_path, "
                + "order_index, valid_start_mjd, valid_end_mjd, status, refant, n_antennas, freq_min_ghz, "
                + "freq_max_ghz, size_bytes, created_at, modified_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)", "id", path.toString(),
                path.getFileName().toString(), type, set, groupId, msPath, CalibrationTables.orderIndex(type),
                mid - windowDays / 2, mid + windowDays / 2, refant, nAnt, fMin, fMax, size, now, now);
    }

    /** Bandpass rows per antenna and channel (time NULL), gain rows per antenna and chunk (channel NULL). */
    private void insertSolutions(long bpId, long gpId, BandpassSolution bp, GainSolution gp) {
        String sql = "INSERT INTO calibration_solutions (caltable_id, antenna_id, spw, channel, pol, time_mjd, "
                + "amplitude, phase_deg, snr, flagged) VALUES (?, ?, 0, ?, 0, ?, ?, ?, ?, ?)";
        try (Connection c = db.dataSource().getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int[] ants = bp.antennas();
                int n = 0;
                for (int a = 0; a < ants.length; a++) {
                    for (int ch = 0; ch < bp.nChan(); ch++) {
                        row(ps, bpId, ants[a], ch, null, bp.amplitude(a, ch), bp.phaseDeg(a, ch), bp.snr(a, ch),
                                bp.isFlagged(a, ch));
                        if (++n % 5000 == 0) {
                            ps.executeBatch();
                        }
                    }
                }
                int[] gAnts = gp.antennas();
                for (int a = 0; a < gAnts.length; a++) {
                    for (int k = 0; k < gp.nChunks(); k++) {
                        double mjd = JulianDate.jdToMjd((gp.chunkStartJd(k) + gp.chunkEndJd(k)) / 2);
                        row(ps, gpId, gAnts[a], null, mjd, gp.amplitude(a, k), gp.phaseDeg(a, k), gp.snr(a, k),
                                gp.isFlagged(a, k));
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static void row(PreparedStatement ps, long table, int ant, Integer chan, Double mjd, double amp,
            double phase, double snr, boolean flagged) throws SQLException {
        ps.setLong(1, table);
        ps.setInt(2, ant);
        if (chan == null) {
            ps.setNull(3, Types.INTEGER);
        } else {
            ps.setInt(3, chan);
        }
        if (mjd == null) {
            ps.setNull(4, Types.DOUBLE);
        } else {
            ps.setDouble(4, mjd);
        }
        ps.setDouble(5, finite(amp));
        ps.setDouble(6, finite(phase));
        ps.setDouble(7, finite(snr));
        ps.setBoolean(8, flagged);
        ps.addBatch();
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }

    /** The tables in force at {@code mjd}: the newest active set covering it, its covering active tables in order. */
    List<Table> activeAt(double mjd) {
        Optional<Map<String, Object>> set = db.one("SELECT set_name FROM calibration_sets WHERE active = TRUE "
                + "AND valid_start_mjd <= ? AND valid_end_mjd >= ? ORDER BY created_at DESC, set_name DESC",
                mjd, mjd);
        List<Table> out = new ArrayList<>();
        if (set.isEmpty()) {
            return out;
        }
        String name = (String) set.get().get("set_name");
        for (Map<String, Object> r : db.query("SELECT table_type, path FROM caltables WHERE set_name = ? "
                + "AND status = 'active' AND valid_start_mjd <= ? AND valid_end_mjd >= ? ORDER BY order_index",
                name, mjd, mjd)) {
            out.add(new Table((String) r.get("table_type"), Path.of((String) r.get("path")), name));
        }
        return out;
    }
}
