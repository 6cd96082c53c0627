package org.dsa110.contimg.science.calibration;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.StokesIModel;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Per baseline and channel, the sums over the selected baseline-times of the Stokes I data V, model M and weight w
 * that the gain least-squares problem needs when the gains are constant over those times:
 * A = Σ w·V·conj(M), B = Σ w·|M|², C = Σ w·|V|², n = sample count (Σ_t |V − g_p·M·conj(g_q)|² expands into
 * these exactly). One pass over the data, baselines in parallel (each baseline owns its slots, so the summation
 * order is fixed and the result reproducible); the model is computed per blt as it is needed.
 * Arrays are indexed {@code [baseline · nChan + chan]}; autocorrelations and blts with an antenna outside
 * {@code antennas} are left out.
 */
final class BaselineSums {
    final int nChan;
    /** Antenna indices (into the solver's antenna list) of each baseline. */
    final int[] p;
    final int[] q;
    final double[] aRe;
    final double[] aIm;
    final double[] b;
    final double[] c;
    final int[] n;

    private BaselineSums(int nBl, int nChan, int[] p, int[] q) {
        this.nChan = nChan;
        this.p = p;
        this.q = q;
        int size = nBl * nChan;
        aRe = new double[size];
        aIm = new double[size];
        b = new double[size];
        c = new double[size];
        n = new int[size];
    }

    int nBaselines() {
        return p.length;
    }

    /** Sums over the blts for which {@code use} holds. */
    static BaselineSums accumulate(Visibilities data, StokesIModel model, int[] antennas, IntPredicate use) {
        int nAnt = antennas.length;
        int nBlt = data.nBlt();
        // baseline index per (p, q) and the blts of each baseline, in blt order
        int[] slot = new int[nAnt * nAnt];
        Arrays.fill(slot, -1);
        int[] bltBaseline = new int[nBlt];
        int[] count = new int[nAnt * nAnt];
        int nBl = 0;
        int[] pp = new int[count.length];
        int[] qq = new int[count.length];
        for (int t = 0; t < nBlt; t++) {
            int i = Arrays.binarySearch(antennas, data.ant1()[t]);
            int j = Arrays.binarySearch(antennas, data.ant2()[t]);
            if (i < 0 || j < 0 || i == j || !use.test(t)) {
                bltBaseline[t] = -1;
                continue;
            }
            int key = i * nAnt + j;
            if (slot[key] < 0) {
                slot[key] = nBl;
                pp[nBl] = i;
                qq[nBl] = j;
                nBl++;
            }
            bltBaseline[t] = slot[key];
            count[slot[key]]++;
        }
        int[] start = new int[nBl + 1];
        for (int k = 0; k < nBl; k++) {
            start[k + 1] = start[k] + count[k];
        }
        int[] fill = Arrays.copyOf(start, nBl);
        int[] blts = new int[start[nBl]];
        for (int t = 0; t < nBlt; t++) {
            if (bltBaseline[t] >= 0) {
                blts[fill[bltBaseline[t]]++] = t;
            }
        }
        BaselineSums s = new BaselineSums(nBl, data.nChan(), Arrays.copyOf(pp, nBl), Arrays.copyOf(qq, nBl));
        IntStream.range(0, nBl).parallel().forEach(k -> s.addBaseline(data, model, k, blts, start[k], start[k + 1]));
        return s;
    }

    private void addBaseline(Visibilities data, StokesIModel model, int k, int[] blts, int from, int to) {
        double[] mRe = new double[nChan];
        double[] mIm = new double[nChan];
        int nPol = data.nPol();
        int hands = Math.min(nPol, 2);
        float[] re = data.re(), im = data.im(), wt = data.weight();
        boolean[] fl = data.flag();
        int row = k * nChan;
        for (int i = from; i < to; i++) {
            int t = blts[i];
            model.stokesI(t, mRe, mIm);
            for (int ch = 0; ch < nChan; ch++) {
                double mr = mRe[ch], mi = mIm[ch];
                if (Double.isNaN(mr)) {
                    continue;
                }
                // Stokes I of the data: weighted mean of the unflagged parallel hands (Visibilities.stokesI)
                int base = (t * nChan + ch) * nPol;
                double sr = 0, si = 0, sw = 0;
                for (int h = 0; h < hands; h++) {
                    float w = wt[base + h];
                    if (!fl[base + h] && w > 0) {
                        sr += w * re[base + h];
                        si += w * im[base + h];
                        sw += w;
                    }
                }
                if (sw <= 0) {
                    continue;
                }
                double vr = sr / sw, vi = si / sw;
                int o = row + ch;
                aRe[o] += sw * (vr * mr + vi * mi);
                aIm[o] += sw * (vi * mr - vr * mi);
                b[o] += sw * (mr * mr + mi * mi);
                c[o] += sw * (vr * vr + vi * vi);
                n[o]++;
            }
        }
    }
}
