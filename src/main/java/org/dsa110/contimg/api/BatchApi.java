package org.dsa110.contimg.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.orchestration.BatchService;
import org.dsa110.contimg.orchestration.JobRequests;
import org.dsa110.contimg.orchestration.Validated;

/** /api/batch: one job per item with bounded concurrency, per-item status, cancel. */
public class BatchApi extends ApiRoutes {
    static final List<String> TYPES = List.of("calibrate", "apply", "image", "convert", "photometry", "publish",
            "ese-detect");

    /** GET /api/batch: batch jobs, newest first. */
    public record BatchList(List<BatchService.BatchJob> items) {
    }

    @Override
    public void configure() {
        BatchService batches = lookup("batchService", BatchService.class);
        for (String type : TYPES) {
            post("/batch/" + type, "batch." + type.replace('-', '_'), "Create a batch of " + type + " jobs", req -> {
                JobRequests.BatchJobCreateRequest body = req.body(JobRequests.BatchJobCreateRequest.class);
                if (body.jobType() != null && !type.equals(body.jobType())) {
                    throw HubException.unprocessable("job_type '" + body.jobType() + "' does not match /batch/" + type,
                            Map.of("job_type", body.jobType()));
                }
                List<BatchService.ItemSpec> items = Validated.call(() -> items(type, body.params()));
                return ApiResponse.created(batches.create(type, body.params(), items));
            })
                .body(JobRequests.BatchJobCreateRequest.class).returns(201, BatchService.BatchJob.class);
        }
        get("/batch", "batch.list", "List batch jobs (newest first)", req -> {
            String status = req.oneOf("status", null, "pending", "running", "done", "failed", "cancelled");
            return new BatchList(batches.list(status, req.intQuery("limit", 50, 1, 1000)));
        })
                .queryEnum("status", null, "pending", "running", "done", "failed", "cancelled")
                .queryInt("limit", 50, 1, 1000)
                .returns(BatchList.class)
                .example("{\"items\": [{\"id\": 7, \"type\": \"image\", \"created_at\": \"2026-01-16T10:00:00Z\", "
                        + "\"status\": \"running\", \"total_items\": 2, \"completed_items\": 1, \"failed_items\": 0, "
                        + "\"params\": {\"ms_paths\": [\"/data/ms/a.ms\", \"/data/ms/b.ms\"]}, \"items\": [{\"ms_path\": "
                        + "\"/data/ms/a.ms\", \"job_id\": 41, \"status\": \"done\", \"error\": null, \"started_at\": "
                        + "\"2026-01-16T10:00:01Z\", \"completed_at\": \"2026-01-16T10:04:30Z\"}, {\"ms_path\": "
                        + "\"/data/ms/b.ms\", \"job_id\": 42, \"status\": \"running\", \"error\": null, \"started_at\": "
                        + "\"2026-01-16T10:04:31Z\", \"completed_at\": null}]}]}");
        get("/batch/{batch_id}", "batch.detail", "One batch job with its items", req -> {
            long id = req.pathLong("batch_id");
            return batches.get(id).orElseThrow(() -> HubException.notFound("batch", id));
        })
                .returns(org.dsa110.contimg.orchestration.BatchService.BatchJob.class);
        post("/batch/{batch_id}/cancel", "batch.cancel", "Cancel a batch: pending items dropped, running ones stopped",
                req -> {
                    long id = req.pathLong("batch_id");
                    return batches.cancel(id).orElseThrow(() -> HubException.notFound("batch", id));
                }).returns(BatchService.BatchCancelled.class);
    }

    /** The batch's items: the list field of its type, each with the job params for it. */
    static List<BatchService.ItemSpec> items(String type, Map<String, Object> params) {
        Object shared = params.get("params");
        List<BatchService.ItemSpec> out = new ArrayList<>();
        switch (type) {
            case "calibrate" -> {
                Map<String, Object> p = normalised(Validated.convert(orEmpty(shared), JobRequests.CalibrateJobParams.class));
                strings(params, "ms_paths", true).forEach(ms -> out.add(new BatchService.ItemSpec(ms, ms, p)));
            }
            case "apply", "image" -> {
                Map<String, Object> p = normalised(Validated.convert(orEmpty(shared), JobRequests.JobParams.class));
                strings(params, "ms_paths", true).forEach(ms -> out.add(new BatchService.ItemSpec(ms, ms, p)));
            }
            case "convert" -> {
                Object windows = params.get("time_windows");
                JobRequests.require(windows instanceof List<?> l && !l.isEmpty(), "time_windows must be a non-empty list");
                for (Object w : (List<?>) windows) {
                    Map<String, Object> merged = new LinkedHashMap<>(orEmpty(shared));
                    JobRequests.require(w instanceof Map<?, ?>, "each time window is {start_time, end_time}");
                    ((Map<?, ?>) w).forEach((k, v) -> merged.put(String.valueOf(k), v));
                    Map<String, Object> p = normalised(Validated.convert(merged, JobRequests.ConversionJobParams.class));
                    out.add(new BatchService.ItemSpec(p.get("start_time") + "/" + p.get("end_time"), null, p));
                }
            }
            case "photometry" -> {
                List<String> fits = strings(params, "fits_paths", true);
                for (String f : fits) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("fits_path", f);
                    for (String k : List.of("coordinates", "box_size_pix", "annulus_pix", "use_aegean", "normalize")) {
                        if (params.containsKey(k)) {
                            p.put(k, params.get(k));
                        }
                    }
                    out.add(new BatchService.ItemSpec(f, null, p));
                }
            }
            case "publish" -> strings(params, "data_ids", true).forEach(id -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("data_id", id);
                p.put("products_base", params.get("products_base"));
                out.add(new BatchService.ItemSpec(id, null, p));
            });
            case "ese-detect" -> {
                Map<String, Object> base = new LinkedHashMap<>(params);
                base.remove("source_ids");
                List<String> sources = strings(params, "source_ids", false);
                if (sources.isEmpty()) {
                    Map<String, Object> p = normalised(Validated.convert(base, JobRequests.EseDetectJobParams.class));
                    out.add(new BatchService.ItemSpec("all sources", null, p));
                }
                for (String s : sources) {
                    Map<String, Object> withSource = new LinkedHashMap<>(base);
                    withSource.put("source_id", s);
                    withSource.keySet().retainAll(List.of("min_sigma", "preset", "source_id", "recompute",
                            "use_composite_scoring", "scoring_weights"));
                    Map<String, Object> p = normalised(Validated.convert(withSource,
                            JobRequests.EseDetectJobParams.class));
                    out.add(new BatchService.ItemSpec(s, null, p));
                }
            }
            default -> throw new IllegalArgumentException("unknown batch type " + type);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> orEmpty(Object o) {
        if (o == null) {
            return Map.of();
        }
        JobRequests.require(o instanceof Map<?, ?>, "params.params must be an object");
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Map<String, Object> params, String field, boolean required) {
        Object v = params.get(field);
        if (v == null && !required) {
            return List.of();
        }
        JobRequests.require(v instanceof List<?> l && !l.isEmpty(), field + " must be a non-empty list of strings");
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            JobRequests.require(o instanceof String s && !s.isBlank(), field + " must hold non-empty strings");
            out.add((String) o);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalised(Object record) {
        return Json.MAPPER.convertValue(record, LinkedHashMap.class);
    }
}
