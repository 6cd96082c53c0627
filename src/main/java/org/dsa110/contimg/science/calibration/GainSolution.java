package org.dsa110.contimg.science.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-antenna, per-time-chunk complex gains (frequency independent). The phase is solved per chunk (phase-only
 * StEFCal on bandpass-corrected data); the amplitude is the antenna's bandpass normalisation factor
 * ({@link BandpassSolution#amplitudeScale}), so bandpass × gain reproduces the full antenna gain. Arrays are indexed
 * {@code [antIndex · nChunks + chunk]}.
 */
public final class GainSolution {

    private final int[] antennas;
    private final double[] chunkStartJd;
    private final double[] chunkEndJd;
    private final float[] amplitude;
    private final float[] phaseRad;
    private final float[] snr;
    private final boolean[] flagged;
    private final int[] refAntenna;

    GainSolution(int[] antennas, double[] chunkStartJd, double[] chunkEndJd, float[] amplitude, float[] phaseRad,
                 float[] snr, boolean[] flagged, int[] refAntenna) {
        this.antennas = antennas;
        this.chunkStartJd = chunkStartJd;
        this.chunkEndJd = chunkEndJd;
        this.amplitude = amplitude;
        this.phaseRad = phaseRad;
        this.snr = snr;
        this.flagged = flagged;
        this.refAntenna = refAntenna;
    }

    /**
     * Gains read back from a stored table (arrays indexed {@code [antIndex · nChunks + chunk]}, antennas sorted
     * ascending, phases in radians); the arrays are copied.
     */
    public static GainSolution of(int[] antennas, double[] chunkStartJd, double[] chunkEndJd, float[] amplitude,
                                  float[] phaseRad, float[] snr, boolean[] flagged, int[] refAntenna) {
        int n = antennas.length * chunkStartJd.length;
        if (chunkEndJd.length != chunkStartJd.length || amplitude.length != n || phaseRad.length != n
            || snr.length != n || flagged.length != n || refAntenna.length != chunkStartJd.length) {
            throw new IllegalArgumentException("gain table arrays have inconsistent lengths");
        }
        for (int i = 1; i < antennas.length; i++) {
            if (antennas[i] <= antennas[i - 1]) {
                throw new IllegalArgumentException("antennas must be sorted ascending");
            }
        }
        return new GainSolution(antennas.clone(), chunkStartJd.clone(), chunkEndJd.clone(), amplitude.clone(),
            phaseRad.clone(), snr.clone(), flagged.clone(), refAntenna.clone());
    }

    /** One row of the gain table: chunk times are JD of the first/last sample in the chunk. */
    public record Entry(int antenna, int chunk, double startJd, double endJd, double amplitude, double phaseDeg,
                        double snr, boolean flagged) {
    }

    public int[] antennas() {
        return antennas.clone();
    }

    public int nChunks() {
        return chunkStartJd.length;
    }

    public int antennaIndex(int antenna) {
        int i = java.util.Arrays.binarySearch(antennas, antenna);
        return i >= 0 ? i : -1;
    }

    /** Chunk containing {@code jd}; times outside all chunks map to the nearest chunk. */
    public int chunkOf(double jd) {
        int best = 0;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int k = 0; k < chunkStartJd.length; k++) {
            if (jd >= chunkStartJd[k] && jd <= chunkEndJd[k]) {
                return k;
            }
            double d = Math.min(Math.abs(jd - chunkStartJd[k]), Math.abs(jd - chunkEndJd[k]));
            if (d < bestDist) {
                bestDist = d;
                best = k;
            }
        }
        return best;
    }

    public double chunkStartJd(int chunk) {
        return chunkStartJd[chunk];
    }

    public double chunkEndJd(int chunk) {
        return chunkEndJd[chunk];
    }

    public double amplitude(int antIndex, int chunk) {
        return amplitude[antIndex * nChunks() + chunk];
    }

    public double phaseDeg(int antIndex, int chunk) {
        return Math.toDegrees(phaseRad[antIndex * nChunks() + chunk]);
    }

    public double snr(int antIndex, int chunk) {
        return snr[antIndex * nChunks() + chunk];
    }

    public boolean isFlagged(int antIndex, int chunk) {
        return flagged[antIndex * nChunks() + chunk];
    }

    public int refAntenna(int chunk) {
        return refAntenna[chunk];
    }

    public double flaggedFraction() {
        int k = 0;
        for (boolean f : flagged) {
            k += f ? 1 : 0;
        }
        return flagged.length == 0 ? 1.0 : (double) k / flagged.length;
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(flagged.length);
        for (int a = 0; a < antennas.length; a++) {
            for (int k = 0; k < nChunks(); k++) {
                out.add(new Entry(antennas[a], k, chunkStartJd[k], chunkEndJd[k], amplitude(a, k), phaseDeg(a, k),
                    snr(a, k), isFlagged(a, k)));
            }
        }
        return out;
    }
}
