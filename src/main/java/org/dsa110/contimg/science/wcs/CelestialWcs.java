package org.dsa110.contimg.science.wcs;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCardException;
import org.dsa110.contimg.science.sky.SkyCoords;

/**
 * World coordinates of a 2-D celestial image in the zenithal SIN or TAN projection, following the FITS WCS papers
 * (Greisen &amp; Calabretta 2002, "Paper I"; Calabretta &amp; Greisen 2002, "Paper II").
 *
 * <p><b>Pixel convention.</b> All pixel coordinates in this API are <b>0-based</b>: pixel (0, 0) is the centre of
 * the first stored pixel, which FITS calls (1, 1). Only {@link #crpix1()}/{@link #crpix2()} and the factory
 * arguments named {@code crpix1}/{@code crpix2} use the 1-based FITS convention, because they are the CRPIX
 * keywords. World coordinates are (RA, Dec) in degrees, RA in [0, 360).
 *
 * <p>The linear part is held as CDELT<sub>i</sub> times a PC matrix (CD = diag(CDELT)·PC). A CD matrix read from a
 * header is factored into that form, and the legacy CROTA2 is converted with Paper II eq. 188. Axis 1 must be RA
 * and axis 2 Dec. Instances are immutable.
 *
 * <p>Computation (Paper II): pixel → intermediate world coordinates (x, y) = CD·(p − r) → native spherical
 * (φ, θ) by the projection → celestial (α, δ) by the spherical rotation with the native pole at
 * (α<sub>p</sub>, δ<sub>p</sub>) = (CRVAL1, CRVAL2) and native longitude of the celestial pole φ<sub>p</sub> =
 * LONPOLE (default 180°, or 0° when CRVAL2 = +90°). Angles are carried as sine/cosine pairs and recovered with
 * atan2 so that points near the reference pixel keep full precision.
 */
public final class CelestialWcs {

    private final Projection projection;
    private final double crval1;
    private final double crval2;
    private final double crpix1;
    private final double crpix2;
    private final double cdelt1;
    private final double cdelt2;
    private final double[] pc; // row-major PC1_1, PC1_2, PC2_1, PC2_2
    private final double lonpole;
    private final double xi;
    private final double eta;

    // Derived: CD matrix, its inverse, and the rotation's trigonometry.
    private final double cd11, cd12, cd21, cd22;
    private final double inv11, inv12, inv21, inv22;
    private final double sinDp, cosDp, sinPhiP, cosPhiP;

    private CelestialWcs(Projection projection, double crval1, double crval2, double crpix1, double crpix2,
                         double cdelt1, double cdelt2, double[] pc, double lonpole, double xi, double eta) {
        if (projection == null) {
            throw new IllegalArgumentException("projection is required");
        }
        if (!(Math.abs(crval2) <= 90.0)) {
            throw new IllegalArgumentException("CRVAL2 (Dec) out of range: " + crval2);
        }
        this.projection = projection;
        this.crval1 = crval1;
        this.crval2 = crval2;
        this.crpix1 = crpix1;
        this.crpix2 = crpix2;
        this.cdelt1 = cdelt1;
        this.cdelt2 = cdelt2;
        this.pc = pc.clone();
        this.lonpole = lonpole;
        this.xi = projection == Projection.SIN ? xi : 0.0;
        this.eta = projection == Projection.SIN ? eta : 0.0;

        cd11 = cdelt1 * pc[0];
        cd12 = cdelt1 * pc[1];
        cd21 = cdelt2 * pc[2];
        cd22 = cdelt2 * pc[3];
        double det = cd11 * cd22 - cd12 * cd21;
        if (det == 0.0 || !Double.isFinite(det)) {
            throw new IllegalArgumentException("singular or invalid CD matrix (det = " + det + ")");
        }
        inv11 = cd22 / det;
        inv12 = -cd12 / det;
        inv21 = -cd21 / det;
        inv22 = cd11 / det;

        // Zenithal projections: the reference point is the native pole, so (alpha_p, delta_p) = CRVAL.
        double dp = Math.toRadians(crval2);
        sinDp = Math.sin(dp);
        cosDp = Math.cos(dp);
        double phiP = Math.toRadians(lonpole);
        sinPhiP = Math.sin(phiP);
        cosPhiP = Math.cos(phiP);
    }

