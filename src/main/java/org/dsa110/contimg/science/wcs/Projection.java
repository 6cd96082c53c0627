package org.dsa110.contimg.science.wcs;

/**
 * The zenithal projections supported by {@link CelestialWcs} (Calabretta &amp; Greisen 2002, sect. 5.1).
 * Both have the reference point at the native pole (phi0, theta0) = (0°, 90°).
 */
public enum Projection {
    /** Slant orthographic; the usual projection of synthesis images. */
    SIN,
    /** Gnomonic. */
    TAN;

    /** The projection named by the last three characters of a CTYPE value such as {@code RA---SIN}. */
    static Projection fromCtype(String ctype) {
        String code = ctype.length() >= 8 ? ctype.substring(5, 8).trim() : "";
        for (Projection p : values()) {
            if (p.name().equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported celestial projection in CTYPE '" + ctype
                + "' (only SIN and TAN are supported)");
    }
}
