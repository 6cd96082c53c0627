package org.dsa110.contimg.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every GET the dashboard makes (shared/spec/dashboard.md sections 0 and 3: its axios calls with the query
 * parameters it sends, empty ones included, and its raw fetch/img/iframe URLs) against the demo hub: none may answer
 * 4xx or 5xx. Ids come from the demo's own products; the kinds the demo pipeline does not make (a workflow, a job, a
 * batch, a region) are created first through the hub's API, with harmless work (housekeeping, ESE detection).
 */
class DashboardGetWalkTest {

    /** Section 3's GET calls (and section 0's raw URLs) with their parameters; {name} is filled from the demo. */
    static final String CALLS = """
            /api/status
            /api/metrics/system
            /api/metrics/system/history?limit=100
            /api/metrics/database
            /api/health/services
            /api/monitoring/calibration-quality/metrics?hours=24
            /api/monitoring/mosaic-quality/metrics?hours=24
            /api/alerts/history?limit=50
            /api/pipeline/metrics/summary
            /api/pipeline/executions?status=&job_type=&limit=50&offset=0
            /api/pipeline/executions/active
            /api/pipeline/executions/{execution}
            /api/pipeline/executions/{execution}/stages
            /api/pipeline/stages/metrics?limit=100
            /api/pipeline/stages/imaging/metrics
            /api/pipeline/dependency-graph
            /api/pipeline/workflow-status
            /api/operations/dlq/stats
            /api/operations/dlq/items?component=&status=&limit=50&offset=0
            /api/operations/dlq/items/{dlq}
            /api/operations/circuit-breakers
            /api/operations/error-analytics?time_range=24h
            /api/absurd/tasks?queue_name=&status=&limit=100
            /api/absurd/tasks/{task}
            /api/absurd/queues
            /api/absurd/queues/stats
            /api/absurd/queues/dsa110-pipeline/stats
            /api/absurd/metrics
            /api/absurd/metrics/history?queue_name=dsa110-pipeline&hours=24&resolution=1h
            /api/absurd/workers
            /api/absurd/workers/metrics
            /api/absurd/templates
            /api/absurd/templates/calibrator
            /api/absurd/schedules?queue_name=&state=
            /api/absurd/schedules/database-backup
            /api/absurd/workflows?status=&limit=50
            /api/absurd/workflows/{workflow}
            /api/absurd/workflows/{workflow}/dag
            /api/absurd/workflows/{workflow}/ready
            /api/absurd/health
            /api/absurd/health/detailed
            /api/jobs?limit=50&status=
            /api/jobs/id/{job}
            /api/batch
            /api/batch/{batch}
            /api/ms/{ms_raw}/metadata
            /api/ms/{ms_raw}/calibrator-matches
            /api/ms/{ms_raw}/existing-caltables
            /api/api/ms/{ms_enc}/listobs
            /api/api/ms/{ms_enc}/logs
            /api/api/ms/{ms_enc}/cal_tables
            /api/caltables
            /api/caltables?cal_dir={caltable_dir}
            /api/calibration/status
            /api/streaming/status
            /api/streaming/health
            /api/streaming/config
            /api/streaming/metrics
            /api/qa/calibration/{ms_raw}
            /api/qa/calibration/{ms_raw_enc}/bandpass-plots
            /api/qa/image/{ms_raw}
            /api/qa/{ms_raw}
            /api/api/qa/calibration/{ms_enc}/spw-plot
            /api/images?limit=20&offset=0&ms_path=&image_type=&pbcor=&start_date=&end_date=&dec_min=&dec_max=&noise_max=&has_calibrator=
            /api/images/{image}
            /api/images/{image}/measurements?limit=50&offset=0
            /api/images/{image}/profile?profile_type=x&coordinates={image_centre}&width=1
            /api/images/{image}/fits
            /api/mosaics/{mosaic}
            /api/mosaics/{mosaic}/fits
            /api/api/mosaics
            /api/sources/{source}
            /api/sources/{source}/detections?limit=50&offset=0
            /api/sources/{source}/lightcurve
            /api/api/sources
            /api/ese/candidates
            /api/pointing-monitor/status
            /api/pointing_history?start_mjd=61000&end_mjd=62000&time_interval_hours=1
            /api/pointing/sky-map-data?frequency_mhz=1400&resolution=90&map_type=coverage
            /api/pointing/sky-map-data?frequency_mhz=1400&resolution=90&map_type=synthetic
            /api/pointing/mollweide-sky-map?frequency_mhz=1400
            /api/catalog/overlay?ra={image_ra}&dec={image_dec}&radius=1.5&catalog=all
            /api/catalog/overlay?radius=1.5&catalog=all
            /api/qa/images/{image}/catalog-overlay?catalog=nvss&min_flux_jy=
            /api/qa/images/{image}/catalog-validation?catalog=nvss&validation_type=all
            /api/regions?image_path=&region_type=
            /api/regions/{region}/statistics
            /api/transients/candidates
            /api/transients/alerts
            /api/data?data_type=&status=&limit=50&offset=0
            /api/data/{data}
            /api/data/{data}/lineage
            /api/data/{data}/auto-publish/status
            /api/images?limit=20&offset=0&search=&sort_by=&start_date=
            /api/ms?limit=20&offset=0&search=&sort_by=&start_date=
            /api/ms?scan=true&scan_dir=/stage/dsa110-contimg/ms&limit=100&offset=0
            /api/uvh5?input_dir=/data/incoming
            /api/mosaics?limit=20&offset=0&search=&sort_by=&start_date=
            /api/health/summary
            /api/events/stats
            /api/events/types
            /api/events/stream?event_type=&limit=100&since_minutes=
            /api/cache/stats
            /api/cache/performance
            /api/cache/keys?pattern=&limit=100
            /api/visualization/browse?path=/stage/dsa110-contimg&recursive=false&show_hidden=false
            /api/visualization/directory/thumbnails?path={mosaic_dir}&recursive=false&mincol=0&maxcol=8&titles=true
            /api/visualization/fits/info?path={fits}
            /api/visualization/casatable/info?path={caltable}
            /api/visualization/file?path={fits}
            /api/visualization/file/icon?path={fits}&size=32&format=svg
            /api/visualization/fits/view?path={fits}
            /api/visualization/casatable/view?path={caltable}
            /api/visualization/notebook/{fits_raw}
            /api/visualization/carta/status
            """;

