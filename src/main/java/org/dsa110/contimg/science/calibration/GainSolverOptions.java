package org.dsa110.contimg.science.calibration;

import java.util.stream.IntStream;

/**
 * Solver settings.
 *
 * @param refAntennaChain reference antennas (station numbers) in order of preference; the first with an unflagged
 *                        solution in a given interval is used (its phase is set to 0)
 * @param minSnr          solutions with S/N below this are flagged (science.md: 3)
 * @param minBaselines    an antenna needs at least this many baselines with data to be solved
 * @param maxIterations   StEFCal iteration limit
 * @param tolerance       relative change of the gain vector at convergence
 * @param snrCap          S/N reported for noise-free data
 */
public record GainSolverOptions(int[] refAntennaChain, double minSnr, int minBaselines, int maxIterations,
                                double tolerance, double snrCap) {

    /** science.md: reference antenna 103, falling back to 104…116, then 117. */
    public static final int[] DSA110_REF_ANTENNA_CHAIN =
        IntStream.concat(IntStream.rangeClosed(103, 116), IntStream.of(117)).toArray();

    public static GainSolverOptions defaults() {
        return new GainSolverOptions(DSA110_REF_ANTENNA_CHAIN, 3.0, 4, 500, 1e-10, 1e6);
    }

    public GainSolverOptions withRefAntennaChain(int... chain) {
        return new GainSolverOptions(chain.clone(), minSnr, minBaselines, maxIterations, tolerance, snrCap);
    }

    public GainSolverOptions withMinSnr(double snr) {
        return new GainSolverOptions(refAntennaChain, snr, minBaselines, maxIterations, tolerance, snrCap);
    }
}
