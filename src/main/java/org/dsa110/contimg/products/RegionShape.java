package org.dsa110.contimg.products;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.science.sky.SkyCoords;

/**
 * A user region in sky coordinates (the seed-001 flat shape): circle (centre, radius), ellipse (centre, semi-axes,
 * PA of the major axis east of north), box (centre, width east-west and height north-south before rotation by PA)
 * or polygon (vertices [[ra, dec], …]). Sizes in arcsec, angles in degrees. The compact constructor validates the
 * fields the type needs, so an invalid region is a 422 before anything is stored.
 *
 * <p>Membership is decided on the gnomonic tangent plane about the region centre (exact for circles, which use
 * the great-circle distance), which is accurate for regions of up to a few degrees.
 */
public record RegionShape(String regionType, Double raDeg, Double decDeg, Double radiusArcsec,
                          Double semiMajorArcsec, Double semiMinorArcsec, Double widthArcsec, Double heightArcsec,
                          Double paDeg, List<List<Double>> vertices) {

    public static final Set<String> TYPES = Set.of("circle", "ellipse", "box", "polygon");
    /** Largest region size accepted (arcsec): statistics read the bounding box of the region. */
    public static final double MAX_SIZE_ARCSEC = 36000;

    public RegionShape {
        if (regionType == null || !TYPES.contains(regionType)) {
            throw new IllegalArgumentException("region_type must be one of circle, ellipse, box, polygon");
        }
        if (regionType.equals("polygon")) {
            if (vertices == null || vertices.size() < 3) {
                throw new IllegalArgumentException("a polygon needs at least 3 vertices [[ra_deg, dec_deg], ...]");
            }
            for (List<Double> v : vertices) {
                if (v == null || v.size() != 2 || v.get(0) == null || v.get(1) == null) {
                    throw new IllegalArgumentException("each vertex is [ra_deg, dec_deg]");
                }
                checkPosition(v.get(0), v.get(1));
            }
            vertices = vertices.stream().map(List::copyOf).toList();
        } else {
            if (raDeg == null || decDeg == null) {
                throw new IllegalArgumentException(regionType + " needs ra_deg and dec_deg");
            }
            checkPosition(raDeg, decDeg);
        }
        switch (regionType) {
            case "circle" -> positive("radius_arcsec", radiusArcsec);
            case "ellipse" -> {
                positive("semi_major_arcsec", semiMajorArcsec);
                positive("semi_minor_arcsec", semiMinorArcsec);
                if (semiMinorArcsec > semiMajorArcsec) {
                    throw new IllegalArgumentException("semi_minor_arcsec must not exceed semi_major_arcsec");
                }
            }
            case "box" -> {
                positive("width_arcsec", widthArcsec);
                positive("height_arcsec", heightArcsec);
            }
            default -> { }
        }
        if (paDeg != null && !Double.isFinite(paDeg)) {
            throw new IllegalArgumentException("pa_deg must be a finite number");
        }
    }

    private static void checkPosition(double ra, double dec) {
        if (!(ra >= 0 && ra < 360) || !(dec >= -90 && dec <= 90)) {
            throw new IllegalArgumentException("positions need ra_deg in [0, 360) and dec_deg in [-90, 90]");
        }
    }

    private static void positive(String name, Double v) {
        if (v == null || !(v > 0) || v > MAX_SIZE_ARCSEC) {
            throw new IllegalArgumentException(name + " must be > 0 and <= " + MAX_SIZE_ARCSEC);
        }
    }

    private double pa() {
        return paDeg == null ? 0 : paDeg;
    }

    /** Centre: the given one, or the mean vertex of a polygon (on the unit sphere, so RA wrap is harmless). */
    public double[] centre() {
        if (!regionType.equals("polygon")) {
            return new double[] {raDeg, decDeg};
        }
        double x = 0, y = 0, z = 0;
        for (List<Double> v : vertices) {
            double a = Math.toRadians(v.get(0));
            double d = Math.toRadians(v.get(1));
            x += Math.cos(d) * Math.cos(a);
            y += Math.cos(d) * Math.sin(a);
            z += Math.sin(d);
        }
        return new double[] {SkyCoords.normalizeDeg(Math.toDegrees(Math.atan2(y, x))),
                Math.toDegrees(Math.atan2(z, Math.hypot(x, y)))};
    }

    /** Radius (arcsec) of a circle about {@link #centre()} enclosing the region. */
    public double enclosingRadiusArcsec() {
        return switch (regionType) {
            case "circle" -> radiusArcsec;
            case "ellipse" -> semiMajorArcsec;
            case "box" -> Math.hypot(widthArcsec, heightArcsec) / 2;
            default -> {
                double[] c = centre();
                double r = 0;
                for (List<Double> v : vertices) {
                    r = Math.max(r, SkyCoords.separationDeg(c[0], c[1], v.get(0), v.get(1)) * 3600);
                }
                yield r;
            }
        };
    }

    /** Gnomonic offsets (east, north) in arcsec of (ra, dec) from (ra0, dec0). */
    static double[] tangentOffsets(double ra0, double dec0, double ra, double dec) {
        double a = Math.toRadians(ra - ra0);
        double d0 = Math.toRadians(dec0);
        double d = Math.toRadians(dec);
        double cosc = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a);
        double east = Math.cos(d) * Math.sin(a) / cosc;
        double north = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a)) / cosc;
        return new double[] {Math.toDegrees(east) * 3600, Math.toDegrees(north) * 3600};
    }

    /** True when the sky position lies inside the region. */
    public boolean contains(double ra, double dec) {
        double[] c = centre();
        if (regionType.equals("circle")) {
            return SkyCoords.separationDeg(c[0], c[1], ra, dec) * 3600 <= radiusArcsec;
        }
        if (SkyCoords.separationDeg(c[0], c[1], ra, dec) >= 89) {
            return false; // the tangent plane does not reach the far hemisphere
        }
        double[] t = tangentOffsets(c[0], c[1], ra, dec);
        double pa = Math.toRadians(pa());
        // Components along the PA direction (east of north) and perpendicular to it.
        double along = t[0] * Math.sin(pa) + t[1] * Math.cos(pa);
        double across = t[0] * Math.cos(pa) - t[1] * Math.sin(pa);
        return switch (regionType) {
            case "ellipse" -> sq(along / semiMajorArcsec) + sq(across / semiMinorArcsec) <= 1;
            case "box" -> Math.abs(along) <= heightArcsec / 2 && Math.abs(across) <= widthArcsec / 2;
            default -> insidePolygon(c, t);
        };
    }

    private boolean insidePolygon(double[] c, double[] p) {
        List<double[]> poly = new ArrayList<>();
        for (List<Double> v : vertices) {
            poly.add(tangentOffsets(c[0], c[1], v.get(0), v.get(1)));
        }
        boolean inside = false;
        for (int i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
            double[] a = poly.get(i);
            double[] b = poly.get(j);
            if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) {
                inside = !inside;
            }
        }
        return inside;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** The stored coordinates document: only the fields this type uses. */
    public Map<String, Object> coordinates() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (regionType.equals("polygon")) {
            m.put("vertices", vertices);
            return m;
        }
        m.put("ra_deg", raDeg);
        m.put("dec_deg", decDeg);
        switch (regionType) {
            case "circle" -> m.put("radius_arcsec", radiusArcsec);
            case "ellipse" -> {
                m.put("semi_major_arcsec", semiMajorArcsec);
                m.put("semi_minor_arcsec", semiMinorArcsec);
                m.put("pa_deg", pa());
            }
            default -> {
                m.put("width_arcsec", widthArcsec);
                m.put("height_arcsec", heightArcsec);
                m.put("pa_deg", pa());
            }
        }
        return m;
    }
}
