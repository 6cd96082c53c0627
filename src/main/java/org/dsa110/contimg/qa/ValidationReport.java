package org.dsa110.contimg.qa;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.plots.Plot;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.Rows;

/**
 * The catalog-validation report of an image: one self-contained HTML page (no external resources: CSS inline,
 * PNGs embedded as data: URIs) with the image facts and QA, a preview, the astrometric offsets, the flux ratios
 * against catalog flux, the completeness and the table of matched pairs. Written into the QA root on request.
 */
public final class ValidationReport {
    /** The section metrics listed in the summary table (the hub's names). */
    static final List<String> METRICS = List.of("rms_offset_arcsec", "median_offset_arcsec", "ra_offset_median_arcsec",
            "dec_offset_median_arcsec", "mean_flux_ratio", "std_flux_ratio", "flux_scale_error", "completeness",
            "n_detectable", "detection_limit_jy");
    private final ImageRegistry images;
    private final ImageQa imageQa;
    private final CatalogValidator validator;
    private final QaArtifacts artifacts;

    public ValidationReport(ImageRegistry images, ImageQa imageQa, CatalogValidator validator,
                            QaArtifacts artifacts) {
        this.images = images;
        this.imageQa = imageQa;
        this.validator = validator;
        this.artifacts = artifacts;
    }

    /** Runs a validation of the requested types and renders the report. */
    public String html(long imageId, String catalog, List<String> types) {
        Map<String, Object> img = images.row(imageId);
        ImageQa.View qa = ImageQa.view(imageQa.ensure(imageId));
        ValidationView.Validation v = validator.run(imageId, catalog, types);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Validation report: image ")
                .append(imageId).append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#f0f0f0}.pass{color:#070}.warn{color:#a60}.fail{color:#b00}"
                        + "img{max-width:100%;border:1px solid #ddd}</style></head><body>\n");
        h.append("<h1>Catalog validation: ").append(esc(Rows.str(img, "name"))).append("</h1>\n");
        h.append("<p>Image ").append(imageId).append(" &middot; ").append(esc(Rows.str(img, "path")))
                .append("<br>Catalog ").append(esc(catalog.toUpperCase(Locale.ROOT))).append(" &middot; run ")
                .append(esc(String.valueOf(v.runAt()))).append(" &middot; status <b class=\"")
                .append(v.status()).append("\">").append(v.status()).append("</b></p>\n");
        h.append("<h2>Image QA</h2>\n<table>");
        row(h, "rms noise (Jy/beam)", qa.rmsNoise());
        row(h, "peak (Jy/beam)", qa.peakFlux());
        row(h, "dynamic range", qa.dynamicRange());
        row(h, "beam (arcsec, arcsec, deg)", fmt(qa.beamMajor()) + " × " + fmt(qa.beamMinor()) + ", "
                + fmt(qa.beamPa()));
        row(h, "sources ≥ detection threshold", qa.numSources());
        row(h, "quality", qa.overallQuality());
        h.append("</table>\n");
        Plot preview = imageQa.preview(imageId, imageQa.settings().previewStretch(), 512);
        img(h, "Image preview (" + imageQa.settings().previewStretch() + " stretch)", preview);
        h.append("<h2>Summary</h2>\n<table>");
        row(h, "detected sources", v.nDetected());
        row(h, "catalog sources on the image", v.nCatalog());
        row(h, "matched (≤ " + fmt(v.matchRadiusArcsec()) + " arcsec)", v.nMatched());
        for (ValidationView.Section section : java.util.Arrays.asList(v.astrometry(), v.fluxScale(),
                v.completeness())) {
            if (section != null) {
                // the section's metrics as the API shows them (absent ones skipped)
                Map<String, Object> m = Json.MAPPER.convertValue(section, new TypeReference<Map<String, Object>>() { });
                m.forEach((k, val) -> {
                    if (METRICS.contains(k)) {
                        row(h, section.validationType() + ": " + k, val);
                    }
                });
            }
        }
        h.append("</table>\n");
        List<String> issues = v.issues();
        if (!issues.isEmpty()) {
            h.append("<h2>Issues</h2><ul>");
            issues.forEach(i -> h.append("<li>").append(esc(String.valueOf(i))).append("</li>"));
            h.append("</ul>\n");
        }
        List<Map<?, ?>> matches = new ArrayList<>(v.matches());
        double[] dra = column(matches, "ra_offset_arcsec");
        double[] ddec = column(matches, "dec_offset_arcsec");
        img(h, "Astrometric offsets", QaCharts.png(new QaCharts.Chart("Astrometric offsets (image − catalog)",
                "RA offset × cos(Dec) (arcsec)", "Dec offset (arcsec)",
                List.of(new QaCharts.Series("matched sources", dra, ddec)), true)));
        img(h, "Flux ratio", QaCharts.png(new QaCharts.Chart("Flux ratio image / catalog",
                "Catalog flux density (Jy)", "Peak / catalog flux",
                List.of(new QaCharts.Series("matched sources", column(matches, "catalog_flux_jy"),
                        column(matches, "flux_ratio"))), true)));
        h.append("<h2>Matched sources</h2>\n<table><tr><th>source</th><th>catalog flux (Jy)</th>"
                + "<th>image peak (Jy/beam)</th><th>S/N</th><th>ΔRA cosδ (″)</th><th>ΔDec (″)</th><th>ratio</th></tr>");
        for (Map<?, ?> m : matches) {
            h.append("<tr><td>").append(esc(String.valueOf(m.get("source_id")))).append("</td>");
            for (String k : List.of("catalog_flux_jy", "image_peak_jy", "snr", "ra_offset_arcsec",
                    "dec_offset_arcsec", "flux_ratio")) {
                h.append("<td>").append(fmt(m.get(k))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /** Writes the report into the QA root (image's QA group) and registers it; returns the file. */
    public Path save(long imageId, String catalog, String html, String name) {
        String group = imageQa.groupOf(images.row(imageId));
        String file = name != null ? name : "validation_report_image" + imageId + "_"
                + catalog.toLowerCase(Locale.ROOT) + ".html";
        return artifacts.write(group, file, "report", html.getBytes(StandardCharsets.UTF_8));
    }

    private static double[] column(List<Map<?, ?>> rows, String key) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return out;
    }

    private static void img(StringBuilder h, String title, Plot plot) {
        h.append("<h2>").append(esc(title)).append("</h2>\n<img alt=\"").append(esc(title))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(plot.png()))
                .append("\">\n");
    }

    private static void row(StringBuilder h, String label, Object value) {
        h.append("<tr><th>").append(esc(label)).append("</th><td>").append(esc(fmt(value))).append("</td></tr>");
    }

    static String fmt(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            return Math.abs(x) >= 1e4 || (x != 0 && Math.abs(x) < 1e-3) ? String.format(Locale.ROOT, "%.4g", x)
                    : String.format(Locale.ROOT, "%.4f", x);
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
