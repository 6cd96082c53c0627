package org.dsa110.contimg.science.calibration;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.StokesIModel;
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
 * <p>The data enter only through per-baseline sums over each solution interval ({@link BaselineSums}: Σ w·V·conj(M),
 * Σ w·|M|², Σ w·|V|², counts, per channel), exact for gains constant over the interval, so one pass over the data
 * builds them and the iterations cost nothing per sample. The model is a {@link StokesIModel} computed per blt
 * (e.g. {@link org.dsa110.contimg.science.radio.VisibilityModel#stokesI}), or a visibility block of the same shape
 * and blt order as {@code data}.
 */
public final class GainSolver {

    private final GainSolverOptions options;

    public GainSolver(GainSolverOptions options) {
        this.options = options;
    }

    public GainSolver() {
        this(GainSolverOptions.defaults());
    }

    /** Bandpass and phase gains of {@link #solveBandpass} and {@link #solvePhaseGains}. */
    public record Solutions(BandpassSolution bandpass, GainSolution gains) {
    }

    /** Bandpass solve against a model held as a visibility block (same shape and blt order as the data). */
    public BandpassSolution solveBandpass(Visibilities data, Visibilities model) {
        checkShapes(data, model);
        return solveBandpass(data, StokesIModel.of(model));
    }

    /** Bandpass solve: the per-baseline sums over all times (one pass), then one StEFCal per channel. */
    public BandpassSolution solveBandpass(Visibilities data, StokesIModel model) {
        int[] antennas = data.antennaNumbers();
        return bandpass(BaselineSums.accumulate(data, model, antennas, t -> true), antennas, data.freqHz());
    }

    /**
     * Phase-only gains per time chunk against a model held as a visibility block (see
     * {@link #solvePhaseGains(Visibilities, StokesIModel, BandpassSolution, double)}).
     */
    public GainSolution solvePhaseGains(Visibilities data, Visibilities model, BandpassSolution bandpass,
                                        double solintSec) {
        checkShapes(data, model);
        return solvePhaseGains(data, StokesIModel.of(model), bandpass, solintSec);
    }

    /**
     * Phase-only gains per time chunk of {@code solintSec} seconds (chunks start at the first time; every sample
     * whose time falls in [t0 + k·solint, t0 + (k+1)·solint) belongs to chunk k; empty chunks are dropped), on the
     * data corrected by the (un-normalised) bandpass, all channels combined.
     */
    public GainSolution solvePhaseGains(Visibilities data, StokesIModel model, BandpassSolution bandpass,
                                        double solintSec) {
        return phaseGains(data, model, bandpass, solintSec, null);
    }

    /**
     * {@link #solveBandpass} then {@link #solvePhaseGains}; when one gain chunk spans all times the per-baseline
     * sums of the bandpass solve are reused, so the data and model are visited once.
     */
    public Solutions solve(Visibilities data, StokesIModel model, double solintSec) {
        int[] antennas = data.antennaNumbers();
        BaselineSums all = BaselineSums.accumulate(data, model, antennas, t -> true);
        BandpassSolution bp = bandpass(all, antennas, data.freqHz());
        return new Solutions(bp, phaseGains(data, model, bp, solintSec, all));
    }

    private BandpassSolution bandpass(BaselineSums sums, int[] antennas, double[] freqHz) {
        int nAnt = antennas.length;
        int nChan = freqHz.length;
        float[] re = new float[nAnt * nChan];
        float[] im = new float[nAnt * nChan];
        float[] snr = new float[nAnt * nChan];
        boolean[] flagged = new boolean[nAnt * nChan];
        int[] ref = new int[nChan];
        IntStream.range(0, nChan).parallel().forEach(c -> {
            NormalEquations eq = new NormalEquations(nAnt);
            for (int k = 0; k < sums.nBaselines(); k++) {
                int o = k * nChan + c;
                if (sums.n[o] > 0) {
                    eq.addSums(sums.p[k], sums.q[k], sums.aRe[o], sums.aIm[o], sums.b[o], sums.c[o], sums.n[o]);
                }
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
        return new BandpassSolution(antennas, freqHz.clone(), re, im, snr, flagged, scale, ref);
    }

    /** {@code allSums}: the sums over all blts if already computed (used when one chunk spans them), or null. */
    private GainSolution phaseGains(Visibilities data, StokesIModel model, BandpassSolution bandpass,
                                    double solintSec, BaselineSums allSums) {
        if (bandpass.nChan() != data.nChan()) {
            throw new IllegalArgumentException("bandpass has " + bandpass.nChan() + " channels, data " + data.nChan());
        }
        int[] antennas = data.antennaNumbers();
        int nAnt = antennas.length;
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
        double[] timeJd = data.timeJd();
        for (int k = 0; k < nChunks; k++) {
            double s = start[k], e = end[k];
            BaselineSums sums = nChunks == 1 && allSums != null ? allSums
                : BaselineSums.accumulate(data, model, antennas, t -> timeJd[t] >= s && timeJd[t] <= e);
            NormalEquations eq = corrected(sums, bandpass, bpIndex, nAnt);
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
        }
        return new GainSolution(antennas, start, end, amp, phase, snr, flagged, ref);
    }

    /**
     * Normal equations of the bandpass-corrected data, all channels combined: with G = s_i·bp_i·conj(s_j·bp_j),
     * the corrected sample V/G with weight w·|G|² contributes w·V·conj(M)·conj(G) to A, w·|G|²·|M|² to B and
     * w·|V|² to C, so each baseline's channel sums fold into one entry. Channels where either bandpass is flagged
     * are left out.
     */
    private static NormalEquations corrected(BaselineSums sums, BandpassSolution bp, int[] bpIndex, int nAnt) {
        NormalEquations eq = new NormalEquations(nAnt);
        int nChan = sums.nChan;
        for (int k = 0; k < sums.nBaselines(); k++) {
            int i = bpIndex[sums.p[k]], j = bpIndex[sums.q[k]];
            if (i < 0 || j < 0) {
                continue;
            }
            double sij = bp.amplitudeScale(i) * bp.amplitudeScale(j);
            double ar = 0, ai = 0, bb = 0, cc = 0;
            int nn = 0;
            for (int c = 0; c < nChan; c++) {
                int o = k * nChan + c;
                if (sums.n[o] == 0 || bp.isFlagged(i, c) || bp.isFlagged(j, c)) {
                    continue;
                }
                double gr = (bp.real(i, c) * bp.real(j, c) + bp.imag(i, c) * bp.imag(j, c)) * sij;
                double gi = (bp.imag(i, c) * bp.real(j, c) - bp.real(i, c) * bp.imag(j, c)) * sij;
                ar += gr * sums.aRe[o] + gi * sums.aIm[o];
                ai += gr * sums.aIm[o] - gi * sums.aRe[o];
                bb += (gr * gr + gi * gi) * sums.b[o];
                cc += sums.c[o];
                nn += sums.n[o];
            }
            if (nn > 0) {
                eq.addSums(sums.p[k], sums.q[k], ar, ai, bb, cc, nn);
            }
        }
        return eq;
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

    private static void checkShapes(Visibilities data, Visibilities model) {
        if (data.nBlt() != model.nBlt() || data.nChan() != model.nChan() || data.nPol() != model.nPol()) {
            throw new IllegalArgumentException("model and data shapes differ");
        }
    }
}
