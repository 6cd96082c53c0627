package org.dsa110.contimg.science.radio;

/**
 * Baseline vectors of an array and their (u, v, w) projection.
 *
 * <p>Baseline k joins layout antennas {@code ant1[k] < ant2[k]} (cross-correlations only) and its vector is
 * {@code x(ant2) − x(ant1)} in ECEF metres. Projection (Thompson, Moran &amp; Swenson eq. 4.1): with the baseline
 * rotated into the local equatorial frame (X towards hour angle 0 on the equator, Y towards −6 h, Z to the pole)
 * and hour angle H = LST − RA,
 * <pre>
 *   u =  sin H · X + cos H · Y
 *   v = −sin δ cos H · X + sin δ sin H · Y + cos δ · Z
 *   w =  cos δ cos H · X − cos δ sin H · Y + sin δ · Z
 * </pre>
 * RA/Dec and LST must refer to the same equator/equinox (apparent or mean of date).
 */
public final class Baselines {

    private final ArrayLayout layout;
    private final int[] ant1Index;
    private final int[] ant2Index;
    private final double[] ecef; // [k*3]

    private Baselines(ArrayLayout layout, int[] ant1Index, int[] ant2Index) {
        this.layout = layout;
        this.ant1Index = ant1Index;
        this.ant2Index = ant2Index;
        double[][] pos = layout.ecef();
        ecef = new double[3 * ant1Index.length];
        for (int k = 0; k < ant1Index.length; k++) {
            for (int c = 0; c < 3; c++) {
                ecef[3 * k + c] = pos[ant2Index[k]][c] - pos[ant1Index[k]][c];
            }
        }
    }

    /** All N(N−1)/2 cross-correlation baselines, ordered (0,1), (0,2) … (1,2) … in layout order. */
    public static Baselines crossCorrelations(ArrayLayout layout) {
        int n = layout.size();
        int nbl = n * (n - 1) / 2;
        int[] a1 = new int[nbl];
        int[] a2 = new int[nbl];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a1[k] = i;
                a2[k] = j;
                k++;
            }
        }
        return new Baselines(layout, a1, a2);
    }

    public int count() {
        return ant1Index.length;
    }

    public ArrayLayout layout() {
        return layout;
    }

    /** Station number of the first antenna of baseline k. */
    public int ant1Number(int k) {
        return layout.stations().get(ant1Index[k]).number();
    }

    public int ant2Number(int k) {
        return layout.stations().get(ant2Index[k]).number();
    }

    /** ECEF baseline vector x(ant2) − x(ant1) of baseline k (m). */
    public double[] ecefVector(int k) {
        return new double[] {ecef[3 * k], ecef[3 * k + 1], ecef[3 * k + 2]};
    }

    /** Longest baseline (m). */
    public double maxLength() {
        double m = 0;
        for (int k = 0; k < count(); k++) {
            m = Math.max(m, Math.sqrt(ecef[3 * k] * ecef[3 * k] + ecef[3 * k + 1] * ecef[3 * k + 1]
                + ecef[3 * k + 2] * ecef[3 * k + 2]));
        }
        return m;
    }

    /**
     * (u, v, w) in metres of every baseline for a phase centre (raRad, decRad) at local sidereal time lstRad;
     * returns [k·3].
     */
    public double[] uvw(double raRad, double decRad, double lstRad) {
        double[] out = new double[3 * count()];
        uvwInto(raRad, decRad, lstRad, out, 0);
        return out;
    }

    /** As {@link #uvw} but writes into {@code out} starting at {@code offset}. */
    public void uvwInto(double raRad, double decRad, double lstRad, double[] out, int offset) {
        double lon = layout.site().longitudeRad();
        double co = Math.cos(lon), so = Math.sin(lon);
        double h = lstRad - raRad;
        double sh = Math.sin(h), ch = Math.cos(h), sd = Math.sin(decRad), cd = Math.cos(decRad);
        for (int k = 0; k < count(); k++) {
            project(ecef, 3 * k, co, so, sh, ch, sd, cd, out, offset + 3 * k);
        }
    }

    /**
     * The projection of the class comment for one ECEF baseline {@code b[at..at+2]}, with the cosine and sine of the
     * east longitude (co, so), of the hour angle (sh, ch) and of the declination (sd, cd) given: (u, v, w) into
     * {@code out[o..o+2]}.
     */
    public static void project(double[] b, int at, double co, double so, double sh, double ch, double sd, double cd,
                               double[] out, int o) {
        double bx = b[at], by = b[at + 1], bz = b[at + 2];
        // rotate ECEF (X to Greenwich) to the local meridian frame
        double x = co * bx + so * by;
        double y = -so * bx + co * by;
        out[o] = sh * x + ch * y;
        out[o + 1] = -sd * ch * x + sd * sh * y + cd * bz;
        out[o + 2] = cd * ch * x - cd * sh * y + sd * bz;
    }

    /**
     * 3×3 matrix rotating (u, v, w) for phase centre (ra0, dec0) to (u, v, w) for (ra1, dec1), for baselines
     * expressed in the same celestial frame. Rows of R(α, δ) are the u (east), v (north) and w (source) axes.
     */
    public static double[][] rephaseMatrix(double ra0, double dec0, double ra1, double dec1) {
        double[][] r0 = axes(ra0, dec0);
        double[][] r1 = axes(ra1, dec1);
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // m = R1 · R0ᵀ
                m[i][j] = r1[i][0] * r0[j][0] + r1[i][1] * r0[j][1] + r1[i][2] * r0[j][2];
            }
        }
        return m;
    }

    private static double[][] axes(double ra, double dec) {
        double sa = Math.sin(ra), ca = Math.cos(ra), sd = Math.sin(dec), cd = Math.cos(dec);
        return new double[][] {{-sa, ca, 0}, {-sd * ca, -sd * sa, cd}, {cd * ca, cd * sa, sd}};
    }
}
