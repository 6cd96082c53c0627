package org.dsa110.contimg.science.radio;

import org.apache.commons.math3.special.BesselJ;

/**
 * Airy-disc primary beam of a uniformly illuminated circular dish (science.md):
 * B(θ) = (2·J1(x)/x)², x = π·D·sin θ / λ, with B(0) = 1. For D = 4.7 m the FWHM is 1.029·λ/D ≈ 2.7° at 1.4 GHz.
 */
public final class PrimaryBeam {

    public static final double SPEED_OF_LIGHT = 299792458.0;

    private final double dishDiameterM;

    public PrimaryBeam(double dishDiameterM) {
        if (!(dishDiameterM > 0)) {
            throw new IllegalArgumentException("dish diameter must be positive");
        }
        this.dishDiameterM = dishDiameterM;
    }

    public static PrimaryBeam dsa110() {
        return new PrimaryBeam(ObservatorySite.DSA110_DISH_DIAMETER_M);
    }

    public double dishDiameterM() {
        return dishDiameterM;
    }

    /** Power response at angular distance θ (radians) from the pointing centre at frequency ν (Hz). */
    public double response(double thetaRad, double freqHz) {
        double x = Math.PI * dishDiameterM * Math.sin(Math.abs(thetaRad)) * freqHz / SPEED_OF_LIGHT;
        return airy(x);
    }

    /** (2·J1(x)/x)², with the x → 0 limit 1 (series 2J1(x)/x = 1 − x²/8 + … below 1e-4). */
    public static double airy(double x) {
        if (Math.abs(x) < 1e-4) {
            double a = 1.0 - x * x / 8.0;
            return a * a;
        }
        double a = 2.0 * BesselJ.value(1.0, x) / x;
        return a * a;
    }

    /** Half-power full width (radians) at frequency ν: solves B(θ) = 0.5 (x = 1.6163). */
    public double fwhmRad(double freqHz) {
        double lo = 0, hi = 3.8317; // first null of J1
        for (int i = 0; i < 80; i++) {
            double mid = 0.5 * (lo + hi);
            if (airy(mid) > 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double x = 0.5 * (lo + hi);
        return 2.0 * Math.asin(x * SPEED_OF_LIGHT / (Math.PI * dishDiameterM * freqHz));
    }
}
