package org.dsa110.contimg.api;

import org.dsa110.contimg.core.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.observing.ObservationTimeline;
import org.dsa110.contimg.observing.PointingHistory;
import org.dsa110.contimg.observing.PointingMonitor;
import org.dsa110.contimg.observing.SkyCoverage;
import org.dsa110.contimg.pipeline.ingest.StreamingService;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.plots.Plots;
import org.dsa110.contimg.plots.SkyPlots;
import org.dsa110.contimg.core.DataRoots;

/**
 * /api/pointing_history, /api/pointing/* (history, coverage sky maps as PNG and JSON), /api/pointing-monitor/status
 * and /api/observation_timeline (+ /plot). The sky maps show the observed coverage: how many recorded pointings'
 * half-power beams contain each position. The hub bundles no diffuse-sky model, so the legacy map types
 * {@code gsm}/{@code synthetic} are refused rather than imitated.
 */
public class PointingApi extends ApiRoutes {

    /**
     * GET /api/pointing/sky-map-data: hits per RA/Dec cell ({@code hits[dec][ra]}, cell centres in {@code ra_deg},
     * {@code dec_deg}). {@code available} is false (and the grid empty) for a map type the hub has no model for.
     */
    public record SkyMapGrid(String mapType, boolean available, String message, double frequencyMhz,
            Double beamRadiusDeg, long nPointings, String units, int resolution, List<Double> raDeg,
            List<Double> decDeg, int[][] hits, int maxHits) {
    }

    /** GET /api/pointing_history and /api/pointing/history (PointingHistoryList). */
    public record PointingList(List<PointingMonitor.PointingSample> items, long total) {
    }

    /** GET /api/pointing/mollweide-sky-map-data: hits per HEALPix pixel (RING ordering, equatorial J2000). */
    public record HealpixMap(String mapType, double frequencyMhz, double beamRadiusDeg, int nPointings, String units,
            int nside, String ordering, String coordinateSystem, int npix, int[] values, int maxHits) {
    }

    static final int MAX_SAMPLES = 1_000_000;
    static final String COVERAGE_UNIT = "pointings within the half-power beam";

