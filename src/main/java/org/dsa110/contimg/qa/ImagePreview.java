package org.dsa110.contimg.qa;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Preview PNGs of FITS images. The image is block-averaged down to at most {@code maxPx} pixels on its longer
 * side, reading one strip of rows at a time (a 4096² image is never held whole), then mapped to 8-bit grey with
 * one of two stretches:
 * <ul>
 * <li><b>asinh</b>: black at median − 2σ (σ = 1.4826·MAD of the preview), white at the brightest pixel, and
 * {@code asinh(x/β)/asinh(1/β)} with β = {@value #ASINH_SOFTENING} in between, so both the noise and bright sources
 * stay visible;</li>
 * <li><b>zscale</b>: the IRAF display range: a straight line is fitted (with 2.5σ rejection) to the sorted sample
 * values, and the range is the median ± (n/2)·slope/contrast (contrast {@value #ZSCALE_CONTRAST}), clamped to the
 * data range; linear in between.</li>
 * </ul>
 * North is up (FITS row 0 is the bottom row of the PNG); blank pixels are black.
 */
public final class ImagePreview {
    static final double ASINH_SOFTENING = 0.02;
    static final double ZSCALE_CONTRAST = 0.25;
    static final int ZSCALE_SAMPLES = 1000;

    private ImagePreview() {
    }

    /** A block-averaged image, row-major, row 0 = FITS row 0. */
    public record Grid(int width, int height, int factor, float[] data) {
    }

    /** Block-averages the image so its longer side is at most {@code maxPx}. */
    public static Grid downsample(FitsImage img, int maxPx) throws IOException {
        int w = img.width();
        int h = img.height();
        int f = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) maxPx));
        int ow = (w + f - 1) / f;
        int oh = (h + f - 1) / f;
        float[] out = new float[ow * oh];
        double[] sum = new double[ow];
        int[] count = new int[ow];
        for (int oy = 0; oy < oh; oy++) {
            int y0 = oy * f;
            ImagePlane strip = img.readCutout(0, y0, w, Math.min(f, h - y0));
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            float[] d = strip.data();
            for (int i = 0; i < d.length; i++) {
                float v = d[i];
                if (Float.isFinite(v)) {
                    int ox = (i % w) / f;
                    sum[ox] += v;
                    count[ox]++;
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                out[oy * ow + ox] = count[ox] == 0 ? Float.NaN : (float) (sum[ox] / count[ox]);
            }
        }
        return new Grid(ow, oh, f, out);
    }

    /** The PNG of a grid with the named stretch ("asinh" or "zscale"). */
    public static byte[] png(Grid g, String stretch) {
        float[] finite = finiteSorted(g.data());
        double[] range = "zscale".equals(stretch) ? zscale(finite) : asinhRange(finite);
        BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        double lo = range[0];
        double span = range[1] - range[0];
        double norm = Math.log(1 / ASINH_SOFTENING + Math.sqrt(1 / (ASINH_SOFTENING * ASINH_SOFTENING) + 1));
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                float v = g.data()[y * g.width() + x];
                int grey = 0;
                if (Float.isFinite(v) && span > 0) {
                    double t = Math.max(0, Math.min(1, (v - lo) / span));
                    if (!"zscale".equals(stretch)) {
                        double a = t / ASINH_SOFTENING;
                        t = Math.log(a + Math.sqrt(a * a + 1)) / norm;
                    }
                    grey = (int) Math.round(255 * t);
                }
                raster.setSample(x, g.height() - 1 - y, 0, grey);
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] finiteSorted(float[] data) {
        int n = 0;
        float[] f = new float[data.length];
        for (float v : data) {
            if (Float.isFinite(v)) {
                f[n++] = v;
            }
        }
        f = Arrays.copyOf(f, n);
        Arrays.sort(f);
        return f;
    }

    /** asinh display range: [median − 2σ, max] of sorted finite values. */
    static double[] asinhRange(float[] sorted) {
        if (sorted.length == 0) {
            return new double[] {0, 0};
        }
        double median = median(sorted);
        float[] dev = new float[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            dev[i] = (float) Math.abs(sorted[i] - median);
        }
        Arrays.sort(dev);
        double sigma = 1.4826 * median(dev);
        double lo = Math.max(sorted[0], median - 2 * sigma);
        return new double[] {lo, sorted[sorted.length - 1]};
    }

    /** zscale display range of sorted finite values (from an even sample of at most 1000 of them). */
    static double[] zscale(float[] sorted) {
        int total = sorted.length;
        if (total == 0) {
            return new double[] {0, 0};
        }
        int n = Math.min(ZSCALE_SAMPLES, total);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = sorted[(int) ((long) i * (total - 1) / Math.max(1, n - 1))];
        }
        double min = s[0];
        double max = s[n - 1];
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        double slope = Double.NaN;
        int kept = n;
        for (int iter = 0; iter < 5 && kept >= Math.max(5, n / 2); iter++) {
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++) {
                if (keep[i]) {
                    sx += i;
                    sy += s[i];
                    sxx += (double) i * i;
                    sxy += i * s[i];
                }
            }
            double den = kept * sxx - sx * sx;
            if (den == 0) {
                break;
            }
            slope = (kept * sxy - sx * sy) / den;
            double icpt = (sy - slope * sx) / kept;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                if (keep[i]) {
                    double r = s[i] - (icpt + slope * i);
                    ss += r * r;
                }
            }
            double sigma = Math.sqrt(ss / kept);
            int newKept = 0;
            for (int i = 0; i < n; i++) {
                keep[i] = Math.abs(s[i] - (icpt + slope * i)) <= 2.5 * sigma || sigma == 0;
                newKept += keep[i] ? 1 : 0;
            }
            if (newKept == kept) {
                break;
            }
            kept = newKept;
        }
        if (!Double.isFinite(slope) || kept < Math.max(5, n / 2)) {
            return new double[] {min, max};
        }
        double half = (n / 2.0) * slope / ZSCALE_CONTRAST;
        return new double[] {Math.max(min, median - half), Math.min(max, median + half)};
    }

    private static double median(float[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
