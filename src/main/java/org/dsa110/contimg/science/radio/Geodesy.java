package org.dsa110.contimg.science.radio;

/**
 * WGS84 geodetic ↔ Earth-centred Earth-fixed (ECEF/ITRF) conversions and the local East-North-Up frame.
 *
 * <p>Ellipsoid constants are the WGS84 defining parameters (NIMA TR8350.2); ITRF and WGS84 agree to a few cm,
 * which is far below anything the pipeline needs.
 */
public final class Geodesy {

    /** WGS84 semi-major axis (m). */
    public static final double WGS84_A = 6378137.0;
    /** WGS84 flattening. */
    public static final double WGS84_F = 1.0 / 298.257223563;
    /** First eccentricity squared e² = f(2 − f). */
    public static final double WGS84_E2 = WGS84_F * (2.0 - WGS84_F);

    private Geodesy() {
    }

    /** Geodetic latitude/longitude (degrees) and ellipsoidal height (m) → ECEF (x, y, z) in metres. */
    public static double[] geodeticToEcef(double latDeg, double lonDeg, double heightM) {
        double lat = Math.toRadians(latDeg);
        double lon = Math.toRadians(lonDeg);
        double sinLat = Math.sin(lat);
        double cosLat = Math.cos(lat);
        // prime-vertical radius of curvature
        double n = WGS84_A / Math.sqrt(1.0 - WGS84_E2 * sinLat * sinLat);
        return new double[] {
            (n + heightM) * cosLat * Math.cos(lon),
            (n + heightM) * cosLat * Math.sin(lon),
            (n * (1.0 - WGS84_E2) + heightM) * sinLat
        };
    }

    /**
     * ECEF offset {@code ecef − refEcef} expressed in the local East-North-Up frame at the reference geodetic
     * latitude/longitude (degrees).
     */
    public static double[] ecefToEnu(double[] ecef, double[] refEcef, double refLatDeg, double refLonDeg) {
        double dx = ecef[0] - refEcef[0];
        double dy = ecef[1] - refEcef[1];
        double dz = ecef[2] - refEcef[2];
        double lat = Math.toRadians(refLatDeg);
        double lon = Math.toRadians(refLonDeg);
        double sl = Math.sin(lat), cl = Math.cos(lat), so = Math.sin(lon), co = Math.cos(lon);
        return new double[] {
            -so * dx + co * dy,
            -sl * co * dx - sl * so * dy + cl * dz,
            cl * co * dx + cl * so * dy + sl * dz
        };
    }
}