    @Override
    public void configure() {
        PointingHistory history = lookup("pointingHistory", PointingHistory.class);
        PointingMonitor monitor = lookup("pointingMonitor", PointingMonitor.class);
        ObservationTimeline timeline = lookup("observationTimeline", ObservationTimeline.class);
        StreamingService streaming = lookup("streamingService", StreamingService.class);
        HubSettings settings = lookup("hubSettings", HubSettings.class);
        PlotCache plots = new PlotCache(lookup("hubCache", HubCache.class));

        get("/pointing_history", "pointing-history.list", "Pointing samples between two MJDs (PointingHistoryList)",
                req -> {
                    Double start = req.doubleQuery("start_mjd", null, 0, 1e6);
                    Double end = req.doubleQuery("end_mjd", null, 0, 1e6);
                    if (start != null && end != null && end < start) {
                        throw HubException.invalidParameter("end_mjd", end, "a value not before start_mjd");
                    }
                    List<PointingMonitor.PointingSample> items = history.range(start, end, req.intQuery("limit",
                            10000, 1, MAX_SAMPLES)).stream().map(PointingMonitor.PointingSample::of).toList();
                    return new PointingList(items, items.size());
                })
                .queryNumber("start_mjd", null, 0, 1e6, null)
                .queryNumber("end_mjd", null, 0, 1e6, null)
                .queryInt("limit", 10000, 1, MAX_SAMPLES)
                .returns(PointingList.class);
        get("/pointing/history", "pointing.history", "The most recent pointing samples, newest first", req -> {
            return new PointingList(history.recent(req.intQuery("limit", 10, 1, 100)).stream()
                    .map(PointingMonitor.PointingSample::of).toList(), history.count());
        })
                .queryInt("limit", 10, 1, 100)
                .returns(PointingList.class);
        get("/pointing/sky-map", "pointing.sky-map", "PNG: observed sky coverage, RA/Dec (plate carree)", req -> {
            mapType(req);
            double f = frequency(req);
            SkyPlots.Colormap cmap = cmap(req);
            return plots.png(PlotCache.key("pointing/sky-map", "f=" + f + ",cmap=" + cmap, history.version()),
                    () -> skyMap(history, f, cmap, SkyPlots.Projection.PLATE_CARREE));
        })
                .queryEnum("map_type", "coverage", "coverage")
                .queryNumber("frequency_mhz", 1400.0, 50, 50000, null)
                .queryEnum("cmap", "inferno", "inferno", "viridis", "gray")
                .returnsMedia(200, "image/png", "Sky map (X-Plot-Empty: true when no pointing is recorded)");
        get("/pointing/mollweide-sky-map", "pointing.mollweide-sky-map",
                "PNG: observed sky coverage, Mollweide projection", req -> {
                    double f = frequency(req);
                    SkyPlots.Colormap cmap = cmap(req);
                    return plots.png(PlotCache.key("pointing/mollweide", "f=" + f + ",cmap=" + cmap,
                            history.version()), () -> skyMap(history, f, cmap, SkyPlots.Projection.MOLLWEIDE));
                })
                .queryNumber("frequency_mhz", 1400.0, 50, 50000, null)
                .queryEnum("cmap", "inferno", "inferno", "viridis", "gray")
                .returnsMedia(200, "image/png", "Sky map (X-Plot-Empty: true when no pointing is recorded)");
        get("/pointing/sky-map-data", "pointing.sky-map-data",
                "Observed sky coverage on an RA/Dec grid (resolution = declination rows)", req -> {
                    double f = frequency(req);
                    int resolution = req.intQuery("resolution", 90, 10, 360);
                    String requested = req.query("map_type", "coverage");
                    if (!"coverage".equalsIgnoreCase(requested)) {
                        return unavailableMap(requested, f, resolution);
                    }
                    SkyCoverage cov = new SkyCoverage(history.range(null, null, MAX_SAMPLES), f);
                    int[][] grid = cov.grid(resolution);
                    List<Double> ra = new ArrayList<>();
                    for (int i = 0; i < 2 * resolution; i++) {
                        ra.add((i + 0.5) * 180.0 / resolution);
                    }
                    List<Double> dec = new ArrayList<>();
                    for (int j = 0; j < resolution; j++) {
                        dec.add(-90 + (j + 0.5) * 180.0 / resolution);
                    }
                    return new SkyMapGrid("coverage", true, null, f, cov.radiusDeg(), cov.samples(), COVERAGE_UNIT,
                            resolution, ra, dec, grid,
                            java.util.Arrays.stream(grid).mapToInt(SkyCoverage::max).max().orElse(0));
                })
                .queryNumber("frequency_mhz", 1400.0, 50, 50000, null)
                .queryInt("resolution", 90, 10, 360)
                .queryString("map_type", "Only coverage is served; other map types answer available=false")
                .returns(SkyMapGrid.class);
        get("/pointing/mollweide-sky-map-data", "pointing.mollweide-sky-map-data",
                "Observed sky coverage on a HEALPix RING grid (equatorial), for a Mollweide view", req -> {
                    double f = frequency(req);
                    int nside = req.intQuery("nside", 64, 1, 256);
                    if (Integer.bitCount(nside) != 1) {
                        throw HubException.invalidParameter("nside", nside, "a power of two in [1, 256]");
                    }
                    SkyCoverage cov = new SkyCoverage(history.range(null, null, MAX_SAMPLES), f);
                    int[] values = cov.healpix(nside);
                    return new HealpixMap("coverage", f, cov.radiusDeg(), cov.samples(), COVERAGE_UNIT, nside, "RING",
                            "equatorial J2000", values.length, values, SkyCoverage.max(values));
                })
                .queryNumber("frequency_mhz", 1400.0, 50, 50000, null)
                .queryInt("nside", 64, 1, 256)
                .returns(HealpixMap.class);
        get("/pointing-monitor/status", "pointing-monitor.status",
                "Current pointing, drift from the expected declination, last update", req -> monitor.status(
                        Instant.now()))
                .returns(PointingMonitor.Status.class);

        get("/observation_timeline", "observation-timeline",
                "When data were taken: segments of observations and the gaps above gap_threshold_hours", req -> {
                    double gap = gapHours(req);
                    String dir = dataDir(req);
                    int limit = req.intQuery("limit", 1000, 1, 100000);
                    return ObservationTimeline.document(timeline.compute(gap, dir, chunk(streaming)), gap, limit);
                })
                .queryNumber("gap_threshold_hours", 24.0, 0.001, 24 * 365, null)
                .queryString("data_dir", "Only files under this directory (inside the data roots)")
                .queryInt("limit", 1000, 1, 100000)
                .returns(ObservationTimeline.Document.class);
        get("/observation_timeline/plot", "observation-timeline.plot", "PNG: observation segments over time", req -> {
            double gap = gapHours(req);
            String dir = dataDir(req);
            int width = req.intQuery("width", 16, 4, 40) * 100;
            int height = req.intQuery("height", 4, 2, 20) * 100;
            return plots.png(PlotCache.key("observation-timeline", "gap=" + gap + ",dir=" + dir + ",w=" + width
                    + ",h=" + height, timeline.version()), () -> {
                        ObservationTimeline.Timeline t = timeline.compute(gap, dir, chunk(streaming));
                        List<SkyPlots.Interval> bars = t.segments().stream()
                                .map(s -> new SkyPlots.Interval(s.start(), s.end())).toList();
                        String title = "Observation timeline (" + t.segments().size() + " segments, gaps > " + gap
                                + " h)";
                        return bars.isEmpty() ? Plots.noData(title, "no observations indexed")
                                : SkyPlots.intervals(title, "Observing", bars, width, height, 1000);
                    });
        })
                .queryNumber("gap_threshold_hours", 24.0, 0.001, 24 * 365, null)
                .queryString("data_dir", "Only files under this directory (inside the data roots)")
                .queryInt("width", 16, 4, 40)
                .queryInt("height", 4, 2, 20)
                .returnsMedia(200, "image/png", "Timeline (X-Plot-Empty: true when nothing is indexed)");
    }

