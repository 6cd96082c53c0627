package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.calibration.CalibrationViews;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.observing.CalibratorMatches;
import org.dsa110.contimg.observing.PointingHistory;
import org.dsa110.contimg.science.radio.CalibratorMatcher;

/**
 * /api/calibration/status, /api/caltables, /api/calibrator_matches, /api/ui/calibrators and, per visibility file,
 * /api/ms/{ms_path:path}/calibrator-matches, /existing-caltables and POST /validate-caltable.
 */
public class CalibrationApi extends ApiRoutes {

    /** POST /api/ms/{ms_path:path}/validate-caltable body. */
    public record ValidateRequest(String caltablePath) {
        public ValidateRequest {
            if (caltablePath == null || caltablePath.isBlank()) {
                throw new IllegalArgumentException("caltable_path is required");
            }
        }
    }

    /** CalTableList; {@code caltables} repeats {@code items} under seed 001's name. */
    public record CalTableList(List<CalibrationViews.CalTableInfo> items, List<CalibrationViews.CalTableInfo> caltables,
            String calDir) {
    }

    /** CalibratorMatchList: per group, and seed 001's target → calibrator group pairs. */
    public record CalibratorMatchList(List<CalibratorMatches.GroupMatches> items, int total, List<Pair> matches) {
    }

    /** A target group and the calibrator group whose solutions apply to it. */
    public record Pair(String targetGroupId, String calibratorGroupId, String calibratorName,
            Double timeDiffMinutes) {
    }

    /** GET /api/ui/calibrators: where the declaration came from ({@code request}, {@code pointing_history}). */
    public record CalibratorPicks(List<CalibratorMatches.Pick> calibrators, int total, Double pointingDecDeg,
            String pointingSource, Double decToleranceDeg, String catalog) {
    }

    @Override
    public void configure() {
        CalibrationViews views = lookup("calibrationViews", CalibrationViews.class);
        CalibratorMatches matches = lookup("calibratorMatches", CalibratorMatches.class);
        PointingHistory pointing = lookup("pointingHistory", PointingHistory.class);

        get("/calibration/status", "calibration.status",
                "Active calibration sets, their validity, and the last solve per calibrator", req -> views.status())
                .returns(CalibrationViews.Status.class);

        get("/caltables", "caltables.list", "Registered calibration tables, newest first (CalTableList)", req -> {
            String dir = req.query("cal_dir");
            String prefix = dir == null ? null : Path.of(dir).toAbsolutePath().normalize().toString();
            List<CalibrationViews.CalTableInfo> items = views.list(prefix, req.intQuery("limit", 500, 1, 10000));
            return new CalTableList(items, items, prefix);
        })
                .queryString("cal_dir", "Only tables under this directory")
                .queryInt("limit", 500, 1, 10000).returns(CalTableList.class);

        get("/calibrator_matches", "calibrator-matches.list",
                "Per group: the calibrators matched in its fields (CalibratorMatchList)", req -> {
                    List<CalibratorMatches.GroupMatches> items = matches.groups(req.intQuery("limit", 50, 1, 1000),
                            req.boolQuery("matched_only", false));
                    // seed 001: target group -> the calibrator group whose solutions apply to it
                    List<Pair> pairs = items.stream().filter(g -> g.calibration() != null)
                            .map(g -> new Pair(g.groupId(), g.calibration().calibratorGroupId(),
                                    g.calibration().calibratorName(), g.calibration().timeDiffMinutes())).toList();
                    return new CalibratorMatchList(items, items.size(), pairs);
                })
                .queryInt("limit", 50, 1, 1000)
                .queryBool("matched_only", false, "Only groups with a matched calibrator")
                .returns(CalibratorMatchList.class);

        get("/ui/calibrators", "ui.calibrators",
                "VLA calibrators near the current pointing declination (brightest first), for pickers", req -> {
                    Double dec = req.doubleQuery("dec_deg", null, -90, 90);
                    String source = dec == null ? null : "request";
                    if (dec == null) {
                        PointingHistory.Sample s = pointing.latest().orElse(null);
                        dec = s == null ? null : s.decDeg();
                        source = s == null ? null : "pointing_history";
                    }
                    double tol = req.doubleQuery("dec_tolerance_deg", CalibratorMatcher.DEC_TOLERANCE_DEG, 0.01, 180);
                    List<CalibratorMatches.Pick> cals = matches.near(dec, tol, req.intQuery("limit", 50, 1, 5000));
                    return new CalibratorPicks(cals, cals.size(), dec, source, dec == null ? null : tol, "vla");
                })
                .queryNumber("dec_deg", null, -90, 90, "Declination (default: the latest pointing)")
                .queryNumber("dec_tolerance_deg", CalibratorMatcher.DEC_TOLERANCE_DEG, 0.01, 180, null)
                .queryInt("limit", 50, 1, 5000).returns(CalibratorPicks.class);

        get("/ms/{ms_path:path}/calibrator-matches", "ms.calibrator-matches",
                "Calibrators in the drift-scan fields of an indexed visibility file (MSCalibratorMatchList)", req -> {
                    req.oneOf("catalog", "vla", "vla"); // the one catalogue the matcher has
                    double radius = req.doubleQuery("radius_deg", 1.5, 0.01, 10);
                    int topN = req.intQuery("top_n", 5, 1, 100);
                    Map<String, Object> ms = ms(views, req);
                    return matches.forMs(ms, radius, topN, CalibratorMatcher.DEFAULT_MIN_PB);
                })
                .queryEnum("catalog", "vla", "vla")
                .queryNumber("radius_deg", 1.5, 0.01, 10, null)
                .queryInt("top_n", 5, 1, 100).returns(CalibratorMatches.MsMatches.class);

        get("/ms/{ms_path:path}/existing-caltables", "ms.existing-caltables",
                "Active calibration tables solved on or valid for a visibility file (ExistingCalTables)",
                req -> views.existing(ms(views, req))).returns(CalibrationViews.ExistingCalTables.class);

        post("/ms/{ms_path:path}/validate-caltable", "ms.validate-caltable",
                "Is a registered calibration table compatible with a visibility file (time, antennas, band)?", req -> {
                    ValidateRequest body = req.body(ValidateRequest.class);
                    Map<String, Object> ms = ms(views, req);
                    Map<String, Object> table = views.caltable(body.caltablePath())
                            .orElseThrow(() -> HubException.notFound("calibration table", body.caltablePath()));
                    return views.validate(ms, table);
                })
                .body(ValidateRequest.class).returns(CalibrationViews.Compatibility.class);
    }

    private static Map<String, Object> ms(CalibrationViews views, ApiRequest req) {
        String path = req.path("ms_path");
        return views.ms(path).orElseThrow(() -> HubException.notFound("measurement set", path));
    }
}
