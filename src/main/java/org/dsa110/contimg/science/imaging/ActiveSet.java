package org.dsa110.contimg.science.imaging;

import java.util.List;
import java.util.stream.IntStream;

/** The pixels a CLEAN minor cycle works on (see {@link HogbomClean}): residual values copied out of the image. */
final class ActiveSet {
    /** At most this many pixels per minor cycle (the brightest). */
    static final int MAX_ACTIVE = 1 << 15;
    private static final int BINS = 4096;

    private final int[] index;
    private final float[] value;
    private final double cut;

    private ActiveSet(int[] index, float[] value, double cut) {
        this.index = index;
        this.value = value;
        this.cut = cut;
    }

    /** {max |res|, its pixel index} over the search window {x0, x1, y0, y1} (−1, −1 when empty); rows in parallel. */
    static double[] peak(float[] res, int w, int[] win) {
        return peak(res, w, win, null);
    }

    /** As {@link #peak(float[], int, int[])}, only over the pixels of {@code mask} (null = all). */
    static double[] peak(float[] res, int w, int[] win, boolean[] mask) {
        return IntStream.rangeClosed(win[2], win[3]).parallel().mapToObj(y -> {
            float m = -1;
            int arg = -1;
            for (int x = win[0]; x <= win[1]; x++) {
                float a = Math.abs(res[y * w + x]);
                if (a > m && (mask == null || mask[y * w + x])) { // NaN never wins
                    m = a;
                    arg = y * w + x;
                }
            }
            return new double[] {m, arg};
        }).reduce(new double[] {-1, -1}, (a, b) -> b[0] > a[0] ? b : a); // ties: the first row wins
    }

    /**
     * The window pixels with |res| above cut = max(threshold, fraction × peak), raised if needed so that at most
     * about {@link #MAX_ACTIVE} remain, only pixels of {@code mask} (null = all); null when the peak is not above the
     * threshold.
     */
    static ActiveSet select(float[] res, int w, int[] win, double threshold, double fraction, boolean[] mask) {
        double peak = peak(res, w, win, mask)[0];
        if (!(peak > threshold) || !(peak > 0)) {
            return null;
        }
        double cut = Math.max(threshold, fraction * peak);
        // histogram of |res| in (cut, peak]: raise the cut to the lowest bin edge that keeps ≤ MAX_ACTIVE above it
        double lo = cut;
        double step = (peak - lo) / BINS;
        // one histogram per block of rows (a histogram per row, summed pairwise, cost more than the scan itself)
        int nRows = win[3] - win[2] + 1;
        int parts = Math.min(nRows, 4 * Runtime.getRuntime().availableProcessors());
        long[][] partial = IntStream.range(0, parts).parallel().mapToObj(pt -> {
            long[] hh = new long[BINS];
            int y0 = win[2] + (int) ((long) pt * nRows / parts);
            int y1 = win[2] + (int) ((long) (pt + 1) * nRows / parts);
            for (int y = y0; y < y1; y++) {
                for (int x = win[0]; x <= win[1]; x++) {
                    float a = Math.abs(res[y * w + x]);
                    if (a > lo && (mask == null || mask[y * w + x])) {
                        hh[Math.min(BINS - 1, (int) ((a - lo) / step))]++;
                    }
                }
            }
            return hh;
        }).toArray(long[][]::new);
        long[] hist = new long[BINS];
        for (long[] hh : partial) {
            for (int i = 0; i < BINS; i++) {
                hist[i] += hh[i];
            }
        }
        long above = 0;
        int bin = BINS;
        while (bin > 0 && above + hist[bin - 1] <= MAX_ACTIVE) {
            above += hist[--bin];
        }
        if (bin == BINS) {
            bin = BINS - 1; // even the top bin is over the limit: take it whole
        }
        double finalCut = bin == 0 ? cut : lo + bin * step;
        int[][] rows = IntStream.rangeClosed(win[2], win[3]).parallel().mapToObj(y -> {
            int n = 0;
            int[] buf = new int[16];
            for (int x = win[0]; x <= win[1]; x++) {
                if (Math.abs(res[y * w + x]) > finalCut && (mask == null || mask[y * w + x])) {
                    if (n == buf.length) {
                        buf = java.util.Arrays.copyOf(buf, 2 * n);
                    }
                    buf[n++] = y * w + x;
                }
            }
            return java.util.Arrays.copyOf(buf, n);
        }).toArray(int[][]::new);
        int[] index = java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).toArray();
        float[] value = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            value[i] = res[index[i]];
        }
        return new ActiveSet(index, value, finalCut);
    }

    /**
     * Högbom iterations on the active pixels until their peak is at or below the cut or {@code maxIter} are done;
     * appends the components, returns the iterations done (≥ 1: the set holds the image peak, above the cut).
     */
    int minorCycle(CleanPsf psf, int w, double gain, int maxIter, List<HogbomClean.Component> comps) {
        int n = index.length;
        int[] xs = new int[n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = index[i] % w;
            ys[i] = index[i] / w;
        }
        int it = 0;
        while (it < maxIter) {
            int best = -1;
            float bestAbs = -1;
            for (int i = 0; i < n; i++) {
                float a = Math.abs(value[i]);
                if (a > bestAbs) {
                    bestAbs = a;
                    best = i;
                }
            }
            if (best < 0 || !(bestAbs > cut)) {
                break;
            }
            float flux = (float) (gain * value[best]);
            int bx = xs[best], by = ys[best];
            comps.add(new HogbomClean.Component(bx, by, flux));
            for (int i = 0; i < n; i++) {
                value[i] -= flux * psf.at(xs[i] - bx, ys[i] - by);
            }
            it++;
        }
        return it;
    }
}
