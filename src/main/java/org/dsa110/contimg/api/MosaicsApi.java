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

    /** 202 of POST /api/mosaics/create: the job building the mosaic and what it will hold. */
    public record Created(long jobId, String groupId, String status, String message, long mosaicId, String name,
            int imageCount, String startTime, String endTime, String calibratorName) {
    }

    private static final String[] STATUSES = {"pending", "in_progress", "completed", "failed"};

    private static final String MOSAIC_EXAMPLE = "{\"id\": 3, \"name\": \"mosaic_group12_61056.31_61056.40\", "
            + "\"path\": \"/data/dsa110/mosaics/mosaic_group12_61056.31_61056.40.fits\", \"start_mjd\": 61056.3125, "
            + "\"end_mjd\": 61056.4, \"start_time\": \"2026-01-16T07:30:00Z\", \"end_time\": \"2026-01-16T09:36:00Z\", "
            + "\"created_at\": \"2026-01-16T09:41:12Z\", \"status\": \"completed\", \"image_count\": 12, "
            + "\"noise_jy\": 0.00018, \"source_count\": 214, \"thumbnail_path\": null, \"n_images\": 12, "
            + "\"n_sources\": 214, \"noise_map_path\": \"/data/dsa110/mosaics/mosaic_group12_61056.31_61056.40"
            + ".noise.fits\", \"tier\": \"quicklook\", \"peak_flux_jy\": 1.41, \"dynamic_range\": 7833.3, "
            + "\"center_ra_deg\": 131.2, \"center_dec_deg\": 55.6, \"width\": 2400, \"height\": 1100, "
            + "\"pixel_size_arcsec\": 6.0, \"mosaic_group_id\": 12, \"job_id\": null, \"error\": null}";

    @Override
    public void configure() {
        Mosaics mosaics = lookup("mosaics", Mosaics.class);
        MosaicPlanner planner = lookup("mosaicPlanner", MosaicPlanner.class);
        JobService jobs = lookup("jobService", JobService.class);

        get("/mosaics", "mosaics.list", "Most recent mosaics ({mosaics, total})", req -> mosaics.query(null, null,
                req.oneOf("status", null, STATUSES), req.oneOf("tier", null, "quicklook", "science", "deep"),
                req.intQuery("limit", 10, 1, 100), req.intQuery("offset", 0, 0, Integer.MAX_VALUE)))
                .queryEnum("status", null, STATUSES)
                .queryEnum("tier", null, "quicklook", "science", "deep")
                .page(10, 100)
                .returns(org.dsa110.contimg.products.Mosaics.MosaicList.class)
                .example("{\"mosaics\": [" + MOSAIC_EXAMPLE + "], \"items\": [" + MOSAIC_EXAMPLE + "], \"total\": 1}");
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
                    String start = (String) params.get("start_time");
                    String end = (String) params.get("end_time");
                    return ApiResponse.accepted(new Created(job.id(), null, job.status(), String.format(Locale.ROOT,
                            "mosaic %s of %d images (%s to %s) queued as job %d", plan.name(), plan.imageIds().size(),
                            start, end, job.id()), plan.mosaicId(), plan.name(), plan.imageIds().size(), start, end,
                            plan.calibrator()));
                })
                .body(CreateRequest.class).returns(202, Created.class);
        get("/mosaics/{mosaic_id}", "mosaics.detail", "One mosaic (Mosaic) with its images and weights",
                req -> mosaics.detail(req.pathLong("mosaic_id"))).returns(Mosaics.MosaicDetail.class);
        get("/mosaics/{mosaic_id}/fits", "mosaics.fits", "Download the mosaic's FITS file", req -> {
            long id = req.pathLong("mosaic_id");
            Path file = mosaics.file(id);
            return FitsDownloads.of(mosaics.heavy(), file);
        }).returnsMedia(200, FitsDownloads.FITS, "The mosaic's FITS file");
    }

    private static Instant instant(String field, String v) {
        return v == null || v.isBlank() ? null : Timestamps.parse(field, v.trim());
    }

    private static Double mjd(String field, String v) {
        Instant t = instant(field, v);
        return t == null ? null : SkyCoords.instantToMjd(t);
    }
}
