package org.dsa110.contimg.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.dsa110.contimg.calibration.AntennaHealth;
import org.dsa110.contimg.calibration.CalibrationQuality;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.monitoring.TimeWindow;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.dsa110.contimg.plots.SkyPlots;

/** /api/calibration-quality/* and /api/antenna-health/*, from the stored calibration solutions. */
public class CalibrationQualityApi extends ApiRoutes {
    private static final DateTimeFormatter BIN_LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private static final String BATCH = "Only the calibration tables of this batch job";

    @Override
    public void configure() {
        CalibrationQuality quality = lookup("calibrationQuality", CalibrationQuality.class);
        AntennaHealth antennas = lookup("antennaHealth", AntennaHealth.class);
        PlotCache plots = new PlotCache(lookup("hubCache", HubCache.class));

        get("/calibration-quality/metrics", "calibration-quality.metrics",
                "Per calibration table solved in the window: solutions, flagged fraction, SNR; summaries", req -> {
                    int hours = hours(req, 168);
                    return quality.metrics(TimeWindow.lastHours(hours).start(), hours);
                }).queryInt("hours", 168, 1, 24 * 365).returns(CalibrationQuality.Metrics.class);
        get("/calibration-quality/plots/snr-trends", "calibration-quality.plots.snr-trends",
                "PNG: mean SNR of each calibration table over time, by table type", req -> {
                    int hours = hours(req, 168);
                    return plots.png(PlotCache.key("calibration-quality/snr-trends", "hours=" + hours,
                            antennas.version()), () -> snrTrends(quality, TimeWindow.lastHours(hours)));
                }).queryInt("hours", 168, 1, 24 * 365).returnsMedia(200, "image/png", "PNG plot");

        get("/antenna-health/metrics", "antenna-health.metrics",
                "Per antenna: gain amplitude/phase stability, SNR, flagged fraction, outlier flags; refant report",
                req -> {
                    int hours = hours(req, 24);
                    return antennas.metrics(scope(req, hours), hours);
                }).queryInt("hours", 24, 1, 24 * 365).queryInt("batch_id", 1, Integer.MAX_VALUE, BATCH)
                .returns(AntennaHealth.Metrics.class);
        plot(plots, antennas, "heatmap", "PNG: mean gain amplitude per antenna and time bin",
                (req, w) -> heatmap(antennas, scope(req, w), w));
        plot(plots, antennas, "refant-report", "PNG: reference-antenna candidates: flagged % and phase rms",
                (req, w) -> refant(antennas, scope(req, w), w));
        get("/antenna-health/plots/stability-trends", "antenna-health.plots.stability-trends",
                "PNG: gain amplitude over time of the least stable antennas", req -> {
                    int hours = hours(req, 24);
                    int topN = req.intQuery("top_n", 10, 1, 50);
                    Long batch = batchId(req);
                    return plots.png(PlotCache.key("antenna-health/stability-trends", "hours=" + hours + ",top="
                            + topN + ",batch=" + batch, antennas.version()), () -> stability(antennas,
                                    new AntennaHealth.Scope(TimeWindow.lastHours(hours).start(), batch),
                                    TimeWindow.lastHours(hours), topN));
                })
                .queryInt("top_n", 10, 1, 50).queryInt("hours", 24, 1, 24 * 365)
                .queryInt("batch_id", 1, Integer.MAX_VALUE, BATCH).returnsMedia(200, "image/png", "PNG plot");
    }

    private interface Render {
        Plot apply(ApiRequest req, TimeWindow w);
    }

    private void plot(PlotCache plots, AntennaHealth antennas, String name, String summary, Render render) {
        get("/antenna-health/plots/" + name, "antenna-health.plots." + name, summary, req -> {
            int hours = hours(req, 24);
            Long batch = batchId(req);
            return plots.png(PlotCache.key("antenna-health/" + name, "hours=" + hours + ",batch=" + batch,
                    antennas.version()), () -> render.apply(req, TimeWindow.lastHours(hours)));
        }).queryInt("hours", 24, 1, 24 * 365).queryInt("batch_id", 1, Integer.MAX_VALUE, BATCH)
                .returnsMedia(200, "image/png", "PNG plot");
    }

    static int hours(ApiRequest req, int defaultHours) {
        return req.intQuery("hours", defaultHours, 1, 24 * 365);
    }

    private static Long batchId(ApiRequest req) {
        return req.query("batch_id") == null ? null : (long) req.intQuery("batch_id", 0, 1, Integer.MAX_VALUE);
    }

    private static AntennaHealth.Scope scope(ApiRequest req, int hours) {
        return new AntennaHealth.Scope(TimeWindow.lastHours(hours).start(), batchId(req));
    }

    private static AntennaHealth.Scope scope(ApiRequest req, TimeWindow w) {
        return new AntennaHealth.Scope(w.start(), batchId(req));
    }

