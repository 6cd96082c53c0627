package org.dsa110.contimg.science.imaging;

import java.util.stream.IntStream;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Centred 2-D FFT of an interleaved complex n×n grid (origin at (n/2, n/2)) that skips the 1-D transforms whose input
 * is zero or whose output is not used: a row–column FFT done with JTransforms' 1-D transforms, rows and column blocks
 * in parallel.
 *
 * <p>Why: the cell is a tenth of the synthesised beam (science.md), so the visibilities occupy only the central
 * ≈ 20 % of the uv grid's rows and columns, and only the image (1/1.5 of the w-plane grid) is kept. Imaging
 * transforms the non-zero rows (≈ 20 %) and then only the image's columns (67 %); prediction transforms the model's
 * columns (67 %) and then only the rows holding samples (≈ 20 %): about 0.45 of a full 2-D transform, with the same
 * arithmetic on the transforms that are done (the results equal the full transform's to float rounding).
 *
 * <p>Centring: the input is multiplied by (−1)^(x+y) before and the output after the transform (n even; the
 * constant phase (−1)^(n/2) per axis cancels over the two axes), as a full centred transform would.
 */
final class PrunedFft {
    /** Columns copied out, transformed and copied back together (strided reads of contiguous row pieces). */
    private static final int BLOCK = 16;

    private final int n;
    private final int chunks;

    PrunedFft(int n) {
        if (n % 2 != 0) {
            throw new IllegalArgumentException("grid size must be even: " + n);
        }
        this.n = n;
        this.chunks = 4 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Imaging direction (exp +, unscaled), in place: the input is zero outside rows [r0, r1); the output is written
     * for rows [o0, o1) of columns [c0, c1) only (other cells are left as scratch).
     */
    void inverse(float[] grid, int r0, int r1, int c0, int c1, int o0, int o1) {
        rows(grid, r0, r1, false, true);
        columns(grid, c0, c1, r0, r1, o0, o1, false, false);
    }

    /**
     * Prediction direction (exp −), in place: the input is zero outside rows [m0, m1) × columns [c0, c1); the output
     * is written for rows [r0, r1) (whole rows) only.
     */
    void forward(float[] grid, int m0, int m1, int c0, int c1, int r0, int r1) {
        columns(grid, c0, c1, m0, m1, r0, r1, true, true);
        rows(grid, r0, r1, true, false);
    }

    /** 1-D transforms of rows [y0, y1), the centring sign applied before ({@code pre}) or after. */
    private void rows(float[] grid, int y0, int y1, boolean forward, boolean pre) {
        int count = y1 - y0;
        if (count <= 0) {
            return;
        }
        IntStream.range(0, Math.min(chunks, count)).parallel().forEach(ch -> {
            FloatFFT_1D fft = new FloatFFT_1D(n);
            int a = y0 + (int) ((long) ch * count / Math.min(chunks, count));
            int b = y0 + (int) ((long) (ch + 1) * count / Math.min(chunks, count));
            for (int y = a; y < b; y++) {
                int off = 2 * y * n;
                if (pre) {
                    modulate(grid, off, y);
                }
                if (forward) {
                    fft.complexForward(grid, off);
                } else {
                    fft.complexInverse(grid, off, false);
                }
                if (!pre) {
                    modulate(grid, off, y);
                }
            }
        });
    }

    /** Multiplies row y (starting at {@code off}) by (−1)^(x+y). */
    private void modulate(float[] grid, int off, int y) {
        for (int x = (y & 1) == 0 ? 1 : 0; x < n; x += 2) {
            grid[off + 2 * x] = -grid[off + 2 * x];
            grid[off + 2 * x + 1] = -grid[off + 2 * x + 1];
        }
    }

    /**
     * 1-D transforms of columns [x0, x1): input rows [i0, i1) (the rest taken as zero), output written to rows
     * [o0, o1); the centring sign applied on the way in ({@code pre}) or out.
     */
    private void columns(float[] grid, int x0, int x1, int i0, int i1, int o0, int o1, boolean forward,
                         boolean pre) {
        int blocks = (x1 - x0 + BLOCK - 1) / BLOCK;
        if (blocks <= 0) {
            return;
        }
        int parts = Math.min(chunks, blocks);
        IntStream.range(0, parts).parallel().forEach(ch -> {
            FloatFFT_1D fft = new FloatFFT_1D(n);
            float[][] buf = new float[BLOCK][2 * n];
            int bA = (int) ((long) ch * blocks / parts), bB = (int) ((long) (ch + 1) * blocks / parts);
            for (int blk = bA; blk < bB; blk++) {
                int xa = x0 + blk * BLOCK, width = Math.min(BLOCK, x1 - xa);
                for (int j = 0; j < width; j++) {
                    java.util.Arrays.fill(buf[j], 0f);
                }
                for (int y = i0; y < i1; y++) {
                    int g = 2 * (y * n + xa);
                    for (int j = 0; j < width; j++) {
                        float s = pre && ((xa + j + y) & 1) != 0 ? -1f : 1f;
                        buf[j][2 * y] = s * grid[g + 2 * j];
                        buf[j][2 * y + 1] = s * grid[g + 2 * j + 1];
                    }
                }
                for (int j = 0; j < width; j++) {
                    if (forward) {
                        fft.complexForward(buf[j]);
                    } else {
                        fft.complexInverse(buf[j], false);
                    }
                }
                for (int y = o0; y < o1; y++) {
                    int g = 2 * (y * n + xa);
                    for (int j = 0; j < width; j++) {
                        float s = !pre && ((xa + j + y) & 1) != 0 ? -1f : 1f;
                        grid[g + 2 * j] = s * buf[j][2 * y];
                        grid[g + 2 * j + 1] = s * buf[j][2 * y + 1];
                    }
                }
            }
        });
    }

    /** Zeroes rows [y0, y1) × columns [x0, x1) (rows in parallel). */
    void zero(float[] grid, int y0, int y1, int x0, int x1) {
        IntStream.range(Math.max(0, y0), Math.min(n, y1)).parallel()
            .forEach(y -> java.util.Arrays.fill(grid, 2 * (y * n + x0), 2 * (y * n + x1), 0f));
    }
}
