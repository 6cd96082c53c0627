package org.dsa110.contimg.science.radio;

/** Julian-date arithmetic and angle wrapping (sidereal time and apparent places: {@link Astrometry}). */
public final class JulianDate {

    public static final double JD_J2000 = 2451545.0;
    public static final double MJD_OFFSET = 2400000.5;
    private static final double TWO_PI = 2.0 * Math.PI;

    private JulianDate() {
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
