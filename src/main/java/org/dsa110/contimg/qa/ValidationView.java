package org.dsa110.contimg.qa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.Rows;

/**
 * The API view of a stored catalog validation ({@code catalog_validation} row plus its JSON report): counts,
 * status, the requested sections and the matched pairs. Each section carries the fields the operators' dashboard
 * reads ({@code validation_type, catalog_used, n_*, has_issues, has_warnings, issues, warnings}) and its metrics
 * under both the hub's and the earlier backend's names; a metric that could not be computed is absent, never null
 * (the dashboard formats every metric that is present). {@code source_counts} is the completeness section under the
 * earlier name.
 */
public final class ValidationView {

    /** A problem found by a run: the section it concerns, {@code issue} (fails the run) or {@code warning}. */
    public record Finding(String section, String level, String message) {
    }

    /** One section of a validation; metrics of other sections are absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Section(String validationType, String catalogUsed, long nMatched, long nDetected, long nCatalog,
            boolean hasIssues, boolean hasWarnings, List<String> issues, List<String> warnings,
            Double meanOffsetArcsec, Double rmsOffsetArcsec, Double maxOffsetArcsec, Double medianOffsetArcsec,
            Double offsetRaArcsec, Double offsetDecArcsec, Double raOffsetMedianArcsec, Double decOffsetMedianArcsec,
            Double meanFluxRatio, Double rmsFluxRatio, Double stdFluxRatio, Double fluxScaleError,
            Double completeness, Long nDetectable, Double detectionLimitJy, List<Object> missed) {
    }

    /**
     * A validation run. {@code issues} lists every finding's message (issues and warnings, as the hub always has);
     * {@code warnings} the warnings alone. Unrequested sections are absent.
     */
    public record Validation(long id, long imageId, String catalog, List<String> validationTypes, Instant runAt,
            String status, long nMatched, long nDetected, long nCatalog,
            @JsonInclude(JsonInclude.Include.NON_NULL) Section astrometry,
            @JsonInclude(JsonInclude.Include.NON_NULL) Section fluxScale,
            @JsonInclude(JsonInclude.Include.NON_NULL) Section completeness,
            @JsonInclude(JsonInclude.Include.NON_NULL) Section sourceCounts, List<String> issues,
            List<String> warnings, List<Finding> findings, Double matchRadiusArcsec, List<Map<String, Object>> matches) {
    }

    private ValidationView() {
    }

