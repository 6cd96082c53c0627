package org.dsa110.contimg.calibration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.store.Db;

/**
 * Read side of the calibration registry: /api/calibration/status, /api/caltables, and per visibility file the
 * tables that exist for it and whether a given table is compatible with it.
 */
public final class CalibrationViews {
    private static final List<String> K_TYPES = List.of("K");
    private static final List<String> BP_TYPES = List.of("BA", "BP");
    private static final List<String> G_TYPES = List.of("GA", "GP", "2G");

    private final Db db;

    public CalibrationViews(Db db) {
        this.db = db;
    }

    /** GET /api/calibration/status; {@code calibration_sets} repeats {@code active_sets} (the name /api/status uses). */
    public record Status(List<ActiveSet> activeSets, List<ActiveSet> calibrationSets, int nActiveSets, long nValidNow,
            List<LastSolve> lastSolvePerCalibrator, Instant lastSolveAt, long tablesTotal, long tablesActive,
            Instant timestamp) {
    }

    /** An active set: validity in MJD and ISO-8601, its table paths and types, active and total table counts. */
    public record ActiveSet(String setName, String calGroupId, String calibratorName, Instant createdAt,
            Double validStartMjd, Double validEndMjd, String validStart, String validEnd, boolean validNow,
            List<String> tables, List<String> tableTypes, long active, int total) {
    }

    public record LastSolve(String calibratorName, Instant lastSolvedAt, long nSets, String setName,
            String calGroupId) {
    }

    /** CalTableInfo: {@code type} repeats {@code table_type} (seed 001), sizes in MB (10^6 bytes). */
    public record CalTableInfo(String path, String filename, String tableType, Double sizeMb, Instant modifiedTime,
            String type, Instant createdAt, String msPath, String setName, String status, Double validStartMjd,
            Double validEndMjd) {
    }

    /** ExistingCalTables: the tables by kind, and seed 001's flat list with a compatibility verdict. */
    public record ExistingCalTables(String msPath, List<ExistingTable> kTables, List<ExistingTable> bpTables,
            List<ExistingTable> gTables, boolean hasK, boolean hasBp, boolean hasG, List<FlatTable> caltables) {
    }

    public record ExistingTable(String path, String filename, String tableType, Double sizeMb, Instant modifiedTime,
            double ageHours) {
    }

    public record FlatTable(String path, String type, Instant createdAt, boolean compatible) {
    }

    /** CalTableCompatibility; {@code compatible} repeats {@code is_compatible} (seed 001's name). */
    public record Compatibility(boolean isCompatible, boolean compatible, String caltablePath, String msPath,
            List<String> issues, List<String> warnings, List<Integer> msAntennas, List<Integer> caltableAntennas,
            Double msFreqMinGhz, Double msFreqMaxGhz, Double caltableFreqMinGhz, Double caltableFreqMaxGhz) {
    }

