package org.dsa110.contimg.science.radio;

/**
 * A VLA calibrator with its L-band (20 cm) flux density.
 *
 * @param name    J2000 name as in the VLA list (e.g. {@code 1331+305})
 * @param altName alternative name (e.g. {@code 3C286}) or empty
 * @param raRad   J2000 right ascension
 * @param decRad  J2000 declination
 * @param fluxJy  20 cm flux density (Jy)
 */
public record VlaCalibrator(String name, String altName, double raRad, double decRad, double fluxJy) {

    public double raDeg() {
        return Math.toDegrees(raRad);
    }

    public double decDeg() {
        return Math.toDegrees(decRad);
    }
}