    static TestHub hub;
    static final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void demo() throws Exception {
        hub = DemoHub.get();
        Db db = hub.bean("db", Db.class);
        String ms = one(db, "SELECT MIN(path) FROM ms_index");
        ids.put("ms_raw", ms.substring(1));
        ids.put("ms_raw_enc", enc(ms.substring(1)));
        ids.put("ms_enc", enc(ms));
        ids.put("execution", one(db, "SELECT MIN(id) FROM pipeline_executions"));
        ids.put("dlq", one(db, "SELECT MIN(id) FROM dlq_items"));
        String image = one(db, "SELECT MIN(id) FROM images WHERE type <> 'mosaic'");
        ids.put("image", image);
        JsonNode img = get("/api/images/" + image);
        ids.put("image_ra", img.get("center_ra_deg").asText());
        ids.put("image_dec", img.get("center_dec_deg").asText());
        ids.put("image_centre", img.get("center_ra_deg").asText() + "," + img.get("center_dec_deg").asText());
        ids.put("mosaic", one(db, "SELECT MIN(id) FROM mosaics"));
        String fits = one(db, "SELECT MIN(path) FROM mosaics");
        ids.put("fits", enc(fits));
        ids.put("fits_raw", fits.substring(1));
        ids.put("mosaic_dir", enc(fits.substring(0, fits.lastIndexOf('/'))));
        String caltable = one(db, "SELECT MIN(path) FROM caltables");
        ids.put("caltable", enc(caltable));
        ids.put("caltable_dir", enc(caltable.substring(0, caltable.lastIndexOf('/'))));
        ids.put("source", enc(one(db, "SELECT MIN(source_id) FROM photometry")));
        ids.put("data", enc(one(db, "SELECT MIN(data_id) FROM data_registry WHERE data_type = 'image'")));
        // what the demo pipeline does not make, made through the API with harmless work
        JsonNode wf = post("/api/absurd/workflows", "{\"name\":\"walk\",\"tasks\":[{\"key\":\"hk\","
                + "\"task_name\":\"housekeeping\",\"params\":{},\"depends_on\":[]}]}");
        ids.put("workflow", wf.get("workflow_id").asText());
        ids.put("task", wf.get("task_ids").get("hk").asText());
        ids.put("job", post("/api/jobs/ese-detect", "{\"params\":{}}").get("id").asText());
        ids.put("batch", post("/api/batch/ese-detect", "{\"params\":{}}").get("id").asText());
        ids.put("region", post("/api/regions", "{\"name\":\"walk\",\"image_path\":" + Json.write(img.get("path")
                .asText()) + ",\"region_type\":\"circle\",\"ra_deg\":" + ids.get("image_ra") + ",\"dec_deg\":"
                + ids.get("image_dec") + ",\"radius_arcsec\":60}").get("id").asText());
    }

    static String one(Db db, String sql) {
        Object v = db.one(sql).orElseThrow().values().iterator().next();
        if (v == null) {
            throw new IllegalStateException("the demo hub has nothing for: " + sql);
        }
        return String.valueOf(v);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = hub.post(path, body);
        assertEquals(201, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void everyGetOfTheDashboardAnswersWithoutAnError() throws Exception {
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (String line : CALLS.strip().split("\n")) {
            String path = line.strip();
            for (Map.Entry<String, String> e : ids.entrySet()) {
                path = path.replace("{" + e.getKey() + "}", e.getValue());
            }
            HttpResponse<byte[]> r = hub.getBytes(path);
            calls++;
            if (r.statusCode() >= 400) {
                String body = new String(r.body(), StandardCharsets.UTF_8);
                failures.add(r.statusCode() + " " + path + " " + body.substring(0, Math.min(300, body.length())));
            }
        }
        assertEquals(List.of(), failures, calls + " calls; these failed");
    }
}
