package org.dsa110.contimg.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.monitoring.DiskUsage;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;

/** /api/disk-usage/current and its plots (current usage; linear projection of the sampled history). */
public class DiskUsageApi extends ApiRoutes {
    static final double GB = 1e9;

    @Override
    public void configure() {
        DiskUsage disk = lookup("diskUsage", DiskUsage.class);
        PlotCache plots = new PlotCache(lookup("hubCache", HubCache.class));

        get("/disk-usage/current", "disk-usage.current",
                "Bytes under incoming, staging, products and scratch, their volumes and days until full",
                req -> disk.current())
                .returns(DiskUsage.Current.class);
        get("/disk-usage/plots/current", "disk-usage.plots.current",
                "PNG: data under each root and free space on its volume (GB)",
                req -> plots.png(PlotCache.key("disk-usage/current", "roots",
                        String.valueOf(Instant.now().getEpochSecond() / 60)), () -> currentPlot(disk)))
                .returnsMedia(200, "image/png", "Bar chart (X-Plot-Empty: true when there is no data)");
        get("/disk-usage/plots/projection", "disk-usage.plots.projection",
                "PNG: sampled volume use with its least-squares trend over the next `days` days", req -> {
                    int days = req.intQuery("days", 30, 1, 3650);
                    return plots.png(PlotCache.key("disk-usage/projection", "days=" + days, disk.historyVersion()),
                            () -> projectionPlot(disk, days));
                })
                .queryInt("days", 30, 1, 3650)
                .returnsMedia(200, "image/png", "Time series (X-Plot-Empty: true when there is no data)");
    }

    static Plot currentPlot(DiskUsage disk) {
        List<String> roots = new ArrayList<>();
        List<Double> used = new ArrayList<>();
        List<Double> free = new ArrayList<>();
        for (DiskUsage.RootUse r : disk.current().roots()) {
            roots.add(r.name());
            used.add(r.usedBytes() / GB);
            free.add(r.volume() == null ? null : r.volume().free() / GB);
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("data under root", used);
        series.put("free on its volume", free);
        return Plots.bars("Disk usage by data root", "Data root", "Size (GB)", roots, series);
    }

    static Plot projectionPlot(DiskUsage disk, int days) {
        String title = "Disk usage projection, next " + days + " days";
        List<Plots.TimeSeries> series = new ArrayList<>();
        Instant end = Instant.now().plus(Duration.ofDays(days));
        List<String> fullness = new ArrayList<>();
        for (DiskUsage.Projection p : disk.projections()) {
            if (p.trend() == null) {
                continue; // fewer than two samples of this volume
            }
            String label = p.mountPoint() + " (" + String.join(", ", p.roots()) + ")";
            series.add(new Plots.TimeSeries(label + " used", p.times(),
                    p.usedBytes().stream().map(b -> b / GB).toList()));
            Instant first = p.times().get(0);
            series.add(new Plots.TimeSeries(label + " trend", List.of(first, end),
                    List.of(p.trend().at(seconds(first)) / GB, p.trend().at(seconds(end)) / GB), true));
            series.add(new Plots.TimeSeries(label + " capacity", List.of(first, end),
                    List.of(p.total() / GB, p.total() / GB), true));
            if (p.daysUntilFull() != null) {
                fullness.add(String.format("%s full in %.1f d", p.mountPoint(), p.daysUntilFull()));
            }
        }
        if (series.isEmpty()) {
            return Plots.noData(title, "not enough history: at least two disk-usage samples are needed");
        }
        if (!fullness.isEmpty()) {
            title += " (" + String.join("; ", fullness) + ")";
        }
        return Plots.timeSeries(title, "Used space on volume (GB)", series);
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
