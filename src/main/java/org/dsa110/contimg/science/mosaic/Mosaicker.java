package org.dsa110.contimg.science.mosaic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Inverse-variance weighted mosaicking (science.md "Mosaicking"): every input is reprojected onto the common grid
 * (output pixel → sky → input pixel with our own SIN/TAN transforms, exact every {@value #KNOT_STEP} pixels of a
 * row and linear in between; bilinear interpolation of the input), weighted per image by
 * w = 1/rms² (rms = 1.4826·MAD over the input's finite pixels, unless the caller supplies it), and combined as
 * the pixel-wise weighted mean Σw·v / Σw; the effective noise is 1/√Σw. Output pixels no input covers are NaN in
 * both planes.
 *
 * <p>Inputs are read one at a time, so memory is 8 bytes per output pixel (two float planes, which become the mosaic
 * and its noise map in place) plus one input plane. Sums are kept in floats with the weights scaled by the largest
 * one (the ratios, hence the mean, are unchanged).
 */
public final class Mosaicker {
    /**
     * Along a row the output → input pixel mapping is computed exactly every this many pixels and linearly in
     * between: over 16 pixels the projections' curvature moves a position by far less than 1e-3 pixel for
     * pointings up to tens of degrees apart (MosaickerTest checks 20°), and reprojection is several times faster.
     */
    static final int KNOT_STEP = 16;

    /** One input image: how to read its pixels, its WCS and size, and optionally a known rms (NaN = measure). */
    public interface Input {
        CelestialWcs wcs();

        int width();

        int height();

        /** The whole first plane. */
        ImagePlane readPlane() throws IOException;

        default double knownRms() {
            return Double.NaN;
        }
    }

    /**
     * The mosaic: image and effective-noise planes on {@code grid}, and per input its rms, weight (1/rms²) and
     * how many output pixels it contributed to.
     */
    public record Result(MosaicGrid grid, ImagePlane image, ImagePlane noise, double[] rms, double[] weights,
                         long[] pixelsUsed) {
        /** Median of the finite effective-noise pixels (NaN when none). */
        public double medianNoise() {
            return ImageStatistics.median(noise.data());
        }
    }

    /** Builds the mosaic of {@code inputs} on {@code grid}. */
    public Result build(List<? extends Input> inputs, MosaicGrid grid) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a mosaic needs at least one image");
        }
        int n = inputs.size();
        double[] rms = new double[n];
        double[] weights = new double[n];
        long[] used = new long[n];
        // The rms of every input first: weights are scaled by the largest so float sums stay well conditioned.
        List<ImagePlane> cached = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Input in = inputs.get(i);
            double r = in.knownRms();
            ImagePlane plane = null;
            if (!(r > 0)) {
                plane = in.readPlane();
                r = ImageStatistics.robustRms(plane.data());
            }
            if (!(r > 0) || !Double.isFinite(r)) {
                throw new IllegalArgumentException("input " + i + " has no usable noise estimate (rms " + r + ")");
            }
            rms[i] = r;
            weights[i] = 1.0 / (r * r);
            // Keep at most one plane in memory between the passes (the last one read, reused below).
            cached.add(i == n - 1 ? plane : null);
        }
        double wMax = 0;
        for (double w : weights) {
            wMax = Math.max(wMax, w);
        }
        int gw = grid.width();
        int gh = grid.height();
        float[] sumW = new float[gw * gh];
        float[] sumWV = new float[gw * gh];
        CelestialWcs out = grid.wcs();
        for (int i = 0; i < n; i++) {
            Input in = inputs.get(i);
            ImagePlane plane = cached.get(i) != null ? cached.get(i) : in.readPlane();
            cached.set(i, null);
            float w = (float) (weights[i] / wMax);
            int[] box = outputBox(in, out, gw, gh);
            CelestialWcs src = in.wcs();
            for (int y = box[1]; y <= box[3]; y++) {
                if (box[0] > box[2]) {
                    break;
                }
                for (int xs = box[0], xe; ; xs = xe) {
                    xe = Math.min(xs + KNOT_STEP, box[2]);
                    double[] a = map(out, src, xs, y);
                    double[] b = xe == xs ? a : map(out, src, xe, y);
                    boolean linear = Double.isFinite(a[0]) && Double.isFinite(a[1]) && Double.isFinite(b[0])
                            && Double.isFinite(b[1]);
                    int last = xe == box[2] ? xe : xe - 1;
                    for (int x = xs; x <= last; x++) {
                        double px;
                        double py;
                        if (x == xs) {
                            px = a[0];
                            py = a[1];
                        } else if (x == xe) {
                            px = b[0];
                            py = b[1];
                        } else if (linear) {
                            double t = (double) (x - xs) / (xe - xs);
                            px = a[0] + t * (b[0] - a[0]);
                            py = a[1] + t * (b[1] - a[1]);
                        } else {
                            double[] p = map(out, src, x, y);
                            px = p[0];
                            py = p[1];
                        }
                        float v = sample(plane, px, py);
                        if (!Float.isNaN(v)) {
                            int k = y * gw + x;
                            sumW[k] += w;
                            sumWV[k] += w * v;
                            used[i]++;
                        }
                    }
                    if (xe == box[2]) {
                        break;
                    }
                }
            }
        }
        // In place: the weighted sums become the mosaic and the weight sums its effective noise.
        for (int k = 0; k < sumW.length; k++) {
            if (sumW[k] > 0) {
                sumWV[k] = sumWV[k] / sumW[k];
                sumW[k] = (float) (1.0 / Math.sqrt(sumW[k] * wMax));
            } else {
                sumWV[k] = Float.NaN;
                sumW[k] = Float.NaN;
            }
        }
        float[] image = sumWV;
        float[] noise = sumW;
        return new Result(grid, ImagePlane.of(gw, gh, image), ImagePlane.of(gw, gh, noise), rms, weights, used);
    }

    /** Output pixel (x, y) → input pixel, through the sky. */
    private static double[] map(CelestialWcs out, CelestialWcs src, int x, int y) {
        double[] sky = out.pixelToWorld(x, y);
        return src.worldToPixel(sky[0], sky[1]);
    }

    /** The output pixel box [x0, y0, x1, y1] (inclusive, clipped) holding the input's projected outline. */
    static int[] outputBox(Input in, CelestialWcs out, int gw, int gh) {
        MosaicGrid.Footprint f = new MosaicGrid.Footprint(in.wcs(), in.width(), in.height());
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        int steps = 32;
        for (int i = 0; i <= steps; i++) {
            double t = (double) i / steps;
            double xm = f.width() - 1;
            double ym = f.height() - 1;
            for (double[] p : new double[][] {{t * xm, 0}, {xm, t * ym}, {t * xm, ym}, {0, t * ym}}) {
                double[] sky = f.wcs().pixelToWorld(p[0], p[1]);
                double[] q = out.worldToPixel(sky[0], sky[1]);
                if (Double.isFinite(q[0]) && Double.isFinite(q[1])) {
                    minX = Math.min(minX, q[0]);
                    minY = Math.min(minY, q[1]);
                    maxX = Math.max(maxX, q[0]);
                    maxY = Math.max(maxY, q[1]);
                }
            }
        }
        if (minX > maxX) {
            return new int[] {0, 0, -1, -1};
        }
        // One pixel of margin: the outline is sampled, and edges between samples may bulge slightly.
        return new int[] {Math.max(0, (int) Math.floor(minX) - 1), Math.max(0, (int) Math.floor(minY) - 1),
                Math.min(gw - 1, (int) Math.ceil(maxX) + 1), Math.min(gh - 1, (int) Math.ceil(maxY) + 1)};
    }

    /**
     * Bilinear interpolation of the plane at 0-based (x, y); NaN outside the image. When a neighbour is blank the
     * nearest pixel is used instead (blank if it is blank too).
     */
    static float sample(ImagePlane plane, double x, double y) {
        int w = plane.width();
        int h = plane.height();
        final double eps = 1e-6;
        if (!(x >= -eps && y >= -eps && x <= w - 1 + eps && y <= h - 1 + eps)) {
            return Float.NaN;
        }
        int x0 = Math.min(Math.max(0, (int) Math.floor(x)), Math.max(0, w - 2));
        int y0 = Math.min(Math.max(0, (int) Math.floor(y)), Math.max(0, h - 2));
        double fx = w == 1 ? 0 : Math.min(1, Math.max(0, x - x0));
        double fy = h == 1 ? 0 : Math.min(1, Math.max(0, y - y0));
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        float[] d = plane.data();
        float v00 = d[y0 * w + x0];
        float v10 = d[y0 * w + x1];
        float v01 = d[y1 * w + x0];
        float v11 = d[y1 * w + x1];
        if (Float.isNaN(v00) || Float.isNaN(v10) || Float.isNaN(v01) || Float.isNaN(v11)) {
            int nx = (int) Math.round(Math.min(Math.max(x, 0), w - 1));
            int ny = (int) Math.round(Math.min(Math.max(y, 0), h - 1));
            return d[ny * w + nx];
        }
        return (float) ((1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11));
    }
}
