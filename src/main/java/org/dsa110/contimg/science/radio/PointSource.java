package org.dsa110.contimg.science.radio;

/**
 * Unpolarised point source with a power-law spectrum S(ν) = S0·(ν/ν0)^α.
 *
 * @param raRad         right ascension (same frame as the visibilities' phase centres)
 * @param decRad        declination
 * @param fluxJy        Stokes I flux density S0 at {@code refFreqHz}
 * @param spectralIndex α
 * @param refFreqHz     ν0
 */
public record PointSource(double raRad, double decRad, double fluxJy, double spectralIndex, double refFreqHz) {

    /** Flat-spectrum source. */
    public static PointSource flat(double raRad, double decRad, double fluxJy) {
        return new PointSource(raRad, decRad, fluxJy, 0.0, 1.4e9);
    }

    public double fluxAt(double freqHz) {
        return spectralIndex == 0.0 ? fluxJy : fluxJy * Math.pow(freqHz / refFreqHz, spectralIndex);
    }
}
