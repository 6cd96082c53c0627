package org.dsa110.contimg.science.imaging;

import java.util.stream.IntStream;

/**
 * From the distorted frame of a w-plane fit ({@link WPlaneFit}) to the true SIN grid: the working image is
 * {@code work}² pixels, the output {@code size}² (the same centre and cell, work = size + 2·margin).
 *
 * <p>Images (dirty, residual, restored): output pixel (x, y) at direction (l, m) takes the working image's value at
 * (l + a(n − 1), m + b(n − 1)) — a forward mapping, no inversion — interpolated with Keys' six-point cubic
 * convolution kernel (Keys 1981, IEEE Trans. ASSP 29, 1153, §VI: fourth-order accurate, 6 × 6 taps, weights summing
 * to 1 at every offset). Images here are band-limited by the uv coverage (the beam is ≥ 6 px across: science.md's
 * cell samples the longest fringe at ≥ 10 px). Measured on a Gaussian of 6 px FWHM at arbitrary sub-pixel
 * positions, the largest error is 3.5·10⁻⁴ of its peak in one dimension (8 px: 9·10⁻⁵), where the four-point Keys
 * kernel leaves 1.6·10⁻³ and Lanczos-3 3.3·10⁻³ (PlaneResamplingTest, docs/radio-stages.md).
 *
 * <p>Component (model) images are not interpolated (a delta is not band-limited): each component moves to its true
 * position (the inverse mapping, {@link WPlaneFit#nMinusOneAt}) and its flux is shared bilinearly between the four
 * pixels around it, which keeps the total flux and the centroid.
 */
final class PlaneResampling {
    /** Kernel half-width (pixels beyond the sample point the interpolation reads). */
    static final int REACH = 3;

    private PlaneResampling() {
    }

    /** Keys' six-point cubic convolution kernel, 0 for |x| ≥ 3. */
    static double kernel(double x) {
        double ax = Math.abs(x);
        if (ax <= 1) {
            return ((4.0 / 3 * ax - 7.0 / 3) * ax) * ax + 1;
        }
        if (ax <= 2) {
            return ((-7.0 / 12 * ax + 3) * ax - 59.0 / 12) * ax + 15.0 / 6;
        }
        if (ax < 3) {
            return ((1.0 / 12 * ax - 2.0 / 3) * ax + 21.0 / 12) * ax - 1.5;
        }
        return 0;
    }

    /** Interpolated value of {@code img} (w × h) at fractional pixel (x, y); pixels beyond the edge are clamped. */
    static double interpolate(float[] img, int w, int h, double x, double y) {
        return interpolate(img, w, h, x, y, new double[2 * REACH], new double[2 * REACH]);
    }

    /** As above with scratch arrays of 2·{@link #REACH} for the kernel weights. */
    private static double interpolate(float[] img, int w, int h, double x, double y, double[] kx, double[] ky) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        for (int i = 0; i < 2 * REACH; i++) {
            kx[i] = kernel(i - REACH + 1 - fx);
            ky[i] = kernel(i - REACH + 1 - fy);
        }
        double sum = 0;
        for (int j = 0; j < 2 * REACH; j++) {
            int yy = Math.min(h - 1, Math.max(0, y0 - REACH + 1 + j));
            double row = 0;
            int base = yy * w;
            for (int i = 0; i < 2 * REACH; i++) {
                int xx = Math.min(w - 1, Math.max(0, x0 - REACH + 1 + i));
                row += kx[i] * img[base + xx];
            }
            sum += ky[j] * row;
        }
        return sum;
    }

    /** The true-grid image (size²) of a working-frame image (work²); the input itself when there is nothing to do. */
    static float[] image(float[] work, int workSize, int size, double cellRad, WPlaneFit fit) {
        if (!fit.active() && workSize == size) {
            return work;
        }
        float[] out = new float[size * size];
        IntStream.range(0, size).parallel().forEach(y -> {
            double[] kx = new double[2 * REACH], ky = new double[2 * REACH];
            double m = (y - size / 2) * cellRad;
            for (int x = 0; x < size; x++) {
                double l = -(x - size / 2) * cellRad;
                double nm1 = WStackGridder.nMinusOne(l, m);
                double xw = workSize / 2 - (l + fit.a() * nm1) / cellRad;
                double yw = workSize / 2 + (m + fit.b() * nm1) / cellRad;
                out[y * size + x] = (float) interpolate(work, workSize, workSize, xw, yw, kx, ky);
            }
        });
        return out;
    }

    /** The true-grid component image (size²) of a working-frame one: components moved, flux shared bilinearly. */
    static float[] model(float[] work, int workSize, int size, double cellRad, WPlaneFit fit) {
        if (!fit.active() && workSize == size) {
            return work;
        }
        float[] out = new float[size * size];
        for (int q = 0; q < work.length; q++) {
            float flux = work[q];
            if (flux == 0f) {
                continue;
            }
            double lp = -(q % workSize - workSize / 2) * cellRad, mp = (q / workSize - workSize / 2) * cellRad;
            double[] lm = fit.undistorted(lp, mp);
            double x = size / 2 - lm[0] / cellRad, y = size / 2 + lm[1] / cellRad;
            int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
            double fx = x - x0, fy = y - y0;
            deposit(out, size, x0, y0, flux * (1 - fx) * (1 - fy));
            deposit(out, size, x0 + 1, y0, flux * fx * (1 - fy));
            deposit(out, size, x0, y0 + 1, flux * (1 - fx) * fy);
            deposit(out, size, x0 + 1, y0 + 1, flux * fx * fy);
        }
        return out;
    }

    private static void deposit(float[] img, int size, int x, int y, double flux) {
        if (x >= 0 && y >= 0 && x < size && y < size && flux != 0) {
            img[y * size + x] += (float) flux;
        }
    }
}
