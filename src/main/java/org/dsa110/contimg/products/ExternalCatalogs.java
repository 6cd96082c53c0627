package org.dsa110.contimg.products;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.sky.SkyCoords;

/**
 * Cross-identification of a position in external catalogs (SIMBAD, NED, Gaia) over their TAP services (ADQL cone
 * query, JSON results: {@code {"metadata":[{"name"}…], "data":[[…]…]}}).
 *
 * <p>Each catalog sits behind its own Resilience4j circuit breaker ({@code external_simbad} …: opens after
 * {@code failures} consecutive failures, half-opens after {@code openFor}) and every query has a hard deadline, so
 * an unreachable service costs at most the timeout once and nothing while its breaker is open; the answer always
 * arrives, with a per-catalog {@code error} and {@code breaker_state}.
 */
public final class ExternalCatalogs {
    public static final List<String> CATALOGS = List.of("simbad", "ned", "gaia");

    private final Map<String, String> endpoints;
    private final Duration maxTimeout;
    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private HttpClient http; // built on the first query: building one is a noticeable part of a cold start
    private final ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "external-catalogs");
        t.setDaemon(true);
        return t;
    });

    public ExternalCatalogs(Map<String, String> endpoints, Duration maxTimeout, int failures, Duration openFor) {
        this.endpoints = Map.copyOf(endpoints);
        this.maxTimeout = maxTimeout;
        CircuitBreakerConfig cfg = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failures).minimumNumberOfCalls(failures).failureRateThreshold(100)
                .waitDurationInOpenState(openFor).permittedNumberOfCallsInHalfOpenState(1).build();
        for (String c : CATALOGS) {
            breakers.put(c, CircuitBreaker.of("external_" + c, cfg));
        }
    }

    /** TAP sync endpoints by catalog from configuration (blank = the public service's default). */
    public static Map<String, String> endpoints(String simbad, String ned, String gaia) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("simbad", blankOr(simbad, "https://simbad.cds.unistra.fr/simbad/sim-tap/sync"));
        m.put("ned", blankOr(ned, "https://ned.ipac.caltech.edu/tap/sync"));
        m.put("gaia", blankOr(gaia, "https://gea.esac.esa.int/tap-server/tap/sync"));
        return m;
    }

    private static String blankOr(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public CircuitBreaker breaker(String catalog) {
        return breakers.get(catalog);
    }

    /**
     * ExternalCatalogsResponse.matches for a position: one ExternalCatalogMatch per requested catalog (queried in
     * parallel), each within {@code timeout} (capped by the configured maximum).
     */
    public Map<String, Match> query(double raDeg, double decDeg, double radiusArcsec, List<String> catalogs,
                                    Duration timeout) {
        Duration t = timeout.compareTo(maxTimeout) < 0 ? timeout : maxTimeout;
        Map<String, CompletableFuture<Match>> futures = new LinkedHashMap<>();
        for (String c : catalogs) {
            futures.put(c, CompletableFuture.supplyAsync(() -> queryOne(c, raDeg, decDeg, radiusArcsec, t), pool));
        }
        Map<String, Match> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Match>> e : futures.entrySet()) {
            Match m;
            try {
                // A hard deadline even when name resolution blocks beyond the HTTP client's own timeouts.
                m = e.getValue().get(t.toMillis() + 500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                m = failure(e.getKey(), "external catalog service unreachable (timed out)");
            } catch (Exception ex) {
                m = failure(e.getKey(), "external catalog query failed");
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    private Match queryOne(String catalog, double ra, double dec, double radiusArcsec, Duration t) {
        CircuitBreaker breaker = breakers.get(catalog);
        try {
            JsonNode table = breaker.executeCallable(() -> fetch(catalog, adql(catalog, ra, dec, radiusArcsec), t));
            return match(catalog, table, ra, dec);
        } catch (CallNotPermittedException e) {
            return failure(catalog, "external catalog service unreachable (circuit breaker open)");
        } catch (IOException e) {
            return failure(catalog, "external catalog service unreachable: " + e.getClass().getSimpleName());
        } catch (Exception e) {
            return failure(catalog, "external catalog query failed: " + e.getClass().getSimpleName());
        }
    }

    private JsonNode fetch(String catalog, String adql, Duration t) throws IOException, InterruptedException {
        String form = "REQUEST=doQuery&LANG=ADQL&FORMAT=json&QUERY=" + URLEncoder.encode(adql, StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(endpoints.get(catalog))).timeout(t)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> resp = http().send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode());
        }
        return Json.MAPPER.readTree(resp.body());
    }

    /** ADQL cone query returning the nearest object. */
    static String adql(String catalog, double ra, double dec, double radiusArcsec) {
        String circle = String.format(Locale.ROOT, "CIRCLE('ICRS', %.8f, %.8f, %.8f)", ra, dec, radiusArcsec / 3600);
        String point = String.format(Locale.ROOT, "POINT('ICRS', %.8f, %.8f)", ra, dec);
        return switch (catalog) {
            case "simbad" -> "SELECT TOP 1 main_id, otype, rvz_redshift, ra, dec FROM basic WHERE CONTAINS("
                    + "POINT('ICRS', ra, dec), " + circle + ") = 1 ORDER BY DISTANCE(POINT('ICRS', ra, dec), "
                    + point + ")";
            case "ned" -> "SELECT TOP 1 prefname, pretype, z, ra, dec FROM objdir WHERE CONTAINS("
                    + "POINT('ICRS', ra, dec), " + circle + ") = 1 ORDER BY DISTANCE(POINT('ICRS', ra, dec), "
                    + point + ")";
            case "gaia" -> "SELECT TOP 1 source_id, parallax, pmra, pmdec, phot_g_mean_mag, ra, dec FROM "
                    + "gaiadr3.gaia_source WHERE CONTAINS(POINT('ICRS', ra, dec), " + circle + ") = 1 ORDER BY "
                    + "DISTANCE(POINT('ICRS', ra, dec), " + point + ")";
            default -> throw new IllegalArgumentException("unknown catalog " + catalog);
        };
    }

    /**
     * ExternalCatalogMatch: the nearest object of one catalog (distance in pc from the parallax in mas), or why
     * there is none ({@code error}: unreachable, breaker open), with the catalog's breaker state.
     */
    public record Match(String catalog, boolean matched, String mainId, String objectType, Double separationArcsec,
            Double redshift, Double parallax, Double distance, Double pmra, Double pmdec, Double photGMeanMag,
            String error, String breakerState) {
    }

    /** An ExternalCatalogMatch from a TAP JSON table (first row = nearest). */
    Match match(String catalog, JsonNode table, double ra, double dec) {
        JsonNode data = table.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return failure(catalog, null);
        }
        Map<String, JsonNode> row = new LinkedHashMap<>();
        JsonNode meta = table.path("metadata");
        for (int i = 0; i < meta.size(); i++) {
            row.put(meta.get(i).path("name").asText().toLowerCase(Locale.ROOT), data.get(0).get(i));
        }
        Double mra = number(row, "ra");
        Double mdec = number(row, "dec");
        Double parallax = number(row, "parallax");
        return new Match(catalog, true, text(row, catalog.equals("simbad") ? "main_id" : catalog.equals("ned")
                ? "prefname" : "source_id"), text(row, catalog.equals("simbad") ? "otype" : "pretype"),
                mra == null || mdec == null ? null : SkyCoords.separationDeg(ra, dec, mra, mdec) * 3600,
                number(row, catalog.equals("simbad") ? "rvz_redshift" : "z"), parallax,
                parallax != null && parallax > 0 ? 1000.0 / parallax : null, // pc from mas
                number(row, "pmra"), number(row, "pmdec"), number(row, "phot_g_mean_mag"), null,
                breakers.get(catalog).getState().name());
    }

    private static String text(Map<String, JsonNode> row, String key) {
        JsonNode n = row.get(key);
        return n == null || n.isNull() ? null : n.asText().trim();
    }

    private static Double number(Map<String, JsonNode> row, String key) {
        JsonNode n = row.get(key);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }

    /** No match: none within the radius ({@code error} null) or the query failed. */
    private Match failure(String catalog, String error) {
        return new Match(catalog, false, null, null, null, null, null, null, null, null, null, error,
                breakers.get(catalog).getState().name());
    }

    public void close() {
        pool.shutdownNow();
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(maxTimeout).build();
        }
        return http;
    }
}
