package org.dsa110.contimg.science.imaging;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * w-stacked gridding and degridding of {@link StokesSamples} (Offringa et al. 2014, §2.3; planes and the linear
 * interpolation between them: {@link WLayers}).
 *
 * <p>Imaging, per w-plane p: the samples around it are gridded as conj(V)·w·(plane weight) with the Kaiser–Bessel
 * kernel at (n/2 − u/du, n/2 + v/du) (rows split into stripes gridded in parallel, each stripe owning its rows), one
 * centred inverse FFT gives D_p(l, m) = conj(Σ V exp(−2πi(ul + vm))), and Re(D_p · exp(+2πi w_p (n − 1))) divided
 * by the grid correction is added to the image; the sum is divided by the interpolation's taper. With
 * V = Σ S exp(+2πi(ul + vm + w(n − 1))) (docs/conventions.md) the result is the w-corrected dirty image
 * Re Σ V exp(−2πi(ul + vm + w(n − 1))), each sample standing for its Hermitian mirror too (the real part). Only the
 * image's own pixels are kept, so memory is one complex grid, the band of rows the samples reach of a second (a
 * sample goes to both of its planes in one pass) and image-size planes, whatever the number of planes.
 *
 * <p>The w gridded is {@link StokesSamples#wGrid}: w itself, or w' = w − a·u − b·v after a w-plane fit
 * ({@link WPlaneFit}), in which case the image is the fit's distorted frame and the screens and taper use n − 1 of
 * the sky direction each pixel shows ({@link WPlaneFit#nMinusOneAt}).
 *
 * <p>Prediction (the adjoint, for Cotton–Schwab major cycles), per plane: the model (Jy per pixel) times
 * exp(−2πi w_p (n − 1)), divided by the grid correction and the taper, a centred forward FFT, and each sample
 * interpolated with the same kernel (divided by its integral squared, the factor the grid correction leaves),
 * conjugated and added with its plane weight gives V_model = Σ M exp(+2πi(ul + vm + w(n − 1))) to the same accuracy
 * as the imaging: the same w-handling.
 */
final class WStackGridder {
    private final StokesSamples s;
    private final int n;
    private final double du;
    private final GriddingKernel kernel;
    private final double[] corr;
    private final int size;
    private final double cellRad;
    private final WPlaneFit fit;
    final WLayers layers;
    /** Per layer: (blt, first channel, end channel) triples, blts in baseline order. */
    private final int[][] segments;
    private final double kernelIntegral;
    private final int nStripes;
    /** The phase screens, made on the first image and reused by every major cycle. */
    private Screen screenCache;
    private final PrunedFft fft;
    /** Rows [band[0], band[1]) and columns [band[2], band[3]) of the grid that samples (with their kernel) reach. */
    private final int[] band;
    /** The plane grid, kept between images (major cycles) instead of allocated and first-touched each time. */
    private float[] planeGrid;
    /** The band rows of a second plane (see {@link #bandGrid}). */
    private float[] bandGrid;

    WStackGridder(StokesSamples s, int n, double du, GriddingKernel kernel, int size, double cellRad,
                  double layerFactor) {
        this(s, n, du, kernel, size, cellRad, layerFactor, WPlaneFit.NONE);
    }

    /**
     * @param fit the w-plane fit the samples' {@link StokesSamples#wGrid} was made with: the image is its distorted
     *            frame, and the phase screens and taper use n − 1 of the sky direction each pixel shows
     */
    WStackGridder(StokesSamples s, int n, double du, GriddingKernel kernel, int size, double cellRad,
                  double layerFactor, WPlaneFit fit) {
        this.s = s;
        this.fit = fit;
        this.n = n;
        this.du = du;
        this.kernel = kernel;
        this.corr = kernel.correction(n);
        this.size = size;
        this.cellRad = cellRad;
        this.nStripes = Math.min(n, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
        double wMin = Double.POSITIVE_INFINITY, wMax = 0;
        for (int b = 0; b < s.nBlt; b++) {
            if (hasSamples(b)) {
                wMin = Math.min(wMin, s.wGrid[b] * s.kMin);
                wMax = Math.max(wMax, s.wGrid[b] * s.kMax);
            }
        }
        if (fit.active()) {
            // w' crosses 0 on every track: the planes start there, and plane 0's screen is 1 (no trig per pixel and
            // image, see Screen#reset)
            wMin = 0;
        }
        double half = Math.sin(size / 2.0 * cellRad);
        this.layers = WLayers.plan(Double.isFinite(wMin) ? wMin : 0, wMax, 2 * half * half, layerFactor);
        this.segments = buildSegments();
        this.kernelIntegral = kernel.integral();
        this.fft = new PrunedFft(n);
        this.band = band();
    }

    /** The grid rows and columns the samples' kernels can touch (see {@link PrunedFft} for why that matters). */
    private int[] band() {
        double uMax = 0, vMax = 0;
        for (int b = 0; b < s.nBlt; b++) {
            if (hasSamples(b)) {
                uMax = Math.max(uMax, Math.abs(s.u[b]) * s.kMax / du);
                vMax = Math.max(vMax, Math.abs(s.v[b]) * s.kMax / du);
            }
        }
        int ru = (int) Math.ceil(uMax) + kernel.half + 2, rv = (int) Math.ceil(vMax) + kernel.half + 2;
        return new int[] {Math.max(0, n / 2 - rv), Math.min(n, n / 2 + rv + 1), Math.max(0, n / 2 - ru),
            Math.min(n, n / 2 + ru + 1)};
    }

    /** The plane grid with every cell zero (the first call allocates it). */
    private float[] planeGrid() {
        if (planeGrid == null) {
            planeGrid = new float[2 * n * n];
        }
        return planeGrid;
    }

    private boolean hasSamples(int b) {
        for (int c = 0; c < s.nChan; c++) {
            if (s.wt[b * s.nChan + c] > 0) {
                return true;
            }
        }
        return false;
    }

    private int[][] buildSegments() {
        int[][] out = new int[layers.intervals()][];
        int[] len = new int[layers.intervals()];
        for (int j = 0; j < out.length; j++) {
            out[j] = new int[48];
        }
        for (int b : s.order) {
            if (!hasSamples(b)) {
                continue;
            }
            // runs of channels whose samples fall in one interval; unweighted channels join the current run
            int start = 0;
            int cur = -1;
            for (int c = 0; c <= s.nChan; c++) {
                int o = b * s.nChan + c;
                int j = c == s.nChan ? -2 : s.wt[o] > 0 ? layers.interval(s.wGrid[b] * s.k[o]) : cur;
                if (c < s.nChan && (cur == -1 || j == cur)) {
                    cur = j;
                    continue;
                }
                if (cur >= 0) {
                    if (len[cur] + 3 > out[cur].length) {
                        out[cur] = Arrays.copyOf(out[cur], 2 * out[cur].length);
                    }
                    out[cur][len[cur]++] = b;
                    out[cur][len[cur]++] = start;
                    out[cur][len[cur]++] = c;
                }
                start = c;
                cur = j;
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] = Arrays.copyOf(out[j], len[j]);
        }
        return out;
    }

    /**
     * PSF (no w-term: the PSF of a source at the phase centre, where it vanishes) of size {@code psfSize}, not
     * normalised; its centre value is the normalisation of {@link #dirty}.
     */
    float[] psf(int psfSize) {
        float[] grid = new float[2 * n * n];
        int rows = band[1] - band[0];
        int stripes = Math.max(1, Math.min(nStripes, rows));
        for (int j = 0; j < layers.intervals(); j++) {
            int[] seg = segments[j];
            int interval = j;
            IntStream.range(0, stripes).parallel().forEach(st -> gridStripe(seg, interval,
                band[0] + (int) ((long) st * rows / stripes), band[0] + (int) ((long) (st + 1) * rows / stripes),
                grid, null, true));
        }
        int off = (n - psfSize) / 2;
        fft.inverse(grid, band[0], band[1], off, off + psfSize, off, off + psfSize);
        float[] out = new float[psfSize * psfSize];
        IntStream.range(0, psfSize).parallel().forEach(y -> {
            for (int x = 0; x < psfSize; x++) {
                int gx = x + off, gy = y + off;
                out[y * psfSize + x] = (float) (grid[2 * (gy * n + gx)] / (corr[gx] * corr[gy]));
            }
        });
        return out;
    }

    /** The w-corrected dirty image of the current sample values (size², not normalised). */
    float[] dirty() {
        int off = (n - size) / 2;
        float[] acc = new float[size * size];
        float[] grid = planeGrid();
        float[] next = layers.corrected() ? bandGrid() : null;
        if (layers.corrected() && screenCache == null) {
            screenCache = new Screen();
        }
        Screen screen = layers.corrected() ? screenCache : null;
        if (screen != null) {
            screen.reset();
        }
        for (int p = 0; p < layers.planes(); p++) {
            if (p > 0) {
                screen.advance();
            }
            // interval p: weight 1 − f onto plane p (grid), f onto plane p + 1 (next); grid already holds the
            // f-part of interval p − 1
            if (p < layers.intervals() && segments[p].length > 0) {
                gridSegments(segments[p], p, grid, next);
            }
            if (hasPlane(p)) {
                fft.inverse(grid, band[0], band[1], off, off + size, off, off + size);
                IntStream.range(0, size).parallel().forEach(y -> {
                    int gy = y + off;
                    for (int x = 0; x < size; x++) {
                        int gx = x + off;
                        int g = 2 * (gy * n + gx);
                        int q = y * size + x;
                        double v = screen == null ? grid[g] : grid[g] * screen.re[q] - grid[g + 1] * screen.im[q];
                        acc[q] += (float) (v / (corr[gx] * corr[gy]));
                    }
                });
                // back to zero: the gridded band and the transform's output
                fft.zero(grid, band[0], band[1], 0, n);
                fft.zero(grid, off, off + size, off, off + size);
            }
            if (next != null && p < layers.intervals()) {
                System.arraycopy(next, 0, grid, 2 * band[0] * n, next.length);
                Arrays.fill(next, 0f);
            }
        }
        if (layers.corrected()) {
            IntStream.range(0, size).parallel().forEach(y -> {
                for (int x = 0; x < size; x++) {
                    acc[y * size + x] /= (float) layers.taper(fit.nMinusOneAt(lOf(x), mOf(y)));
                }
            });
        }
        return acc;
    }

    /** The band rows of one plane grid, zero (the first call allocates it): the second plane of a pass. */
    private float[] bandGrid() {
        if (bandGrid == null) {
            bandGrid = new float[2 * (band[1] - band[0]) * n];
        }
        return bandGrid;
    }

    private double lOf(int x) {
        return -(x - size / 2) * cellRad;
    }

    private double mOf(int y) {
        return (y - size / 2) * cellRad;
    }

    /** Whether any sample is gridded onto plane p (from interval p below it or interval p − 1 above). */
    private boolean hasPlane(int p) {
        return (p < layers.intervals() && segments[p].length > 0) || (p > 0 && segments[p - 1].length > 0);
    }

    /** Subtracts the visibilities of {@code model} (size², Jy per pixel, sparse) from the samples. */
    void subtract(float[] model) {
        int[] pix = IntStream.range(0, model.length).filter(i -> model[i] != 0f).toArray();
        if (pix.length == 0) {
            return;
        }
        int off = (n - size) / 2;
        float[] grid = planeGrid();
        // the band of the previous plane's transform: interval p − 1 is read from planes p − 1 and p together
        float[] prev = layers.corrected() ? bandGrid() : null;
        double norm = kernelIntegral * kernelIntegral;
        for (int p = 0; p < layers.planes(); p++) {
            if (!hasPlane(p)) {
                continue;
            }
            double wp = layers.w(p);
            for (int q : pix) {
                int x = q % size, y = q / size;
                double nm1 = fit.nMinusOneAt(lOf(x), mOf(y));
                double ph = -2 * Math.PI * wp * nm1;
                double a = model[q] / (corr[x + off] * corr[y + off] * layers.taper(nm1));
                int g = 2 * ((y + off) * n + x + off);
                grid[g] = (float) (a * Math.cos(ph));
                grid[g + 1] = (float) (a * Math.sin(ph));
            }
            fft.forward(grid, off, off + size, off, off + size, band[0], band[1]);
            if (prev == null) {
                int[] seg = segments[0];
                IntStream.range(0, seg.length / 3).parallel().forEach(t -> degrid(seg, t, 0, grid, null, norm));
            } else {
                if (p > 0 && segments[p - 1].length > 0) {
                    int[] seg = segments[p - 1];
                    int j = p - 1;
                    IntStream.range(0, seg.length / 3).parallel().forEach(t -> degrid(seg, t, j, prev, grid, norm));
                }
                System.arraycopy(grid, 2 * band[0] * n, prev, 0, prev.length);
            }
            // back to zero: the model's pixels and the transform's output
            fft.zero(grid, off, off + size, off, off + size);
            fft.zero(grid, band[0], band[1], 0, n);
        }
        if (prev != null) {
            Arrays.fill(prev, 0f);
        }
    }

    /**
     * Model visibilities of the samples of segment t in interval j, subtracted from them: interpolated from
     * {@code lower} (plane j, band rows only) with weight 1 − f and {@code upper} (plane j + 1, the whole grid) with
     * weight f; without w-correction {@code upper} is null and {@code lower} is the whole grid of the only plane.
     */
    private void degrid(int[] seg, int t, int j, float[] lower, float[] upper, double norm) {
        int half = kernel.half, support = kernel.support, os = GriddingKernel.OVERSAMPLING;
        float[] table = kernel.table;
        int lowerRow0 = upper == null ? 0 : band[0];
        int b = seg[3 * t];
        for (int c = seg[3 * t + 1]; c < seg[3 * t + 2]; c++) {
            int o = b * s.nChan + c;
            if (s.wt[o] <= 0) {
                continue;
            }
            double k = s.k[o];
            double f = upper == null ? 0 : layers.fraction(s.wGrid[b] * k, j);
            double gx = n / 2 - s.u[b] * k / du, gy = n / 2 + s.v[b] * k / du;
            int ixc = (int) Math.round(gx), iyc = (int) Math.round(gy);
            int ix0 = kernel.tableIndex(ixc - half - gx), iy0 = kernel.tableIndex(iyc - half - gy);
            double sr = 0, si = 0;
            for (int dy = 0; dy < support; dy++) {
                float ky = table[iy0 + dy * os];
                int iy = iyc - half + dy;
                int rowL = 2 * ((iy - lowerRow0) * n + ixc - half), rowU = 2 * (iy * n + ixc - half);
                double lr = 0, li = 0, ur = 0, ui = 0;
                for (int dx = 0; dx < support; dx++) {
                    float kx = table[ix0 + dx * os];
                    lr += kx * lower[rowL + 2 * dx];
                    li += kx * lower[rowL + 2 * dx + 1];
                    if (upper != null) {
                        ur += kx * upper[rowU + 2 * dx];
                        ui += kx * upper[rowU + 2 * dx + 1];
                    }
                }
                sr += ky * ((1 - f) * lr + f * ur);
                si += ky * ((1 - f) * li + f * ui);
            }
            // V_model = conj(interpolated) / (∫k)²
            s.re[o] -= (float) (sr / norm);
            s.im[o] += (float) (si / norm);
        }
    }

    /** n − 1 = √(1 − l² − m²) − 1, written to keep its precision for small l, m. */
    static double nMinusOne(double l, double m) {
        double r2 = l * l + m * m;
        return r2 >= 1 ? -1 : -r2 / (1 + Math.sqrt(1 - r2));
    }

    /**
     * Grids the samples of {@code seg} (interval j), stripes of the band's rows in parallel: with {@code upper} null
     * the weights alone (PSF, every interval onto one plane) or, without w-correction, the values onto the only
     * plane; otherwise the values with weight 1 − f onto {@code grid} (plane j) and f onto {@code upper} (plane
     * j + 1, band rows only) in one pass.
     */
    private void gridSegments(int[] seg, int j, float[] grid, float[] upper) {
        int rows = band[1] - band[0];
        int stripes = Math.max(1, Math.min(nStripes, rows));
        IntStream.range(0, stripes).parallel().forEach(st -> {
            int r0 = band[0] + (int) ((long) st * rows / stripes);
            int r1 = band[0] + (int) ((long) (st + 1) * rows / stripes);
            gridStripe(seg, j, r0, r1, grid, upper, false);
        });
    }

    private void gridStripe(int[] seg, int j, int r0, int r1, float[] grid, float[] upper, boolean weightsOnly) {
        int half = kernel.half, support = kernel.support, os = GriddingKernel.OVERSAMPLING;
        float[] kx = new float[support];
        float[] table = kernel.table;
        int upperOff = 2 * band[0] * n;
        for (int t = 0; t < seg.length; t += 3) {
            int b = seg[t];
            if (!s.rowRangeOverlaps(b, n, du, half + 1, r0, r1)) {
                continue;
            }
            for (int c = seg[t + 1]; c < seg[t + 2]; c++) {
                int o = b * s.nChan + c;
                float w = s.wt[o];
                if (w <= 0) {
                    continue;
                }
                double k = s.k[o];
                double gy = n / 2 + s.v[b] * k / du;
                int iyc = (int) Math.round(gy);
                if (iyc + half < r0 || iyc - half >= r1) {
                    continue;
                }
                float f = upper == null ? 0f : (float) layers.fraction(s.wGrid[b] * k, j);
                double gx = n / 2 - s.u[b] * k / du;
                int ixc = (int) Math.round(gx);
                int ix0 = kernel.tableIndex(ixc - half - gx);
                for (int q = 0; q < support; q++) {
                    kx[q] = table[ix0 + q * os];
                }
                int yStart = Math.max(iyc - half, r0), yEnd = Math.min(iyc + half, r1 - 1);
                int iy0 = kernel.tableIndex(iyc - half - gy);
                // conj(V): see the class comment
                float wr = weightsOnly ? w : w * s.re[o], wi = weightsOnly ? 0f : -w * s.im[o];
                float lowR = (1 - f) * wr, lowI = (1 - f) * wi, upR = f * wr, upI = f * wi;
                boolean both = upper != null && f > 0f;
                for (int iy = yStart; iy <= yEnd; iy++) {
                    float ky = table[iy0 + (iy - iyc + half) * os];
                    int row = 2 * (iy * n + ixc - half);
                    float ar = ky * lowR, ai = ky * lowI;
                    for (int q = 0; q < support; q++) {
                        grid[row + 2 * q] += kx[q] * ar;
                        grid[row + 2 * q + 1] += kx[q] * ai;
                    }
                    if (both) {
                        int urow = row - upperOff;
                        float br = ky * upR, bi = ky * upI;
                        for (int q = 0; q < support; q++) {
                            upper[urow + 2 * q] += kx[q] * br;
                            upper[urow + 2 * q + 1] += kx[q] * bi;
                        }
                    }
                }
            }
        }
    }

    /** exp(+2πi w_p (n − 1)) over the image pixels, stepped from plane to plane by exp(2πi Δw (n − 1)). */
    private final class Screen {
        final float[] re = new float[size * size];
        final float[] im = new float[size * size];
        private final float[] stepRe = new float[size * size];
        private final float[] stepIm = new float[size * size];

        Screen() {
            double dw = layers.step();
            IntStream.range(0, size).parallel().forEach(y -> {
                for (int x = 0; x < size; x++) {
                    double nm1 = fit.nMinusOneAt(lOf(x), mOf(y));
                    int p = y * size + x;
                    stepRe[p] = (float) Math.cos(2 * Math.PI * dw * nm1);
                    stepIm[p] = (float) Math.sin(2 * Math.PI * dw * nm1);
                }
            });
        }

        /** Back to plane 0: exp(+2πi w_0 (n − 1)). */
        void reset() {
            double w0 = layers.w(0);
            if (w0 == 0) {
                Arrays.fill(re, 1f);
                Arrays.fill(im, 0f);
                return;
            }
            IntStream.range(0, size).parallel().forEach(y -> {
                for (int x = 0; x < size; x++) {
                    double ph = 2 * Math.PI * w0 * fit.nMinusOneAt(lOf(x), mOf(y));
                    re[y * size + x] = (float) Math.cos(ph);
                    im[y * size + x] = (float) Math.sin(ph);
                }
            });
        }

        void advance() {
            IntStream.range(0, size).parallel().forEach(y -> {
                for (int p = y * size; p < (y + 1) * size; p++) {
                    float r = re[p] * stepRe[p] - im[p] * stepIm[p];
                    im[p] = re[p] * stepIm[p] + im[p] * stepRe[p];
                    re[p] = r;
                }
            });
        }
    }
}