    static Plot snrTrends(CalibrationQuality quality, TimeWindow w) {
        Map<String, List<Instant>> times = new TreeMap<>();
        Map<String, List<Double>> values = new TreeMap<>();
        for (CalibrationQuality.Table t : quality.tables(w.start())) {
            if (t.snrMean() == null) {
                continue;
            }
            times.computeIfAbsent(t.tableType(), k -> new ArrayList<>()).add(t.createdAt());
            values.computeIfAbsent(t.tableType(), k -> new ArrayList<>()).add(t.snrMean());
        }
        String title = PerformanceApi.title("Calibration SNR", w);
        if (times.isEmpty()) {
            return Plots.noData(title, "no calibration solutions in the window");
        }
        List<Plots.TimeSeries> lines = new ArrayList<>();
        times.forEach((type, t) -> lines.add(new Plots.TimeSeries(type + " tables", t, values.get(type))));
        return Plots.timeSeries(title, "Mean SNR of unflagged solutions", lines);
    }

    static Plot heatmap(AntennaHealth antennas, AntennaHealth.Scope scope, TimeWindow w) {
        List<AntennaHealth.GainPoint> gains = antennas.gains(scope);
        String title = PerformanceApi.title("Gain amplitude per antenna", w);
        if (gains.isEmpty()) {
            return Plots.noData(title, "no gain solutions in the window");
        }
        TreeMap<Integer, Integer> rowOf = new TreeMap<>();
        gains.forEach(g -> rowOf.putIfAbsent(g.antenna(), 0));
        int r = 0;
        for (Integer a : rowOf.keySet()) {
            rowOf.put(a, r++);
        }
        int bins = w.binCount();
        double[][] sum = new double[rowOf.size()][bins];
        int[][] n = new int[rowOf.size()][bins];
        for (AntennaHealth.GainPoint g : gains) {
            int b = w.binOf(g.time());
            if (b >= 0) {
                sum[rowOf.get(g.antenna())][b] += g.amplitude();
                n[rowOf.get(g.antenna())][b]++;
            }
        }
        List<Integer> used = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            for (int[] row : n) {
                if (row[b] > 0) {
                    used.add(b);
                    break;
                }
            }
        }
        if (used.isEmpty()) {
            return Plots.noData(title, "no gain solutions in the window");
        }
        Double[][] values = new Double[rowOf.size()][used.size()];
        for (int a = 0; a < rowOf.size(); a++) {
            for (int c = 0; c < used.size(); c++) {
                int b = used.get(c);
                values[a][c] = n[a][b] == 0 ? null : sum[a][b] / n[a][b];
            }
        }
        List<String> columns = used.stream().map(b -> BIN_LABEL.format(w.start().plus(w.bin().multipliedBy(b))))
                .toList();
        List<String> rows = rowOf.keySet().stream().map(String::valueOf).toList();
        return SkyPlots.heatMap(title, "Time bin start (UTC)", "Antenna", columns, rows, values, "0.00");
    }

    static Plot refant(AntennaHealth antennas, AntennaHealth.Scope scope, TimeWindow w) {
        List<AntennaHealth.Stats> stats = antennas.stats(scope);
        AntennaHealth.RefantReport report = antennas.refantReport(scope, stats);
        String title = PerformanceApi.title("Reference antenna candidates", w) + " (recommended: "
                + report.recommended() + ", in use: " + report.current() + ")";
        List<AntennaHealth.Stats> ranked = AntennaHealth.ranked(stats).stream().limit(20).toList();
        if (ranked.isEmpty()) {
            return Plots.noData(PerformanceApi.title("Reference antenna candidates", w),
                    "no antenna with gain solutions in the window");
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("flagged solutions (%)", ranked.stream().map(s -> 100 * s.flaggedFraction()).toList());
        series.put("phase rms (deg)", ranked.stream().map(s -> s.phaseStdDeg() == null ? 0.0 : s.phaseStdDeg())
                .toList());
        return Plots.bars(title, "Antenna (best first)", "Flagged (%) / phase rms (deg)",
                ranked.stream().map(s -> String.valueOf(s.antenna())).toList(), series);
    }

    static Plot stability(AntennaHealth antennas, AntennaHealth.Scope scope, TimeWindow w, int topN) {
        String title = PerformanceApi.title("Least stable gain amplitudes", w);
        List<AntennaHealth.Stats> worst = antennas.stats(scope).stream().filter(s -> s.ampCv() != null)
                .sorted(Comparator.comparingDouble(AntennaHealth.Stats::ampCv).reversed()).limit(topN).toList();
        if (worst.isEmpty()) {
            return Plots.noData(title, "no antenna with two or more gain solutions in the window");
        }
        Map<Integer, List<AntennaHealth.GainPoint>> byAntenna = new LinkedHashMap<>();
        worst.forEach(s -> byAntenna.put(s.antenna(), new ArrayList<>()));
        for (AntennaHealth.GainPoint g : antennas.gains(scope)) {
            List<AntennaHealth.GainPoint> l = byAntenna.get(g.antenna());
            if (l != null) {
                l.add(g);
            }
        }
        Function<List<AntennaHealth.GainPoint>, List<Instant>> t = l -> l.stream()
                .map(AntennaHealth.GainPoint::time).toList();
        List<Plots.TimeSeries> lines = new ArrayList<>();
        byAntenna.forEach((a, l) -> lines.add(new Plots.TimeSeries("ant " + a, t.apply(l),
                l.stream().map(AntennaHealth.GainPoint::amplitude).toList())));
        return Plots.timeSeries(title, "Gain amplitude (relative)", lines);
    }
}
