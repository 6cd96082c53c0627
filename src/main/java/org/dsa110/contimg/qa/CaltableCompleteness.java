package org.dsa110.contimg.qa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/**
 * Completeness of an MS's calibration tables (the tables {@link CalibrationQa#tablesOf} selects): expected vs
 * present antennas (the table's n_antennas as ids 0…n−1, else the union over the MS's tables), channels (0…max
 * channel, bandpass tables), times and solutions (antennas × spws × pols × channels or times); completeness =
 * unflagged / expected. A missing time is one at which an antenna that has solutions elsewhere in the table has
 * none (wholly absent antennas are reported as missing antennas).
 */
public final class CaltableCompleteness {
    private final Db db;
    private final CalibrationQa qa;

    public CaltableCompleteness(Db db, CalibrationQa qa) {
        this.db = db;
        this.qa = qa;
    }

    /** GET /api/qa/calibration/{ms}/caltable-completeness: good solutions over expected ones, overall and per table. */
    public record Completeness(String msPath, Double completeness, List<Integer> missingAntennas,
            List<Double> missingTimes, long expectedSolutions, long goodSolutions, List<TableCompleteness> tables) {
    }

    /** One table: channels only for bandpass tables, missing times only for time-dependent ones. */
    public record TableCompleteness(String path, String tableType, int expectedAntennas, int presentAntennas,
            List<Integer> missingAntennas, Long expectedChannels, Long presentChannels, Long nTimes,
            List<Double> missingTimes, long expectedSolutions, long presentSolutions, long flaggedSolutions,
            Double flaggedFraction, Double completeness) {
    }

    /** Completeness of the MS's tables: expected vs present antennas, channels, times and solutions. */
    public Completeness completeness(String msPath) {
        List<Map<String, Object>> tables = qa.tablesOf(msPath);
        if (tables.isEmpty()) {
            throw HubException.notFound("calibration tables of MS", msPath);
        }
        Set<Integer> union = new TreeSet<>();
        Map<Long, Set<Integer>> present = new LinkedHashMap<>();
        for (Map<String, Object> t : tables) {
            Set<Integer> ants = new TreeSet<>();
            db.query("SELECT DISTINCT antenna_id FROM calibration_solutions WHERE caltable_id = ?", t.get("id"))
                    .forEach(r -> ants.add(Rows.integer(r, "antenna_id")));
            present.put(Rows.lng(t, "id"), ants);
            union.addAll(ants);
        }
        long expectedAll = 0;
        long goodAll = 0;
        Set<Integer> missingAll = new TreeSet<>();
        Set<Double> missingTimes = new TreeSet<>();
        List<TableCompleteness> perTable = new ArrayList<>();
        for (Map<String, Object> t : tables) {
            long id = Rows.lng(t, "id");
            Integer nAnt = Rows.integer(t, "n_antennas");
            Set<Integer> expectedAnts = new TreeSet<>(union);
            if (nAnt != null && nAnt > 0) {
                expectedAnts.clear();
                for (int i = 0; i < nAnt; i++) {
                    expectedAnts.add(i);
                }
            }
            Set<Integer> missing = new TreeSet<>(expectedAnts);
            missing.removeAll(present.get(id));
            missingAll.addAll(missing);
            Map<String, Object> a = db.one("SELECT COUNT(*) AS n, SUM(CASE WHEN flagged THEN 1 ELSE 0 END) AS nf, "
                    + "COUNT(DISTINCT spw) AS n_spw, COUNT(DISTINCT pol) AS n_pol, MAX(channel) AS max_chan, "
                    + "COUNT(DISTINCT channel) AS n_chan, COUNT(DISTINCT time_mjd) AS n_times "
                    + "FROM calibration_solutions WHERE caltable_id = ?", id).orElseThrow();
            long n = Rows.lng(a, "n");
            long nf = a.get("nf") == null ? 0 : Rows.lng(a, "nf");
            boolean bandpass = "bp".equals(CalibrationQa.category(Rows.str(t, "table_type")));
            long expectedChannels = bandpass && a.get("max_chan") != null ? Rows.lng(a, "max_chan") + 1 : 1;
            long times = Math.max(1, Rows.lng(a, "n_times"));
            long expected = (long) expectedAnts.size() * Math.max(1, Rows.lng(a, "n_spw"))
                    * Math.max(1, Rows.lng(a, "n_pol")) * (bandpass ? expectedChannels : times);
            List<Double> tableMissingTimes = new ArrayList<>();
            if (!bandpass) {
                for (Map<String, Object> r : db.query("SELECT time_mjd, COUNT(DISTINCT antenna_id) AS n_ant FROM "
                        + "calibration_solutions WHERE caltable_id = ? AND time_mjd IS NOT NULL GROUP BY time_mjd "
                        + "ORDER BY time_mjd", id)) {
                    // antennas absent from the whole table are reported as missing antennas, not per time
                    if (Rows.lng(r, "n_ant") < present.get(id).size()) {
                        tableMissingTimes.add(Rows.dbl(r, "time_mjd"));
                    }
                }
                missingTimes.addAll(tableMissingTimes);
            }
            expectedAll += expected;
            goodAll += n - nf;
            perTable.add(new TableCompleteness(Rows.str(t, "path"), Rows.str(t, "table_type"), expectedAnts.size(),
                    present.get(id).size(), List.copyOf(missing), bandpass ? expectedChannels : null,
                    bandpass && a.get("n_chan") != null ? Rows.lng(a, "n_chan") : null,
                    a.get("n_times") == null ? null : Rows.lng(a, "n_times"), tableMissingTimes, expected, n, nf,
                    n == 0 ? null : nf / (double) n,
                    expected == 0 ? null : Math.min(1.0, (n - nf) / (double) expected)));
        }
        return new Completeness(qa.canonical(msPath),
                expectedAll == 0 ? null : Math.min(1.0, goodAll / (double) expectedAll), List.copyOf(missingAll),
                List.copyOf(missingTimes), expectedAll, goodAll, perTable);
    }

}
