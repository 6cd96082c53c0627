package org.dsa110.contimg.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.products.ExternalCatalogs;
import org.dsa110.contimg.products.PostageStamps;
import org.dsa110.contimg.products.SourceCatalog;

/**
 * /api/sources*: tracked sources, their light curves, variability, detections, postage stamps and external
 * catalog matches. The same per-source handlers also answer under /api/legacy/sources/{source_id}/… and
 * /api/ese/candidates/{source_id}/….
 */
public class SourcesApi extends ApiRoutes {

    /**
     * POST /api/sources/search: the seed 001 shape ({@code query}, {@code filters}, {@code sort}) and the operators'
     * dashboard's flat filters ({@code source_id}: the id query; {@code variability_threshold}: as
     * {@code filters.variability_min}, the sigma deviation; {@code ese_only}: active ESE candidates only; RA and Dec
     * ranges in degrees). A flat filter and its {@code filters} twin may not disagree: the flat one is used when
     * the other is absent.
     */
    public record SearchRequest(String query, String sourceId, Filters filters, Sort sort, Integer limit,
                                Integer offset, Double variabilityThreshold, Boolean eseOnly, Double decMin,
                                Double decMax, Double raMin, Double raMax) {
        public SearchRequest {
            if (limit != null && (limit < 1 || limit > 1000)) {
                throw new IllegalArgumentException("limit must be in [1, 1000]");
            }
            if (offset != null && offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0");
            }
            for (Double ra : new Double[] {raMin, raMax}) {
                if (ra != null && !(ra >= 0 && ra <= 360)) {
                    throw new IllegalArgumentException("ra_min and ra_max must be in [0, 360]");
                }
            }
            for (Double dec : new Double[] {decMin, decMax}) {
                if (dec != null && !(dec >= -90 && dec <= 90)) {
                    throw new IllegalArgumentException("dec_min and dec_max must be in [-90, 90]");
                }
            }
        }
    }

    public record Filters(Double variabilityMin, Double decMin, Double decMax, Double fluxMinMjy) {
    }

