package org.dsa110.contimg.qa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;

/**
 * Plots of calibration solutions, rendered from {@code calibration_solutions} and cached in the hub cache under
 * keys that carry the table ids and their solution counts (new solutions are drawn at once):
 * per-antenna bandpass (amplitude and phase against frequency, one line per SPW and polarisation), the per-SPW
 * flagging plot of an MS, and the per-table plots amp_vs_freq, phase_vs_freq, amp_vs_time (and phase_vs_time).
 * Frequencies are channel centres from the table's freq_min/freq_max (GHz) when registered, else channel numbers.
 * Flagged solutions are not drawn.
 */
public final class CalibrationPlots {
    public static final List<String> PLOT_TYPES = List.of("amp_vs_freq", "phase_vs_freq", "amp_vs_time",
            "phase_vs_time");
    static final Pattern BANDPASS_FILE = Pattern.compile("bandpass_antenna_(\\d{1,5})\\.png");
    static final String[] POLS = {"XX", "YY"};

    private final Db db;
    private final CalibrationQa qa;
    private final HubCache cache;

    public CalibrationPlots(Db db, CalibrationQa qa, HubCache cache) {
        this.db = db;
        this.qa = qa;
        this.cache = cache;
    }

    private List<Map<String, Object>> bandpassTables(String msPath) {
        return qa.tablesOf(msPath).stream().filter(t -> "bp".equals(CalibrationQa.category(Rows.str(t,
                "table_type")))).toList();
    }

    /** Cache version of a set of tables: ids and solution counts. */
    private String version(List<Map<String, Object>> tables) {
        StringBuilder v = new StringBuilder();
        for (Map<String, Object> t : tables) {
            v.append(t.get("id")).append('-').append(db.scalarLong(
                    "SELECT COUNT(*) FROM calibration_solutions WHERE caltable_id = ?", t.get("id"))).append('.');
        }
        return v.toString();
    }

    /** GET /api/qa/calibration/{ms}/bandpass-plots. */
    public record BandpassPlots(String msPath, List<BandpassPlot> plots, int total) {
    }

    /** One antenna's plot: its file name and the URL that renders it. */
    public record BandpassPlot(String filename, Integer antenna, String path) {
    }

