package org.dsa110.contimg.science.mosaic;

import java.util.List;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;

/**
 * The common output grid of a mosaic: a SIN or TAN WCS and the image size.
 *
 * <p>{@link #covering} takes the reference point and pixel scale of the input nearest the middle of the inputs (so
 * that image is copied without resampling and, when all inputs share one reference point, every input is) and
 * extends the grid until the projected outline of every input fits.
 *
 * @param wcs    the output WCS (0-based pixel (0, 0) is the first stored pixel)
 * @param width  NAXIS1
 * @param height NAXIS2
 */
public record MosaicGrid(CelestialWcs wcs, int width, int height) {
    /** Output images larger than this on a side are refused (a runaway footprint, e.g. inputs far apart). */
    public static final int MAX_SIDE = 32768;
    /** Largest output (2^27 pixels: 1 GiB of working planes at 8 bytes a pixel). */
    public static final long MAX_PIXELS = 1L << 27;
    /** Points sampled along each edge of an input to find its projected outline. */
    private static final int EDGE_SAMPLES = 16;

    public MosaicGrid {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("mosaic grid " + width + "x" + height + " outside 1.." + MAX_SIDE
                    + " a side or above " + MAX_PIXELS + " pixels: are the inputs from one sky region?");
        }
    }

    /** An input's footprint: its WCS and size. */
    public record Footprint(CelestialWcs wcs, int width, int height) {
        double[] centre() {
            return wcs.pixelToWorld((width - 1) / 2.0, (height - 1) / 2.0);
        }
    }

    /**
     * The smallest grid, in {@code projection} (null = that of the central input), with the central input's
     * reference point, orientation and pixel scale, that holds every input's outline.
     */
    public static MosaicGrid covering(List<Footprint> inputs, Projection projection) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a mosaic needs at least one image");
        }
        // Middle of the inputs: the normalised mean of their centres' unit vectors.
        double sx = 0;
        double sy = 0;
        double sz = 0;
        for (Footprint f : inputs) {
            double[] c = f.centre();
            double ra = Math.toRadians(c[0]);
            double dec = Math.toRadians(c[1]);
            sx += Math.cos(dec) * Math.cos(ra);
            sy += Math.cos(dec) * Math.sin(ra);
            sz += Math.sin(dec);
        }
        double midRa = Math.toDegrees(Math.atan2(sy, sx));
        double midDec = Math.toDegrees(Math.atan2(sz, Math.hypot(sx, sy)));
        Footprint central = inputs.get(0);
        double best = Double.MAX_VALUE;
        for (Footprint f : inputs) {
            double[] c = f.centre();
            double d = org.dsa110.contimg.science.sky.SkyCoords.separationDeg(c[0], c[1], midRa, midDec);
            if (d < best) {
                best = d;
                central = f;
            }
        }
        CelestialWcs base = central.wcs();
        Projection proj = projection == null ? base.projection() : projection;
        double[] pc = base.pc();
        CelestialWcs ref = proj == base.projection() ? base : CelestialWcs.of(proj, base.crval1(), base.crval2(),
                base.crpix1(), base.crpix2(), base.cdelt1(), base.cdelt2()).withPc(pc[0], pc[1], pc[2], pc[3]);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Footprint f : inputs) {
            for (double[] p : outline(f)) {
                double[] w = f.wcs().pixelToWorld(p[0], p[1]);
                double[] q = ref.worldToPixel(w[0], w[1]);
                if (!Double.isFinite(q[0]) || !Double.isFinite(q[1])) {
                    throw new IllegalArgumentException("an input lies outside the " + proj
                            + " hemisphere of the mosaic centre");
                }
                minX = Math.min(minX, q[0]);
                minY = Math.min(minY, q[1]);
                maxX = Math.max(maxX, q[0]);
                maxY = Math.max(maxY, q[1]);
            }
        }
        int x0 = (int) Math.floor(minX + 1e-6);
        int y0 = (int) Math.floor(minY + 1e-6);
        int w = (int) Math.ceil(maxX - 1e-6) - x0 + 1;
        int h = (int) Math.ceil(maxY - 1e-6) - y0 + 1;
        return new MosaicGrid(ref.shiftedOrigin(x0, y0), w, h);
    }

    /** Pixel positions along the edges of an input (corners included). */
    private static double[][] outline(Footprint f) {
        double[][] out = new double[4 * EDGE_SAMPLES][];
        double xm = f.width() - 1;
        double ym = f.height() - 1;
        int k = 0;
        for (int i = 0; i < EDGE_SAMPLES; i++) {
            double t = (double) i / EDGE_SAMPLES;
            out[k++] = new double[] {t * xm, 0};
            out[k++] = new double[] {xm, t * ym};
            out[k++] = new double[] {xm - t * xm, ym};
            out[k++] = new double[] {0, ym - t * ym};
        }
        return out;
    }
}
