package org.dsa110.contimg.science.photometry;

import java.util.Arrays;

import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Local noise from an annulus around a source (science.md "Forced photometry"): take the finite pixels with
 * rInner ≤ r ≤ rOuter, median m, s = 1.4826·median|x − m|, keep the values strictly inside (m − 3s, m + 3s) and return
 * their standard deviation (ddof 0).
 */
public final class AnnulusRms {

    /** Default annulus radii in pixels (science.md: r = 12–20 px). */
    public static final double DEFAULT_INNER_PX = 12.0;
    public static final double DEFAULT_OUTER_PX = 20.0;

    private AnnulusRms() {
    }

    /**
     * Clipped rms of the annulus centred on the (sub-pixel) position (x, y).
     *
     * @return the rms, or NaN when the annulus holds no finite pixels (e.g. off the image or all blank)
     */
    public static double of(ImagePlane image, double x, double y, double rInnerPx, double rOuterPx) {
        return clippedStd(annulusValues(image, x, y, rInnerPx, rOuterPx));
    }

    /** Clipped rms with the default 12–20 px annulus. */
    public static double of(ImagePlane image, double x, double y) {
        return of(image, x, y, DEFAULT_INNER_PX, DEFAULT_OUTER_PX);
    }

    /** Finite pixel values with rInner ≤ distance from (x, y) ≤ rOuter; pixels outside the plane are skipped. */
    public static double[] annulusValues(ImagePlane image, double x, double y, double rInnerPx, double rOuterPx) {
        if (!(rOuterPx >= rInnerPx) || rInnerPx < 0) {
            throw new IllegalArgumentException("bad annulus " + rInnerPx + "-" + rOuterPx);
        }
        int xmin = Math.max(image.x0(), (int) Math.floor(x - rOuterPx));
        int xmax = Math.min(image.x0() + image.width() - 1, (int) Math.ceil(x + rOuterPx));
        int ymin = Math.max(image.y0(), (int) Math.floor(y - rOuterPx));
        int ymax = Math.min(image.y0() + image.height() - 1, (int) Math.ceil(y + rOuterPx));
        double in2 = rInnerPx * rInnerPx;
        double out2 = rOuterPx * rOuterPx;
        double[] buf = new double[Math.max(0, (xmax - xmin + 1)) * Math.max(0, (ymax - ymin + 1))];
        int n = 0;
        for (int py = ymin; py <= ymax; py++) {
            double dy = py - y;
            for (int px = xmin; px <= xmax; px++) {
                double dx = px - x;
                double r2 = dx * dx + dy * dy;
                if (r2 < in2 || r2 > out2) {
                    continue;
                }
                float v = image.get(px, py);
                if (Float.isFinite(v)) {
                    buf[n++] = v;
                }
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /**
     * Standard deviation (ddof 0) of the values strictly inside (m − 3s, m + 3s), with m the median and
     * s = 1.4826·MAD. Non-finite values are ignored. NaN when nothing is left; in particular when s = 0 (more than
     * half the values identical) the open interval is empty, since a flat background gives no usable noise estimate.
     */
    public static double clippedStd(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        double m = RobustStats.median(finite);
        double s = RobustStats.MAD_TO_SIGMA * RobustStats.mad(finite, m);
        double lo = m - 3 * s;
        double hi = m + 3 * s;
        double[] kept = Arrays.stream(finite).filter(v -> v > lo && v < hi).toArray();
        return kept.length == 0 ? Double.NaN : RobustStats.populationStd(kept);
    }
}
