package org.dsa110.contimg.calibration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** Active sets with validity and tables, and the newest solve per calibrator. */
    public Map<String, Object> status() {
        double nowMjd = MsCatalog.mjd(Instant.now());
        List<Map<String, Object>> sets = new ArrayList<>();
        for (Map<String, Object> s : db.query("SELECT set_name, cal_group_id, calibrator_name, created_at, "
                + "valid_start_mjd, valid_end_mjd FROM calibration_sets WHERE active = TRUE "
                + "ORDER BY created_at DESC, set_name")) {
            List<Map<String, Object>> tables = db.query("SELECT path, table_type, status FROM caltables "
                    + "WHERE set_name = ? ORDER BY order_index, path", s.get("set_name"));
            Map<String, Object> set = new LinkedHashMap<>(s);
            set.put("valid_start", iso(s.get("valid_start_mjd")));
            set.put("valid_end", iso(s.get("valid_end_mjd")));
            set.put("valid_now", covers(s.get("valid_start_mjd"), s.get("valid_end_mjd"), nowMjd));
            set.put("tables", tables.stream().map(t -> t.get("path")).toList());
            set.put("table_types", tables.stream().map(t -> t.get("table_type")).distinct().toList());
            set.put("active", tables.stream().filter(t -> "active".equals(t.get("status"))).count());
            set.put("total", tables.size());
            sets.add(set);
        }
        List<Map<String, Object>> lastSolve = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT calibrator_name, MAX(created_at) AS solved_at, COUNT(*) AS n "
                + "FROM calibration_sets WHERE calibrator_name IS NOT NULL GROUP BY calibrator_name "
                + "ORDER BY MAX(created_at) DESC")) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("calibrator_name", r.get("calibrator_name"));
            e.put("last_solved_at", r.get("solved_at"));
            e.put("n_sets", r.get("n"));
            db.one("SELECT set_name, cal_group_id FROM calibration_sets WHERE calibrator_name = ? "
                    + "ORDER BY created_at DESC, set_name DESC LIMIT 1", r.get("calibrator_name")).ifPresent(s -> {
                        e.put("set_name", s.get("set_name"));
                        e.put("cal_group_id", s.get("cal_group_id"));
                    });
            lastSolve.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active_sets", sets);
        out.put("calibration_sets", sets); // name used by /api/status
        out.put("n_active_sets", sets.size());
        out.put("n_valid_now", sets.stream().filter(s -> Boolean.TRUE.equals(s.get("valid_now"))).count());
        out.put("last_solve_per_calibrator", lastSolve);
        out.put("last_solve_at", lastSolve.isEmpty() ? null : lastSolve.get(0).get("last_solved_at"));
        out.put("tables_total", db.scalarLong("SELECT COUNT(*) FROM caltables"));
        out.put("tables_active", db.scalarLong("SELECT COUNT(*) FROM caltables WHERE status = 'active'"));
        out.put("timestamp", Instant.now());
        return out;
    }

    /** CalTableInfo rows, newest first, optionally only those under directory {@code dir}. */
    public List<Map<String, Object>> list(String dir, int limit) {
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
    public Map<String, Object> existing(Map<String, Object> ms) {
        String path = (String) ms.get("path");
        Number mid = (Number) ms.get("mid_mjd");
        List<Map<String, Object>> rows = mid == null
                ? db.query("SELECT * FROM caltables WHERE status = 'active' AND ms_path = ? "
                        + "ORDER BY order_index, created_at DESC", path)
                : db.query("SELECT * FROM caltables WHERE status = 'active' AND (ms_path = ? OR "
                        + "(valid_start_mjd <= ? AND valid_end_mjd >= ?)) ORDER BY order_index, created_at DESC",
                        path, mid.doubleValue(), mid.doubleValue());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ms_path", path);
        List<Map<String, Object>> k = existingOf(rows, K_TYPES);
        List<Map<String, Object>> bp = existingOf(rows, BP_TYPES);
        List<Map<String, Object>> g = existingOf(rows, G_TYPES);
        out.put("k_tables", k);
        out.put("bp_tables", bp);
        out.put("g_tables", g);
        out.put("has_k", !k.isEmpty());
        out.put("has_bp", !bp.isEmpty());
        out.put("has_g", !g.isEmpty());
        List<Map<String, Object>> flat = new ArrayList<>();
        for (Map<String, Object> t : rows) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", t.get("path"));
            e.put("type", t.get("table_type"));
            e.put("created_at", t.get("created_at"));
            e.put("compatible", validate(ms, t).get("is_compatible"));
            flat.add(e);
        }
        out.put("caltables", flat);
        return out;
    }

    private static List<Map<String, Object>> existingOf(List<Map<String, Object>> rows, List<String> types) {
        Instant now = Instant.now();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> t : rows) {
            if (!types.contains(t.get("table_type"))) {
                continue;
            }
            Map<String, Object> e = file(t);
            Instant modified = (Instant) e.get("modified_time");
            e.put("age_hours", Math.round(Duration.between(modified, now).toSeconds() / 36.0) / 100.0);
            out.add(e);
        }
        return out;
    }

    /**
     * CalTableCompatibility of a registered table with an indexed visibility file: the file's time range must lie in
     * the table's validity window, every antenna of the file should have unflagged solutions, and the table's
     * frequency range must cover the file's. Problems that make applying wrong are issues; partial coverage and
     * unknowns are warnings.
     */
    public Map<String, Object> validate(Map<String, Object> ms, Map<String, Object> table) {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("is_compatible", issues.isEmpty());
        out.put("compatible", issues.isEmpty()); // seed 001 name
        out.put("caltable_path", table.get("path"));
        out.put("ms_path", ms.get("path"));
        out.put("issues", issues);
        out.put("warnings", warnings);
        out.put("ms_antennas", msAntennas);
        out.put("caltable_antennas", calAntennas);
        out.put("ms_freq_min_ghz", msLo);
        out.put("ms_freq_max_ghz", msHi);
        out.put("caltable_freq_min_ghz", calLo);
        out.put("caltable_freq_max_ghz", calHi);
        return out;
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

    /** A caltable row as a file: path, name, type, size, last modification. */
    private static Map<String, Object> file(Map<String, Object> t) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("path", t.get("path"));
        e.put("filename", t.get("filename"));
        e.put("table_type", t.get("table_type"));
        e.put("size_mb", sizeMb(t.get("size_bytes")));
        e.put("modified_time", t.get("modified_at") != null ? t.get("modified_at") : t.get("created_at"));
        return e;
    }

    static Map<String, Object> info(Map<String, Object> t) {
        Map<String, Object> e = file(t);
        // seed 001 names and the registry's links
        e.put("type", t.get("table_type"));
        e.put("created_at", t.get("created_at"));
        e.put("ms_path", t.get("ms_path"));
        e.put("set_name", t.get("set_name"));
        e.put("status", t.get("status"));
        e.put("valid_start_mjd", t.get("valid_start_mjd"));
        e.put("valid_end_mjd", t.get("valid_end_mjd"));
        return e;
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
