package org.dsa110.contimg.science.calibration;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Per-antenna scalar gain calibration against a model (science.md "Calibration (built-in)"):
 * <ol>
 *   <li>{@link #solveBandpass}: complex gain per antenna and channel with solint = inf (all times of the data in
 *       one interval), then normalised to mean amplitude 1 per antenna;</li>
 *   <li>{@link #solvePhaseGains}: phase-only gain per antenna and time chunk, all channels combined, on data
 *       corrected by the (un-normalised) bandpass.</li>
 * </ol>
 * Both use Stokes I (see {@link Visibilities#stokesI}) of data and model, and StEFCal on per-interval normal
 * equations ({@link NormalEquations}). In each interval: antennas with fewer than {@code minBaselines} baselines are
 * flagged; after a first solve antennas with S/N &lt; {@code minSnr} are flagged and the rest re-solved without them;
 * the phase of the first unflagged antenna of the reference chain is set to 0 (if no chain antenna is usable, the
 * lowest-numbered unflagged antenna is used). Flagged solutions are reported as flagged with gain 0, never invented.
 *
 * <p>{@code model} must have the same shape and blt order as {@code data} (e.g. from
 * {@link org.dsa110.contimg.science.radio.VisibilityModel#predict} on {@link Visibilities#emptyCopy()}).
 */
public final class GainSolver {

    private final GainSolverOptions options;

    public GainSolver(GainSolverOptions options) {
        this.options = options;
    }

    public GainSolver() {
        this(GainSolverOptions.defaults());
    }

    /** Bandpass solve, channels in parallel. */
    public BandpassSolution solveBandpass(Visibilities data, Visibilities model) {
        checkShapes(data, model);
        int[] antennas = data.antennaNumbers();
        int nAnt = antennas.length;
        int nChan = data.nChan();
        int[] p1 = new int[data.nBlt()];
        int[] p2 = new int[data.nBlt()];
        mapAntennas(data, antennas, p1, p2);
        float[] re = new float[nAnt * nChan];
        float[] im = new float[nAnt * nChan];
        float[] snr = new float[nAnt * nChan];
        boolean[] flagged = new boolean[nAnt * nChan];
        int[] ref = new int[nChan];
        IntStream.range(0, nChan).parallel().forEach(c -> {
            NormalEquations eq = new NormalEquations(nAnt);
            double[] d = new double[3];
            double[] m = new double[3];
            for (int b = 0; b < data.nBlt(); b++) {
                if (p1[b] == p2[b] || !data.stokesI(b, c, d) || !model.stokesI(b, c, m)) {
                    continue;
                }
                eq.add(p1[b], p2[b], d[0], d[1], m[0], m[1], d[2]);
            }
            Interval sol = solveInterval(eq, antennas, false);
            ref[c] = sol.refAntenna;
            for (int a = 0; a < nAnt; a++) {
                int i = a * nChan + c;
                re[i] = (float) sol.g[2 * a];
                im[i] = (float) sol.g[2 * a + 1];
                snr[i] = (float) sol.snr[a];
                flagged[i] = sol.flagged[a];
            }
        });
        double[] scale = normalise(re, im, flagged, nAnt, nChan);
        return new BandpassSolution(antennas, data.freqHz().clone(), re, im, snr, flagged, scale, ref);
    }

    /**
     * Phase-only gains per time chunk of {@code solintSec} seconds (chunks start at the first time; every sample
     * whose time falls in [t0 + k·solint, t0 + (k+1)·solint) belongs to chunk k; empty chunks are dropped).
     */
    public GainSolution solvePhaseGains(Visibilities data, Visibilities model, BandpassSolution bandpass,
                                        double solintSec) {
        checkShapes(data, model);
        if (bandpass.nChan() != data.nChan()) {
            throw new IllegalArgumentException("bandpass has " + bandpass.nChan() + " channels, data " + data.nChan());
        }
        int[] antennas = data.antennaNumbers();
        int nAnt = antennas.length;
        int[] p1 = new int[data.nBlt()];
        int[] p2 = new int[data.nBlt()];
        mapAntennas(data, antennas, p1, p2);
        // bandpass index of each data antenna (−1 = no bandpass → flagged)
        int[] bpIndex = Arrays.stream(antennas).map(bandpass::antennaIndex).toArray();

        double[] times = data.uniqueTimes();
        double t0 = times[0];
        int[] chunkOfTime = new int[times.length];
        for (int t = 0; t < times.length; t++) {
            // tolerance of 1e-3 solint absorbs JD rounding (~40 µs) for samples exactly on a boundary
            chunkOfTime[t] = (int) Math.floor((times[t] - t0) * 86400.0 / solintSec + 1e-3);
        }
        int[] distinct = Arrays.stream(chunkOfTime).distinct().sorted().toArray();
        int nChunks = distinct.length;
        double[] start = new double[nChunks];
        double[] end = new double[nChunks];
        for (int k = 0; k < nChunks; k++) {
            int key = distinct[k];
            start[k] = IntStream.range(0, times.length).filter(t -> chunkOfTime[t] == key)
                .mapToDouble(t -> times[t]).min().orElseThrow();
            end[k] = IntStream.range(0, times.length).filter(t -> chunkOfTime[t] == key)
                .mapToDouble(t -> times[t]).max().orElseThrow();
        }
        float[] amp = new float[nAnt * nChunks];
        float[] phase = new float[nAnt * nChunks];
        float[] snr = new float[nAnt * nChunks];
        boolean[] flagged = new boolean[nAnt * nChunks];
        int[] ref = new int[nChunks];
        IntStream.range(0, nChunks).parallel().forEach(k -> {
            NormalEquations eq = new NormalEquations(nAnt);
            double[] d = new double[3];
            double[] m = new double[3];
            for (int b = 0; b < data.nBlt(); b++) {
                double t = data.timeJd()[b];
                if (t < start[k] || t > end[k] || p1[b] == p2[b]) {
                    continue;
                }
                int i = bpIndex[p1[b]], j = bpIndex[p2[b]];
                if (i < 0 || j < 0) {
                    continue;
                }
                double si = bandpass.amplitudeScale(i), sj = bandpass.amplitudeScale(j);
                for (int c = 0; c < data.nChan(); c++) {
                    if (bandpass.isFlagged(i, c) || bandpass.isFlagged(j, c)
                        || !data.stokesI(b, c, d) || !model.stokesI(b, c, m)) {
                        continue;
                    }
                    // G = s_i bp_i · conj(s_j bp_j); corrected V' = V / G, weight × |G|²
                    double gr = bandpass.real(i, c) * bandpass.real(j, c) + bandpass.imag(i, c) * bandpass.imag(j, c);
                    double gi = bandpass.imag(i, c) * bandpass.real(j, c) - bandpass.real(i, c) * bandpass.imag(j, c);
                    gr *= si * sj;
                    gi *= si * sj;
                    double g2 = gr * gr + gi * gi;
                    double vr = (d[0] * gr + d[1] * gi) / g2;
                    double vi = (d[1] * gr - d[0] * gi) / g2;
                    eq.add(p1[b], p2[b], vr, vi, m[0], m[1], d[2] * g2);
                }
            }
            Interval sol = solveInterval(eq, antennas, true);
            ref[k] = sol.refAntenna;
            for (int a = 0; a < nAnt; a++) {
                int idx = a * nChunks + k;
                int bi = bpIndex[a];
                double scale = bi >= 0 ? bandpass.amplitudeScale(bi) : Double.NaN;
                boolean bad = sol.flagged[a] || !(scale > 0);
                flagged[idx] = bad;
                amp[idx] = bad ? 0f : (float) scale;
                phase[idx] = bad ? 0f : (float) Math.atan2(sol.g[2 * a + 1], sol.g[2 * a]);
                snr[idx] = (float) sol.snr[a];
            }
        });
        return new GainSolution(antennas, start, end, amp, phase, snr, flagged, ref);
    }

    private record Interval(double[] g, double[] snr, boolean[] flagged, int refAntenna) {
    }

    private Interval solveInterval(NormalEquations eq, int[] antennas, boolean phaseOnly) {
        int nAnt = eq.nAnt;
        boolean[] excluded = new boolean[nAnt];
        // antennas without enough baselines cannot be solved; iterate because exclusions reduce others' counts
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int p = 0; p < nAnt; p++) {
                if (!excluded[p] && eq.baselineCount(p, excluded) < options.minBaselines()) {
                    excluded[p] = true;
                    changed = true;
                }
            }
        }
        double[] g = initialGains(nAnt, excluded);
        eq.solve(g, excluded, phaseOnly, options.maxIterations(), options.tolerance());
        double[] snr = eq.snr(g, excluded, options.snrCap());
        boolean lowSnr = false;
        for (int p = 0; p < nAnt; p++) {
            if (!excluded[p] && snr[p] < options.minSnr()) {
                excluded[p] = true;
                lowSnr = true;
            }
        }
        if (lowSnr) {
            g = initialGains(nAnt, excluded);
            eq.solve(g, excluded, phaseOnly, options.maxIterations(), options.tolerance());
            double[] snr2 = eq.snr(g, excluded, options.snrCap());
            for (int p = 0; p < nAnt; p++) {
                if (!excluded[p]) {
                    snr[p] = snr2[p];
                    excluded[p] = snr2[p] < options.minSnr();
                }
            }
        }
        int refIndex = chooseReference(antennas, excluded);
        if (refIndex >= 0) {
            double rr = g[2 * refIndex], ri = g[2 * refIndex + 1];
            double ra = Math.hypot(rr, ri);
            // multiply every gain by conj(g_ref)/|g_ref| so the reference phase is 0
            double cr = rr / ra, ci = -ri / ra;
            for (int p = 0; p < nAnt; p++) {
                double x = g[2 * p], y = g[2 * p + 1];
                g[2 * p] = x * cr - y * ci;
                g[2 * p + 1] = x * ci + y * cr;
            }
            g[2 * refIndex + 1] = 0.0;
        }
        for (int p = 0; p < nAnt; p++) {
            if (excluded[p]) {
                g[2 * p] = 0;
                g[2 * p + 1] = 0;
            }
        }
        return new Interval(g, snr, excluded, refIndex >= 0 ? antennas[refIndex] : -1);
    }

    private static double[] initialGains(int nAnt, boolean[] excluded) {
        double[] g = new double[2 * nAnt];
        for (int p = 0; p < nAnt; p++) {
            g[2 * p] = excluded[p] ? 0 : 1;
        }
        return g;
    }

    private int chooseReference(int[] antennas, boolean[] excluded) {
        for (int candidate : options.refAntennaChain()) {
            int i = Arrays.binarySearch(antennas, candidate);
            if (i >= 0 && !excluded[i]) {
                return i;
            }
        }
        for (int p = 0; p < antennas.length; p++) {
            if (!excluded[p]) {
                return p;
            }
        }
        return -1;
    }

    /** Divides each antenna's bandpass by its mean unflagged amplitude; returns the factors (NaN if none). */
    private static double[] normalise(float[] re, float[] im, boolean[] flagged, int nAnt, int nChan) {
        double[] scale = new double[nAnt];
        for (int a = 0; a < nAnt; a++) {
            double sum = 0;
            int n = 0;
            for (int c = 0; c < nChan; c++) {
                int i = a * nChan + c;
                if (!flagged[i]) {
                    sum += Math.hypot(re[i], im[i]);
                    n++;
                }
            }
            scale[a] = n > 0 ? sum / n : Double.NaN;
            if (n > 0) {
                for (int c = 0; c < nChan; c++) {
                    int i = a * nChan + c;
                    re[i] /= (float) scale[a];
                    im[i] /= (float) scale[a];
                }
            }
        }
        return scale;
    }

    private static void mapAntennas(Visibilities data, int[] antennas, int[] p1, int[] p2) {
        for (int b = 0; b < data.nBlt(); b++) {
            p1[b] = Arrays.binarySearch(antennas, data.ant1()[b]);
            p2[b] = Arrays.binarySearch(antennas, data.ant2()[b]);
        }
    }

    private static void checkShapes(Visibilities data, Visibilities model) {
        if (data.nBlt() != model.nBlt() || data.nChan() != model.nChan() || data.nPol() != model.nPol()) {
            throw new IllegalArgumentException("model and data shapes differ");
        }
    }
}
