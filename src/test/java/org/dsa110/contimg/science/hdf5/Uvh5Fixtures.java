package org.dsa110.contimg.science.hdf5;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small synthetic UVH5 contents with a fixed seed: every antenna pair incl. autos, time-major blts. */
final class Uvh5Fixtures {

    private Uvh5Fixtures() {
    }

    static Uvh5Data synthetic(int nAnts, int nTimes, int nFreqs, long seed) {
        Random rng = new Random(seed);
        String[] names = new String[nAnts];
        int[] numbers = new int[nAnts];
        double[] positions = new double[3 * nAnts];
        for (int a = 0; a < nAnts; a++) {
            names[a] = "pad" + (a + 1);
            numbers[a] = a;
            positions[3 * a] = 5.0 * a;                 // a line of antennas, 5 m apart in x
            positions[3 * a + 1] = -2.0 * a;
            positions[3 * a + 2] = 0.25 * a;
        }
        int nBls = nAnts * (nAnts + 1) / 2;
        int nBlts = nBls * nTimes;
        int[] ant1 = new int[nBlts];
        int[] ant2 = new int[nBlts];
        double[] time = new double[nBlts];
        double[] lst = new double[nBlts];
        double[] inttime = new double[nBlts];
        double[] uvw = new double[3 * nBlts];
        int k = 0;
        for (int t = 0; t < nTimes; t++) {
            for (int i = 0; i < nAnts; i++) {
                for (int j = i; j < nAnts; j++) {
                    ant1[k] = i;
                    ant2[k] = j;
                    time[k] = 2460311.5 + t * 12.884901888 / 86400.0;
                    lst[k] = 1.0 + t * 9.4e-4;
                    inttime[k] = 12.884901888;
                    for (int c = 0; c < 3; c++) {
                        uvw[3 * k + c] = positions[3 * j + c] - positions[3 * i + c];
                    }
                    k++;
                }
            }
        }
        double[] freq = new double[nFreqs];
        double[] width = new double[nFreqs];
        for (int f = 0; f < nFreqs; f++) {
            freq[f] = 1.4e9 - f * 244140.625;
            width[f] = -244140.625;
        }
        int[] pols = {-5, -6};
        int cells = nBlts * nFreqs * pols.length;
        float[] vis = new float[2 * cells];
        boolean[] flags = new boolean[cells];
        float[] nsamples = new float[cells];
        for (int c = 0; c < cells; c++) {
            vis[2 * c] = (float) rng.nextGaussian();
            vis[2 * c + 1] = (float) rng.nextGaussian();
            flags[c] = rng.nextInt(10) == 0;
            nsamples[c] = 1f + rng.nextInt(3);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("phase_center_dec", 0.6457718232379019);
        extra.put("ha_phase_center", 0.0);
        extra.put("fs_table_id", "2024-01-01T00:00:00");
        extra.put("applied_delays_ns", new long[] {0, 1, 2});
        Uvh5Data.Telescope tel = new Uvh5Data.Telescope("DSA-110", "DSA", 37.2314, -118.2817, 1222.0,
                names, numbers, positions);
        return new Uvh5Data(tel, "drift_field", "simulated by Uvh5Fixtures", "uncalib",
                new Uvh5Data.BaselineTimes(ant1, ant2, time, lst, inttime, uvw),
                freq, width, pols, vis, flags, nsamples, extra);
    }
}
