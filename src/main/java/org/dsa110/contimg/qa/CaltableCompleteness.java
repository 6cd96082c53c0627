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

    /** Completeness of the MS's tables: expected vs present antennas, channels, times and solutions. */
    public Map<String, Object> completeness(String msPath) {
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
        List<Map<String, Object>> perTable = new ArrayList<>();
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
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", t.get("path"));
            m.put("table_type", t.get("table_type"));
            m.put("expected_antennas", expectedAnts.size());
            m.put("present_antennas", present.get(id).size());
            m.put("missing_antennas", List.copyOf(missing));
            m.put("expected_channels", bandpass ? expectedChannels : null);
            m.put("present_channels", bandpass ? a.get("n_chan") : null);
            m.put("n_times", a.get("n_times"));
            m.put("missing_times", tableMissingTimes);
            m.put("expected_solutions", expected);
            m.put("present_solutions", n);
            m.put("flagged_solutions", nf);
            m.put("flagged_fraction", n == 0 ? null : nf / (double) n);
            m.put("completeness", expected == 0 ? null : Math.min(1.0, (n - nf) / (double) expected));
            perTable.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ms_path", qa.canonical(msPath));
        out.put("completeness", expectedAll == 0 ? null : Math.min(1.0, goodAll / (double) expectedAll));
        out.put("missing_antennas", List.copyOf(missingAll));
        out.put("missing_times", List.copyOf(missingTimes));
        out.put("expected_solutions", expectedAll);
        out.put("good_solutions", goodAll);
        out.put("tables", perTable);
        return out;
    }

}