    /** The view of a stored run, with the {@code sections} asked for (completeness also gives source_counts). */
    static Validation of(Map<String, Object> r, Set<String> sections) {
        Map<String, Object> report = parse(Rows.str(r, "report"), new TypeReference<>() { });
        List<String> types = parse(Rows.str(r, "validation_types"), new TypeReference<>() { });
        List<Finding> findings = findings(report, Rows.str(r, "status"));
        String catalog = Rows.str(r, "catalog");
        long matched = number(r.get("n_matched"));
        long detected = number(r.get("n_detected"));
        long onImage = number(r.get("n_catalog"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> matches = report.get("matches") instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
        Section astrometry = null;
        if (sections.contains("astrometry")) {
            double[] sep = matches.stream().map(m -> m.get("separation_arcsec")).filter(Number.class::isInstance)
                    .mapToDouble(o -> ((Number) o).doubleValue()).toArray();
            Double mean = sep.length == 0 ? null : java.util.Arrays.stream(sep).average().orElseThrow();
            Double max = sep.length == 0 ? null : java.util.Arrays.stream(sep).max().orElseThrow();
            Double raMedian = Rows.dbl(r, "ra_offset_median_arcsec");
            Double decMedian = Rows.dbl(r, "dec_offset_median_arcsec");
            astrometry = section("astrometry", catalog, matched, detected, onImage, findings, mean,
                    Rows.dbl(r, "astrometry_rms_arcsec"), max, Rows.dbl(r, "astrometry_median_arcsec"), raMedian,
                    decMedian, raMedian, decMedian, null, null, null, null, null, null, null, null);
        }
        Section flux = null;
        if (sections.contains("flux_scale")) {
            Double std = Rows.dbl(r, "flux_ratio_std");
            flux = section("flux_scale", catalog, matched, detected, onImage, findings, null, null, null, null, null,
                    null, null, null, Rows.dbl(r, "flux_ratio_mean"), std, std, Rows.dbl(r, "flux_scale_error"), null,
                    null, null, null);
        }
        Section completeness = null;
        Section counts = null;
        if (sections.contains("completeness")) {
            Double c = Rows.dbl(r, "completeness");
            Long detectable = report.get("n_detectable") instanceof Number n ? n.longValue() : null;
            Double limit = report.get("detection_limit_jy") instanceof Number n ? n.doubleValue() : null;
            @SuppressWarnings("unchecked")
            List<Object> missed = report.get("missed") instanceof List<?> l ? (List<Object>) l : List.of();
            completeness = section("completeness", catalog, matched, detected, onImage, findings, null, null, null,
                    null, null, null, null, null, null, null, null, null, c, detectable, limit, missed);
            counts = section("source_counts", catalog, matched, detected, onImage, findings, null, null, null, null,
                    null, null, null, null, null, null, null, null, c, detectable, limit, missed);
        }
        List<String> warnings = findings.stream().filter(f -> "warning".equals(f.level())).map(Finding::message)
                .toList();
        return new Validation(number(r.get("id")), number(r.get("image_id")), catalog, types,
                (Instant) r.get("run_at"), Rows.str(r, "status"), matched, detected, onImage, astrometry, flux,
                completeness, counts, findings.stream().map(Finding::message).toList(), warnings, findings,
                report.get("match_radius_arcsec") instanceof Number n ? n.doubleValue() : null, matches);
    }

    private static Section section(String type, String catalog, long matched, long detected, long onImage,
            List<Finding> findings, Double mean, Double rms, Double max, Double median, Double offRa, Double offDec,
            Double raMedian, Double decMedian, Double ratioMean, Double ratioRms, Double ratioStd, Double fluxError,
            Double completeness, Long detectable, Double limit, List<Object> missed) {
        String key = "source_counts".equals(type) ? "completeness" : type;
        List<String> issues = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Finding f : findings) {
            if (f.section().equals(key)) {
                ("issue".equals(f.level()) ? issues : warnings).add(f.message());
            }
        }
        return new Section(type, catalog, matched, detected, onImage, !issues.isEmpty(), !warnings.isEmpty(),
                issues, warnings, mean, rms, max, median, offRa, offDec, raMedian, decMedian, ratioMean, ratioRms,
                ratioStd, fluxError, completeness, detectable, limit, missed);
    }

    /**
     * The findings of a report. Runs stored before findings were recorded have only their messages: the section is
     * the message's prefix, and a flux-scale finding of a failed run is its issue (the only check that fails).
     */
    static List<Finding> findings(Map<String, Object> report, String status) {
        if (report.get("findings") instanceof List<?> stored) {
            return stored.stream().map(o -> (Map<?, ?>) o).map(m -> new Finding(String.valueOf(m.get("section")),
                    String.valueOf(m.get("level")), String.valueOf(m.get("message")))).toList();
        }
        List<Finding> out = new ArrayList<>();
        if (report.get("issues") instanceof List<?> messages) {
            for (Object o : messages) {
                String m = String.valueOf(o);
                String section = m.startsWith("astrometry") ? "astrometry"
                        : m.startsWith("flux_scale") ? "flux_scale" : "completeness";
                boolean fails = "fail".equals(status) && "flux_scale".equals(section)
                        && m.toLowerCase(Locale.ROOT).contains(">");
                out.add(new Finding(section, fails ? "issue" : "warning", m));
            }
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
