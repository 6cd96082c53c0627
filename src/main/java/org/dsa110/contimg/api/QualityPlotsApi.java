package org.dsa110.contimg.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dsa110.contimg.monitoring.EseTrends;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.monitoring.MosaicQuality;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.monitoring.TimeWindow;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.dsa110.contimg.plots.SkyPlots;

/** /api/mosaic-quality/* and the ESE candidate plots /api/ese-candidates/plots/*. */
public class QualityPlotsApi extends ApiRoutes {

    @Override
    public void configure() {
        MosaicQuality mosaics = lookup("mosaicQuality", MosaicQuality.class);
        EseTrends ese = lookup("eseTrends", EseTrends.class);
        PlotCache plots = new PlotCache(lookup("hubCache", HubCache.class));

        get("/mosaic-quality/metrics", "mosaic-quality.metrics",
                "Mosaics built in the window: noise, dynamic range, counts", req -> {
                    int hours = CalibrationQualityApi.hours(req, 168);
                    return mosaics.metrics(TimeWindow.lastHours(hours).start(), hours);
                })
                .queryInt("hours", 168, 1, 24 * 365).returns(MosaicQuality.MosaicQualityReport.class);
        get("/mosaic-quality/plots/dynamic-range", "mosaic-quality.plots.dynamic-range",
                "PNG: dynamic range (peak / noise) of each mosaic over time", req -> {
                    int hours = CalibrationQualityApi.hours(req, 168);
                    return plots.png(PlotCache.key("mosaic-quality/dynamic-range", "hours=" + hours,
                            mosaics.version()), () -> mosaicSeries(mosaics, TimeWindow.lastHours(hours),
                                    "Mosaic dynamic range", MosaicQuality.MosaicRow::dynamicRange,
                                    "Dynamic range (peak / noise)"));
                })
                .queryInt("hours", 168, 1, 24 * 365)
                .returnsMedia(200, "image/png", "Time series (X-Plot-Empty: true when there is no data)");
        get("/mosaic-quality/plots/rms-trends", "mosaic-quality.plots.rms-trends",
                "PNG: noise (median effective rms, mJy/beam) of each mosaic over time", req -> {
                    int hours = CalibrationQualityApi.hours(req, 168);
                    return plots.png(PlotCache.key("mosaic-quality/rms-trends", "hours=" + hours, mosaics.version()),
                            () -> mosaicSeries(mosaics, TimeWindow.lastHours(hours), "Mosaic noise",
                                    MosaicQuality.MosaicRow::noiseMjy, "Noise (mJy/beam)"));
                })
                .queryInt("hours", 168, 1, 24 * 365)
                .returnsMedia(200, "image/png", "Time series (X-Plot-Empty: true when there is no data)");

        get("/ese-candidates/plots/flux-variations", "ese-candidates.plots.flux-variations",
                "PNG: light curves of the most significant ESE candidates (mJy)", req -> {
                    double minSigma = minSigma(req);
                    return plots.png(PlotCache.key("ese/flux-variations", "min_sigma=" + minSigma, ese.version()),
                            () -> fluxVariations(ese, minSigma));
                })
                .queryNumber("min_sigma", 3.0, 0, 1000, null)
                .returnsMedia(200, "image/png", "Light curves (X-Plot-Empty: true when there is no data)");
        get("/ese-candidates/plots/sky-distribution", "ese-candidates.plots.sky-distribution",
                "PNG: sky positions of ESE candidates by significance", req -> {
                    double minSigma = minSigma(req);
                    return plots.png(PlotCache.key("ese/sky-distribution", "min_sigma=" + minSigma, ese.version()),
                            () -> skyDistribution(ese, minSigma));
                })
                .queryNumber("min_sigma", 3.0, 0, 1000, null)
                .returnsMedia(200, "image/png", "Sky scatter (X-Plot-Empty: true when there is no data)");
    }

    private static double minSigma(ApiRequest req) {
        return req.doubleQuery("min_sigma", 3.0, 0, 1000);
    }

    static Plot mosaicSeries(MosaicQuality mosaics, TimeWindow w, String what,
            Function<MosaicQuality.MosaicRow, Double> value, String yTitle) {
        List<Instant> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (MosaicQuality.MosaicRow m : mosaics.mosaics(w.start())) {
            Double y = value.apply(m);
            if (y != null) {
                t.add(m.endTime()); // when its data end, as the window is chosen
                v.add(y);
            }
        }
        String title = PerformanceApi.title(what, w);
        return t.isEmpty() ? Plots.noData(title, "no measured mosaics in the window")
                : Plots.timeSeries(title, yTitle, List.of(new Plots.TimeSeries("mosaics", t, v)));
    }

    static Plot fluxVariations(EseTrends ese, double minSigma) {
        String title = "ESE candidate light curves (sigma >= " + SkyPlots.format(minSigma) + ")";
        List<Plots.TimeSeries> lines = new ArrayList<>();
        for (EseTrends.LightCurve c : ese.lightCurves(minSigma, 8)) {
            lines.add(new Plots.TimeSeries(c.sourceId() + " (" + SkyPlots.format(c.maxSigma()) + " sigma)", c.times(),
                    c.fluxMjy()));
        }
        return lines.isEmpty() ? Plots.noData(title, "no ESE candidates at this significance")
                : Plots.timeSeries(title, "Flux density (mJy)", lines);
    }

    static Plot skyDistribution(EseTrends ese, double minSigma) {
        String title = "ESE candidates on the sky (sigma >= " + SkyPlots.format(minSigma) + ")";
        List<Map<String, Object>> candidates = ese.candidates(minSigma);
        if (candidates.isEmpty()) {
            return Plots.noData(title, "no ESE candidates at this significance");
        }
        double[] edges = {minSigma, Math.max(minSigma, 5), Math.max(minSigma, 10), Double.POSITIVE_INFINITY};
        String[] names = {"< 5 sigma", "5-10 sigma", ">= 10 sigma"};
        List<SkyPlots.Points> groups = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            List<Double> ra = new ArrayList<>();
            List<Double> dec = new ArrayList<>();
            for (Map<String, Object> c : candidates) {
                double s = ((Number) c.get("max_sigma_dev")).doubleValue();
                if (s >= edges[k] && s < edges[k + 1]) {
                    ra.add(((Number) c.get("ra_deg")).doubleValue());
                    dec.add(((Number) c.get("dec_deg")).doubleValue());
                }
            }
            groups.add(new SkyPlots.Points(names[k], ra, dec));
        }
        return SkyPlots.scatter(title, "RA (deg)", "Dec (deg)", groups, true);
    }
}