    private static Plot skyMap(PointingHistory history, double f, SkyPlots.Colormap cmap,
            SkyPlots.Projection projection) {
        String title = "Observed sky coverage at " + SkyPlots.format(f) + " MHz";
        List<PointingHistory.Sample> samples = history.range(null, null, MAX_SAMPLES);
        if (samples.isEmpty()) {
            return Plots.noData(title, "no pointing recorded yet");
        }
        SkyCoverage cov = new SkyCoverage(samples, f);
        int rows = 360;
        int[][] grid = cov.grid(rows);
        int max = java.util.Arrays.stream(grid).mapToInt(SkyCoverage::max).max().orElse(0);
        return SkyPlots.skyMap(title, COVERAGE_UNIT, projection, (ra, dec) -> {
            int j = Math.min(rows - 1, Math.max(0, (int) ((dec + 90) / 180 * rows)));
            int i = Math.min(2 * rows - 1, Math.max(0, (int) (ra / 360 * 2 * rows)));
            return grid[j][i];
        }, max, cmap);
    }

    /**
     * A sky-map grid of a type the hub has no model for (the dashboard asks for {@code synthetic}): an empty grid
     * saying so, rather than a 400 its client would count towards opening its breaker.
     */
    private static SkyMapGrid unavailableMap(String type, double f, int resolution) {
        return new SkyMapGrid(type, false, "map_type '" + type + "' is not available: the hub serves the observed "
                + "coverage ('coverage') and bundles no diffuse-sky model", f, null, 0, COVERAGE_UNIT, resolution,
                List.of(), List.of(), new int[0][], 0);
    }

    private static String mapType(ApiRequest req) {
        String t = req.query("map_type", "coverage");
        if (!"coverage".equalsIgnoreCase(t)) {
            throw new HubException(ErrorKind.BAD_REQUEST, "INVALID_PARAMETER", "map_type '" + t + "' is not available: the hub serves "
                    + "the observed coverage ('coverage') and bundles no diffuse-sky model",
                    Map.of("parameter", "map_type", "value", t, "expected", "coverage"));
        }
        return "coverage";
    }

    private static double frequency(ApiRequest req) {
        return req.doubleQuery("frequency_mhz", 1400.0, 50, 50000);
    }

    private static SkyPlots.Colormap cmap(ApiRequest req) {
        return SkyPlots.Colormap.of(req.oneOf("cmap", "inferno", "inferno", "viridis", "gray"));
    }

    private static double gapHours(ApiRequest req) {
        return req.doubleQuery("gap_threshold_hours", 24.0, 0.001, 24 * 365);
    }

    private String dataDir(ApiRequest req) {
        String d = req.query("data_dir");
        return d == null ? null : MsApi.allowed(lookup("dataRoots", DataRoots.class), "data_dir", d).toString();
    }

    private static Duration chunk(StreamingService streaming) {
        return Duration.ofMillis((long) (streaming.config().chunkDuration() * 60_000));
    }
}
