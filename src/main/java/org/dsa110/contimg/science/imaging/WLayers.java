package org.dsa110.contimg.science.imaging;

/**
 * The w-planes of w-stacking (Offringa et al. 2014, MNRAS 444, 606, §2.3), with samples interpolated linearly
 * between the two planes around their w instead of assigned to the nearest one.
 *
 * <p>Planes at w_p = wMin + p·Δ, p = 0 … intervals, cover the samples' w (wavelengths, folded to w ≥ 0). A sample
 * at w = w_j + f·Δ (0 ≤ f ≤ 1) is gridded onto plane j with weight 1 − f and onto plane j + 1 with weight f; each
 * plane's image is multiplied by its phase screen exp(+2πi·w_p·x), x = n − 1, and the sum divided by the transform
 * of the triangle kernel, T(φ) = sinc²(φ/2) = 2(1 − cos φ)/φ² with φ = 2πΔx. For a sample this leaves a phase
 * error of order f(1 − f²)φ³/6 (nearest-plane assignment leaves up to φ/2, which moves sources: 3″ at 1.6° on the
 * test field with WSClean's count) and an amplitude error of order f(1 − f)φ²/2 around the mean T corrects.
 *
 * <p>Interval count as WSClean chooses its layer count: the phase the w-term can reach over all samples at the image
 * corner, 2π·(wMax − wMin)·(1 − √(1 − l² − m²)), in radians, rounded up, times {@code factor} (so φ ≤ 1/factor rad
 * at the corner, ≤ 0.5/factor rad at the edge of a 3.5° field). {@code factor} 0 switches the correction off: one
 * plane at w = 0 (the plain 2-D transform).
 */
record WLayers(int intervals, double wMin, double step, boolean corrected) {

    static WLayers plan(double wMin, double wMax, double cornerLmSquared, double factor) {
        if (factor <= 0) {
            return new WLayers(1, 0, 1, false);
        }
        double range = wMax > wMin ? wMax - wMin : 1.0;
        double oneMinusN = cornerLmSquared < 1 ? 1 - Math.sqrt(1 - cornerLmSquared) : 1;
        int count = (int) Math.max(1, Math.ceil(factor * 2 * Math.PI * range * oneMinusN));
        return new WLayers(count, wMin, range / count, true);
    }

    /** Number of planes (FFTs per image). */
    int planes() {
        return corrected ? intervals + 1 : 1;
    }

    /** The w (wavelengths) of plane p. */
    double w(int p) {
        return corrected ? wMin + p * step : 0;
    }

    /** Interval j of a sample at w: it goes to planes j and j + 1. */
    int interval(double w) {
        if (!corrected) {
            return 0;
        }
        int j = (int) Math.floor((w - wMin) / step);
        return j < 0 ? 0 : Math.min(intervals - 1, j);
    }

    /** Weight f of the upper plane (j + 1) for a sample at w in interval j; 0 without correction. */
    double fraction(double w, int j) {
        if (!corrected) {
            return 0;
        }
        double f = (w - wMin) / step - j;
        return f < 0 ? 0 : Math.min(1, f);
    }

    /** T(2πΔx), x = n − 1: what the interpolation leaves on the image (1 without correction). */
    double taper(double nMinusOne) {
        if (!corrected) {
            return 1;
        }
        double phi = 2 * Math.PI * step * nMinusOne;
        return Math.abs(phi) < 1e-4 ? 1 - phi * phi / 12 : 2 * (1 - Math.cos(phi)) / (phi * phi);
    }
}
