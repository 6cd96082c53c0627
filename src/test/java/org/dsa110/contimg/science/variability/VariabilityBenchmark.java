package org.dsa110.contimg.science.variability;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark harness (not a unit test; run by bench/variability.sh): the cost of one source's variability update
 * ({@link VariabilityMetrics#compute}), dominated by the N(N−1)/2 two-epoch pairs, for light curves of N epochs
 * (a field observed once a day: 30 = a month, 365 = a year, 3650 = ten years). Reports the median time per source
 * over the timed repetitions after warm-up, and the pair rate.
 * Arguments: [repetitions=200] [sizes=30,365,1000,3650].
 */
public final class VariabilityBenchmark {
    private VariabilityBenchmark() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int[] sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {30, 365, 1000, 3650};
        SplittableRandom rng = new SplittableRandom(1);
        System.out.println("epochs   pairs        median/source   pairs/s");
        for (int n : sizes) {
            double[] f = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = 0.05 * (1 + 0.05 * rng.nextGaussian());
                s[i] = 0.001 + 0.001 * rng.nextDouble();
            }
            long sink = 0;
            for (int w = 0; w < reps / 4 + 5; w++) { // warm-up
                sink += VariabilityMetrics.compute(f, s).pairs().nSignificant();
            }
            long[] ns = new long[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                sink += VariabilityMetrics.compute(f, s).pairs().nSignificant();
                ns[r] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            double med = ns[reps / 2] / 1e6;
            long pairs = (long) n * (n - 1) / 2;
            System.out.printf(Locale.ROOT, "%6d %10d %12.3f ms %12.3g%n", n, pairs, med, pairs / (med / 1e3));
            if (sink < 0) {
                System.out.println(sink); // keeps the results alive
            }
        }
    }
}
