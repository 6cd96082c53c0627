package org.dsa110.contimg.api;

import java.util.List;
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

    /** GET /api/regions. */
    public record RegionList(List<Regions.Region> regions) {
    }

    /** A created or replaced region with its id. */
    public record RegionSaved(long id, String message, Regions.Region region) {
    }

    @Override
    public void configure() {
        Regions regions = lookup("regions", Regions.class);

        get("/regions", "regions.list", "Regions, optionally of one image or type", req -> {
            String type = req.oneOf("region_type", null, "circle", "ellipse", "box", "polygon");
            return new RegionList(regions.list(req.query("image_path"), type));
        })
                .queryEnum("region_type", null, "circle", "ellipse", "box", "polygon")
                .queryString("image_path", null)
                .returns(RegionList.class)
                .example("{\"regions\": [{\"id\": 1, \"name\": \"M51 core\", \"image_path\": "
                        + "\"products/images/2026-01-16T08:46:11.fits\", \"image_id\": 3, \"region_type\": \"circle\", "
                        + "\"ra_deg\": 202.4696, \"dec_deg\": 47.1952, \"radius_arcsec\": 120.0, \"created_by\": "
                        + "\"operator\", \"created_at\": \"2026-01-16T10:00:00Z\", \"updated_at\": "
                        + "\"2026-01-16T10:00:00Z\"}, {\"id\": 2, \"name\": \"box east\", \"image_path\": "
                        + "\"products/images/2026-01-16T08:46:11.fits\", \"image_id\": 3, \"region_type\": \"box\", "
                        + "\"ra_deg\": 203.1, \"dec_deg\": 47.0, \"width_arcsec\": 300.0, \"height_arcsec\": 150.0, "
                        + "\"pa_deg\": 30.0, \"created_by\": null, \"created_at\": \"2026-01-16T10:05:00Z\", "
                        + "\"updated_at\": \"2026-01-16T10:05:00Z\"}]}");
        post("/regions", "regions.create", "Create a region", req -> {
            RegionRequest r = req.body(RegionRequest.class);
            long id = regions.create(r.owner(), r.shape());
            return ApiResponse.created(new RegionSaved(id, "Region created successfully", regions.get(id)));
        })
                .body(RegionRequest.class).returns(201, RegionSaved.class);
        get("/regions/{region_id}", "regions.get", "One region", req -> regions.get(req.pathLong("region_id")))
                .returns(Regions.Region.class);
        put("/regions/{region_id}", "regions.replace", "Replace a region", req -> {
            long id = req.pathLong("region_id");
            RegionRequest r = req.body(RegionRequest.class);
            regions.replace(id, r.owner(), r.shape());
            return new RegionSaved(id, "Region updated successfully", regions.get(id));
        })
                .body(RegionRequest.class).returns(RegionSaved.class);
        delete("/regions/{region_id}", "regions.delete", "Delete a region", req -> {
            regions.delete(req.pathLong("region_id"));
            return new OutcomeMessage("Region deleted successfully");
        }).returns(OutcomeMessage.class);
        get("/regions/{region_id}/statistics", "regions.statistics",
                "Pixel statistics inside the region on its image (incl. flux density in Jy)",
                req -> regions.statistics(req.pathLong("region_id")))
                .returns(Regions.Statistics.class);
    }
}
