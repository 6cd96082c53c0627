package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.products.RegionShape;
import org.dsa110.contimg.products.Regions;

/** /api/regions*: user regions on images (circle, ellipse, box, polygon in sky coordinates) and their statistics. */
public class RegionsApi extends ApiRoutes {

    /** A region as created or replaced (seed-001 flat shape plus the other shapes' fields). */
    public record RegionRequest(String name, String imagePath, Long imageId, String regionType, Double raDeg,
                                Double decDeg, Double radiusArcsec, Double semiMajorArcsec, Double semiMinorArcsec,
                                Double widthArcsec, Double heightArcsec, Double paDeg, List<List<Double>> vertices,
                                String createdBy) {
        public RegionRequest {
            shape(regionType, raDeg, decDeg, radiusArcsec, semiMajorArcsec, semiMinorArcsec, widthArcsec,
                    heightArcsec, paDeg, vertices); // validates (IllegalArgumentException → 422)
        }

        RegionShape shape() {
            return shape(regionType, raDeg, decDeg, radiusArcsec, semiMajorArcsec, semiMinorArcsec, widthArcsec,
                    heightArcsec, paDeg, vertices);
        }

        private static RegionShape shape(String t, Double ra, Double dec, Double r, Double a, Double b, Double w,
                                         Double h, Double pa, List<List<Double>> v) {
            return new RegionShape(t, ra, dec, r, a, b, w, h, pa, v);
        }

        Regions.Owner owner() {
            return new Regions.Owner(name, imagePath, imageId, createdBy);
        }
    }

    @Override
    public void configure() {
        Regions regions = lookup("regions", Regions.class);

        get("/regions", "regions.list", "Regions, optionally of one image or type", req -> {
            String type = req.oneOf("region_type", null, "circle", "ellipse", "box", "polygon");
            return Map.of("regions", regions.list(req.query("image_path"), type));
        })
                .queryEnum("region_type", null, "circle", "ellipse", "box", "polygon")
                .queryString("image_path", null);
        post("/regions", "regions.create", "Create a region", req -> {
            RegionRequest r = req.body(RegionRequest.class);
            long id = regions.create(r.owner(), r.shape());
            return ApiResponse.created(message(id, "Region created successfully", regions.get(id)));
        })
                .body(RegionRequest.class);
        get("/regions/{region_id}", "regions.get", "One region", req -> regions.get(req.pathLong("region_id")));
        put("/regions/{region_id}", "regions.replace", "Replace a region", req -> {
            long id = req.pathLong("region_id");
            RegionRequest r = req.body(RegionRequest.class);
            regions.replace(id, r.owner(), r.shape());
            return message(id, "Region updated successfully", regions.get(id));
        })
                .body(RegionRequest.class);
        delete("/regions/{region_id}", "regions.delete", "Delete a region", req -> {
            regions.delete(req.pathLong("region_id"));
            return Map.of("message", "Region deleted successfully");
        });
        get("/regions/{region_id}/statistics", "regions.statistics",
                "Pixel statistics inside the region on its image (incl. flux density in Jy)",
                req -> regions.statistics(req.pathLong("region_id")));
    }

    private static Map<String, Object> message(long id, String message, Map<String, Object> region) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("message", message);
        out.put("region", region);
        return out;
    }
}
