package org.dsa110.contimg.science.imaging;

import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * The Stokes I samples an image is made from, prepared once and kept for the major cycles: per blt (u, v, w) in
 * metres for the image phase centre, folded to w ≥ 0 (a sample at (u, v, w) with value V stands for its Hermitian
 * mirror (−u, −v, −w, conj V) as well, so every w-layer lies in [0, w_max] and only half the layers are needed);
 * per (blt, channel) the rephased, folded Stokes I value and its imaging weight (natural × Briggs; 0 = not gridded:
 * flagged, autocorrelation, outside the grid, or averaged into a neighbouring channel or integration, see
 * {@link #AVERAGING_CELLS}) and wave number. The values are what {@link WStackGridder#subtract} turns into
 * residuals.
 */
final class StokesSamples {
    /** The w-rephasing phasor is recomputed exactly every this many channels. */
    private static final int RESEED = 32;
    /**
     * Baseline-dependent averaging in frequency and time: for each baseline, blocks of C consecutive channels × T
     * consecutive integrations are averaged into one sample while their uv extent D = √((C·a)² + ((T − 1)·b)²) is
     * at most this many cells of the w-planes' grid, a and b the cells per channel and per integration (a channel
     * counted with its width, an integration by the step between centres: its own width smears it without averaging
     * too); C·T is made as large as that allows. Smearing: a source at l sees the members' phases 2π·δuv·l spread
     * with variance ≤ (2π·l)²·D²/12 (a rectangle of sides C·a and (T − 1)·b in any orientation), the variance of a
     * single span D; at the image edge (l = ⅓ of the 1.5× grid's field) and D = 0.075 the amplitude loss
     * (≈ variance/2) is ≤ 0.1 % (bandwidth and time smearing together), ≤ 0.2 % at the corners. Channels alone
     * (T = 1, the rule before time averaging) shrink the short baselines by 10–100×; time adds a factor 1.5–4 for
     * baselines up to a few hundred metres (a 12.9 s integration moves a 100 m baseline by ≈ 0.4 λ at 1.4 GHz,
     * 0.01 cells of a 2048² image's plane grid). The w spread of the members (as small as their u, v spread) only
     * enters through w·(n − 1), ≤ 5·10⁻⁴ of that phase in a 3.5° field: neglected.
     */
    static final double AVERAGING_CELLS = 0.075;

    final int nBlt;
    final int nChan;
    final double[] u;
    final double[] v;
    /** Exact w (metres) for the image phase centre, with the fold's sign. */
    final double[] w;
    /**
     * The w the samples are gridded with: w − a·u − b·v of the plane fit ({@link #applyPlaneFit}), ≥ 0 (the fold
     * follows it); {@link #w} itself without a fit.
     */
    double[] wGrid;
    final double[] waveNumber;
    final double kMin;
    final double kMax;
    final int[] order;
    final float[] re;
    final float[] im;
    final float[] wt;
    /** Wave number ν/c (1/m) of each sample: its channel's, or the weighted mean of the channels averaged into it. */
    final float[] k;
    double sumWeights;
    double sumWeightedFreq;
    double sumSquaredWeights;
    long samples;

    private StokesSamples(UvSamples uv, int nBlt, int nChan) {
        this.nBlt = nBlt;
        this.nChan = nChan;
        this.waveNumber = uv.waveNumber;
        this.kMin = uv.kMin;
        this.kMax = uv.kMax;
        this.order = uv.order;
        u = new double[nBlt];
        v = new double[nBlt];
        w = new double[nBlt];
        wGrid = w;
        re = new float[nBlt * nChan];
        im = new float[nBlt * nChan];
        wt = new float[nBlt * nChan];
        k = new float[nBlt * nChan];
    }

    /**
     * Stokes I of {@code vis} rephased to (ra, dec) (docs/conventions.md: V_new = V_old · exp(−2πi Δw ν/c)), with
     * natural weights; samples whose kernel ({@code half} cells) would leave the n-cell grid of spacing du get weight 0.
     */
    static StokesSamples prepare(Visibilities vis, double ra, double dec, int n, double du, int half) {
        return prepare(vis, ra, dec, n, du, half, AVERAGING_CELLS);
    }

    /** As above, averaged to at most {@code averagingCells} grid cells (0 = no averaging), see {@link #AVERAGING_CELLS}. */
    static StokesSamples prepare(Visibilities vis, double ra, double dec, int n, double du, int half,
                                 double averagingCells) {
        return prepare(vis, UvSamples.prepare(vis, ra, dec), n, du, half, averagingCells);
    }

    /** As above with the rows' (u, v, Δw) for the phase centre already computed. */
    static StokesSamples prepare(Visibilities vis, UvSamples uv, int n, double du, int half, double averagingCells) {
        int nChan = vis.nChan();
        StokesSamples s = new StokesSamples(uv, vis.nBlt(), nChan);
        int hands = Math.min(vis.nPol(), 2);
        float[] vre = vis.re(), vim = vis.im(), vwt = vis.weight();
        boolean[] fl = vis.flag();
        double[] uvw = vis.uvw();
        boolean[] folded = new boolean[vis.nBlt()];
        IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
            if (!uv.valid[b]) {
                return;
            }
            double wNew = uvw[3 * b + 2] + uv.dw[b];
            double sign = wNew < 0 ? -1 : 1;
            folded[b] = wNew < 0;
            s.u[b] = sign * uv.u[b];
            s.v[b] = sign * uv.v[b];
            s.w[b] = sign * wNew;
            double dw = uv.dw[b];
            double phRe = 1, phIm = 0;
            double stRe = Math.cos(-2 * Math.PI * dw * uv.waveStep), stIm = Math.sin(-2 * Math.PI * dw * uv.waveStep);
            for (int c = 0; c < nChan; c++) {
                double k = uv.waveNumber[c];
                double gx = n / 2 - s.u[b] * k / du, gy = n / 2 + s.v[b] * k / du;
                // (averaging below keeps every group inside the hull of its members: on the grid too)
                int ixc = (int) Math.round(gx), iyc = (int) Math.round(gy);
                if (dw != 0) {
                    // e^{−2πi·dw·k_c}, advanced by a constant phasor on uniform channels, re-seeded exactly
                    if (uv.uniform && c % RESEED != 0) {
                        double t = phRe * stRe - phIm * stIm;
                        phIm = phRe * stIm + phIm * stRe;
                        phRe = t;
                    } else {
                        phRe = Math.cos(-2 * Math.PI * dw * k);
                        phIm = Math.sin(-2 * Math.PI * dw * k);
                    }
                }
                if (ixc - half < 0 || ixc + half >= n || iyc - half < 0 || iyc + half >= n) {
                    continue;
                }
                int base = (b * nChan + c) * vis.nPol();
                double sr = 0, si = 0, sw = 0;
                for (int p = 0; p < hands; p++) {
                    float wp = vwt[base + p];
                    if (!fl[base + p] && wp > 0) {
                        sr += wp * vre[base + p];
                        si += wp * vim[base + p];
                        sw += wp;
                    }
                }
                if (sw <= 0) {
                    continue;
                }
                double vr = sr / sw, vi = si / sw;
                double r = vr * phRe - vi * phIm;
                double i = vr * phIm + vi * phRe;
                int o = b * nChan + c;
                s.re[o] = (float) r;
                s.im[o] = (float) (sign * i); // folded samples are conjugated
                s.wt[o] = (float) sw;
                s.k[o] = (float) k;
            }
        });
        if (averagingCells > 0) {
            new SampleAveraging(s, uv, vis.ant1(), vis.ant2(), folded, du, averagingCells).run();
        }
        return s;
    }

    /**
     * Grids with w' = w − a·u − b·v from now on ({@link WPlaneFit}): rows whose w' is negative are refolded to their
     * Hermitian mirror (u, v, w and w' negated, values conjugated), so w' ≥ 0 as the w-layers expect. After
     * averaging (the mirror of a merged row is the merged mirror), before weighting (Briggs density counts both).
     * w' is a small residual whose sign changes often along a baseline's track, so the refolded rows would jump
     * between the two halves of the uv plane from one integration to the next; each baseline's rows in
     * {@link #order} are therefore regrouped, the unchanged ones first and then the refolded ones (each in time
     * order), which keeps the gridding's cache reuse.
     */
    void applyPlaneFit(WPlaneFit fit, int[] ant1, int[] ant2) {
        if (!fit.active()) {
            wGrid = w;
            return;
        }
        double[] wp = new double[nBlt];
        boolean[] refolded = new boolean[nBlt];
        IntStream.range(0, nBlt).parallel().forEach(b -> {
            double r = fit.residual(u[b], v[b], w[b]);
            if (r < 0) {
                u[b] = -u[b];
                v[b] = -v[b];
                w[b] = -w[b];
                r = -r;
                refolded[b] = true;
                for (int o = b * nChan; o < (b + 1) * nChan; o++) {
                    im[o] = -im[o];
                }
            }
            wp[b] = r;
        });
        wGrid = wp;
        int[] tmp = new int[order.length];
        for (int i = 0; i < order.length; ) {
            int first = order[i], j = i;
            while (j < order.length && ant1[order[j]] == ant1[first] && ant2[order[j]] == ant2[first]) {
                j++;
            }
            int k = 0;
            for (int t = i; t < j; t++) {
                if (!refolded[order[t]]) {
                    tmp[k++] = order[t];
                }
            }
            for (int t = i; t < j; t++) {
                if (refolded[order[t]]) {
                    tmp[k++] = order[t];
                }
            }
            System.arraycopy(tmp, 0, order, i, j - i);
            i = j;
        }
    }

    /**
     * Briggs (1995) weighting in place: with W_k the sum of natural weights in uv cell k (a sample and its Hermitian
     * mirror both count), f² = (5·10^−R)² / (Σ_k W_k² / Σ_i w_i) and w_i ← w_i / (1 + W_k(i)·f²).
     */
    void briggs(double robust, int n, double du) {
        float[] density = new float[n * n];
        double sumW = 0;
        for (int b = 0; b < nBlt; b++) {
            for (int c = 0; c < nChan; c++) {
                float ww = wt[b * nChan + c];
                if (ww > 0) {
                    density[cell(b, c, n, du)] += ww;
                    sumW += ww;
                }
            }
        }
        symmetrise(density, n);
        double sumD2 = 0;
        for (float d : density) {
            sumD2 += (double) d * d;
        }
        double r = 5.0 * Math.pow(10.0, -robust);
        // Σ over the Hermitian-completed plane; every natural weight appears twice in it
        double f2 = sumD2 > 0 ? r * r / (sumD2 / (2.0 * sumW)) : 0;
        IntStream.range(0, nBlt).parallel().forEach(b -> {
            for (int c = 0; c < nChan; c++) {
                int o = b * nChan + c;
                if (wt[o] > 0) {
                    wt[o] = (float) (wt[o] / (1.0 + density[cell(b, c, n, du)] * f2));
                }
            }
        });
    }

    private int cell(int b, int c, int n, double du) {
        double kk = k[b * nChan + c];
        int iy = (int) Math.round(n / 2 + v[b] * kk / du);
        int ix = (int) Math.round(n / 2 - u[b] * kk / du);
        return iy * n + ix;
    }

    /** Σ w, Σ w·ν, Σ w², count over the gridded samples (after weighting). */
    void totals() {
        double sw = 0, swf = 0, sw2 = 0;
        long count = 0;
        for (int b = 0; b < nBlt; b++) {
            for (int c = 0; c < nChan; c++) {
                double ww = wt[b * nChan + c];
                if (ww > 0) {
                    sw += ww;
                    swf += ww * k[b * nChan + c] * PrimaryBeam.SPEED_OF_LIGHT;
                    sw2 += ww * ww;
                    count++;
                }
            }
        }
        sumWeights = sw;
        sumWeightedFreq = swf;
        sumSquaredWeights = sw2;
        samples = count;
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

    /** Whether blt b's samples (over all channels, ± margin rows) can touch grid rows [r0, r1). */
    boolean rowRangeOverlaps(int b, int n, double du, int margin, int r0, int r1) {
        double a = n / 2 + v[b] * kMin / du;
        double c = n / 2 + v[b] * kMax / du;
        double lo = Math.min(a, c) - margin - 1;
        double hi = Math.max(a, c) + margin + 1;
        return hi >= r0 && lo < r1;
    }
}
