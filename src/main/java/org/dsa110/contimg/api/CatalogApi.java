package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.products.ReferenceCatalog;

/** /api/catalog/overlay: reference-catalog sources in a cone, for drawing over images. */
public class CatalogApi extends ApiRoutes {

    /** The overlay: {@code message} says why it is empty when no position was given. */
    public record Overlay(List<Map<String, Object>> sources, int count, Double raCenter, Double decCenter,
            Double radiusDeg, String message) {
    }

    /** Largest overlay radius: the imaging field of view is 3.5°. */
    static final double MAX_RADIUS_DEG = 5.0;

    @Override
    public void configure() {
        ReferenceCatalog catalog = lookup("referenceCatalog", ReferenceCatalog.class);

        get("/catalog/overlay", "catalog.overlay", "Catalog sources within a radius of a position", req -> {
            if (req.query("ra") == null || req.query("dec") == null) {
                // the dashboard asks before it knows where it looks: nothing to overlay yet (its client counts 400s
                // towards opening its breaker)
                return new Overlay(List.of(), 0, null, null, req.doubleQuery("radius", null, 0, MAX_RADIUS_DEG),
                        "no position given (ra and dec): nothing to overlay");
            }
            double ra = req.requiredDouble("ra", 0, 360);
            double dec = req.requiredDouble("dec", -90, 90);
            double radius = req.requiredDouble("radius", 0, MAX_RADIUS_DEG);
            String which = req.oneOf("catalog", "all", "all", "nvss", "vlass", "first", "dsa");
            List<Map<String, Object>> sources = catalog.cone(ra % 360, dec, radius,
                    "all".equals(which) ? null : which.toUpperCase(Locale.ROOT), null).stream().map(s -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("ra_deg", s.raDeg());
                        m.put("dec_deg", s.decDeg());
                        m.put("flux_mjy", s.fluxMjy());
                        m.put("source_id", s.sourceId());
                        m.put("catalog_type", s.catalog().toLowerCase(Locale.ROOT));
                        m.put("separation_deg", s.separationDeg());
                        return m;
                    }).toList();
            return new Overlay(sources, sources.size(), ra, dec, radius, null);
        })
                .queryNumber("ra", null, 0, 360, "Right ascension (deg); without ra and dec nothing is overlaid")
                .queryNumber("dec", null, -90, 90, "Declination (deg)")
                .queryNumber("radius", null, 0, MAX_RADIUS_DEG, "Cone radius (deg), required with ra and dec")
                .queryEnum("catalog", "all", "all", "nvss", "vlass", "first", "dsa")
                .returns(Overlay.class);
    }
}
