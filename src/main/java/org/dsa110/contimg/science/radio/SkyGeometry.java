package org.dsa110.contimg.science.radio;

/**
 * Spherical-astronomy helpers: unit vectors, angular separation, direction cosines and sexagesimal parsing.
 *
 * <p>Direction cosines of a source (α, δ) relative to a phase centre (α0, δ0) follow the usual interferometric
 * convention (Thompson, Moran & Swenson, ch. 3): l towards increasing RA (east), m towards north,
 * <pre>
 *   l = cos δ · sin(α − α0)
 *   m = sin δ · cos δ0 − cos δ · sin δ0 · cos(α − α0)
 *   n = sin δ · sin δ0 + cos δ · cos δ0 · cos(α − α0)
 * </pre>
 * These are exactly the SIN-projection intermediate coordinates (in radians) of FITS (Calabretta & Greisen 2002).
 */
public final class SkyGeometry {

    private SkyGeometry() {
    }

    public static double[] unitVector(double raRad, double decRad) {
        double cd = Math.cos(decRad);
        return new double[] {cd * Math.cos(raRad), cd * Math.sin(raRad), Math.sin(decRad)};
    }

    /** (RA in [0, 2π), Dec) of a (not necessarily unit) vector. */
    public static double[] raDec(double[] v) {
        double ra = JulianDate.wrap(Math.atan2(v[1], v[0]));
        double dec = Math.atan2(v[2], Math.hypot(v[0], v[1]));
        return new double[] {ra, dec};
    }

    /** Great-circle separation (radians), haversine form (accurate at small angles). */
    public static double separationRad(double ra1, double dec1, double ra2, double dec2) {
        double sdd = Math.sin(0.5 * (dec2 - dec1));
        double sda = Math.sin(0.5 * (ra2 - ra1));
        double h = sdd * sdd + Math.cos(dec1) * Math.cos(dec2) * sda * sda;
        return 2.0 * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }

    /** Direction cosines {l, m, n} of (ra, dec) relative to the phase centre (ra0, dec0), all radians. */
    public static double[] directionCosines(double ra, double dec, double ra0, double dec0) {
        double da = ra - ra0;
        double cd = Math.cos(dec), sd = Math.sin(dec), cd0 = Math.cos(dec0), sd0 = Math.sin(dec0);
        double cda = Math.cos(da);
        return new double[] {cd * Math.sin(da), sd * cd0 - cd * sd0 * cda, sd * sd0 + cd * cd0 * cda};
    }

    /** Inverse of {@link #directionCosines}: (l, m) on the front hemisphere → {ra, dec} radians. */
    public static double[] fromDirectionCosines(double l, double m, double ra0, double dec0) {
        double n = Math.sqrt(Math.max(0.0, 1.0 - l * l - m * m));
        double sd0 = Math.sin(dec0), cd0 = Math.cos(dec0);
        double dec = Math.asin(m * cd0 + n * sd0);
        double ra = ra0 + Math.atan2(l, n * cd0 - m * sd0);
        return new double[] {JulianDate.wrap(ra), dec};
    }

    /** Parses RA like {@code 00h03m21.9969s} (also {@code 00:03:21.99}) to radians. */
    public static double parseRa(String text) {
        return Math.toRadians(15.0 * parseSexagesimal(text));
    }

    /** Parses Dec like {@code -17d27'11.781"} (also {@code -17:27:11.78}) to radians. */
    public static double parseDec(String text) {
        return Math.toRadians(parseSexagesimal(text));
    }

    private static double parseSexagesimal(String text) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        String[] parts = t.replaceFirst("^[+-]", "").split("[hdms:'\"\\s]+");
        double value = 0.0;
        double scale = 1.0;
        int used = 0;
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            value += Double.parseDouble(p) / scale;
            scale *= 60.0;
            if (++used == 3) {
                break;
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("not a sexagesimal angle: " + text);
        }
        return negative ? -value : value;
    }
}
