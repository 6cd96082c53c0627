package org.dsa110.contimg.science.imaging;

/**
 * Expected thermal noise of a Stokes I image (radiometer equation; Thompson, Moran &amp; Swenson ch. 6, and the
 * per-visibility σ = SEFD/√(2Δν·τ) per real and imaginary part the simulator injects,
 * {@link org.dsa110.contimg.science.radio.VisibilityModel#noiseSigmaJy}):
 * <pre>
 *   σ_I = SEFD / √(N_pol · N_ant (N_ant − 1) · Δν · t)      (natural weighting, N_pol = 2 parallel hands)
 * </pre>
 * with Δν the total bandwidth and t the total integration time (N_ant(N_ant − 1)/2 baselines, each sample counted
 * with its Hermitian mirror). Other weightings multiply it by the weighting's noise factor
 * √(N·Σw²)/Σw ({@link Imager.Session#noisePerSampleNoise}); flagged data reduce N_ant(N_ant − 1)·Δν·t.
 */
public final class ThermalNoise {
    private ThermalNoise() {
    }

    public static double stokesIJy(double sefdJy, int antennas, double bandwidthHz, double timeSec) {
        return sefdJy / Math.sqrt(2.0 * antennas * (antennas - 1.0) * Math.abs(bandwidthHz) * timeSec);
    }
}
