package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.radio.SkyGeometry;

/**
 * Pixel ↔ sky mapping of the images made by {@link Imager} (SIN projection about the phase centre).
 *
 * <p>0-based pixel (x, y) with x along a row (the fast axis of {@link org.dsa110.contimg.science.image.ImagePlane})
 * and y the row index. The phase centre is pixel (width/2, height/2); RA increases to the left (−x), Dec upwards
 * (+y). In direction cosines relative to the phase centre ({@link SkyGeometry#directionCosines}):
 * <pre>
 *   l = −(x − width/2)  · cell        x = width/2  − l / cell
 *   m =  (y − height/2) · cell        y = height/2 + m / cell
 * </pre>
 * with {@code cell} in radians. This is exactly the FITS SIN WCS CTYPE RA---SIN / DEC--SIN, CRVAL = phase centre,
 * CRPIX1 = width/2 + 1, CRPIX2 = height/2 + 1 (1-based), CDELT1 = −cell, CDELT2 = +cell (degrees), no rotation.
 */
public record ImageGeometry(int width, int height, double cellRad, double raRad, double decRad) {

    public double cellDeg() {
        return Math.toDegrees(cellRad);
    }

    public double cellArcsec() {
        return Math.toDegrees(cellRad) * 3600.0;
    }

    public double[] pixelToLm(double x, double y) {
        return new double[] {-(x - width / 2) * cellRad, (y - height / 2) * cellRad};
    }

    public double[] lmToPixel(double l, double m) {
        return new double[] {width / 2 - l / cellRad, height / 2 + m / cellRad};
    }

    /** Fractional pixel of a sky position (radians); NaN pair if it is on the far hemisphere. */
    public double[] skyToPixel(double ra, double dec) {
        double[] lmn = SkyGeometry.directionCosines(ra, dec, raRad, decRad);
        if (lmn[2] <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return lmToPixel(lmn[0], lmn[1]);
    }

    /** Sky position {ra, dec} (radians) of a pixel; NaN pair outside the projection's disc. */
    public double[] pixelToSky(double x, double y) {
        double[] lm = pixelToLm(x, y);
        if (lm[0] * lm[0] + lm[1] * lm[1] > 1) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return SkyGeometry.fromDirectionCosines(lm[0], lm[1], raRad, decRad);
    }

    /** FITS CRPIX1 (1-based). */
    public double crpix1() {
        return width / 2 + 1;
    }

    /** FITS CRPIX2 (1-based). */
    public double crpix2() {
        return height / 2 + 1;
    }

    /** FITS CDELT1 (degrees, negative: RA increases to the left). */
    public double cdelt1() {
        return -cellDeg();
    }

    /** FITS CDELT2 (degrees). */
    public double cdelt2() {
        return cellDeg();
    }
}
