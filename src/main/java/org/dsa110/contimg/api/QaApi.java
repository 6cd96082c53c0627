package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.qa.CalibrationQa;
import org.dsa110.contimg.qa.CatalogValidator;
import org.dsa110.contimg.qa.ImageQa;
import org.dsa110.contimg.qa.QaArtifacts;
import org.dsa110.contimg.qa.ValidationReport;

/**
 * /api/qa*, /api/thumbnails/{ms_path:path}.png: QA artifacts under the QA root, image QA, catalog validation and
 * its HTML report, image previews. The calibration QA views are in {@link CalibrationQaApi}. The catch-all
 * /api/qa/{ms_path:path} is declared last. An image is named by its id or its path; any other name is a missing
 * image (404), not a malformed request: the dashboard's client counts 400s towards opening its breaker.
 */
public class QaApi extends ApiRoutes {
    private static final String CATALOG_PARAM = "Reference catalog (default: hub.catalog.name)";
    private static final String TYPES_PARAM = "Validation types, comma-separated or repeated (default: all)";
    /** A catalog name as stored in sources.catalog (compared upper case). */
    static final java.util.regex.Pattern CATALOG = java.util.regex.Pattern.compile("[A-Za-z0-9_\\-]{1,32}");
    private String defaultCatalog;

    /** POST .../catalog-validation/run body (optional; the query parameters of the same names also work). */
    public record ValidationRunRequest(String catalog, List<String> validationTypes) {
    }

    /** POST .../validation-report/generate body (optional). */
    public record ReportRequest(String catalog, List<String> validationTypes, String outputPath) {
    }

    /** 201 of POST .../validation-report/generate: where the report was written and its URL. */
    public record ReportGenerated(String status, long imageId, String catalog, String reportPath, String url,
            int sizeBytes) {
    }

    /** QAMetrics of an MS: its calibration QA and its newest image's QA, either may be null (not both). */
    public record MsQa(String msPath, CalibrationQa.Report calibrationQa, ImageQa.View imageQa) {
    }

