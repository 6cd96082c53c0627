package org.dsa110.contimg.science.radio;

/**
 * IAU 1976 precession (Lieske et al. 1977; angles ζ, z, θ as in Meeus eq. 21.3) between the mean equator and
 * equinox of J2000 and the mean equator and equinox of date. Nutation (≤ 20″) and aberration (≤ 20″) are not
 * applied: "of date" here means mean of date.
 */
public final class Precession {

    private Precession() {
    }

    /** Rotation matrix taking a J2000 unit vector to the mean equator/equinox of Julian date {@code jd}. */
    public static double[][] matrixFromJ2000(double jd) {
        double t = (jd - SiderealTime.JD_J2000) / 36525.0;
        double zeta = arcsec(2306.2181 * t + 0.30188 * t * t + 0.017998 * t * t * t);
        double z = arcsec(2306.2181 * t + 1.09468 * t * t + 0.018203 * t * t * t);
        double theta = arcsec(2004.3109 * t - 0.42665 * t * t - 0.041833 * t * t * t);
        // P = Rz(z) · Ry(θ) · Rz(ζ): add ζ to RA, tilt the equator by θ, add z (Meeus eq. 21.4)
        return multiply(rotZ(z), multiply(rotY(theta), rotZ(zeta)));
    }

    /** J2000 (RA, Dec) radians → mean of date (RA, Dec) radians. */
    public static double[] j2000ToDate(double raRad, double decRad, double jd) {
        return apply(matrixFromJ2000(jd), raRad, decRad, false);
    }

    /** Mean of date (RA, Dec) radians → J2000 (RA, Dec) radians. */
    public static double[] dateToJ2000(double raRad, double decRad, double jd) {
        return apply(matrixFromJ2000(jd), raRad, decRad, true);
    }

    private static double[] apply(double[][] p, double ra, double dec, boolean transpose) {
        double[] v = SkyGeometry.unitVector(ra, dec);
        double[] o = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                o[i] += (transpose ? p[k][i] : p[i][k]) * v[k];
            }
        }
        return SkyGeometry.raDec(o);
    }

    private static double arcsec(double a) {
        return Math.toRadians(a / 3600.0);
    }

    /** Active rotation about z: adds {@code a} to the longitude of a vector. */
    private static double[][] rotZ(double a) {
        double c = Math.cos(a), s = Math.sin(a);
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    /** Rotation about y such that positive θ moves +x towards −z (Meeus' precession convention). */
    private static double[][] rotY(double a) {
        double c = Math.cos(a), s = Math.sin(a);
        return new double[][] {{c, 0, -s}, {0, 1, 0}, {s, 0, c}};
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }
}
