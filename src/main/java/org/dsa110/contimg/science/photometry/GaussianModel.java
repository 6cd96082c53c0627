package org.dsa110.contimg.science.photometry;

import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Elliptical Gaussian model for {@link GaussianFit2D} with its analytic Jacobian.
 *
 * <p>Parameters p = [A, x0, y0, Fa, Fb, θ (radians, east of north), (B)]:
 * G = A·exp(−Q/2) + B, Q = u²/σa² + v²/σb², σ = F/(2√(2 ln 2)),
 * u = dx·e·sinθ + dy·cosθ (along the major axis), v = dx·cosθ − dy·e·sinθ, e = east sign (see
 * {@link SkyOrientation}). Derivatives: ∂u/∂θ = e·v, ∂v/∂θ = −e·u, so ∂Q/∂θ = 2e·u·v·(1/σa² − 1/σb²).
 */
final class GaussianModel implements MultivariateJacobianFunction {

    private final double[] xs;
    private final double[] ys;
    private final double e;
    private final boolean withBackground;

    GaussianModel(double[] xs, double[] ys, int eastSign, boolean withBackground) {
        this.xs = xs;
        this.ys = ys;
        this.e = eastSign;
        this.withBackground = withBackground;
    }

    @Override
    public Pair<RealVector, RealMatrix> value(RealVector point) {
        double amp = point.getEntry(0), x0 = point.getEntry(1), y0 = point.getEntry(2);
        double fa = point.getEntry(3), fb = point.getEntry(4), th = point.getEntry(5);
        double bg = withBackground ? point.getEntry(6) : 0.0;
        double sa = fa * EllipticalGaussian.FWHM_TO_SIGMA, sb = fb * EllipticalGaussian.FWHM_TO_SIGMA;
        double ia = 1.0 / (sa * sa), ib = 1.0 / (sb * sb);
        double sin = Math.sin(th), cos = Math.cos(th);
        int n = xs.length;
        double[] model = new double[n];
        double[][] jac = new double[n][withBackground ? 7 : 6];
        for (int i = 0; i < n; i++) {
            double dx = xs[i] - x0, dy = ys[i] - y0;
            double u = dx * e * sin + dy * cos;
            double v = dx * cos - dy * e * sin;
            double ex = Math.exp(-0.5 * (u * u * ia + v * v * ib));
            double g = amp * ex;
            model[i] = g + bg;
            double[] row = jac[i];
            row[0] = ex;
            // ∂G/∂p = −½·G·∂Q/∂p with ∂u/∂x0 = −e·sinθ, ∂v/∂x0 = −cosθ, ∂u/∂y0 = −cosθ, ∂v/∂y0 = e·sinθ
            row[1] = g * (u * ia * e * sin + v * ib * cos);
            row[2] = g * (u * ia * cos - v * ib * e * sin);
            row[3] = g * u * u * ia / fa;
            row[4] = g * v * v * ib / fb;
            row[5] = -g * e * u * v * (ia - ib);
            if (withBackground) {
                row[6] = 1.0;
            }
        }
        return new Pair<>(new ArrayRealVector(model, false), new Array2DRowRealMatrix(jac, false));
    }
}
