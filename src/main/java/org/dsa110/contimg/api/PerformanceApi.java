package org.dsa110.contimg.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.monitoring.PerformanceMetrics;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.monitoring.TimeWindow;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.dsa110.contimg.store.Db;

/**
 * /api/performance (the result cache's performance, as the legacy /api/cache/performance, with the pipeline's
 * throughput of the last day), /api/performance/metrics (stage durations, throughput, failure rates) and plots.
 */
public class PerformanceApi extends ApiRoutes {

    /**
     * GET /api/performance (also /api/cache/performance): the cache's figures nested under {@code cache} and, for
     * the dashboard's cache tab, its hit/miss figures at the top level too.
     */
    public record Performance(Instant timestamp, HubCache.Stats cache, long cachedPlots, Map<String, Object> database,
            @JsonProperty("pipeline_24h") PerformanceMetrics.ExecutionStats pipeline24h, double hitRate,
            double missRate, long totalRequests, long hits, long misses, String backendType) {
    }

    @Override
    public void configure() {
        PerformanceMetrics perf = lookup("performanceMetrics", PerformanceMetrics.class);
        HubCache cache = lookup("hubCache", HubCache.class);
        Db db = lookup("db", Db.class);
        PlotCache plots = new PlotCache(cache);

        get("/performance", "performance", "Result-cache performance, statement timings and pipeline throughput",
                req -> {
                    HubCache.Stats stats = cache.stats();
                    Map<String, Object> queries = new LinkedHashMap<>();
                    queries.put("statements", db.queryStats().statements());
                    queries.put("slow_queries", db.queryStats().slowStatements());
                    queries.put("mean_ms", Math.round(db.queryStats().meanMillis() * 1000.0) / 1000.0);
                    return new Performance(Instant.now(), stats,
                            cache.keys(PlotCache.PREFIX + "*", Integer.MAX_VALUE).size(), queries,
                            perf.executionStats(TimeWindow.lastHours(24)), stats.hitRate(), stats.missRate(),
                            stats.requests(), stats.hits(), stats.misses(), stats.backendType());
                }).returns(Performance.class);
        get("/performance/metrics", "performance.metrics",
                "Per-stage durations, throughput and failure rates, executions and writer timings (hours)",
                req -> perf.metrics(hours(req)))
                .queryInt("hours", 24, 1, 24 * 365).returns(PerformanceMetrics.PerformanceReport.class);
        plot(plots, perf, "stage-duration", "PNG: mean, median and p95 duration per stage (s)",
                w -> stageDuration(perf, w));
        plot(plots, perf, "throughput", "PNG: completed stage runs per hour", w -> throughput(perf, w));
        plot(plots, perf, "failure-rate", "PNG: failed fraction of finished runs per stage (%)",
                w -> failureRate(perf, w));
        plot(plots, perf, "writer-comparison", "PNG: conversion time per writer (s)", w -> writers(perf, w));
    }

    private void plot(PlotCache plots, PerformanceMetrics perf, String name, String summary,
            Function<TimeWindow, Plot> render) {
        get("/performance/plots/" + name, "performance.plots." + name, summary, req -> {
            int hours = hours(req);
            return plots.png(PlotCache.key("performance/" + name, "hours=" + hours, perf.dataVersion()),
                    () -> render.apply(TimeWindow.lastHours(hours)));
        })
                .queryInt("hours", 24, 1, 24 * 365)
                .returnsMedia(200, "image/png", "Plot (X-Plot-Empty: true when there is no data)");
    }

    static int hours(ApiRequest req) {
        return req.intQuery("hours", 24, 1, 24 * 365);
    }

    static Plot stageDuration(PerformanceMetrics perf, TimeWindow w) {
        List<String> stages = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("mean", new ArrayList<>());
        series.put("median", new ArrayList<>());
        series.put("p95", new ArrayList<>());
        for (PerformanceMetrics.StageStats s : perf.stageStats(w)) {
            if (s.meanDurationSec() == null) {
                continue;
            }
            stages.add(s.stageName());
            series.get("mean").add(s.meanDurationSec());
            series.get("median").add(s.medianDurationSec());
            series.get("p95").add(s.p95DurationSec());
        }
        return stages.isEmpty() ? Plots.noData(title("Stage duration", w), "no completed stage runs in the window")
                : Plots.bars(title("Stage duration", w), "Stage", "Duration (s)", stages, series);
    }

    static Plot throughput(PerformanceMetrics perf, TimeWindow w) {
        double perHour = w.bin().toMinutes() / 60.0;
        List<Plots.TimeSeries> lines = new ArrayList<>();
        perf.completionsPerBin(w).forEach((stage, counts) -> {
            List<Double> rate = new ArrayList<>();
            for (double c : counts) {
                rate.add(c / perHour);
            }
            lines.add(new Plots.TimeSeries(stage, w.binCentres(), rate));
        });
        return lines.isEmpty() ? Plots.noData(title("Throughput", w), "no completed stage runs in the window")
                : Plots.timeSeries(title("Throughput", w), "Completed runs per hour", lines);
    }

    static Plot failureRate(PerformanceMetrics perf, TimeWindow w) {
        List<String> stages = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (PerformanceMetrics.StageStats s : perf.stageStats(w)) {
            if (s.failureRate() != null) {
                stages.add(s.stageName());
                rates.add(100.0 * s.failureRate());
            }
        }
        return stages.isEmpty() ? Plots.noData(title("Failure rate", w), "no finished stage runs in the window")
                : Plots.bars(title("Failure rate", w), "Stage", "Failed runs (%)", stages, Map.of("failure rate", rates));
    }

    static Plot writers(PerformanceMetrics perf, TimeWindow w) {
        List<String> names = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("mean", new ArrayList<>());
        series.put("median", new ArrayList<>());
        for (PerformanceMetrics.WriterStats s : perf.writerStats(w)) {
            names.add(s.writerType() + " (n=" + s.groups() + ")");
            series.get("mean").add(s.meanTotalTimeSec());
            series.get("median").add(s.medianTotalTimeSec());
        }
        return names.isEmpty() ? Plots.noData(title("Writer comparison", w), "no timed conversions in the window")
                : Plots.bars(title("Writer comparison", w), "Writer", "Total processing time (s)", names, series);
    }

    static String title(String what, TimeWindow w) {
        return what + ", last " + Math.round(w.hours()) + " h";
    }
}
