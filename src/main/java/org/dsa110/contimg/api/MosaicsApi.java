package org.dsa110.contimg.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Timestamps;
import org.dsa110.contimg.orchestration.JobService;
import org.dsa110.contimg.products.MosaicPlanner;
import org.dsa110.contimg.products.Mosaics;
import org.dsa110.contimg.science.sky.SkyCoords;

/** /api/mosaics*: mosaics built by the pipeline or on request (as jobs), their details and FITS files. */
public class MosaicsApi extends ApiRoutes {

    /** MosaicCreateRequest (endpoints.md) plus the seed's {@code name} and a tier. */
    public record CreateRequest(String calibratorName, String startTime, String endTime, Integer timespanMinutes,
                                Boolean waitForPublished, String name, String tier) {
    }

    /** POST /api/mosaics/query: mosaics overlapping a time range (both ends optional), status, tier, paging. */
    public record QueryRequest(String startTime, String endTime, String status, String tier, Integer limit,
                               Integer offset) {
        public QueryRequest {
            if (limit != null && (limit < 1 || limit > 1000)) {
                throw new IllegalArgumentException("limit must be in [1, 1000]");
            }
            if (offset != null && offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0");
            }
        }
    }

    private static final String[] STATUSES = {"pending", "in_progress", "completed", "failed"};

    @Override
    public void configure() {
        Mosaics mosaics = lookup("mosaics", Mosaics.class);
        MosaicPlanner planner = lookup("mosaicPlanner", MosaicPlanner.class);
        JobService jobs = lookup("jobService", JobService.class);

        get("/mosaics", "mosaics.list", "Most recent mosaics ({mosaics, total})", req -> mosaics.query(null, null,
                req.oneOf("status", null, STATUSES), req.oneOf("tier", null, "quicklook", "science", "deep"),
                req.intQuery("limit", 10, 1, 100), req.intQuery("offset", 0, 0, Integer.MAX_VALUE)))
                .queryString("status", null)
                .queryEnum("tier", null, "quicklook", "science", "deep")
                .queryInt("limit", 10, 1, 100)
                .queryInt("offset", 0, 0, Integer.MAX_VALUE)
                .returns(org.dsa110.contimg.products.Mosaics.MosaicList.class);
        post("/mosaics/query", "mosaics.query", "Mosaics overlapping a time range (MosaicQueryResponse)", req -> {
            QueryRequest q = req.bodyOrDefaults(QueryRequest.class);
            Double start = mjd("start_time", q.startTime());
            Double end = mjd("end_time", q.endTime());
            if (start != null && end != null && end < start) {
                throw HubException.unprocessable("end_time is before start_time", Map.of("field", "end_time"));
            }
            String status = q.status() == null ? null : q.status().trim().toLowerCase(Locale.ROOT);
            if (status != null && !java.util.List.of(STATUSES).contains(status)) {
                throw HubException.unprocessable("status must be one of " + java.util.List.of(STATUSES),
                        Map.of("field", "status"));
            }
            String tier = q.tier() == null ? null : q.tier().trim().toLowerCase(Locale.ROOT);
            if (tier != null && !Mosaics.TIERS.contains(tier)) {
                throw HubException.unprocessable("tier must be one of " + Mosaics.TIERS, Map.of("field", "tier"));
            }
            return mosaics.query(start, end, status, tier, q.limit() == null ? 100 : q.limit(),
                    q.offset() == null ? 0 : q.offset());
        })
                .optionalBody(QueryRequest.class)
                .returns(org.dsa110.contimg.products.Mosaics.MosaicList.class);
        post("/mosaics/create", "mosaics.create", "Build a mosaic of a time range or around a calibrator (a job)",
                req -> {
                    CreateRequest c = req.body(CreateRequest.class);
                    MosaicPlanner.Plan plan = planner.plan(new MosaicPlanner.Request(c.calibratorName(),
                            instant("start_time", c.startTime()), instant("end_time", c.endTime()),
                            c.timespanMinutes(), Boolean.TRUE.equals(c.waitForPublished()), c.name(), c.tier()),
                            null);
                    Map<String, Object> params = new LinkedHashMap<>();
                    params.put("mosaic_id", plan.mosaicId());
                    params.put("name", plan.name());
                    params.put("start_time", SkyCoords.mjdToInstant(plan.startMjd()).toString());
                    params.put("end_time", SkyCoords.mjdToInstant(plan.endMjd()).toString());
                    if (plan.calibrator() != null) {
                        params.put("calibrator_name", plan.calibrator());
                    }
                    JobService.Job job = jobs.create("mosaic", null, params, null, 5);
                    mosaics.attachJob(plan.mosaicId(), job.id());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("job_id", job.id());
                    out.put("group_id", null);
                    out.put("status", job.status());
                    out.put("message", String.format(Locale.ROOT, "mosaic %s of %d images (%s to %s) queued as job %d",
                            plan.name(), plan.imageIds().size(), params.get("start_time"), params.get("end_time"),
                            job.id()));
                    out.put("mosaic_id", plan.mosaicId());
                    out.put("name", plan.name());
                    out.put("image_count", plan.imageIds().size());
                    out.put("start_time", params.get("start_time"));
                    out.put("end_time", params.get("end_time"));
                    out.put("calibrator_name", plan.calibrator());
                    return ApiResponse.accepted(out);
                })
                .body(CreateRequest.class);
        get("/mosaics/{mosaic_id}", "mosaics.detail", "One mosaic (Mosaic) with its images and weights",
                req -> mosaics.detail(req.pathLong("mosaic_id")));
        get("/mosaics/{mosaic_id}/fits", "mosaics.fits", "Download the mosaic's FITS file", req -> {
            long id = req.pathLong("mosaic_id");
            Path file = mosaics.file(id);
            return FitsDownloads.of(mosaics.heavy(), file);
        });
    }

    private static Instant instant(String field, String v) {
        return v == null || v.isBlank() ? null : Timestamps.parse(field, v.trim());
    }

    private static Double mjd(String field, String v) {
        Instant t = instant(field, v);
        return t == null ? null : SkyCoords.instantToMjd(t);
    }
}
