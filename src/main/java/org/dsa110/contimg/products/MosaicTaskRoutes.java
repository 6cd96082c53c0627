package org.dsa110.contimg.products;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.api.ApiRequest;
import org.dsa110.contimg.api.Json;

/**
 * The {@code create-mosaic} task's endpoint ({@code direct:task.create-mosaic}), run by the task runner for
 * {@code POST /api/mosaics/create} jobs and for tasks created directly. With {@code mosaic_id} in the task's params
 * it builds that pending mosaic; otherwise it plans one from {@code start_time}/{@code end_time}/
 * {@code calibrator_name}/{@code timespan_minutes}/{@code name} first. The reply lists the two FITS files as the
 * task's artifacts.
 */
public class MosaicTaskRoutes extends RouteBuilder {
    public static final String ENDPOINT = "direct:task.create-mosaic";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("task.create-mosaic").process(this::run);
    }

    private void run(Exchange ex) throws Exception {
        Mosaics mosaics = getCamelContext().getRegistry().lookupByNameAndType("mosaics", Mosaics.class);
        MosaicPlanner planner = getCamelContext().getRegistry().lookupByNameAndType("mosaicPlanner",
                MosaicPlanner.class);
        String raw = ex.getMessage().getHeader("taskParams", String.class);
        JsonNode p = Json.MAPPER.readTree(raw == null || raw.isBlank() ? "{}" : raw);
        long mosaicId;
        if (p.hasNonNull("mosaic_id")) {
            mosaicId = p.get("mosaic_id").asLong();
        } else {
            Long jobId = ex.getMessage().getHeader("jobId", Long.class);
            MosaicPlanner.Request r = new MosaicPlanner.Request(text(p, "calibrator_name"),
                    p.hasNonNull("start_time") ? ApiRequest.parseInstant("start_time", p.get("start_time").asText())
                            : null,
                    p.hasNonNull("end_time") ? ApiRequest.parseInstant("end_time", p.get("end_time").asText()) : null,
                    p.hasNonNull("timespan_minutes") ? p.get("timespan_minutes").asInt() : null,
                    p.path("wait_for_published").asBoolean(false), text(p, "name"), text(p, "tier"));
            mosaicId = planner.plan(r, jobId).mosaicId();
        }
        Map<String, Object> built = mosaics.build(mosaicId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mosaic_id", mosaicId);
        out.put("name", built.get("name"));
        out.put("image_count", built.get("image_count"));
        out.put("noise_jy", built.get("noise_jy"));
        out.put("artifacts", List.of(String.valueOf(built.get("path")), String.valueOf(built.get("noise_map_path"))));
        ex.getMessage().setBody(out);
    }

    private static String text(JsonNode p, String field) {
        return p.hasNonNull(field) ? p.get(field).asText() : null;
    }
}
