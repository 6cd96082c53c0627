package org.dsa110.contimg.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.products.ImageAnalysis;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.Regions;

/** /api/images*, /api/products: the image registry and pixel-level analysis of registered images. */
public class ImagesApi extends ApiRoutes {

    /** POST /api/images: register a FITS image under the data roots. */
    public record RegisterRequest(String path, String msPath, String groupId, String type, Boolean pbcor) {
        public RegisterRequest {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("path is required");
            }
        }
    }

    /** POST /api/images/{id}/fit: a position (sky, pixel or a region's centre) and a fit radius. */
    public record FitRequest(Double raDeg, Double decDeg, Double x, Double y, Double radiusArcsec, Double radiusPx,
                             String model, Long regionId, String initialGuess, Boolean fitBackground) {
        public FitRequest {
            boolean sky = raDeg != null && decDeg != null;
            boolean pixel = x != null && y != null;
            if (!sky && !pixel && regionId == null) {
                throw new IllegalArgumentException("give ra_deg and dec_deg, x and y, or region_id");
            }
            if (sky && !(decDeg >= -90 && decDeg <= 90)) {
                throw new IllegalArgumentException("dec_deg must be in [-90, 90]");
            }
            if ((radiusArcsec != null && !(radiusArcsec > 0)) || (radiusPx != null && !(radiusPx > 0))) {
                throw new IllegalArgumentException("radius must be > 0");
            }
            if (model != null && !"gaussian".equalsIgnoreCase(model)) {
                throw new IllegalArgumentException("model must be 'gaussian' (the only model fitted)");
            }
        }
    }

    @Override
    public void configure() {
        ImageRegistry images = lookup("imageRegistry", ImageRegistry.class);
        ImageAnalysis analysis = lookup("imageAnalysis", ImageAnalysis.class);
        Regions regions = lookup("regions", Regions.class);
        org.dsa110.contimg.HubSettings settings = lookup("hubSettings", org.dsa110.contimg.HubSettings.class);
        org.dsa110.contimg.ops.HeavyWork heavy = lookup("heavyWork", org.dsa110.contimg.ops.HeavyWork.class);

        get("/images", "images.list", "Registered images with filters (ImageList)", req -> {
            String type = req.query("image_type");
            if (type != null && !ImageRegistry.IMAGE_TYPES.contains(type)) {
                throw HubException.invalidParameter("image_type", type, "one of " + ImageRegistry.IMAGE_TYPES);
            }
            String pbcor = req.query("pbcor");
            String hasCal = req.query("has_calibrator");
            ImageRegistry.ImageFilter f = new ImageRegistry.ImageFilter(req.query("ms_path"), type,
                    pbcor == null ? null : req.boolQuery("pbcor", false), req.instantQuery("start_date"),
                    req.instantQuery("end_date"), req.doubleQuery("noise_max", null, 0, Double.MAX_VALUE),
                    req.doubleQuery("dec_min", null, -90, 90), req.doubleQuery("dec_max", null, -90, 90),
                    hasCal == null ? null : req.boolQuery("has_calibrator", false));
            return images.list(f, req.intQuery("limit", 100, 1, 1000), req.intQuery("offset", 0, 0,
                    Integer.MAX_VALUE));
        })
                .queryEnum("image_type", null, ImageRegistry.IMAGE_TYPES.stream().sorted().toArray(String[]::new))
                .queryBool("pbcor", null)
                .queryBool("has_calibrator", "Only images of groups with (true) or without (false) a calibrator")
                .queryString("ms_path", "Substring of the Measurement Set path (case-insensitive)")
                .queryTime("start_date", "Observed (else registered) at or after")
                .queryTime("end_date", "Observed (else registered) at or before")
                .queryNumber("noise_max", null, 0, Double.MAX_VALUE, "Largest noise (Jy)")
                .queryNumber("dec_min", null, -90, 90, null)
                .queryNumber("dec_max", null, -90, 90, null)
                .page(100, 1000).returns(ImageRegistry.ImageList.class)
                .example("{\"items\": [{\"id\": 42, \"name\": \"2026-01-16T08:46:11.img-image.fits\", \"path\": "
                        + "\"/data/dsa110/images/2026-01-16T08:46:11.img-image.fits\", \"ms_path\": "
                        + "\"/data/dsa110/ms/2026-01-16T08:46:11.ms\", \"created_at\": \"2026-01-16T09:02:40Z\", "
                        + "\"type\": \"image\", \"beam_major_arcsec\": 36.2, \"beam_minor_arcsec\": 24.9, "
                        + "\"beam_pa_deg\": -12.5, \"noise_jy\": 0.00041, \"peak_flux_jy\": 1.37, \"pbcor\": false, "
                        + "\"center_ra_deg\": 128.73, \"center_dec_deg\": 55.57, \"image_size_deg\": 3.4, "
                        + "\"pixel_size_arcsec\": 6.0, \"mjd_obs\": 61056.3654, \"date_obs\": "
                        + "\"2026-01-16T08:46:11Z\", \"dynamic_range\": 3341.5, \"quality_tier\": \"good\", "
                        + "\"calibration_set\": \"3C286_2026-01-16\"}], \"total\": 1}");
        post("/images", "images.register", "Register a FITS image under the data directory", req -> {
            RegisterRequest r = req.body(RegisterRequest.class);
            ImageRegistry.Registration reg;
            try {
                reg = new ImageRegistry.Registration(r.msPath(), r.groupId(), r.type(), r.pbcor());
            } catch (IllegalArgumentException e) {
                throw HubException.unprocessable(e.getMessage(), Map.of("field", "type"));
            }
            return ApiResponse.created(images.detail(images.register(r.path(), reg)));
        })
                .body(RegisterRequest.class).returns(201, ImageRegistry.ImageDetail.class);
        get("/images/{image_id}", "images.detail", "One image (ImageDetail)",
                req -> images.detail(req.pathLong("image_id"))).returns(ImageRegistry.ImageDetail.class);
        get("/images/{image_id}/fits", "images.fits", "Download the image's FITS file", req -> {
            long id = req.pathLong("image_id");
            Path file = images.file(id);
            return FitsDownloads.of(heavy, file);
        }).returnsMedia(200, FitsDownloads.FITS, "The FITS file");
        get("/images/{image_id}/measurements", "images.measurements", "Photometry on the image (MeasurementList)",
                req -> images.measurements(req.pathLong("image_id"), req.intQuery("page", 1, 1, Integer.MAX_VALUE),
                        req.intQuery("page_size", 25, 1, 100)))
                .queryInt("page", 1, 1, Integer.MAX_VALUE)
                .queryInt("page_size", 25, 1, 100).returns(ImageRegistry.MeasurementList.class);
        get("/images/{image_id}/profile", "images.profile", "1-D profile through a pixel or sky position", req -> {
            long id = req.pathLong("image_id");
            images.row(id);
            String axis = req.oneOf("axis", null, "x", "y");
            if (axis == null) {
                String legacy = req.oneOf("profile_type", "x", "x", "y", "horizontal", "vertical");
                axis = "y".equals(legacy) || "vertical".equals(legacy) ? "y" : "x";
            }
            ImageAnalysis.Position at = null;
            String coords = req.query("coordinates");
            if (coords != null) {
                String system = req.oneOf("coordinate_system", "wcs", "wcs", "pixel");
                String[] ab = coords.split(",");
                double a;
                double b;
                try {
                    a = Double.parseDouble(ab[0].trim());
                    b = Double.parseDouble(ab[1].trim());
                } catch (RuntimeException e) {
                    throw HubException.invalidParameter("coordinates", coords, "two numbers 'a,b' (ra,dec or x,y)");
                }
                try (var img = images.open(id)) {
                    at = analysisPosition(img.wcs(), "wcs".equals(system), a, b);
                }
            } else if (req.query("position") != null) {
                int pos = req.intQuery("position", 0, 0, Integer.MAX_VALUE);
                at = "x".equals(axis) ? new ImageAnalysis.Position(0, pos) : new ImageAnalysis.Position(pos, 0);
            }
            return analysis.profile(id, axis, at, req.intQuery("width", 1, 1, 101));
        })
                .queryEnum("axis", null, "x", "y")
                .queryEnum("profile_type", "x", "x", "y", "horizontal", "vertical")
                .queryString("coordinates", "Two numbers 'a,b': ra,dec (wcs) or x,y (pixel)")
                .queryEnum("coordinate_system", "wcs", "wcs", "pixel")
                .queryInt("position", 0, Integer.MAX_VALUE, "Row (axis x) or column (axis y) in pixels")
                .queryInt("width", 1, 1, 101).returns(ImageAnalysis.Profile.class);
        post("/images/{image_id}/fit", "images.fit", "Fit a 2-D Gaussian around a position", req -> {
            long id = req.pathLong("image_id");
            images.row(id);
            FitRequest f = req.body(FitRequest.class);
            double pixArcsec = analysis.pixelArcsec(id);
            Double ra = f.raDeg();
            Double dec = f.decDeg();
            Double radiusArcsec = f.radiusArcsec();
            if (f.regionId() != null) {
                Regions.Circle c = regions.enclosingCircle(f.regionId());
                ra = c.raDeg();
                dec = c.decDeg();
                radiusArcsec = radiusArcsec != null ? radiusArcsec : c.radiusArcsec();
            }
            ImageAnalysis.Position at;
            try (var img = images.open(id)) {
                at = ra != null ? analysisPosition(img.wcs(), true, ra, dec)
                        : new ImageAnalysis.Position(f.x(), f.y());
            }
            double radiusPx = f.radiusPx() != null ? f.radiusPx()
                    : radiusArcsec != null ? radiusArcsec / pixArcsec : 10.0;
            if (radiusPx > 200) {
                throw HubException.unprocessable("fit radius too large (max 200 pixels)", Map.of("radius_px",
                        radiusPx));
            }
            return analysis.fit(id, at, radiusPx, f.fitBackground() == null || f.fitBackground());
        })
                .body(FitRequest.class).returns(ImageAnalysis.Fit.class);
        get("/images/{image_id}/cutout", "images.cutout", "FITS cutout around a sky position", req -> {
            long id = req.pathLong("image_id");
            images.row(id);
            double ra = req.requiredDouble("ra", 0, 360);
            double dec = req.requiredDouble("dec", -90, 90);
            double size = req.doubleQuery("size_arcsec", 60.0, 1, 36000);
            Path target = settings.scratchDir().resolve("cutouts").resolve(
                    String.format(java.util.Locale.ROOT, "image%d_%.6f_%+.6f_%.1f.fits", id, ra, dec, size));
            boolean onImage = heavy.request(() -> {
                try {
                    return analysis.writeCutout(id, ra, dec, size, target);
                } catch (IOException e) {
                    throw HubException.unprocessable("cannot cut the image: " + e.getMessage(), Map.of());
                }
            });
            if (!onImage) {
                throw HubException.unprocessable("position is off the image", Map.of("ra", ra, "dec", dec));
            }
            return ApiResponse.file(target, "application/fits", target.getFileName().toString());
        })
                .requiredNumber("ra", 0, 360)
                .requiredNumber("dec", -90, 90)
                .queryNumber("size_arcsec", 60.0, 1, 36000, null)
                .returnsMedia(200, FitsDownloads.FITS, "FITS cutout");
        get("/products", "products.list", "Most recent image products (ProductList)",
                req -> images.products(req.intQuery("limit", 50, 1, 1000)))
                .queryInt("limit", 50, 1, 1000).returns(ImageRegistry.ProductList.class);
    }

    private static ImageAnalysis.Position analysisPosition(org.dsa110.contimg.science.wcs.CelestialWcs wcs,
                                                           boolean sky, double a, double b) {
        if (!sky) {
            return new ImageAnalysis.Position(a, b);
        }
        double[] p = wcs.worldToPixel(a, b);
        if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
            throw HubException.unprocessable("position cannot be projected onto the image", Map.of());
        }
        return new ImageAnalysis.Position(p[0], p[1]);
    }
}