    // ------------------------------------------------------------------ construction

    /**
     * A SIN projection with square pixels of {@code cdeltDeg}, RA increasing to the left (CDELT1 = −cdeltDeg,
     * CDELT2 = +cdeltDeg), no rotation. {@code crpix1}/{@code crpix2} are 1-based FITS reference pixels.
     */
    public static CelestialWcs sin(double raDeg, double decDeg, double crpix1, double crpix2, double cdeltDeg) {
        return of(Projection.SIN, raDeg, decDeg, crpix1, crpix2, -cdeltDeg, cdeltDeg);
    }

    /** As {@link #sin} but gnomonic (TAN). */
    public static CelestialWcs tan(double raDeg, double decDeg, double crpix1, double crpix2, double cdeltDeg) {
        return of(Projection.TAN, raDeg, decDeg, crpix1, crpix2, -cdeltDeg, cdeltDeg);
    }

    /**
     * A WCS for a {@code width}×{@code height} image whose reference point (raDeg, decDeg) is at CRPIX =
     * (width/2 + 1, height/2 + 1), the convention of CASA and WSClean (0-based pixel (width/2, height/2)).
     */
    public static CelestialWcs centredOn(Projection projection, double raDeg, double decDeg, int width, int height,
                                         double cdeltDeg) {
        return of(projection, raDeg, decDeg, width / 2 + 1, height / 2 + 1, -cdeltDeg, cdeltDeg);
    }

