package org.dsa110.contimg.science.calibration;

import java.util.Arrays;

/**
 * Sufficient statistics for per-antenna scalar gains over one solution interval, and the StEFCal solver on them.
 *
 * <p>For the model V_pq ≈ g_p·M_pq·conj(g_q), accumulated over all samples of the interval with weights w:
 * A_pq = Σ w·V_pq·conj(M_pq), B_pq = Σ w·|M_pq|², C_pq = Σ w·|V_pq|², n_pq = sample count. Because g is constant
 * within the interval, the least-squares update of one antenna needs only these sums:
 * g_p ← Σ_q g_q·A_pq / Σ_q |g_q|²·B_pq (StEFCal, Salvini &amp; Wijnholds 2014, with their averaging of every
 * second iterate). Matrices are stored full (A Hermitian, B/C/n symmetric).
 */
final class NormalEquations {

    final int nAnt;
    final double[] aRe;
    final double[] aIm;
    final double[] b;
    final double[] c;
    final int[] n;

    NormalEquations(int nAnt) {
        this.nAnt = nAnt;
        aRe = new double[nAnt * nAnt];
        aIm = new double[nAnt * nAnt];
        b = new double[nAnt * nAnt];
        c = new double[nAnt * nAnt];
        n = new int[nAnt * nAnt];
    }

    /** Adds one sample of baseline (p, q), p ≠ q: data v, model m, weight w. */
    void add(int p, int q, double vRe, double vIm, double mRe, double mIm, double w) {
        // V·conj(M)
        double xr = w * (vRe * mRe + vIm * mIm);
        double xi = w * (vIm * mRe - vRe * mIm);
        addSums(p, q, xr, xi, w * (mRe * mRe + mIm * mIm), w * (vRe * vRe + vIm * vIm), 1);
    }

    /** Adds pre-summed statistics of baseline (p, q), p ≠ q: Σ w·V·conj(M), Σ w·|M|², Σ w·|V|², count. */
    void addSums(int p, int q, double sumRe, double sumIm, double sumMm, double sumVv, int count) {
        int pq = p * nAnt + q;
        int qp = q * nAnt + p;
        aRe[pq] += sumRe;
        aIm[pq] += sumIm;
        aRe[qp] += sumRe;
        aIm[qp] -= sumIm;
        b[pq] += sumMm;
        b[qp] += sumMm;
        c[pq] += sumVv;
        c[qp] += sumVv;
        n[pq] += count;
        n[qp] += count;
    }

    /** Number of baselines of antenna p with data and non-zero model power. */
    int baselineCount(int p, boolean[] excluded) {
        int k = 0;
        for (int q = 0; q < nAnt; q++) {
            if (q != p && !excluded[q] && n[p * nAnt + q] > 0 && b[p * nAnt + q] > 0) {
                k++;
            }
        }
        return k;
    }

    /**
     * StEFCal iterations. {@code g} holds interleaved (re, im) start values and receives the solution; excluded
     * antennas are ignored and set to 0.
     *
     * @param phaseOnly project each update onto the unit circle
     * @return iterations used
     */
    int solve(double[] g, boolean[] excluded, boolean phaseOnly, int maxIter, double tolerance) {
        double[] next = new double[2 * nAnt];
        for (int p = 0; p < nAnt; p++) {
            if (excluded[p]) {
                g[2 * p] = 0;
                g[2 * p + 1] = 0;
            }
        }
        for (int it = 1; it <= maxIter; it++) {
            for (int p = 0; p < nAnt; p++) {
                if (excluded[p]) {
                    continue;
                }
                double numRe = 0, numIm = 0, den = 0;
                int row = p * nAnt;
                for (int q = 0; q < nAnt; q++) {
                    if (q == p || excluded[q]) {
                        continue;
                    }
                    double gr = g[2 * q], gi = g[2 * q + 1];
                    double ar = aRe[row + q], ai = aIm[row + q];
                    numRe += gr * ar - gi * ai;
                    numIm += gr * ai + gi * ar;
                    den += (gr * gr + gi * gi) * b[row + q];
                }
                double nr = den > 0 ? numRe / den : 0;
                double ni = den > 0 ? numIm / den : 0;
                if (phaseOnly) {
                    double amp = Math.hypot(nr, ni);
                    nr = amp > 0 ? nr / amp : 1;
                    ni = amp > 0 ? ni / amp : 0;
                }
                next[2 * p] = nr;
                next[2 * p + 1] = ni;
            }
            if (it % 2 == 0) {
                // averaging every other iterate suppresses StEFCal's oscillation
                for (int i = 0; i < next.length; i++) {
                    next[i] = 0.5 * (next[i] + g[i]);
                }
                if (phaseOnly) {
                    for (int p = 0; p < nAnt; p++) {
                        double amp = Math.hypot(next[2 * p], next[2 * p + 1]);
                        if (amp > 0) {
                            next[2 * p] /= amp;
                            next[2 * p + 1] /= amp;
                        }
                    }
                }
            }
            double diff = 0, norm = 0;
            for (int p = 0; p < nAnt; p++) {
                if (excluded[p]) {
                    continue;
                }
                double dr = next[2 * p] - g[2 * p], di = next[2 * p + 1] - g[2 * p + 1];
                diff += dr * dr + di * di;
                norm += next[2 * p] * next[2 * p] + next[2 * p + 1] * next[2 * p + 1];
            }
            System.arraycopy(next, 0, g, 0, g.length);
            if (norm > 0 && Math.sqrt(diff / norm) < tolerance) {
                return it;
            }
        }
        return maxIter;
    }

    /**
     * Per-antenna S/N of the solution |g_p| / σ(g_p), with the sample variance estimated from the weighted residual
     * scatter of p's baselines, σ² = Σ_q Σ w|V − g_p M conj(g_q)|² / Σ_q n_pq, and the least-squares variance
     * σ²(g_p) = σ² / Σ_q |g_q|² B_pq. Capped at {@code cap} (noise-free data).
     */
    double[] snr(double[] g, boolean[] excluded, double cap) {
        double[] out = new double[nAnt];
        Arrays.fill(out, 0.0);
        for (int p = 0; p < nAnt; p++) {
            if (excluded[p]) {
                continue;
            }
            double resid = 0, den = 0;
            long count = 0;
            int row = p * nAnt;
            double gpr = g[2 * p], gpi = g[2 * p + 1];
            for (int q = 0; q < nAnt; q++) {
                if (q == p || excluded[q] || n[row + q] == 0) {
                    continue;
                }
                double gqr = g[2 * q], gqi = g[2 * q + 1];
                // G = g_p · conj(g_q)
                double gr = gpr * gqr + gpi * gqi;
                double gi = gpi * gqr - gpr * gqi;
                double g2 = gr * gr + gi * gi;
                // Σ w|V − G M|² = C − 2 Re(conj(G)·A) + |G|² B
                resid += c[row + q] - 2 * (gr * aRe[row + q] + gi * aIm[row + q]) + g2 * b[row + q];
                den += (gqr * gqr + gqi * gqi) * b[row + q];
                count += n[row + q];
            }
            if (count == 0 || den <= 0) {
                continue;
            }
            double sigma2 = Math.max(resid, 0) / count;
            double var = sigma2 / den;
            double amp = Math.hypot(gpr, gpi);
            out[p] = var > 0 ? Math.min(cap, amp / Math.sqrt(var)) : cap;
        }
        return out;
    }
}