    public record Sort(String field, String order) {
        public Sort {
            if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
                throw new IllegalArgumentException("sort.order must be asc or desc");
            }
        }
    }

    /** ExternalCatalogsResponse: one match (or failure) per requested catalog, keyed by catalog. */
    public record ExternalMatches(String sourceId, double raDeg, double decDeg,
            Map<String, ExternalCatalogs.Match> matches, double queryTimeSec) {
    }

    private org.dsa110.contimg.ops.HeavyWork heavy;

    @Override
    public void configure() {
        heavy = lookup("heavyWork", org.dsa110.contimg.ops.HeavyWork.class);
        SourceCatalog sources = lookup("sourceCatalog", SourceCatalog.class);
        PostageStamps stamps = lookup("postageStamps", PostageStamps.class);
        ExternalCatalogs external = lookup("externalCatalogs", ExternalCatalogs.class);

        get("/sources", "sources.list", "Tracked sources, most recently measured first",
                req -> sources.list(req.intQuery("limit", 10, 1, 100)))
                .queryInt("limit", 10, 1, 100)
                .returns(org.dsa110.contimg.products.SourceCatalog.SourceList.class)
                .example("{\"sources\": [{\"source_id\": \"NVSS J083452.1+553412\", \"name\": "
                        + "\"NVSS J083452.1+553412\", \"ra_deg\": 128.71708, \"dec_deg\": 55.57, \"catalog\": "
                        + "\"NVSS\", \"nvss_flux_mjy\": 64.1, \"mean_flux_mjy\": 62.8, \"std_flux_mjy\": 3.9, "
                        + "\"n_obs\": 2, \"chi2_nu\": 4.1, \"sigma_deviation\": 2.3, \"eta\": 4.1, \"v\": 0.062, "
                        + "\"is_variable\": false, \"last_measured_at\": \"2026-01-16T08:46:11Z\", "
                        + "\"mean_flux_jy\": 0.0628, \"std_flux_jy\": 0.0039, \"chi_sq_nu\": 4.1, "
                        + "\"variability_index\": 2.3, \"ese_candidate\": false, \"flux_points\": [{\"mjd\": "
                        + "61055.3632, \"time\": \"2026-01-15T08:43:00Z\", \"flux_jy\": 0.0656, \"flux_err_jy\": "
                        + "0.0004, \"image_id\": \"41\"}, {\"mjd\": 61056.3654, \"time\": \"2026-01-16T08:46:11Z\", "
                        + "\"flux_jy\": 0.06, \"flux_err_jy\": 0.0004, \"image_id\": \"42\"}]}], \"total\": 1, "
                        + "\"limit\": 10, \"offset\": null}");
        ApiHandler search = req -> {
            SearchRequest r = req.bodyOrDefaults(SearchRequest.class);
            Filters f = r.filters() != null ? r.filters() : new Filters(null, null, null, null);
            Sort s = r.sort() != null ? r.sort() : new Sort(null, null);
            String q = r.query() != null ? r.query() : r.sourceId();
            return sources.search(new SourceCatalog.Search(q == null || q.isBlank() ? null : q.trim(),
                    first(f.variabilityMin(), r.variabilityThreshold()), first(f.decMin(), r.decMin()),
                    first(f.decMax(), r.decMax()), f.fluxMinMjy(), r.raMin(), r.raMax(),
                    Boolean.TRUE.equals(r.eseOnly()), s.field(), s.order() == null || s.order().equalsIgnoreCase("desc"),
                    r.limit() != null ? r.limit() : 100, r.offset() != null ? r.offset() : 0));
        };
        post("/sources/search", "sources.search", "Search sources by id, variability, declination and flux", search)
                .optionalBody(SearchRequest.class).returns(SourceCatalog.SourceList.class);
        post("/legacy/sources/search", "legacy.sources.search", "As POST /api/sources/search", search)
                .optionalBody(SearchRequest.class).returns(SourceCatalog.SourceList.class);

        perSource("/sources/{source_id}", "sources", sources, stamps, external, true);
        perSource("/legacy/sources/{source_id}", "legacy.sources", sources, stamps, external, true);
        perSource("/ese/candidates/{source_id}", "ese.source", sources, stamps, external, false);
    }

    /** The per-source endpoints under one prefix ({@code withDetail}: also GET prefix and /detections). */
    private void perSource(String prefix, String id, SourceCatalog sources, PostageStamps stamps,
                           ExternalCatalogs external, boolean withDetail) {
        if (withDetail) {
            get(prefix, id + ".detail", "One source (SourceDetail)", req -> sources.detail(sourceId(req)))
                    .returns(SourceCatalog.SourceDetail.class);
            get(prefix + "/detections", id + ".detections", "A source's measurements, newest first (DetectionList)",
                    req -> sources.detections(sourceId(req), req.intQuery("page", 1, 1, Integer.MAX_VALUE),
                            req.intQuery("page_size", 25, 1, 100)))
                    .queryInt("page", 1, 1, Integer.MAX_VALUE).queryInt("page_size", 25, 1, 100)
                    .returns(SourceCatalog.DetectionList.class);
        }
        get(prefix + "/lightcurve", id + ".lightcurve", "Raw and normalised light curve (LightCurveData)",
                req -> sources.lightCurve(sourceId(req))).returns(SourceCatalog.LightCurve.class);
        get(prefix + "/variability", id + ".variability", "Variability metrics (VariabilityMetrics)",
                req -> sources.variability(sourceId(req))).returns(SourceCatalog.VariabilityMetrics.class);
        get(prefix + "/postage_stamps", id + ".postage_stamps", "FITS cutouts of the source per image",
                req -> {
                    String sid = sourceId(req);
                    double size = req.doubleQuery("size_arcsec", 60.0, 1, 3600);
                    int max = req.intQuery("max_stamps", 20, 1, 200);
                    // up to max_stamps cutouts written: heavy work, on the bounded slots
                    return heavy.request(() -> stamps.stamps(sid, size, max));
                })
                .queryNumber("size_arcsec", 60.0, 1, 3600, null).queryInt("max_stamps", 20, 1, 200)
                .returns(PostageStamps.Stamps.class);
        get(prefix + "/external_catalogs", id + ".external_catalogs", "SIMBAD/NED/Gaia matches (circuit-broken)",
                req -> {
                    String sid = sourceId(req);
                    Map<String, Object> s = sources.source(sid);
                    double radius = req.doubleQuery("radius_arcsec", 5.0, 0.1, 600);
                    double timeout = req.doubleQuery("timeout", 30.0, 0.1, 300);
                    List<String> catalogs = catalogs(req.query("catalogs"));
                    long t0 = System.nanoTime();
                    double ra = ((Number) s.get("ra_deg")).doubleValue();
                    double dec = ((Number) s.get("dec_deg")).doubleValue();
                    Map<String, ExternalCatalogs.Match> matches = external.query(ra, dec, radius, catalogs,
                            Duration.ofMillis((long) (timeout * 1000)));
                    return new ExternalMatches(sid, ra, dec, matches, (System.nanoTime() - t0) / 1e9);
                })
                .queryNumber("radius_arcsec", 5.0, 0.1, 600, null)
                .queryNumber("timeout", 30.0, 0.1, 300, "Seconds per catalog (capped by the hub's maximum)")
                .queryString("catalogs", "Comma-separated: simbad, ned, gaia, or all (default)")
                .returns(ExternalMatches.class);
    }

    private static Double first(Double a, Double b) {
        return a != null ? a : b;
    }

    static List<String> catalogs(String param) {
        if (param == null || param.isBlank() || param.equalsIgnoreCase("all")) {
            return ExternalCatalogs.CATALOGS;
        }
        List<String> out = new ArrayList<>();
        for (String c : param.toLowerCase(Locale.ROOT).split(",")) {
            String name = c.trim();
            if (!ExternalCatalogs.CATALOGS.contains(name)) {
                throw HubException.invalidParameter("catalogs", param, "a comma-separated list of "
                        + String.join(", ", ExternalCatalogs.CATALOGS) + ", or all");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The source id path parameter; ids contain spaces and '+' ("NVSS J123456.7+420312"), sent percent-encoded. */
    static String sourceId(ApiRequest req) {
        return req.path("source_id");
    }
}
