package org.dsa110.contimg.science.imaging;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Baseline-dependent averaging of {@link StokesSamples} in frequency and time, in place (the bound and why:
 * {@link StokesSamples#AVERAGING_CELLS}). Per baseline: cells per channel a = |uv|·Δk/du (the largest over its
 * integrations) and cells per integration b = |Δuv|·k_max/du (the largest step between consecutive integrations);
 * blocks of C channels × T integrations with (C·a)² + ((T − 1)·b)² ≤ bound², C·T as large as possible, are averaged with
 * their weights into the block's first sample (value, wave number), and the block's first blt takes the
 * weight-weighted mean (u, v, w) of the block's blts; the other samples get weight 0. Where one integration is the
 * best choice (long baselines), each blt's channels are averaged by its own |uv|, as before time averaging existed.
 * Blocks whose blts were folded to w ≥ 0 differently (w crossing 0 within the block) are averaged per blt.
 * Irregular channel spacing switches averaging off.
 */
final class SampleAveraging {
    private final StokesSamples s;
    private final UvSamples uv;
    private final int[] ant1;
    private final int[] ant2;
    private final boolean[] folded;
    private final double du;
    private final double cells;

    SampleAveraging(StokesSamples s, UvSamples uv, int[] ant1, int[] ant2, boolean[] folded, double du,
                    double cells) {
        this.s = s;
        this.uv = uv;
        this.ant1 = ant1;
        this.ant2 = ant2;
        this.folded = folded;
        this.du = du;
        this.cells = cells;
    }

    void run() {
        if (!uv.uniform) {
            return;
        }
        int[] order = uv.order;
        int[] starts = IntStream.rangeClosed(0, order.length).filter(i -> i == 0 || i == order.length
            || ant1[order[i]] != ant1[order[i - 1]] || ant2[order[i]] != ant2[order[i - 1]]).toArray();
        IntStream.range(0, starts.length - 1).parallel().forEach(r -> baseline(starts[r], starts[r + 1]));
    }

    /** Averages the blts order[from … to) of one baseline (time order). */
    private void baseline(int from, int to) {
        int[] blts = IntStream.range(from, to).map(i -> uv.order[i]).filter(this::hasWeight).toArray();
        if (blts.length == 0) {
            return;
        }
        double step = Math.abs(uv.waveStep) / du, a = 0, b = 0;
        for (int i = 0; i < blts.length; i++) {
            a = Math.max(a, Math.hypot(s.u[blts[i]], s.v[blts[i]]) * step);
            if (i > 0) {
                // the track itself, unfolded
                double du1 = trueU(blts[i]) - trueU(blts[i - 1]), dv1 = trueV(blts[i]) - trueV(blts[i - 1]);
                b = Math.max(b, Math.hypot(du1, dv1) * uv.kMax / du);
            }
        }
        int bestT = 1, bestC = channelGroup(a);
        for (int t = 2; t <= blts.length; t++) {
            double left2 = cells * cells - (t - 1) * b * (t - 1) * b;
            int c = left2 <= 0 ? 0 : a > 0 ? (int) Math.min(s.nChan, Math.floor(Math.sqrt(left2) / a)) : s.nChan;
            if (c < 1) {
                break;
            }
            if ((long) t * c > (long) bestT * bestC) {
                bestT = t;
                bestC = c;
            }
        }
        for (int t0 = 0; t0 < blts.length; t0 += bestT) {
            int[] block = Arrays.copyOfRange(blts, t0, Math.min(blts.length, t0 + bestT));
            if (bestT == 1 || !sameFolding(block)) {
                for (int blt : block) {
                    average(new int[] {blt}, channelGroup(Math.hypot(s.u[blt], s.v[blt]) * step));
                }
            } else {
                average(block, bestC);
            }
        }
    }

    /** Channels per group for a blt at {@code a} cells per channel, channels alone. */
    private int channelGroup(double a) {
        return a > 0 ? (int) Math.min(s.nChan, Math.max(1, Math.floor(cells / a))) : 1;
    }

    private double trueU(int b) {
        return folded[b] ? -s.u[b] : s.u[b];
    }

    private double trueV(int b) {
        return folded[b] ? -s.v[b] : s.v[b];
    }

    private boolean hasWeight(int b) {
        for (int c = 0; c < s.nChan; c++) {
            if (s.wt[b * s.nChan + c] > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean sameFolding(int[] block) {
        for (int b : block) {
            if (folded[b] != folded[block[0]]) {
                return false;
            }
        }
        return true;
    }

    /** Weighted average of every {@code group} consecutive channels of the block's blts into its first blt. */
    private void average(int[] block, int group) {
        int nChan = s.nChan, first = block[0];
        if (block.length > 1) {
            double su = 0, sv = 0, sw = 0, sWeight = 0;
            for (int b : block) {
                double wb = 0;
                for (int c = 0; c < nChan; c++) {
                    wb += s.wt[b * nChan + c];
                }
                su += wb * s.u[b];
                sv += wb * s.v[b];
                sw += wb * s.w[b];
                sWeight += wb;
            }
            s.u[first] = su / sWeight;
            s.v[first] = sv / sWeight;
            s.w[first] = sw / sWeight;
        }
        if (group <= 1 && block.length == 1) {
            return;
        }
        for (int c0 = 0; c0 < nChan; c0 += group) {
            double sr = 0, si = 0, sw = 0, sk = 0;
            int end = Math.min(nChan, c0 + group);
            for (int b : block) {
                for (int c = c0; c < end; c++) {
                    int o = b * nChan + c;
                    double ww = s.wt[o];
                    if (ww > 0) {
                        sr += ww * s.re[o];
                        si += ww * s.im[o];
                        sk += ww * s.k[o];
                        sw += ww;
                        s.wt[o] = 0;
                    }
                }
            }
            int o = first * nChan + c0;
            if (sw > 0) {
                s.re[o] = (float) (sr / sw);
                s.im[o] = (float) (si / sw);
                s.k[o] = (float) (sk / sw);
                s.wt[o] = (float) sw;
            }
        }
    }
}