    @Override
    public void configure() {
        QaArtifacts artifacts = lookup("qaArtifacts", QaArtifacts.class);
        ImageQa imageQa = lookup("imageQa", ImageQa.class);
        ImageRegistry images = lookup("imageRegistry", ImageRegistry.class);
        CatalogValidator validator = lookup("catalogValidator", CatalogValidator.class);
        ValidationReport reports = lookup("validationReport", ValidationReport.class);
        CalibrationQa calibrationQa = lookup("calibrationQa", CalibrationQa.class);
        defaultCatalog = lookup("referenceCatalog", org.dsa110.contimg.products.ReferenceCatalog.class).catalogName()
                .toLowerCase(Locale.ROOT);

        get("/qa", "qa.list", "QA artifacts (plots, thumbnails, reports), newest first (QAList)",
                req -> artifacts.list(null, req.intQuery("limit", 100, 1, 1000)))
                .queryInt("limit", 100, 1, 1000).returns(QaArtifacts.QaList.class)
                .example("{\"items\": [{\"group_id\": \"2026-01-16T08:46:11\", \"name\": "
                        + "\"thumbnail_image42.png\", \"path\": \"/data/dsa110/qa/2026-01-16T08:46:11/"
                        + "thumbnail_image42.png\", \"created_at\": \"2026-01-16T09:03:05Z\", \"timestamp\": "
                        + "\"2026-01-16T09:03:05Z\", \"artifact_type\": \"thumbnail\", \"url\": "
                        + "\"/api/qa/file/2026-01-16T08:46:11/thumbnail_image42.png\"}], \"total\": 1}");
        get("/qa/thumbs", "qa.thumbs", "QA thumbnails, newest first (QAList)",
                req -> artifacts.list("thumbnail", req.intQuery("limit", 100, 1, 1000)))
                .queryInt("limit", 100, 1, 1000).returns(QaArtifacts.QaList.class);
        get("/qa/file/{group}/{name}", "qa.file", "A file under the QA root (never outside it)", req -> {
            String group = req.path("group");
            String name = req.path("name");
            Path file = artifacts.resolve(group, name).orElseThrow(() -> HubException.notFound("QA file",
                    group + "/" + name));
            return new ApiResponse(200, QaArtifacts.contentType(name), file, Map.of());
        }).returnsMedia(200, "*/*", "The file (PNG, HTML, JSON, ... by its name)");
        get("/qa/image/{ms_path:path}", "qa.image", "Image QA of an MS's newest image (ImageQA)", req -> {
            long id = imageQa.imageOfMs(req.path("ms_path"));
            return ImageQa.view(imageQa.ensure(id));
        }).returns(ImageQa.View.class);
        get("/qa/images/{image_id}", "qa.images.get", "Image QA of one image (runs it when missing)", req -> {
            long id = images.idOf(req.path("image_id"));
            images.row(id);
            return ImageQa.view(imageQa.ensure(id));
        }).returns(ImageQa.View.class);
        get("/qa/images/{image_id}/preview.png", "qa.images.preview", "Preview PNG of an image (asinh or zscale)",
                req -> {
                    long id = images.idOf(req.path("image_id"));
                    images.row(id);
                    String stretch = req.oneOf("stretch", imageQa.settings().previewStretch(), "asinh", "zscale");
                    return png(imageQa.preview(id, stretch, req.intQuery("size", imageQa.settings().previewMaxPx(),
                            16, 2048)));
                })
                .queryEnum("stretch", imageQa.settings().previewStretch(), "asinh", "zscale")
                .queryInt("size", imageQa.settings().previewMaxPx(), 16, 2048)
                .returnsMedia(200, "image/png", "PNG preview");
        get("/qa/images/{image_id}/catalog-validation", "qa.validation.get",
                "Newest catalog validation of an image (runs one when there is none)", req -> {
                    long id = images.idOf(req.path("image_id"));
                    String catalog = catalog(req, null);
                    String type = req.oneOf("validation_type", "all", "all", "astrometry", "flux_scale",
                            "source_counts", "completeness");
                    Set<String> sections = Set.copyOf(CatalogValidator.types(List.of(type)));
                    org.dsa110.contimg.qa.ValidationView.Validation v = validator.latest(id, catalog, sections);
                    return v != null ? v : validator.run(id, catalog, CatalogValidator.TYPES);
                })
                .queryEnum("validation_type", "all", "all", "astrometry", "flux_scale", "source_counts", "completeness")
                .queryString("catalog", CATALOG_PARAM)
                .returns(org.dsa110.contimg.qa.ValidationView.Validation.class);
        post("/qa/images/{image_id}/catalog-validation/run", "qa.validation.run",
                "Run a catalog validation of an image now", req -> {
                    long id = images.idOf(req.path("image_id"));
                    JsonNode body = req.bodyTree();
                    String catalog = catalog(req, body);
                    return validator.run(id, catalog, CatalogValidator.types(types(req, body)));
                })
                .queryString("catalog", CATALOG_PARAM)
                .queryString("validation_types", TYPES_PARAM)
                .optionalBody(ValidationRunRequest.class)
                .returns(org.dsa110.contimg.qa.ValidationView.Validation.class);
        get("/qa/images/{image_id}/catalog-overlay", "qa.validation.overlay",
                "Catalog sources on an image with their matched detections", req -> {
                    long id = images.idOf(req.path("image_id"));
                    return validator.overlay(id, catalog(req, null), req.doubleQuery("search_radius_arcsec", 60.0,
                            0.1, 3600), req.doubleQuery("min_flux_jy", null, 0, 1e6));
                })
                .queryNumber("search_radius_arcsec", 60.0, 0.1, 3600, null)
                .queryNumber("min_flux_jy", null, 0, 1e6, null)
                .queryString("catalog", CATALOG_PARAM)
                .returns(CatalogValidator.Overlay.class);
        get("/qa/images/{image_id}/validation-report.html", "qa.report.html",
                "Self-contained HTML validation report (plots embedded)", req -> {
                    long id = images.idOf(req.path("image_id"));
                    String catalog = catalog(req, null);
                    String html = reports.html(id, catalog, CatalogValidator.types(types(req, null)));
                    ApiResponse r = ApiResponse.html(html);
                    if (req.boolQuery("save_to_file", false)) {
                        r = r.withHeader("X-Report-Path", reports.save(id, catalog, html, null).toString());
                    }
                    return r;
                })
                .queryBool("save_to_file", false, "Also write the report into the QA root (X-Report-Path)")
                .queryString("catalog", CATALOG_PARAM)
                .queryString("validation_types", TYPES_PARAM)
                .returnsMedia(200, "text/html", "HTML report");
        post("/qa/images/{image_id}/validation-report/generate", "qa.report.generate",
                "Generate the HTML validation report into the QA root", req -> {
                    long id = images.idOf(req.path("image_id"));
                    JsonNode body = req.bodyTree();
                    String catalog = catalog(req, body);
                    String output = body.hasNonNull("output_path") ? body.get("output_path").asText()
                            : req.query("output_path");
                    String name = output == null ? null : reportName(artifacts, imageQa.groupOf(images.row(id)),
                            output);
                    String html = reports.html(id, catalog, CatalogValidator.types(types(req, body)));
                    Path file = reports.save(id, catalog, html, name);
                    return ApiResponse.created(new ReportGenerated("generated", id, catalog, file.toString(),
                            "/api/qa/file/" + file.getParent().getFileName() + "/" + file.getFileName(),
                            html.length()));
                })
                .queryString("output_path", "An .html file name in the image's QA directory")
                .queryString("catalog", CATALOG_PARAM)
                .queryString("validation_types", TYPES_PARAM)
                .optionalBody(ReportRequest.class)
                .returns(201, ReportGenerated.class);
        get("/thumbnails/{ms_path:path}.png", "thumbnails.ms", "Thumbnail PNG of an MS's newest image", req -> {
            long id = imageQa.imageOfMs(req.path("ms_path"));
            String stretch = req.oneOf("stretch", imageQa.settings().previewStretch(), "asinh", "zscale");
            return png(imageQa.preview(id, stretch, Math.min(256, imageQa.settings().previewMaxPx())));
        })
                .queryEnum("stretch", imageQa.settings().previewStretch(), "asinh", "zscale")
                .returnsMedia(200, "image/png", "PNG thumbnail");
        // Last: the greedy catch-all below /api/qa.
        get("/qa/{ms_path:path}", "qa.ms", "QA metrics of an MS: calibration QA and image QA (QAMetrics)", req -> {
            String ms = req.path("ms_path");
            CalibrationQa.Report cal = calibrationQa.tablesOf(ms).isEmpty() ? calibrationQa.stored(ms)
                    : calibrationQa.evaluate(ms);
            ImageQa.View img = null;
            try {
                img = ImageQa.view(imageQa.ensure(imageQa.imageOfMs(ms)));
            } catch (HubException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            if (cal == null && img == null) {
                throw HubException.notFound("QA of MS", ms);
            }
            return new MsQa(cal != null ? cal.msPath() : img.msPath(), cal, img);
        }).returns(MsQa.class);
    }

    private static ApiResponse png(Plot plot) {
        return ApiResponse.png(plot.png()).withHeader("Cache-Control", "max-age=60");
    }

    /** The reference catalog to validate against: the request's, else the configured one (hub.catalog.name). */
    private String catalog(ApiRequest req, JsonNode body) {
        String c = body != null && body.hasNonNull("catalog") ? body.get("catalog").asText() : req.query("catalog",
                defaultCatalog);
        if (!CATALOG.matcher(c).matches()) {
            throw HubException.invalidParameter("catalog", c, "a catalog name such as nvss");
        }
        return c.toLowerCase(Locale.ROOT);
    }

    /** validation_types from the body (array) or the query (repeated and/or comma-separated). */
    private static List<String> types(ApiRequest req, JsonNode body) {
        List<String> out = new ArrayList<>();
        if (body != null && body.has("validation_types") && body.get("validation_types").isArray()) {
            body.get("validation_types").forEach(n -> out.add(n.asText()));
            return out;
        }
        Object v = req.exchange().getMessage().getHeader("validation_types");
        List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
        for (Object o : values) {
            for (String s : o.toString().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** output_path of a report: a file name, or a path inside the image's QA group directory; 400 otherwise. */
    private static String reportName(QaArtifacts artifacts, String group, String output) {
        Path p;
        try {
            p = Path.of(output);
        } catch (RuntimeException e) {
            throw HubException.invalidParameter("output_path", output, "an .html file name in the QA root");
        }
        Path dir = artifacts.root().resolve(group);
        Path abs = (p.isAbsolute() ? p : p.getNameCount() == 1 ? dir.resolve(p) : artifacts.root().resolve(p))
                .normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (!abs.getParent().equals(dir) || !name.endsWith(".html") || !name.equals(QaArtifacts.safeSegment(name))) {
            throw HubException.invalidParameter("output_path", output,
                    "an .html file name (written to " + dir + ")");
        }
        return name;
    }
}