    /** A general unrotated WCS with the given header values (CDELT1 is normally negative). */
    public static CelestialWcs of(Projection projection, double crval1, double crval2, double crpix1, double crpix2,
                                  double cdelt1, double cdelt2) {
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2,
                new double[] {1, 0, 0, 1}, defaultLonpole(crval2), 0, 0);
    }

    /** A WCS whose linear part is the CD matrix {@code {{cd11, cd12}, {cd21, cd22}}} (degrees per pixel). */
    public static CelestialWcs fromCd(Projection projection, double crval1, double crval2, double crpix1,
                                      double crpix2, double cd11, double cd12, double cd21, double cd22) {
        // Factor CD = diag(CDELT)·PC with CDELT_i the row norm, keeping the sign of the diagonal element.
        double s1 = Math.copySign(Math.hypot(cd11, cd12), cd11 != 0 ? cd11 : 1.0);
        double s2 = Math.copySign(Math.hypot(cd21, cd22), cd22 != 0 ? cd22 : 1.0);
        if (s1 == 0 || s2 == 0) {
            throw new IllegalArgumentException("CD matrix has a zero row");
        }
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, s1, s2,
                new double[] {cd11 / s1, cd12 / s1, cd21 / s2, cd22 / s2}, defaultLonpole(crval2), 0, 0);
    }

    /** A copy with the PC matrix {@code {{pc11, pc12}, {pc21, pc22}}} (CDELT unchanged). */
    public CelestialWcs withPc(double pc11, double pc12, double pc21, double pc22) {
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2,
                new double[] {pc11, pc12, pc21, pc22}, lonpole, xi, eta);
    }

    /** A copy with an explicit LONPOLE (degrees). */
    public CelestialWcs withLonpole(double lonpoleDeg) {
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2, pc, lonpoleDeg, xi, eta);
    }

    /** A copy with the SIN slant parameters PV2_1 = ξ and PV2_2 = η (Paper II eq. 44); ignored for TAN. */
    public CelestialWcs withSinSlant(double xiParam, double etaParam) {
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2, pc, lonpole,
                xiParam, etaParam);
    }

    /**
     * The WCS of a sub-image whose pixel (0, 0) is this image's 0-based pixel ({@code x0}, {@code y0}), e.g. a
     * cutout written as a file of its own: CRPIX shifts by (−x0, −y0).
     */
    public CelestialWcs shiftedOrigin(int x0, int y0) {
        return new CelestialWcs(projection, crval1, crval2, crpix1 - x0, crpix2 - y0, cdelt1, cdelt2, pc, lonpole,
                xi, eta);
    }

    /** Paper II: φ_p defaults to 0° when δ0 ≥ θ0 (= 90° for zenithal projections), else 180°. */
    static double defaultLonpole(double crval2) {
        return crval2 >= 90.0 ? 0.0 : 180.0;
    }

    // ------------------------------------------------------------------ header I/O

    /** Reads the celestial WCS of axes 1 (RA) and 2 (Dec) from a FITS header. */
    public static CelestialWcs fromHeader(Header h) {
        return WcsHeaderCodec.read(h);
    }

    /**
     * Writes this WCS into {@code h} as CTYPE/CRVAL/CRPIX/CDELT/CUNIT (axes 1, 2), the PC matrix when not the
     * identity, LONPOLE, PV2_1/PV2_2 when non-zero, RADESYS = 'FK5' and EQUINOX = 2000. Any CD matrix or CROTA2
     * already in the header is removed so the result is unambiguous.
     */
    public void toHeader(Header h) throws HeaderCardException {
        WcsHeaderCodec.write(this, h);
    }

    // ------------------------------------------------------------------ transformations

    /**
     * Sky position of 0-based pixel (x, y) as {ra, dec} in degrees (RA in [0, 360)); {NaN, NaN} when the pixel
     * lies outside the projection's domain (beyond the SIN horizon).
     */
    public double[] pixelToWorld(double x, double y) {
        // Intermediate world coordinates (Paper I eq. 1-3), FITS pixel = 0-based pixel + 1; radians.
        double dx = x + 1.0 - crpix1;
        double dy = y + 1.0 - crpix2;
        double ix = Math.toRadians(cd11 * dx + cd12 * dy);
        double iy = Math.toRadians(cd21 * dx + cd22 * dy);

        // Deprojection to the native sphere as (sinθ, cosθ·sinφ, cosθ·cosφ).
        double sinTheta;
        double cosThetaSinPhi;
        double cosThetaCosPhi;
        if (projection == Projection.TAN) {
            // Paper II eq. 54: R = cot θ.
            sinTheta = 1.0 / Math.sqrt(1.0 + ix * ix + iy * iy);
            cosThetaSinPhi = ix * sinTheta;
            cosThetaCosPhi = -iy * sinTheta;
        } else if (xi == 0.0 && eta == 0.0) {
            // Orthographic: R = cos θ.
            double r2 = ix * ix + iy * iy;
            if (r2 > 1.0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            sinTheta = Math.sqrt(1.0 - r2);
            cosThetaSinPhi = ix;
            cosThetaCosPhi = -iy;
        } else {
            // Slant orthographic (Paper II sect. 5.1.5): a z² + 2 b z + c = 0 for z = sinθ; the larger root is the
            // intersection facing the observer.
            double u = ix - xi;
            double v = iy - eta;
            double a = xi * xi + eta * eta + 1.0;
            double b = xi * u + eta * v;
            double c = u * u + v * v - 1.0;
            double disc = b * b - a * c;
            if (disc < 0.0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            sinTheta = (-b + Math.sqrt(disc)) / a;
            cosThetaSinPhi = ix - xi * (1.0 - sinTheta);
            cosThetaCosPhi = -(iy - eta * (1.0 - sinTheta));
        }

        // Native → celestial (Paper II eq. 2), with u = cosθ·cos(φ−φp), w = cosθ·sin(φ−φp).
        double u = cosThetaCosPhi * cosPhiP + cosThetaSinPhi * sinPhiP;
        double w = cosThetaSinPhi * cosPhiP - cosThetaCosPhi * sinPhiP;
        double a = sinTheta * cosDp - u * sinDp;
        double b = -w;
        double c = sinTheta * sinDp + u * cosDp;
        double ra = crval1 + Math.toDegrees(Math.atan2(b, a));
        double dec = Math.toDegrees(Math.atan2(c, Math.hypot(a, b)));
        return new double[] {SkyCoords.normalizeDeg(ra), dec};
    }

    /**
     * 0-based pixel position of the sky position (raDeg, decDeg) as {x, y}; {NaN, NaN} when the position cannot be
     * projected (the far hemisphere of a SIN image, or θ ≤ 0 for TAN).
     */
    public double[] worldToPixel(double raDeg, double decDeg) {
        double dAlpha = Math.toRadians(raDeg - crval1);
        double dec = Math.toRadians(decDeg);
        double sinD = Math.sin(dec);
        double cosD = Math.cos(dec);
        double cosDA = Math.cos(dAlpha);

        // Celestial → native (Paper II eq. 5): components of the native unit vector.
        double a = sinD * cosDp - cosD * sinDp * cosDA; // cosθ·cos(φ−φp)
        double b = -cosD * Math.sin(dAlpha);             // cosθ·sin(φ−φp)
        double sinTheta = sinD * sinDp + cosD * cosDp * cosDA;
        double cosThetaSinPhi = sinPhiP * a + cosPhiP * b;
        double cosThetaCosPhi = cosPhiP * a - sinPhiP * b;

        double ix;
        double iy;
        if (projection == Projection.TAN) {
            if (sinTheta <= 0.0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            ix = cosThetaSinPhi / sinTheta;
            iy = -cosThetaCosPhi / sinTheta;
        } else {
            // Visible when the point faces the projection direction (ξ, η, 1): ξ·x' + η·y' + sinθ ≥ 0.
            double facing = xi * cosThetaSinPhi - eta * cosThetaCosPhi + sinTheta;
            if (facing < 0.0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            ix = cosThetaSinPhi + xi * (1.0 - sinTheta);   // Paper II eq. 44
            iy = -cosThetaCosPhi + eta * (1.0 - sinTheta);
        }
        double xDeg = Math.toDegrees(ix);
        double yDeg = Math.toDegrees(iy);
        double px = inv11 * xDeg + inv12 * yDeg + crpix1 - 1.0;
        double py = inv21 * xDeg + inv22 * yDeg + crpix2 - 1.0;
        return new double[] {px, py};
    }

    /** Geometric-mean pixel size in degrees: sqrt(|det CD|). */
    public double pixelScaleDeg() {
        return Math.sqrt(Math.abs(cd11 * cd22 - cd12 * cd21));
    }

    // ------------------------------------------------------------------ accessors

    public Projection projection() {
        return projection;
    }

    /** Reference RA (CRVAL1), degrees. */
    public double crval1() {
        return crval1;
    }

    /** Reference Dec (CRVAL2), degrees. */
    public double crval2() {
        return crval2;
    }

    /** FITS CRPIX1 (1-based). */
    public double crpix1() {
        return crpix1;
    }

    /** FITS CRPIX2 (1-based). */
    public double crpix2() {
        return crpix2;
    }

    public double cdelt1() {
        return cdelt1;
    }

    public double cdelt2() {
        return cdelt2;
    }

    /** PC matrix {pc11, pc12, pc21, pc22} (a copy). */
    public double[] pc() {
        return pc.clone();
    }

    /** CD matrix {cd11, cd12, cd21, cd22} = diag(CDELT)·PC, degrees per pixel. */
    public double[] cd() {
        return new double[] {cd11, cd12, cd21, cd22};
    }

    public double lonpole() {
        return lonpole;
    }

    /** SIN PV2_1 (ξ); 0 for TAN. */
    public double sinXi() {
        return xi;
    }

    /** SIN PV2_2 (η); 0 for TAN. */
    public double sinEta() {
        return eta;
    }

    @Override
    public String toString() {
        return String.format("CelestialWcs[%s crval=(%.8f, %.8f) crpix=(%.3f, %.3f) cdelt=(%.6g, %.6g) "
                        + "pc=(%.6g %.6g; %.6g %.6g) lonpole=%.1f pv=(%.4g, %.4g)]", projection, crval1, crval2,
                crpix1, crpix2, cdelt1, cdelt2, pc[0], pc[1], pc[2], pc[3], lonpole, xi, eta);
    }

    /** Package-private full constructor for the header codec. */
    static CelestialWcs create(Projection projection, double crval1, double crval2, double crpix1, double crpix2,
                               double cdelt1, double cdelt2, double[] pc, double lonpole, double xi, double eta) {
        return new CelestialWcs(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2, pc, lonpole, xi, eta);
    }
}
