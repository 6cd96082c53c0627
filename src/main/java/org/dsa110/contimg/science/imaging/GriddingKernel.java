package org.dsa110.contimg.science.imaging;

/**
 * Separable Kaiser–Bessel gridding kernel (Jackson et al. 1991; β = 2.34·W as recommended there for a
 * 2× oversampled grid), tabulated with {@value #OVERSAMPLING} samples per uv cell, and its grid correction.
 *
 * <p>k(d) = I0(β·√(1 − (2d/W)²)) / I0(β) for |d| ≤ W/2 (d in uv cells). The grid correction is the kernel's
 * Fourier transform evaluated numerically from the same table, so it matches the convolution actually applied.
 */
final class GriddingKernel {

    static final int OVERSAMPLING = 128;

    final int support;
    final int half;
    final float[] table; // k at d = i/OVERSAMPLING − W/2, i = 0 … W·OVERSAMPLING

    GriddingKernel(int support) {
        this(support, 2.34 * support);
    }

    /** A kernel of shape {@code beta}; {@link #beattyBeta} gives the one for a grid oversampled by σ. */
    GriddingKernel(int support, double beta) {
        this.support = support;
        this.half = support / 2;
        int n = support * OVERSAMPLING + 1;
        table = new float[n];
        double norm = besselI0(beta);
        for (int i = 0; i < n; i++) {
            double d = (double) i / OVERSAMPLING - support / 2.0;
            double r = 2.0 * d / support;
            double arg = 1.0 - r * r;
            table[i] = arg <= 0 ? 0f : (float) (besselI0(beta * Math.sqrt(arg)) / norm);
        }
    }

    /** Kernel value at a distance {@code d} (uv cells) from the sample, |d| ≤ W/2 + 0.5 (clamped). */
    float at(double d) {
        int i = (int) Math.round((d + support / 2.0) * OVERSAMPLING);
        return i < 0 || i >= table.length ? 0f : table[i];
    }

    /** Table index of the tap at distance {@code d} (uv cells, |d| ≤ W/2 + 0.5); taps further right are +OS. */
    int tableIndex(double d) {
        int i = (int) Math.round((d + support / 2.0) * OVERSAMPLING);
        return Math.max(0, Math.min(i, table.length - 1 - (support - 1) * OVERSAMPLING));
    }

    /**
     * Grid correction for an N-point grid: c[p] = Σ_d k(d)·cos(2π·d·(p − N/2)/N), normalised to 1 at p = N/2
     * (the transform of the convolution kernel at image pixel p).
     */
    double[] correction(int n) {
        double[] c = new double[n];
        double step = 1.0 / OVERSAMPLING;
        for (int p = 0; p < n; p++) {
            double x = (double) (p - n / 2) / n;
            double s = 0;
            for (int i = 0; i < table.length; i++) {
                double d = i * step - support / 2.0;
                s += table[i] * Math.cos(2 * Math.PI * d * x);
            }
            c[p] = s;
        }
        double centre = c[n / 2];
        for (int p = 0; p < n; p++) {
            c[p] /= centre;
        }
        return c;
    }

    /** ∫k(d) dd in uv cells (from the table): the factor gridding leaves on the image after the grid correction. */
    double integral() {
        double sum = 0;
        for (float t : table) {
            sum += t;
        }
        return sum / OVERSAMPLING;
    }

    /**
     * β for a grid oversampled by σ (grid / image, 1 &lt; σ ≤ 2): β = π·√((W/σ)²·(σ − ½)² − 0.8) (Beatty, Nishimura
     * &amp; Pauly 2005, eq. 5); 16.2 for W = 7, σ = 2 (Jackson's 2.34·W = 16.4), 14.4 for σ = 1.5.
     */
    static double beattyBeta(int support, double sigma) {
        double a = support / sigma * (sigma - 0.5);
        return Math.PI * Math.sqrt(Math.max(1e-6, a * a - 0.8));
    }

    /** Modified Bessel function I0 by its power series Σ ((x/2)^k / k!)² (converges for all x). */
    static double besselI0(double x) {
        double term = 1.0;
        double sum = 1.0;
        double q = 0.25 * x * x;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }
}
