package org.dsa110.contimg.science.radio;

import java.util.Arrays;

/**
 * In-memory visibility block in the UVH5 ("baseline-time") layout, plain primitive arrays only.
 *
 * <p>Sample index: {@code ((blt · nChan) + chan) · nPol + pol} for {@link #re}, {@link #im}, {@link #weight} and
 * {@link #flag}. Polarisations are linear products in the order XX, YY (, XY, YX); for an unpolarised source
 * XX = YY = I (pyuvdata convention I = (XX + YY)/2). {@code uvw} is [blt·3] metres, {@code uvw = x(ant2) − x(ant1)}
 * (pyuvdata/CASA). Phase centre (radians) is per blt so drift scans (RA = LST(t)) are represented directly; the
 * phase-centre frame and the sky-model frame must be the same (see {@link DriftScan}). Antennas are identified by
 * station number.
 *
 * <p>Visibility convention used throughout the hub (docs/conventions.md), that of pyuvdata, the Measurement Set and
 * WSClean: V_12 = g_1·conj(g_2)·Σ S·exp(+2πi(u·l + v·m + w·(n − 1))/λ) with uvw = x(ant2) − x(ant1).
 * Arrays are shared, not copied: the record is a view of mutable buffers.
 */
public record Visibilities(int nBlt, int nChan, int nPol, double[] timeJd, int[] ant1, int[] ant2, double[] uvw,
                           double[] phaseCentreRa, double[] phaseCentreDec, double[] freqHz,
                           float[] re, float[] im, float[] weight, boolean[] flag) {

    public Visibilities {
        long n = (long) nBlt * nChan * nPol;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("visibility block too large for one array: " + n);
        }
        check(timeJd.length == nBlt && ant1.length == nBlt && ant2.length == nBlt, "per-blt array length");
        check(uvw.length == 3 * nBlt, "uvw length");
        check(phaseCentreRa.length == nBlt && phaseCentreDec.length == nBlt, "phase centre length");
        check(freqHz.length == nChan, "freq length");
        check(re.length == n && im.length == n && weight.length == n && flag.length == n, "sample array length");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("inconsistent " + what);
        }
    }

    /** Zero visibilities, unit weights, nothing flagged. */
    public static Visibilities allocate(double[] timeJd, int[] ant1, int[] ant2, double[] uvw, double[] phaseCentreRa,
                                        double[] phaseCentreDec, double[] freqHz, int nPol) {
        int n = timeJd.length * freqHz.length * nPol;
        float[] w = new float[n];
        Arrays.fill(w, 1f);
        return new Visibilities(timeJd.length, freqHz.length, nPol, timeJd, ant1, ant2, uvw, phaseCentreRa,
            phaseCentreDec, freqHz, new float[n], new float[n], w, new boolean[n]);
    }

    /** Same metadata, fresh zeroed sample buffers (unit weights, no flags). */
    public Visibilities emptyCopy() {
        return allocate(timeJd, ant1, ant2, uvw, phaseCentreRa, phaseCentreDec, freqHz, nPol);
    }

    /** Deep copy of the sample buffers (metadata arrays shared). */
    public Visibilities copy() {
        return new Visibilities(nBlt, nChan, nPol, timeJd, ant1, ant2, uvw, phaseCentreRa, phaseCentreDec, freqHz,
            re.clone(), im.clone(), weight.clone(), flag.clone());
    }

    public int index(int blt, int chan, int pol) {
        return (blt * nChan + chan) * nPol + pol;
    }

    /**
     * Stokes I of sample (blt, chan) from the parallel hands: I = Σ_p w_p·V_p / Σ_p w_p over the unflagged XX/YY
     * products (pol 0 only when nPol = 1), which equals (XX + YY)/2 for equal weights. Writes {re, im, weight}
     * into {@code out}; returns false (and weight 0) when both hands are flagged or have zero weight.
     */
    public boolean stokesI(int blt, int chan, double[] out) {
        int base = index(blt, chan, 0);
        int hands = Math.min(nPol, 2);
        double sr = 0, si = 0, sw = 0;
        for (int p = 0; p < hands; p++) {
            float w = weight[base + p];
            if (!flag[base + p] && w > 0) {
                sr += w * re[base + p];
                si += w * im[base + p];
                sw += w;
            }
        }
        if (sw <= 0) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            return false;
        }
        out[0] = sr / sw;
        out[1] = si / sw;
        out[2] = sw;
        return true;
    }

    /** Sorted distinct times (JD). */
    public double[] uniqueTimes() {
        return Arrays.stream(timeJd).distinct().sorted().toArray();
    }

    /** Sorted distinct antenna (station) numbers appearing in ant1/ant2. */
    public int[] antennaNumbers() {
        return java.util.stream.IntStream.concat(Arrays.stream(ant1), Arrays.stream(ant2)).distinct().sorted().toArray();
    }
}
