package org.dsa110.contimg.science.hdf5;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The hub's baseline order for UVH5 contents: blts grouped by time (a stable sort on {@code time_array}, so a
 * baseline-major file becomes time-major with its baselines in file order) and ant1 ≤ ant2. A baseline stored as
 * (ant2, ant1) is turned round: antennas swapped, uvw negated, samples conjugated, and the cross-hand products
 * exchanged (V₂₁(XY) = conj V₁₂(YX), likewise RL/LR), the standard convention (docs/conventions.md) holding for
 * both orders. Auto-correlations are kept. Contents already in this order are returned as they are.
 */
public final class Uvh5BaselineOrder {

    private Uvh5BaselineOrder() {
    }

    public static Uvh5Data canonical(Uvh5Data d) {
        Uvh5Data.BaselineTimes blts = d.blts();
        int n = d.nBlts();
        boolean flipped = IntStream.range(0, n).anyMatch(b -> blts.ant1()[b] > blts.ant2()[b]);
        boolean grouped = timeGrouped(blts.timeJd());
        if (!flipped && grouped) {
            return d;
        }
        int[] order = grouped ? IntStream.range(0, n).toArray() : IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble(b -> blts.timeJd()[b])) // stable: file order within a time
                .mapToInt(Integer::intValue).toArray();
        int[] swap = crossHandSwap(d.polarizations());
        int nf = d.nFreqs(), np = d.nPols();
        int[] a1 = new int[n], a2 = new int[n];
        double[] time = new double[n], lst = new double[n], inttime = new double[n], uvw = new double[3 * n];
        float[] vis = new float[d.visibilities().length];
        boolean[] flags = new boolean[d.flags().length];
        float[] nsamples = new float[d.nsamples().length];
        for (int i = 0; i < n; i++) {
            int b = order[i];
            boolean turn = blts.ant1()[b] > blts.ant2()[b];
            a1[i] = turn ? blts.ant2()[b] : blts.ant1()[b];
            a2[i] = turn ? blts.ant1()[b] : blts.ant2()[b];
            time[i] = blts.timeJd()[b];
            lst[i] = blts.lstRad()[b];
            inttime[i] = blts.integrationTimeS()[b];
            for (int c = 0; c < 3; c++) {
                uvw[3 * i + c] = turn ? -blts.uvwM()[3 * b + c] : blts.uvwM()[3 * b + c];
            }
            for (int f = 0; f < nf; f++) {
                for (int p = 0; p < np; p++) {
                    int from = (b * nf + f) * np + (turn ? swap[p] : p);
                    int to = (i * nf + f) * np + p;
                    vis[2 * to] = d.visibilities()[2 * from];
                    vis[2 * to + 1] = turn ? -d.visibilities()[2 * from + 1] : d.visibilities()[2 * from + 1];
                    flags[to] = d.flags()[from];
                    nsamples[to] = d.nsamples()[from];
                }
            }
        }
        return new Uvh5Data(d.telescope(), d.objectName(), d.history(), d.visUnits(),
                new Uvh5Data.BaselineTimes(a1, a2, time, lst, inttime, uvw), d.freqHz(), d.channelWidthHz(),
                d.polarizations(), vis, flags, nsamples, d.extraKeywords(), d.phaseCentres().reordered(order));
    }

    /** True when equal times are contiguous (each time appears in one run). */
    static boolean timeGrouped(double[] t) {
        java.util.Set<Double> ended = new java.util.HashSet<>();
        for (int b = 1; b < t.length; b++) {
            if (t[b] != t[b - 1]) {
                ended.add(t[b - 1]);
                if (ended.contains(t[b])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Index of the product that a turned-round baseline takes its sample p from (XY ↔ YX, RL ↔ LR). */
    private static int[] crossHandSwap(int[] pols) {
        int[] swap = new int[pols.length];
        for (int p = 0; p < pols.length; p++) {
            int partner = switch (pols[p]) {
                case -7 -> -8;
                case -8 -> -7;
                case -3 -> -4;
                case -4 -> -3;
                default -> pols[p];
            };
            int q = Arrays.stream(pols).boxed().toList().indexOf(partner);
            if (q < 0) {
                throw new Uvh5FormatException("Header/polarization_array", "baselines stored as (ant2, ant1) need "
                        + "both cross-hand products to be turned round; " + partner + " is missing");
            }
            swap[p] = q;
        }
        return swap;
    }
}
