package org.dsa110.contimg.pipeline.builtin;

import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;

/** Sub-selections of a visibility set (copies of the selected baseline-times, unless all are selected). */
final class VisibilitySelection {
    private VisibilitySelection() {
    }

    /** The baseline-times of the given fields (the block itself, not a copy, when that is all of them). */
    static Visibilities fields(UvfitsData d, int[] fields) {
        boolean[] want = new boolean[d.nFields()];
        for (int f : fields) {
            want[f] = true;
        }
        Visibilities v = d.vis();
        int n = 0;
        for (int b = 0; b < v.nBlt(); b++) {
            if (want[d.bltField()[b]]) {
                n++;
            }
        }
        if (n == v.nBlt()) {
            return v;
        }
        int per = v.nChan() * v.nPol();
        double[] t = new double[n];
        int[] a1 = new int[n];
        int[] a2 = new int[n];
        double[] uvw = new double[3 * n];
        double[] ra = new double[n];
        double[] dec = new double[n];
        float[] re = new float[n * per];
        float[] im = new float[n * per];
        float[] w = new float[n * per];
        boolean[] fl = new boolean[n * per];
        int k = 0;
        for (int b = 0; b < v.nBlt(); b++) {
            if (!want[d.bltField()[b]]) {
                continue;
            }
            t[k] = v.timeJd()[b];
            a1[k] = v.ant1()[b];
            a2[k] = v.ant2()[b];
            System.arraycopy(v.uvw(), 3 * b, uvw, 3 * k, 3);
            ra[k] = v.phaseCentreRa()[b];
            dec[k] = v.phaseCentreDec()[b];
            System.arraycopy(v.re(), b * per, re, k * per, per);
            System.arraycopy(v.im(), b * per, im, k * per, per);
            System.arraycopy(v.weight(), b * per, w, k * per, per);
            System.arraycopy(v.flag(), b * per, fl, k * per, per);
            k++;
        }
        return new Visibilities(n, v.nChan(), v.nPol(), t, a1, a2, uvw, ra, dec, v.freqHz(), re, im, w, fl);
    }

    /** Pointing (beam centre) {ra[], dec[]} of the baseline-times {@link #fields} selects, in the same order. */
    static double[][] pointing(UvfitsData d, int[] fields) {
        boolean[] want = new boolean[d.nFields()];
        for (int f : fields) {
            want[f] = true;
        }
        double[][] all = d.bltPointing();
        int n = 0;
        for (int b = 0; b < d.bltField().length; b++) {
            n += want[d.bltField()[b]] ? 1 : 0;
        }
        double[][] out = new double[2][n];
        int k = 0;
        for (int b = 0; b < d.bltField().length; b++) {
            if (want[d.bltField()[b]]) {
                out[0][k] = all[0][b];
                out[1][k++] = all[1][b];
            }
        }
        return out;
    }
}
