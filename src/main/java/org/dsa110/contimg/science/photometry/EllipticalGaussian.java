package org.dsa110.contimg.science.photometry;

/**
 * A peak-normalised elliptical Gaussian on the pixel grid: {@code K(x,y) = exp(−½(u²/σa² + v²/σb²))}, where u is the
 * offset along the major axis and v along the minor axis, σ = FWHM/(2√(2 ln 2)).
 *
 * <p>The major axis points at position angle PA east of north (see {@link SkyOrientation} for the pixel convention):
 * its unit vector in pixel space is {@code (e·sin PA, cos PA)}, with e = {@link SkyOrientation#eastSign()}. For a
 * standard image (east = −x) a PA of +45° therefore runs from the source towards −x,+y.
 */
public final class EllipticalGaussian {

    /** FWHM → σ: 1/(2√(2 ln 2)). */
    public static final double FWHM_TO_SIGMA = 1.0 / (2.0 * Math.sqrt(2.0 * Math.log(2.0)));

    private final double xc;
    private final double yc;
    private final double fwhmMajorPx;
    private final double fwhmMinorPx;
    private final double paDeg;
    private final double eastSign;
    private final double majX;
    private final double majY;
    private final double minX;
    private final double minY;
    private final double invVarMajor;
    private final double invVarMinor;

    /**
     * @param xc          centre x (sub-pixel, parent-image pixel coordinates)
     * @param yc          centre y
     * @param fwhmMajorPx FWHM along the major axis in pixels
     * @param fwhmMinorPx FWHM along the minor axis in pixels
     * @param paDeg       position angle of the major axis, degrees east of north
     * @param orientation where east is on the pixel grid
     */
    public EllipticalGaussian(double xc, double yc, double fwhmMajorPx, double fwhmMinorPx, double paDeg,
                              SkyOrientation orientation) {
        if (!(fwhmMajorPx > 0) || !(fwhmMinorPx > 0)) {
            throw new IllegalArgumentException("FWHM must be > 0: " + fwhmMajorPx + ", " + fwhmMinorPx);
        }
        this.xc = xc;
        this.yc = yc;
        this.fwhmMajorPx = fwhmMajorPx;
        this.fwhmMinorPx = fwhmMinorPx;
        this.paDeg = paDeg;
        this.eastSign = orientation.eastSign();
        double pa = Math.toRadians(paDeg);
        this.majX = eastSign * Math.sin(pa);
        this.majY = Math.cos(pa);
        // Perpendicular to the major axis (its sign does not matter for a Gaussian).
        this.minX = Math.cos(pa);
        this.minY = -eastSign * Math.sin(pa);
        double sa = fwhmMajorPx * FWHM_TO_SIGMA;
        double sb = fwhmMinorPx * FWHM_TO_SIGMA;
        this.invVarMajor = 1.0 / (sa * sa);
        this.invVarMinor = 1.0 / (sb * sb);
    }

    /** Kernel value (1 at the centre) at pixel (x, y). */
    public double value(double x, double y) {
        return Math.exp(-0.5 * quadraticForm(x - xc, y - yc));
    }

    /** u²/σa² + v²/σb² for an offset (dx, dy) from the centre. */
    double quadraticForm(double dx, double dy) {
        double u = dx * majX + dy * majY;
        double v = dx * minX + dy * minY;
        return u * u * invVarMajor + v * v * invVarMinor;
    }

    /** Offset along the major axis. */
    double alongMajor(double dx, double dy) {
        return dx * majX + dy * majY;
    }

    /** Offset along the minor axis. */
    double alongMinor(double dx, double dy) {
        return dx * minX + dy * minY;
    }

    public double xc() {
        return xc;
    }

    public double yc() {
        return yc;
    }

    public double fwhmMajorPx() {
        return fwhmMajorPx;
    }

    public double fwhmMinorPx() {
        return fwhmMinorPx;
    }

    public double paDeg() {
        return paDeg;
    }

    /** Kernel of a restoring beam (degrees) on a grid of square pixels {@code pixelScaleDeg} on a side. */
    public static EllipticalGaussian ofBeam(double xc, double yc, double bmajDeg, double bminDeg, double bpaDeg,
                                            double pixelScaleDeg, SkyOrientation orientation) {
        return new EllipticalGaussian(xc, yc, bmajDeg / pixelScaleDeg, bminDeg / pixelScaleDeg, bpaDeg, orientation);
    }
}
