package org.dsa110.contimg.science.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-antenna, per-channel complex bandpass (solint = inf), normalised so that the mean amplitude over an antenna's
 * unflagged channels is 1. The removed per-antenna factor is kept in {@link #amplitudeScale} so the full gain is
 * {@code amplitudeScale[a] · bandpass(a, chan)}; {@link GainSolution} carries it forward as its amplitude.
 * Arrays are indexed {@code [antIndex · nChan + chan]}; antennas are station numbers in {@link #antennas}.
 */
public final class BandpassSolution {

    private final int[] antennas;
    private final double[] freqHz;
    private final float[] re;
    private final float[] im;
    private final float[] snr;
    private final boolean[] flagged;
    private final double[] amplitudeScale;
    private final int[] refAntenna;

    BandpassSolution(int[] antennas, double[] freqHz, float[] re, float[] im, float[] snr, boolean[] flagged,
                     double[] amplitudeScale, int[] refAntenna) {
        this.antennas = antennas;
        this.freqHz = freqHz;
        this.re = re;
        this.im = im;
        this.snr = snr;
        this.flagged = flagged;
        this.amplitudeScale = amplitudeScale;
        this.refAntenna = refAntenna;
    }

    /**
     * A bandpass read back from a stored table (arrays indexed {@code [antIndex · nChan + chan]}, antennas sorted
     * ascending); the arrays are copied.
     */
    public static BandpassSolution of(int[] antennas, double[] freqHz, float[] re, float[] im, float[] snr,
                                      boolean[] flagged, double[] amplitudeScale, int[] refAntenna) {
        int n = antennas.length * freqHz.length;
        if (re.length != n || im.length != n || snr.length != n || flagged.length != n
            || amplitudeScale.length != antennas.length || refAntenna.length != freqHz.length) {
            throw new IllegalArgumentException("bandpass table arrays have inconsistent lengths");
        }
        for (int i = 1; i < antennas.length; i++) {
            if (antennas[i] <= antennas[i - 1]) {
                throw new IllegalArgumentException("antennas must be sorted ascending");
            }
        }
        return new BandpassSolution(antennas.clone(), freqHz.clone(), re.clone(), im.clone(), snr.clone(),
            flagged.clone(), amplitudeScale.clone(), refAntenna.clone());
    }

    /** One row of the bandpass table. Phase in degrees, amplitude normalised. */
    public record Entry(int antenna, int channel, double freqHz, double amplitude, double phaseDeg, double snr,
                        boolean flagged) {
    }

    public int[] antennas() {
        return antennas.clone();
    }

    public double[] freqHz() {
        return freqHz.clone();
    }

    public int nChan() {
        return freqHz.length;
    }

    /** Index of a station number in {@link #antennas}, or −1. */
    public int antennaIndex(int antenna) {
        int i = java.util.Arrays.binarySearch(antennas, antenna);
        return i >= 0 ? i : -1;
    }

    public double amplitude(int antIndex, int chan) {
        int i = antIndex * freqHz.length + chan;
        return Math.hypot(re[i], im[i]);
    }

    public double phaseDeg(int antIndex, int chan) {
        int i = antIndex * freqHz.length + chan;
        return Math.toDegrees(Math.atan2(im[i], re[i]));
    }

    public double real(int antIndex, int chan) {
        return re[antIndex * freqHz.length + chan];
    }

    public double imag(int antIndex, int chan) {
        return im[antIndex * freqHz.length + chan];
    }

    public double snr(int antIndex, int chan) {
        return snr[antIndex * freqHz.length + chan];
    }

    public boolean isFlagged(int antIndex, int chan) {
        return flagged[antIndex * freqHz.length + chan];
    }

    /** Mean |g| over the antenna's unflagged channels before normalisation (NaN if fully flagged). */
    public double amplitudeScale(int antIndex) {
        return amplitudeScale[antIndex];
    }

    /** Reference antenna used in each channel (−1 if nothing could be solved). */
    public int refAntenna(int chan) {
        return refAntenna[chan];
    }

    /** Fraction of flagged antenna × channel solutions. */
    public double flaggedFraction() {
        int k = 0;
        for (boolean f : flagged) {
            k += f ? 1 : 0;
        }
        return flagged.length == 0 ? 1.0 : (double) k / flagged.length;
    }

    /** Table rows, antenna-major. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(flagged.length);
        for (int a = 0; a < antennas.length; a++) {
            for (int c = 0; c < freqHz.length; c++) {
                out.add(new Entry(antennas[a], c, freqHz[c], amplitude(a, c), phaseDeg(a, c), snr(a, c),
                    isFlagged(a, c)));
            }
        }
        return out;
    }
}
