package org.dsa110.contimg.science.imaging;

import java.util.stream.IntStream;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.jtransforms.fft.FloatFFT_2D;

/**
 * Stokes I dirty imaging: convolutional gridding, Briggs weighting, 2-D FFT and grid correction.
 *
 * <p>Steps:
 * <ol>
 *   <li>Each blt is rephased to the image phase centre if its own differs (same frame): (u, v, w) rotated with
 *       {@link org.dsa110.contimg.science.radio.Baselines#rephaseMatrix} and V multiplied by exp(−2πi(w_new − w_old)/λ)
 *       (the standard convention V = Σ S exp(+2πi(ul + vm + w(n − 1))/λ), docs/conventions.md).</li>
 *   <li>Stokes I per sample from the unflagged parallel hands ({@link Visibilities#stokesI}); autocorrelations
 *       are skipped; samples whose kernel would leave the grid are dropped.</li>
 *   <li>Briggs (1995) weighting: with W_k the sum of natural weights in uv cell k (a sample and its Hermitian
 *       mirror both count, because the image is the real part of the transform), f² = (5·10^−R)² / (Σ_k W_k² /
 *       Σ_i w_i) and w_i ← w_i / (1 + W_k(i)·f²). R = NaN gives natural weighting.</li>
 *   <li>Gridding of conj(V) with a Kaiser–Bessel kernel ({@link GriddingKernel}) at (−u, v): the dirty image is
 *       Σ V exp(−2πi(ul + vm)) = Σ conj(V) exp(+2πi(ul + vm)) (it is real), so the inverse FFT of that grid has
 *       pixel x at l = −x: RA increasing to the left, north up; rows are split into stripes gridded in parallel (each stripe owns its
 *       rows, so no locking).</li>
 *   <li>One inverse 2-D complex FFT (JTransforms, multi-threaded) of the Hermitian-folded visibility grid plus i
 *       times the folded weight grid: its real part is the dirty image, its imaginary part the PSF
 *       ({@link #hermitianFold}); both divided by the grid correction; the
 *       central {@code imageSize}² pixels are kept for the image and min(grid, 2·imageSize)² for the PSF (see
 *       {@link HogbomClean} for why the PSF should be twice the image: use padding ≥ 2 for that). Dirty image and
 *       PSF are divided by the PSF's central value, so the PSF peak is 1 and the image is in Jy/beam.</li>
 * </ol>
 * The w-term is ignored (no w-projection): DSA-110 data are snapshots phased to the meridian and the field is
 * 3.5°; the error grows as π·w·(l² + m²)/λ and is negligible near the zenith but not for pointings far from it
 * (e.g. Dec 16° at the field edge). Pixel ↔ sky mapping: {@link ImageGeometry}.
 */
public final class Imager {
    /** The w-rephasing phasor is recomputed exactly every this many channels. */
    private static final int RESEED = 32;

    private final ImagingParameters params;

    public Imager(ImagingParameters params) {
        this.params = params;
    }

    public ImagingParameters parameters() {
        return params;
    }