    /** Active sets with validity and tables, and the newest solve per calibrator. */
    public Status status() {
        double nowMjd = MsCatalog.mjd(Instant.now());
        List<ActiveSet> sets = new ArrayList<>();
        for (Map<String, Object> s : db.query("SELECT set_name, cal_group_id, calibrator_name, created_at, "
                + "valid_start_mjd, valid_end_mjd FROM calibration_sets WHERE active = TRUE "
                + "ORDER BY created_at DESC, set_name")) {
            List<Map<String, Object>> tables = db.query("SELECT path, table_type, status FROM caltables "
                    + "WHERE set_name = ? ORDER BY order_index, path", s.get("set_name"));
            sets.add(new ActiveSet(str(s, "set_name"), str(s, "cal_group_id"), str(s, "calibrator_name"),
                    (Instant) s.get("created_at"), number(s.get("valid_start_mjd")), number(s.get("valid_end_mjd")),
                    iso(s.get("valid_start_mjd")), iso(s.get("valid_end_mjd")),
                    covers(s.get("valid_start_mjd"), s.get("valid_end_mjd"), nowMjd),
                    tables.stream().map(t -> str(t, "path")).toList(),
                    tables.stream().map(t -> str(t, "table_type")).distinct().toList(),
                    tables.stream().filter(t -> "active".equals(t.get("status"))).count(), tables.size()));
        }
        List<LastSolve> lastSolve = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT calibrator_name, MAX(created_at) AS solved_at, COUNT(*) AS n "
                + "FROM calibration_sets WHERE calibrator_name IS NOT NULL GROUP BY calibrator_name "
                + "ORDER BY MAX(created_at) DESC")) {
            Map<String, Object> newest = db.one("SELECT set_name, cal_group_id FROM calibration_sets WHERE "
                    + "calibrator_name = ? ORDER BY created_at DESC, set_name DESC LIMIT 1", r.get("calibrator_name"))
                    .orElse(Map.of());
            lastSolve.add(new LastSolve(str(r, "calibrator_name"), (Instant) r.get("solved_at"),
                    ((Number) r.get("n")).longValue(), str(newest, "set_name"), str(newest, "cal_group_id")));
        }
        return new Status(sets, sets, sets.size(), sets.stream().filter(ActiveSet::validNow).count(), lastSolve,
                lastSolve.isEmpty() ? null : lastSolve.get(0).lastSolvedAt(),
                db.scalarLong("SELECT COUNT(*) FROM caltables"),
                db.scalarLong("SELECT COUNT(*) FROM caltables WHERE status = 'active'"), Instant.now());
    }

    /** CalTableInfo rows, newest first, optionally only those under directory {@code dir}. */
    public List<CalTableInfo> list(String dir, int limit) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (dir != null) {
            where = " WHERE path LIKE ?";
            args.add((dir.endsWith("/") ? dir : dir + "/") + "%");
        }
        args.add(limit);
        return db.query("SELECT * FROM caltables" + where + " ORDER BY created_at DESC, path LIMIT ?",
                args.toArray()).stream().map(CalibrationViews::info).toList();
    }

    /** The ms_index row of a path (also tried with a leading slash, as greedy paths may lose it). */
    public Optional<Map<String, Object>> ms(String msPath) {
        Optional<Map<String, Object>> row = db.one("SELECT * FROM ms_index WHERE path = ?", msPath);
        if (row.isEmpty() && !msPath.startsWith("/")) {
            row = db.one("SELECT * FROM ms_index WHERE path = ?", "/" + msPath);
        }
        return row;
    }

    public Optional<Map<String, Object>> caltable(String path) {
        Optional<Map<String, Object>> row = db.one("SELECT * FROM caltables WHERE path = ?", path);
        if (row.isEmpty() && !path.startsWith("/")) {
            row = db.one("SELECT * FROM caltables WHERE path = ?", "/" + path);
        }
        return row;
    }

    /**
     * ExistingCalTables: active tables solved on this file or whose validity window covers its mid time, by kind
     * (K delay; BA/BP bandpass; GA/GP/2G gains), plus the seed's flat list with a compatibility verdict.
     */
    public ExistingCalTables existing(Map<String, Object> ms) {
        String path = (String) ms.get("path");
        Number mid = (Number) ms.get("mid_mjd");
        List<Map<String, Object>> rows = mid == null
                ? db.query("SELECT * FROM caltables WHERE status = 'active' AND ms_path = ? "
                        + "ORDER BY order_index, created_at DESC", path)
                : db.query("SELECT * FROM caltables WHERE status = 'active' AND (ms_path = ? OR "
                        + "(valid_start_mjd <= ? AND valid_end_mjd >= ?)) ORDER BY order_index, created_at DESC",
                        path, mid.doubleValue(), mid.doubleValue());
        List<ExistingTable> k = existingOf(rows, K_TYPES);
        List<ExistingTable> bp = existingOf(rows, BP_TYPES);
        List<ExistingTable> g = existingOf(rows, G_TYPES);
        List<FlatTable> flat = new ArrayList<>();
        for (Map<String, Object> t : rows) {
            flat.add(new FlatTable(str(t, "path"), str(t, "table_type"), (Instant) t.get("created_at"),
                    validate(ms, t).isCompatible()));
        }
        return new ExistingCalTables(path, k, bp, g, !k.isEmpty(), !bp.isEmpty(), !g.isEmpty(), flat);
    }

    private static List<ExistingTable> existingOf(List<Map<String, Object>> rows, List<String> types) {
        Instant now = Instant.now();
        List<ExistingTable> out = new ArrayList<>();
        for (Map<String, Object> t : rows) {
            if (!types.contains(t.get("table_type"))) {
                continue;
            }
            Instant modified = modified(t);
            out.add(new ExistingTable(str(t, "path"), str(t, "filename"), str(t, "table_type"),
                    sizeMb(t.get("size_bytes")), modified,
                    Math.round(Duration.between(modified, now).toSeconds() / 36.0) / 100.0));
        }
        return out;
    }

    /**
     * CalTableCompatibility of a registered table with an indexed visibility file: the file's time range must lie in
     * the table's validity window, every antenna of the file should have unflagged solutions, and the table's
     * frequency range must cover the file's. Problems that make applying wrong are issues; partial coverage and
     * unknowns are warnings.
     */
    public Compatibility validate(Map<String, Object> ms, Map<String, Object> table) {
        List<String> issues = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if ("retired".equals(table.get("status"))) {
            warnings.add("the table is retired");
        }
        checkTime(ms, table, issues, warnings);
        List<Integer> msAntennas = new ArrayList<>();
        Number nAnt = (Number) ms.get("num_antennas");
        if (nAnt != null) {
            for (int i = 0; i < nAnt.intValue(); i++) {
                msAntennas.add(i);
            }
        }
        long tableId = ((Number) table.get("id")).longValue();
        List<Integer> calAntennas = db.query("SELECT DISTINCT antenna_id FROM calibration_solutions "
                + "WHERE caltable_id = ? AND flagged = FALSE ORDER BY antenna_id", tableId).stream()
                .map(r -> ((Number) r.get("antenna_id")).intValue()).toList();
        checkAntennas(msAntennas, calAntennas, nAnt != null, issues, warnings);
        Double msLo = number(ms.get("freq_min_ghz"));
        Double msHi = number(ms.get("freq_max_ghz"));
        Double calLo = number(table.get("freq_min_ghz"));
        Double calHi = number(table.get("freq_max_ghz"));
        checkFrequency(msLo, msHi, calLo, calHi, issues, warnings);
        return new Compatibility(issues.isEmpty(), issues.isEmpty(), str(table, "path"), str(ms, "path"), issues,
                warnings, msAntennas, calAntennas, msLo, msHi, calLo, calHi);
    }

    private static void checkTime(Map<String, Object> ms, Map<String, Object> table, List<String> issues,
            List<String> warnings) {
        Double start = number(ms.get("start_mjd"));
        Double end = number(ms.get("end_mjd"));
        Double vs = number(table.get("valid_start_mjd"));
        Double ve = number(table.get("valid_end_mjd"));
        if (start == null || end == null) {
            warnings.add("the time range of the visibility file is unknown");
        } else if (vs == null || ve == null) {
            warnings.add("the table has no validity window");
        } else if (end < vs || start > ve) {
            double hours = (start > ve ? start - ve : vs - end) * 24;
            issues.add(String.format("the observation lies %.2f h outside the table's validity window", hours));
        } else if (start < vs || end > ve) {
            warnings.add("the observation extends beyond the table's validity window");
        }
    }

    private static void checkAntennas(List<Integer> msAntennas, List<Integer> calAntennas, boolean known,
            List<String> issues, List<String> warnings) {
        if (calAntennas.isEmpty()) {
            issues.add("the table has no unflagged solutions");
            return;
        }
        if (!known) {
            warnings.add("the antenna list of the visibility file is unknown");
            return;
        }
        TreeSet<Integer> missing = new TreeSet<>(msAntennas);
        missing.removeAll(calAntennas);
        if (missing.size() == msAntennas.size()) {
            issues.add("no antenna of the visibility file has a solution in the table");
        } else if (!missing.isEmpty()) {
            warnings.add(missing.size() + " of " + msAntennas.size() + " antennas have no unflagged solution "
                    + "and will be flagged: " + missing);
        }
    }

    private static void checkFrequency(Double msLo, Double msHi, Double calLo, Double calHi, List<String> issues,
            List<String> warnings) {
        if (msLo == null || msHi == null) {
            warnings.add("the frequency range of the visibility file is unknown");
        } else if (calLo == null || calHi == null) {
            warnings.add("the frequency range of the table is unknown");
        } else {
            double lo = Math.max(Math.min(msLo, msHi), Math.min(calLo, calHi));
            double hi = Math.min(Math.max(msLo, msHi), Math.max(calLo, calHi));
            double width = Math.abs(msHi - msLo);
            if (hi < lo) {
                issues.add("the table's frequency range does not overlap the observation's");
            } else if (width > 0 && hi - lo < width * (1 - 1e-9)) {
                warnings.add(String.format("the table covers %.1f%% of the observation's band",
                        100 * (hi - lo) / width));
            }
        }
    }

    /** A caltable's last modification: the file's, else its registration. */
    private static Instant modified(Map<String, Object> t) {
        return (Instant) (t.get("modified_at") != null ? t.get("modified_at") : t.get("created_at"));
    }

    static CalTableInfo info(Map<String, Object> t) {
        // seed 001 names and the registry's links
        return new CalTableInfo(str(t, "path"), str(t, "filename"), str(t, "table_type"), sizeMb(t.get("size_bytes")),
                modified(t), str(t, "table_type"), (Instant) t.get("created_at"), str(t, "ms_path"),
                str(t, "set_name"), str(t, "status"), number(t.get("valid_start_mjd")),
                number(t.get("valid_end_mjd")));
    }

    private static String str(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    private static Double sizeMb(Object bytes) {
        return bytes == null ? 0.0 : ((Number) bytes).doubleValue() / 1e6;
    }

    private static Double number(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static boolean covers(Object start, Object end, double mjd) {
        return start != null && end != null && ((Number) start).doubleValue() <= mjd
                && ((Number) end).doubleValue() >= mjd;
    }

    private static String iso(Object mjd) {
        return mjd == null ? null : MsCatalog.instant(((Number) mjd).doubleValue()).toString();
    }
}