    /** The per-antenna bandpass plots of an MS (one per antenna with bandpass solutions). */
    public BandpassPlots bandpassList(String msPath) {
        List<Map<String, Object>> tables = bandpassTables(msPath);
        if (qa.tablesOf(msPath).isEmpty()) {
            throw HubException.notFound("calibration tables of MS", msPath);
        }
        List<BandpassPlot> plots = new ArrayList<>();
        String ms = qa.canonical(msPath);
        for (Integer ant : antennas(tables)) {
            String name = "bandpass_antenna_" + ant + ".png";
            plots.add(new BandpassPlot(name, ant, "/api/qa/calibration/" + java.net.URLEncoder.encode(ms,
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/bandpass-plots/" + name));
        }
        return new BandpassPlots(ms, plots, plots.size());
    }

    private List<Integer> antennas(List<Map<String, Object>> tables) {
        if (tables.isEmpty()) {
            return List.of();
        }
        String in = "?" + ", ?".repeat(tables.size() - 1);
        return db.query("SELECT DISTINCT antenna_id FROM calibration_solutions WHERE caltable_id IN (" + in
                + ") ORDER BY antenna_id", tables.stream().map(t -> t.get("id")).toArray())
                .stream().map(r -> Rows.integer(r, "antenna_id")).toList();
    }

    /** One antenna's bandpass plot by file name (bandpass_antenna_N.png); 404 for other names or antennas. */
    public Plot bandpass(String msPath, String filename) {
        Matcher m = BANDPASS_FILE.matcher(filename);
        List<Map<String, Object>> tables = bandpassTables(msPath);
        if (!m.matches() || tables.isEmpty()) {
            throw HubException.notFound("bandpass plot", filename);
        }
        int ant = Integer.parseInt(m.group(1));
        if (!antennas(tables).contains(ant)) {
            throw HubException.notFound("bandpass plot", filename);
        }
        String key = "plot:qa-bandpass:" + ant + ":v=" + version(tables);
        return cache.get(key, () -> {
            List<QaCharts.Series> amp = new ArrayList<>();
            List<QaCharts.Series> phase = new ArrayList<>();
            String xTitle = "Channel";
            for (Map<String, Object> t : tables) {
                FreqAxis axis = axis(t);
                xTitle = axis.title();
                Map<String, List<double[]>> lines = new TreeMap<>();
                for (Map<String, Object> r : db.query("SELECT spw, pol, channel, amplitude, phase_deg FROM "
                        + "calibration_solutions WHERE caltable_id = ? AND antenna_id = ? AND NOT flagged AND channel "
                        + "IS NOT NULL ORDER BY spw, pol, channel", t.get("id"), ant)) {
                    String name = "spw " + r.get("spw") + " " + pol(Rows.integer(r, "pol"))
                            + (tables.size() > 1 ? " " + t.get("table_type") + t.get("id") : "");
                    lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {
                            axis.x(Rows.integer(r, "channel")), Rows.dblOr(r, "amplitude", Double.NaN),
                            Rows.dblOr(r, "phase_deg", Double.NaN)});
                }
                lines.forEach((name, pts) -> {
                    amp.add(new QaCharts.Series(name, col(pts, 0), col(pts, 1)));
                    phase.add(new QaCharts.Series(name, col(pts, 0), col(pts, 2)));
                });
            }
            String title = "Bandpass, antenna " + ant;
            return QaCharts.stacked(title, List.of(
                    new QaCharts.Chart(title + ": amplitude", xTitle, "Gain amplitude", amp, false),
                    new QaCharts.Chart(title + ": phase", xTitle, "Gain phase (deg)", phase, false)));
        });
    }

    /** Flagged fraction per channel, one line per SPW, over the MS's bandpass tables (per SPW bars otherwise). */
    public Plot spwPlot(String msPath) {
        List<Map<String, Object>> all = qa.tablesOf(msPath);
        if (all.isEmpty()) {
            throw HubException.notFound("calibration tables of MS", msPath);
        }
        List<Map<String, Object>> bp = bandpassTables(msPath);
        String key = "plot:qa-spw:" + qa.canonical(msPath).hashCode() + ":v=" + version(all);
        return cache.get(key, () -> {
            String title = "Flagged calibration solutions per spectral window";
            if (bp.isEmpty()) {
                List<Map<String, Object>> stats = qa.perSpw(all.stream().map(t -> Rows.lng(t, "id")).toList());
                return Plots.bars(title, "Spectral window", "Flagged fraction",
                        stats.stream().map(s -> "spw " + s.get("spw_id")).toList(),
                        Map.of("flagged fraction", stats.stream().map(s -> (Double) s.get("fraction_flagged")).toList()));
            }
            FreqAxis axis = axis(bp.get(0));
            String in = "?" + ", ?".repeat(bp.size() - 1);
            Map<Integer, List<double[]>> bySpw = new TreeMap<>();
            for (Map<String, Object> r : db.query("SELECT spw, channel, COUNT(*) AS n, SUM(CASE WHEN flagged THEN 1 "
                    + "ELSE 0 END) AS nf FROM calibration_solutions WHERE caltable_id IN (" + in + ") AND channel IS "
                    + "NOT NULL GROUP BY spw, channel ORDER BY spw, channel", bp.stream().map(t -> t.get("id"))
                    .toArray())) {
                long n = Rows.lng(r, "n");
                bySpw.computeIfAbsent(Rows.integer(r, "spw"), s -> new ArrayList<>()).add(new double[] {
                        axis.x(Rows.integer(r, "channel")), n == 0 ? Double.NaN : Rows.lng(r, "nf") / (double) n});
            }
            List<QaCharts.Series> series = new ArrayList<>();
            bySpw.forEach((spw, pts) -> series.add(new QaCharts.Series("spw " + spw, col(pts, 0), col(pts, 1))));
            return QaCharts.png(new QaCharts.Chart(title, axis.title(), "Flagged fraction (antennas × pols)", series,
                    false));
        });
    }

    /** A plot of one calibration table by its registered path; 404 when no table has that path. */
    public Plot caltablePlot(String path, String plotType, Integer antenna) {
        Map<String, Object> t = null;
        for (String p : CalibrationQa.spellings(path)) {
            t = db.one("SELECT * FROM caltables WHERE path = ?", p).orElse(null);
            if (t != null) {
                break;
            }
        }
        if (t == null) {
            throw HubException.notFound("calibration table", path);
        }
        Map<String, Object> table = t;
        String key = "plot:qa-caltable:" + t.get("id") + ":" + plotType + ":" + antenna + ":v="
                + version(List.of(t));
        return cache.get(key, () -> render(table, plotType, antenna));
    }

    private Plot render(Map<String, Object> t, String plotType, Integer antenna) {
        boolean amp = plotType.startsWith("amp");
        boolean vsTime = plotType.endsWith("time");
        String what = amp ? "amplitude" : "phase";
        String title = t.get("table_type") + " table " + t.get("filename") + ": " + what + " vs "
                + (vsTime ? "time" : "frequency") + (antenna == null ? "" : ", antenna " + antenna);
        String yTitle = amp ? "Gain amplitude" : "Gain phase (deg)";
        String column = amp ? "amplitude" : "phase_deg";
        String antFilter = antenna == null ? "" : " AND antenna_id = " + antenna.intValue();
        // One line per antenna (polarisations averaged), or per polarisation for one antenna.
        String group = antenna == null ? "antenna_id" : "pol";
        if (vsTime) {
            List<Plots.TimeSeries> series = new ArrayList<>();
            Map<Integer, List<Object[]>> lines = new TreeMap<>();
            for (Map<String, Object> r : db.query("SELECT " + group + " AS g, time_mjd, AVG(" + column + ") AS v FROM "
                    + "calibration_solutions WHERE caltable_id = ? AND NOT flagged AND time_mjd IS NOT NULL" + antFilter
                    + " GROUP BY " + group + ", time_mjd ORDER BY " + group + ", time_mjd", t.get("id"))) {
                lines.computeIfAbsent(Rows.integer(r, "g"), k -> new ArrayList<>()).add(new Object[] {
                        SkyCoords.mjdToInstant(Rows.dbl(r, "time_mjd")), Rows.dbl(r, "v")});
            }
            lines.forEach((g, pts) -> series.add(new Plots.TimeSeries(antenna == null ? "ant " + g : pol(g),
                    pts.stream().map(p -> (Instant) p[0]).toList(), pts.stream().map(p -> (Double) p[1]).toList())));
            if (series.isEmpty()) {
                return Plots.noData(title, "no time-dependent solutions in this table (bandpass tables have none)");
            }
            return Plots.timeSeries(title, yTitle, series);
        }
        FreqAxis axis = axis(t);
        Map<Integer, List<double[]>> lines = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT " + group + " AS g, channel, AVG(" + column + ") AS v FROM "
                + "calibration_solutions WHERE caltable_id = ? AND NOT flagged AND channel IS NOT NULL" + antFilter
                + " GROUP BY " + group + ", channel ORDER BY " + group + ", channel", t.get("id"))) {
            lines.computeIfAbsent(Rows.integer(r, "g"), k -> new ArrayList<>()).add(new double[] {
                    axis.x(Rows.integer(r, "channel")), Rows.dblOr(r, "v", Double.NaN)});
        }
        if (lines.isEmpty()) {
            return Plots.noData(title, "no per-channel solutions in this table (gain tables have none)");
        }
        List<QaCharts.Series> series = new ArrayList<>();
        lines.forEach((g, pts) -> series.add(new QaCharts.Series(antenna == null ? "ant " + g : pol(g), col(pts, 0),
                col(pts, 1))));
        return QaCharts.png(new QaCharts.Chart(title, axis.title(), yTitle, series, false));
    }

    /** Channel → x: channel-centre frequency (GHz) when the table has its band edges, else the channel number. */
    record FreqAxis(double fMin, double step) {
        double x(int channel) {
            return Double.isNaN(step) ? channel : fMin + (channel + 0.5) * step;
        }

        String title() {
            return Double.isNaN(step) ? "Channel" : "Frequency (GHz)";
        }
    }

    private FreqAxis axis(Map<String, Object> t) {
        Double lo = Rows.dbl(t, "freq_min_ghz");
        Double hi = Rows.dbl(t, "freq_max_ghz");
        long maxChan = db.scalarLong("SELECT COALESCE(MAX(channel), -1) FROM calibration_solutions WHERE "
                + "caltable_id = ?", t.get("id"));
        if (lo == null || hi == null || !(hi > lo) || maxChan < 0) {
            return new FreqAxis(0, Double.NaN);
        }
        return new FreqAxis(lo, (hi - lo) / (maxChan + 1));
    }

    static String pol(Integer p) {
        return p != null && p >= 0 && p < POLS.length ? POLS[p] : "pol " + p;
    }

    private static double[] col(List<double[]> pts, int i) {
        double[] out = new double[pts.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = pts.get(k)[i];
        }
        return out;
    }
}