    /** Image phased to the phase centre of the middle blt. */
    public DirtyImage image(Visibilities vis) {
        int mid = vis.nBlt() / 2;
        return image(vis, vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]);
    }

    /** Image with the phase centre (pixel width/2, height/2) at (raRad, decRad), same frame as {@code vis}. */
    public DirtyImage image(Visibilities vis, double raRad, double decRad) {
        int n = params.gridSize();
        double cell = params.cellRad();
        UvSamples uv = UvSamples.prepare(vis, raRad, decRad);
        double du = 1.0 / (n * cell); // uv cell in wavelengths
        GriddingKernel kernel = new GriddingKernel(params.kernelSupport());
        int nStripes = Math.min(n, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

        float[] density = null;
        double f2 = 0;
        if (!Double.isNaN(params.robust())) {
            density = new float[n * n];
            double sumW = densityGrid(vis, uv, n, du, kernel.half, nStripes, density);
            symmetrise(density, n);
            double sumD2 = 0;
            for (float d : density) {
                sumD2 += (double) d * d;
            }
            double r = 5.0 * Math.pow(10.0, -params.robust());
            // Σ over the Hermitian-completed plane; every natural weight appears twice in it
            f2 = sumD2 > 0 ? r * r / (sumD2 / (2.0 * sumW)) : 0;
        }

        Gridded g = grid(vis, uv, kernel, n, du, nStripes, density, f2);
        density = null; // no longer needed: free it before the FFT
        double sumW = g.sumWeights, sumWf = g.sumWeightedFreq;
        long samples = g.samples;
        float[] grid = hermitianFold(g.cells, n);
        g = null;
        if (sumW <= 0) {
            throw new IllegalArgumentException("no unflagged visibilities fall on the grid");
        }
        int size = params.imageSize();
        int psfSize = psfSize(n, size);
        double[] corr = kernel.correction(n);
        // one transform for both: the real part is the dirty image, the imaginary part the PSF (see hermitianFold)
        transform(grid, n);
        float[] dirty = crop(grid, n, size, corr, 0);
        float[] psf = crop(grid, n, psfSize, corr, 1);
        float peak = psf[(psfSize / 2) * psfSize + psfSize / 2];
        for (int i = 0; i < dirty.length; i++) {
            dirty[i] /= peak;
        }
        for (int i = 0; i < psf.length; i++) {
            psf[i] /= peak;
        }
        ImageGeometry geom = new ImageGeometry(size, size, cell, raRad, decRad);
        return new DirtyImage(ImagePlane.of(size, size, dirty), ImagePlane.of(psfSize, psfSize, psf), geom,
            sumWf / sumW, sumW, samples);
    }

    /**
     * PSF size: twice the image (so a PSF shifted to any image pixel covers the whole image) when the FFT grid is
     * that large (padding ≥ 2), otherwise the whole grid.
     */
    static int psfSize(int gridSize, int imageSize) {
        return Math.min(gridSize, 2 * imageSize);
    }

    /** {@code cells}: (re, im, weight) per grid cell, row-major. */
    private record Gridded(float[] cells, double sumWeights, double sumWeightedFreq, long samples) {
    }

    /** Grids all samples, stripes in parallel. */
    private static Gridded grid(Visibilities vis, UvSamples uv, GriddingKernel kernel, int n, double du, int nStripes,
                                float[] density, double f2) {
        // (re, im, weight) interleaved per cell: one sample's taps touch few cache lines
        float[] cells = new float[3 * n * n];
        double[][] stats = new double[nStripes][3]; // Σw, Σw·ν, samples
        IntStream.range(0, nStripes).parallel().forEach(s -> {
            int r0 = (int) ((long) s * n / nStripes);
            int r1 = (int) ((long) (s + 1) * n / nStripes);
            gridStripe(vis, uv, kernel, n, du, r0, r1, density, f2, cells, stats[s]);
        });
        double sumW = 0, sumWf = 0;
        long samples = 0;
        for (double[] st : stats) {
            sumW += st[0];
            sumWf += st[1];
            samples += (long) st[2];
        }
        return new Gridded(cells, sumW, sumWf, samples);
    }

    /**
     * In place: W(u, v) ← W(u, v) + W(−u, −v) about the grid centre (n/2, n/2), so the density of a sample includes
     * its Hermitian mirror; the centre cell (its own mirror) doubles; row/column 0 have no mirror on the grid.
     */
    private static void symmetrise(float[] density, int n) {
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                int my = n - iy, mx = n - ix;
                if (mx >= n || my >= n) {
                    continue;
                }
                int k = iy * n + ix, m = my * n + mx;
                if (k < m) {
                    float sum = density[k] + density[m];
                    density[k] = sum;
                    density[m] = sum;
                } else if (k == m) {
                    density[k] *= 2f;
                }
            }
        }
    }

    /** Nearest-cell sum of natural weights; returns Σ natural weights. */
    private static double densityGrid(Visibilities vis, UvSamples uv, int n, double du, int half, int nStripes,
                                      float[] density) {
        double[] sums = new double[nStripes];
        IntStream.range(0, nStripes).parallel().forEach(s -> {
            int r0 = (int) ((long) s * n / nStripes);
            int r1 = (int) ((long) (s + 1) * n / nStripes);
            double sum = 0;
            int nChan = vis.nChan();
            for (int b : uv.order) {
                if (!uv.valid[b] || !uv.rowRangeOverlaps(b, n, du, 0, r0, r1)) {
                    continue;
                }
                for (int c = 0; c < nChan; c++) {
                    double w = stokesWeight(vis, b, c);
                    if (w <= 0) {
                        continue;
                    }
                    double k = uv.waveNumber[c];
                    int iy = (int) Math.round(n / 2 + uv.v[b] * k / du);
                    if (iy < r0 || iy >= r1) {
                        continue;
                    }
                    int ix = (int) Math.round(n / 2 - uv.u[b] * k / du);
                    if (ix - half < 0 || ix + half >= n || iy - half < 0 || iy + half >= n) {
                        continue;
                    }
                    density[iy * n + ix] += (float) w;
                    sum += w;
                }
            }
            sums[s] = sum;
        });
        double total = 0;
        for (double x : sums) {
            total += x;
        }
        return total;
    }

    private static double stokesWeight(Visibilities vis, int b, int c) {
        int base = vis.index(b, c, 0);
        int hands = Math.min(vis.nPol(), 2);
        double w = 0;
        for (int p = 0; p < hands; p++) {
            if (!vis.flag()[base + p] && vis.weight()[base + p] > 0) {
                w += vis.weight()[base + p];
            }
        }
        return w;
    }

    private static void gridStripe(Visibilities vis, UvSamples uv, GriddingKernel kernel, int n, double du, int r0,
                                   int r1, float[] density, double f2, float[] cells, double[] stats) {
        int half = kernel.half;
        int support = kernel.support;
        float[] kx = new float[support];
        float[] table = kernel.table;
        int os = GriddingKernel.OVERSAMPLING;
        int nChan = vis.nChan();
        int hands = Math.min(vis.nPol(), 2);
        float[] re = vis.re(), im = vis.im(), wt = vis.weight();
        boolean[] fl = vis.flag();
        double sumW = 0, sumWf = 0, count = 0;
        double phRe = 1, phIm = 0, stRe = 1, stIm = 0;
        int phB = -1;
        for (int b : uv.order) {
            if (!uv.valid[b] || !uv.rowRangeOverlaps(b, n, du, half + 1, r0, r1)) {
                continue;
            }
            double ub = uv.u[b], vb = uv.v[b], dw = uv.dw[b];
            int phC = -2; // channel whose phasor phRe/phIm holds, in this blt
            for (int c = 0; c < nChan; c++) {
                double k = uv.waveNumber[c];
                double gy = n / 2 + vb * k / du;
                int iyc = (int) Math.round(gy);
                if (iyc + half < r0 || iyc - half >= r1) {
                    continue;
                }
                double gx = n / 2 - ub * k / du;
                int ixc = (int) Math.round(gx);
                if (ixc - half < 0 || ixc + half >= n || iyc - half < 0 || iyc + half >= n) {
                    continue;
                }
                // Stokes I from the unflagged parallel hands
                int base = (b * nChan + c) * vis.nPol();
                double sr = 0, si = 0, w = 0;
                for (int p = 0; p < hands; p++) {
                    float wp = wt[base + p];
                    if (!fl[base + p] && wp > 0) {
                        sr += wp * re[base + p];
                        si += wp * im[base + p];
                        w += wp;
                    }
                }
                if (w <= 0) {
                    continue;
                }
                double vr = sr / w, vi = si / w;
                if (density != null) {
                    w /= 1.0 + density[iyc * n + ixc] * f2;
                }
                if (dw != 0) {
                    // e^{−2πi·dw·k_c}: advanced by a constant phasor from the previous channel when the channels are
                    // uniform and the previous one was computed here, re-seeded exactly every RESEED channels
                    if (uv.uniform && c == phC + 1 && c % RESEED != 0) {
                        double t = phRe * stRe - phIm * stIm;
                        phIm = phRe * stIm + phIm * stRe;
                        phRe = t;
                    } else {
                        double ph = -2 * Math.PI * dw * k;
                        phRe = Math.cos(ph);
                        phIm = Math.sin(ph);
                        if (phB != b) {
                            double st = -2 * Math.PI * dw * uv.waveStep;
                            stRe = Math.cos(st);
                            stIm = Math.sin(st);
                            phB = b;
                        }
                    }
                    phC = c;
                    double t = vr * phRe - vi * phIm;
                    vi = vr * phIm + vi * phRe;
                    vr = t;
                }
                // only the stripe's own rows are written; count the sample once, in the stripe of its centre row
                if (iyc >= r0 && iyc < r1) {
                    sumW += w;
                    sumWf += w * k * PrimaryBeam.SPEED_OF_LIGHT;
                    count++;
                }
                // table index of tap j is i0 + j·OS: one rounding per axis instead of one per tap
                int ix0 = kernel.tableIndex(ixc - half - gx);
                for (int j = 0; j < support; j++) {
                    kx[j] = table[ix0 + j * os];
                }
                int yStart = Math.max(iyc - half, r0);
                int yEnd = Math.min(iyc + half, r1 - 1);
                int iy0 = kernel.tableIndex(iyc - half - gy);
                // conj(V): see the class comment
                float wr = (float) (w * vr), wi = (float) (-w * vi), ww = (float) w;
                for (int iy = yStart; iy <= yEnd; iy++) {
                    float ky = table[iy0 + (iy - iyc + half) * os];
                    int row = 3 * (iy * n + ixc - half);
                    float ar = ky * wr, ai = ky * wi, aw = ky * ww;
                    for (int j = 0; j < support; j++) {
                        float kk = kx[j];
                        int o = row + 3 * j;
                        cells[o] += kk * ar;
                        cells[o + 1] += kk * ai;
                        cells[o + 2] += kk * aw;
                    }
                }
            }
        }
        stats[0] = sumW;
        stats[1] = sumWf;
        stats[2] = count;
    }

    /**
     * In-place centred inverse FFT of an interleaved complex n×n grid with origin at (n/2, n/2). The (−1)^(x+y)
     * modulations move the origins to index 0 and back (n even).
     */
    private static void transform(float[] grid, int n) {
        checkerboard(grid, n);
        new FloatFFT_2D(n, n).complexInverse(grid, false);
        checkerboard(grid, n);
    }

    /** Part {@code part} (0 real, 1 imaginary) of the central size×size pixels, divided by the grid correction. */
    private static float[] crop(float[] grid, int n, int size, double[] corr, int part) {
        int off = (n - size) / 2;
        float[] out = new float[size * size]; // size ≤ n, both even
        IntStream.range(0, size).parallel().forEach(y -> {
            int gy = y + off;
            for (int x = 0; x < size; x++) {
                int gx = x + off;
                out[y * size + x] = (float) (grid[2 * (gy * n + gx) + part] / (corr[gx] * corr[gy]));
            }
        });
        return out;
    }

    /**
     * H = G_h + i·W_h, interleaved, from the visibility grid G and the weight grid W (the gridded cells), with
     * G_h(k) = (G(k) + conj(G(−k)))/2 and W_h(k) = (W(k) + W(−k))/2, −k the periodic mirror about the centre
     * ((n − x) mod n, (n − y) mod n). The transform of G_h is the real part of the transform of G (the dirty
     * image: every sample stands for itself and its conjugate at −uv) and that of W_h the real part of W's (the
     * PSF); both are real, so the transform of H carries the dirty image in its real part and the PSF in its
     * imaginary part: one FFT instead of two.
     */
    private static float[] hermitianFold(float[] cells, int n) {
        float[] out = new float[2 * n * n];
        IntStream.range(0, n).parallel().forEach(y -> {
            int my = (n - y) % n;
            for (int x = 0; x < n; x++) {
                int k = y * n + x;
                int m = my * n + (n - x) % n;
                out[2 * k] = 0.5f * (cells[3 * k] + cells[3 * m]);
                out[2 * k + 1] = 0.5f * (cells[3 * k + 1] - cells[3 * m + 1]) + 0.5f * (cells[3 * k + 2] + cells[3 * m + 2]);
            }
        });
        return out;
    }

    private static void checkerboard(float[] grid, int n) {
        IntStream.range(0, n).parallel().forEach(y -> {
            for (int x = (y & 1) == 0 ? 1 : 0; x < n; x += 2) {
                int i = 2 * (y * n + x);
                grid[i] = -grid[i];
                grid[i + 1] = -grid[i + 1];
            }
        });
    }
}
