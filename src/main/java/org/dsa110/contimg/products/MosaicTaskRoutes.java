package org.dsa110.contimg.products;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.core.Json;

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
        @SuppressWarnings("unchecked")
        Map<String, Object> p = Json.MAPPER.readValue(raw == null || raw.isBlank() ? "{}" : raw, Map.class);
        long mosaicId;
        if (p.get("mosaic_id") != null) {
            mosaicId = Long.parseLong(p.get("mosaic_id").toString());
        } else {
            MosaicPlanner.Request r = MosaicPlanner.fromParams(p);
            if (r == null) {
                throw new IllegalArgumentException("create-mosaic needs mosaic_id, start_time/end_time or "
                        + "calibrator_name");
            }
            mosaicId = planner.plan(r, ex.getMessage().getHeader("jobId", Long.class)).mosaicId();
        }
        Mosaics.Mosaic built = mosaics.build(mosaicId).mosaic();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mosaic_id", mosaicId);
        out.put("name", built.name());
        out.put("image_count", built.imageCount());
        out.put("noise_jy", built.noiseJy());
        out.put("artifacts", List.of(String.valueOf(built.path()), String.valueOf(built.noiseMapPath())));
        ex.getMessage().setBody(out);
    }
}
