package org.dsa110.contimg.api;

import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.qa.CalibrationPlots;
import org.dsa110.contimg.qa.CalibrationQa;
import org.dsa110.contimg.qa.CaltableCompleteness;

/**
 * Calibration QA views: /api/qa/calibration/{ms_path:path} (+ bandpass plots, SPW plot, completeness),
 * /api/plots/caltable/{caltable_path:path}. (/api/visualization/casatable/info is in {@link VisualizationApi}.)
 */
public class CalibrationQaApi extends ApiRoutes {

    private static final String PNG = "PNG plot (header X-Plot-Empty: true when there was nothing to draw)";

    @Override
    public void configure() {
        CalibrationQa qa = lookup("calibrationQa", CalibrationQa.class);
        CalibrationPlots plots = lookup("calibrationPlots", CalibrationPlots.class);
        CaltableCompleteness completeness = lookup("caltableCompleteness", CaltableCompleteness.class);

        get("/qa/calibration/{ms_path:path}/bandpass-plots/{filename}", "qa.calibration.bandpass-plot",
                "One antenna's bandpass plot (PNG)", req -> png(plots.bandpass(req.path("ms_path"),
                        req.path("filename")))).returnsMedia(200, "image/png", PNG);
        get("/qa/calibration/{ms_path:path}/bandpass-plots", "qa.calibration.bandpass-plots",
                "Per-antenna bandpass plots of an MS", req -> plots.bandpassList(req.path("ms_path")))
                .returns(CalibrationPlots.BandpassPlots.class);
        get("/qa/calibration/{ms_path:path}/spw-plot", "qa.calibration.spw-plot",
                "Flagged solutions per spectral window and channel (PNG)", req -> png(plots.spwPlot(req.path(
                        "ms_path")))).returnsMedia(200, "image/png", PNG);
        get("/qa/calibration/{ms_path:path}/caltable-completeness", "qa.calibration.completeness",
                "Expected vs present antennas, channels, times and solutions of an MS's tables",
                req -> completeness.completeness(req.path("ms_path")))
                .returns(CaltableCompleteness.Completeness.class);
        get("/qa/calibration/{ms_path:path}", "qa.calibration", "Calibration QA of an MS (CalibrationQA)",
                req -> qa.evaluate(req.path("ms_path"))).returns(CalibrationQa.Report.class);
        get("/plots/caltable/{caltable_path:path}", "plots.caltable", "Plot of one calibration table (PNG)", req -> {
            String type = req.oneOf("plot_type", "amp_vs_freq", CalibrationPlots.PLOT_TYPES.toArray(String[]::new));
            String ant = req.query("antenna");
            Integer antenna = ant == null ? null : req.intQuery("antenna", 0, 0, 100000);
            return png(plots.caltablePlot(req.path("caltable_path"), type, antenna));
        })
                .queryEnum("plot_type", "amp_vs_freq", CalibrationPlots.PLOT_TYPES.toArray(String[]::new))
                .queryInt("antenna", 0, 100000, "Only this antenna (default: all)")
                .returnsMedia(200, "image/png", PNG);
    }

    private static ApiResponse png(Plot plot) {
        return ApiResponse.png(plot.png()).withHeader("X-Plot-Empty", String.valueOf(plot.empty()));
    }
}
