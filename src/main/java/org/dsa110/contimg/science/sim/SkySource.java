package org.dsa110.contimg.science.sim;

/**
 * One simulated sky source: an unpolarised point source with a power-law spectrum, J2000 position.
 *
 * @param sourceId      the id the hub gives it when loading the catalog ({@code <catalog> Jhhmmss.s+ddmmss})
 * @param name          display name (the catalog CSV's {@code id} column)
 * @param raDeg         J2000 right ascension [deg]
 * @param decDeg        J2000 declination [deg]
 * @param fluxJy        steady flux density at {@link #REF_FREQ_HZ} [Jy]
 * @param spectralIndex α in S(ν) = S·(ν/ν0)^α
 * @param calibrator    true for the VLA calibrator
 * @param confused      another catalog source lies within the confusion radius
 */
public record SkySource(String sourceId, String name, double raDeg, double decDeg, double fluxJy,
                        double spectralIndex, boolean calibrator, boolean confused) {

    /** Reference frequency of catalog fluxes (NVSS, 1.4 GHz). */
    public static final double REF_FREQ_HZ = 1.4e9;

    public double fluxAt(double freqHz) {
        return spectralIndex == 0.0 ? fluxJy : fluxJy * Math.pow(freqHz / REF_FREQ_HZ, spectralIndex);
    }

    public double raRad() {
        return Math.toRadians(raDeg);
    }

    public double decRad() {
        return Math.toRadians(decDeg);
    }

    SkySource withConfused(boolean c) {
        return new SkySource(sourceId, name, raDeg, decDeg, fluxJy, spectralIndex, calibrator, c);
    }
}
