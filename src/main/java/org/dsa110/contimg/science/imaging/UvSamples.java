package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.radio.Baselines;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/** Per-blt (u, v) for the image phase centre and w_new − w_old (metres); channel wave numbers ν/c. */
final class UvSamples {
    final double[] u;
    final double[] v;
    final double[] dw;
    final boolean[] valid;
    final double[] waveNumber;
    final double kMin;
    final double kMax;
    /**
     * The blts baseline by baseline, in blt (time) order within each (a stable sort on ant1, ant2): consecutive
     * blts of one baseline fall on nearly the same grid cells, so gridding in this order reuses cached grid rows.
     */
    final int[] order;
    /** Wave-number step between channels, and whether every step is that (within 1e-6 of it). */
    final double waveStep;
    final boolean uniform;

    private UvSamples(int nBlt, double[] freq, int[] order) {
        this.order = order;
        u = new double[nBlt];
        v = new double[nBlt];
        dw = new double[nBlt];
        valid = new boolean[nBlt];
        waveNumber = new double[freq.length];
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int c = 0; c < freq.length; c++) {
            waveNumber[c] = freq[c] / PrimaryBeam.SPEED_OF_LIGHT;
            lo = Math.min(lo, waveNumber[c]);
            hi = Math.max(hi, waveNumber[c]);
        }
        kMin = lo;
        kMax = hi;
        waveStep = freq.length > 1 ? waveNumber[1] - waveNumber[0] : 0;
        boolean u = true;
        for (int c = 2; c < freq.length; c++) {
            u &= Math.abs(waveNumber[c] - waveNumber[c - 1] - waveStep) <= 1e-6 * Math.abs(waveStep);
        }
        uniform = u;
    }

    static UvSamples prepare(Visibilities vis, double ra, double dec) {
        int[] a1 = vis.ant1(), a2 = vis.ant2();
        int[] order = java.util.stream.IntStream.range(0, vis.nBlt()).boxed()
            .sorted(java.util.Comparator.<Integer>comparingInt(b -> a1[b]).thenComparingInt(b -> a2[b]))
            .mapToInt(Integer::intValue).toArray();
        UvSamples s = new UvSamples(vis.nBlt(), vis.freqHz(), order);
        double lastRa = Double.NaN, lastDec = Double.NaN;
        double[][] m = null;
        for (int b = 0; b < vis.nBlt(); b++) {
            s.valid[b] = vis.ant1()[b] != vis.ant2()[b];
            double u = vis.uvw()[3 * b], v = vis.uvw()[3 * b + 1], w = vis.uvw()[3 * b + 2];
            double pra = vis.phaseCentreRa()[b], pdec = vis.phaseCentreDec()[b];
            if (pra == ra && pdec == dec) {
                s.u[b] = u;
                s.v[b] = v;
                continue;
            }
            if (m == null || pra != lastRa || pdec != lastDec) {
                m = Baselines.rephaseMatrix(pra, pdec, ra, dec);
                lastRa = pra;
                lastDec = pdec;
            }
            s.u[b] = m[0][0] * u + m[0][1] * v + m[0][2] * w;
            s.v[b] = m[1][0] * u + m[1][1] * v + m[1][2] * w;
            s.dw[b] = m[2][0] * u + m[2][1] * v + m[2][2] * w - w;
        }
        return s;
    }
}
