package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    @Override
    public void configure() {
        CalibrationViews views = lookup("calibrationViews", CalibrationViews.class);
        CalibratorMatches matches = lookup("calibratorMatches", CalibratorMatches.class);
        PointingHistory pointing = lookup("pointingHistory", PointingHistory.class);

        get("/calibration/status", "calibration.status",
                "Active calibration sets, their validity, and the last solve per calibrator", req -> views.status());

        get("/caltables", "caltables.list", "Registered calibration tables, newest first (CalTableList)", req -> {
            String dir = req.query("cal_dir");
            String prefix = dir == null ? null : Path.of(dir).toAbsolutePath().normalize().toString();
            List<Map<String, Object>> items = views.list(prefix, req.intQuery("limit", 500, 1, 10000));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", items);
            out.put("caltables", items); // seed 001 name of the same list
            out.put("cal_dir", prefix);
            return out;
        })
                .queryString("cal_dir", null)
                .queryInt("limit", 500, 1, 10000);

        get("/calibrator_matches", "calibrator-matches.list",
                "Per group: the calibrators matched in its fields (CalibratorMatchList)", req -> {
                    List<Map<String, Object>> items = matches.groups(req.intQuery("limit", 50, 1, 1000),
                            req.boolQuery("matched_only", false));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", items);
                    out.put("total", items.size());
                    // seed 001: target group -> the calibrator group whose solutions apply to it
                    List<Map<String, Object>> pairs = new java.util.ArrayList<>();
                    for (Map<String, Object> g : items) {
                        if (g.get("calibration") instanceof Map<?, ?> c) {
                            Map<String, Object> p = new LinkedHashMap<>();
                            p.put("target_group_id", g.get("group_id"));
                            p.put("calibrator_group_id", c.get("calibrator_group_id"));
                            p.put("calibrator_name", c.get("calibrator_name"));
                            p.put("time_diff_minutes", c.get("time_diff_minutes"));
                            pairs.add(p);
                        }
                    }
                    out.put("matches", pairs);
                    return out;
                })
                .queryInt("limit", 50, 1, 1000)
                .queryBool("matched_only", null);

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
                    List<Map<String, Object>> cals = matches.near(dec, tol, req.intQuery("limit", 50, 1, 5000));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("calibrators", cals);
                    out.put("total", cals.size());
                    out.put("pointing_dec_deg", dec);
                    out.put("pointing_source", source);
                    out.put("dec_tolerance_deg", dec == null ? null : tol);
                    out.put("catalog", "vla");
                    return out;
                })
                .queryNumber("dec_deg", null, -90, 90, null)
                .queryNumber("dec_tolerance_deg", null)
                .queryInt("limit", 50, 1, 5000);

        get("/ms/{ms_path:path}/calibrator-matches", "ms.calibrator-matches",
                "Calibrators in the drift-scan fields of an indexed visibility file (MSCalibratorMatchList)", req -> {
                    String catalog = req.oneOf("catalog", "vla", "vla");
                    double radius = req.doubleQuery("radius_deg", 1.5, 0.01, 10);
                    int topN = req.intQuery("top_n", 5, 1, 100);
                    Map<String, Object> ms = ms(views, req);
                    Map<String, Object> out = matches.forMs(ms, radius, topN, CalibratorMatcher.DEFAULT_MIN_PB);
                    out.put("catalog", catalog);
                    out.put("radius_deg", radius);
                    return out;
                })
                .queryEnum("catalog", "vla", "vla")
                .queryNumber("radius_deg", 1.5, 0.01, 10, null)
                .queryInt("top_n", 5, 1, 100);

        get("/ms/{ms_path:path}/existing-caltables", "ms.existing-caltables",
                "Active calibration tables solved on or valid for a visibility file (ExistingCalTables)",
                req -> views.existing(ms(views, req)));

        post("/ms/{ms_path:path}/validate-caltable", "ms.validate-caltable",
                "Is a registered calibration table compatible with a visibility file (time, antennas, band)?", req -> {
                    ValidateRequest body = req.body(ValidateRequest.class);
                    Map<String, Object> ms = ms(views, req);
                    Map<String, Object> table = views.caltable(body.caltablePath())
                            .orElseThrow(() -> HubException.notFound("calibration table", body.caltablePath()));
                    return views.validate(ms, table);
                })
                .body(ValidateRequest.class);
    }

    private static Map<String, Object> ms(CalibrationViews views, ApiRequest req) {
        String path = req.path("ms_path");
        return views.ms(path).orElseThrow(() -> HubException.notFound("measurement set", path));
    }
}
