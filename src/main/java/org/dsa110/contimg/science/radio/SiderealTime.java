package org.dsa110.contimg.science.radio;

/**
 * Sidereal time from UT.
 *
 * <p>GMST uses the IAU 1982 expression (Aoki et al. 1982) in the form given by Meeus, Astronomical Algorithms
 * eq. 12.4. The argument is treated as UT1; passing UTC instead (|UT1 − UTC| < 0.9 s) gives an error of up to
 * ~0.9 s of time (13.5″ in hour angle), which is the dominant error. Apparent sidereal time adds the equation of
 * the equinoxes Δψ·cos ε with the low-accuracy nutation series of Meeus ch. 22 (≈0.5″ in Δψ, ~0.03 s in GAST).
 */
public final class SiderealTime {

    public static final double JD_J2000 = 2451545.0;
    public static final double MJD_OFFSET = 2400000.5;
    private static final double TWO_PI = 2.0 * Math.PI;

    private SiderealTime() {
    }

    /** Greenwich mean sidereal time (radians, [0, 2π)) at Julian date {@code jdUt}. */
    public static double gmstRad(double jdUt) {
        double d = jdUt - JD_J2000;
        double t = d / 36525.0;
        double deg = 280.46061837 + 360.98564736629 * d + 0.000387933 * t * t - t * t * t / 38710000.0;
        return wrap(Math.toRadians(deg % 360.0));
    }

    /** Greenwich apparent sidereal time (radians) = GMST + equation of the equinoxes. */
    public static double gastRad(double jdUt) {
        return wrap(gmstRad(jdUt) + equationOfEquinoxesRad(jdUt));
    }

    /** Local mean sidereal time (radians) for an east-positive longitude in degrees. */
    public static double lmstRad(double jdUt, double longitudeDeg) {
        return wrap(gmstRad(jdUt) + Math.toRadians(longitudeDeg));
    }

    /** Local apparent sidereal time (radians) for an east-positive longitude in degrees. */
    public static double lastRad(double jdUt, double longitudeDeg) {
        return wrap(gastRad(jdUt) + Math.toRadians(longitudeDeg));
    }

    /** Δψ·cos ε (radians), Meeus ch. 22 low-accuracy nutation. */
    public static double equationOfEquinoxesRad(double jdUt) {
        double t = (jdUt - JD_J2000) / 36525.0;
        double omega = Math.toRadians(125.04452 - 1934.136261 * t);
        double sunL = Math.toRadians(280.4665 + 36000.7698 * t);
        double moonL = Math.toRadians(218.3165 + 481267.8813 * t);
        double dPsiArcsec = -17.20 * Math.sin(omega) - 1.32 * Math.sin(2 * sunL) - 0.23 * Math.sin(2 * moonL)
            + 0.21 * Math.sin(2 * omega);
        double dEpsArcsec = 9.20 * Math.cos(omega) + 0.57 * Math.cos(2 * sunL) + 0.10 * Math.cos(2 * moonL)
            - 0.09 * Math.cos(2 * omega);
        double eps = Math.toRadians(23.439291 - 0.0130042 * t + dEpsArcsec / 3600.0);
        return Math.toRadians(dPsiArcsec / 3600.0) * Math.cos(eps);
    }

    public static double mjdToJd(double mjd) {
        return mjd + MJD_OFFSET;
    }

    public static double jdToMjd(double jd) {
        return jd - MJD_OFFSET;
    }

    /** Wraps an angle into [0, 2π). */
    public static double wrap(double rad) {
        double r = rad % TWO_PI;
        return r < 0 ? r + TWO_PI : r;
    }
}
