package org.dsa110.contimg.science.photometry;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer.Optimum;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Least-squares fit of an elliptical 2-D Gaussian (plus an optional constant background) to the finite pixels within
 * a radius of a position, using the Levenberg-Marquardt optimiser of commons-math3 with an analytic Jacobian.
 *
 * <p>Parameters: peak, centre x/y (parent-image pixels), FWHM major/minor (pixels) and PA (degrees east of north,
 * pixel convention of {@link SkyOrientation}, reported in (−90°, 90°]). 1σ errors are the square roots of the
 * diagonal of (JᵀJ)⁻¹ scaled by the residual variance Σr²/(n − p), as the pixels carry no individual weights.
 * Failures (too few pixels, no convergence, singular covariance, centre leaving the region) give
 * {@code success=false}, never an exception.
 */
public final class GaussianFit2D {

    /** Fitted values and 1σ errors; NaN where not fitted (background) or on failure. */
    public record Result(double peak, double peakErr, double x, double xErr, double y, double yErr,
                         double fwhmMajorPx, double fwhmMajorErr, double fwhmMinorPx, double fwhmMinorErr,
                         double paDeg, double paErr, double background, double backgroundErr,
                         double reducedChi2, int nPixels, int iterations, boolean success, String error) {

        static Result failure(String error, int nPixels) {
            double n = Double.NaN;
            return new Result(n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, nPixels, 0, false, error);
        }
    }

    private static final int MAX_ITERATIONS = 500;
    private static final double MIN_FWHM_PX = 0.1;

    private final SkyOrientation orientation;
    private final boolean fitBackground;

    public GaussianFit2D() {
        this(SkyOrientation.EAST_LEFT, false);
    }

    public GaussianFit2D(SkyOrientation orientation, boolean fitBackground) {
        this.orientation = orientation;
        this.fitBackground = fitBackground;
    }

    /** Fit with the starting shape estimated from the image moments. */
    public Result fit(ImagePlane image, double x, double y, double radiusPx) {
        return fit(image, x, y, radiusPx, null, Double.NaN);
    }

    /**
     * Fit the pixels within {@code radiusPx} of (x, y).
     *
     * @param beam          starting shape (e.g. the restoring beam), or null to estimate it from the image moments
     * @param pixelScaleDeg pixel size in degrees, used only to convert {@code beam}
     */
    public Result fit(ImagePlane image, double x, double y, double radiusPx, Beam beam, double pixelScaleDeg) {
        List<double[]> pix = new ArrayList<>();
        int r = (int) Math.ceil(radiusPx);
        for (int py = (int) Math.floor(y) - r; py <= (int) Math.ceil(y) + r; py++) {
            for (int px = (int) Math.floor(x) - r; px <= (int) Math.ceil(x) + r; px++) {
                double dx = px - x, dy = py - y;
                float v = image.get(px, py);
                if (dx * dx + dy * dy <= radiusPx * radiusPx && Float.isFinite(v)) {
                    pix.add(new double[] {px, py, v});
                }
            }
        }
        int n = pix.size();
        int nPar = fitBackground ? 7 : 6;
        if (n <= nPar) {
            return Result.failure("only " + n + " finite pixels within " + radiusPx + " px", n);
        }
        double[] xs = new double[n], ys = new double[n], data = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = pix.get(i)[0];
            ys[i] = pix.get(i)[1];
            data[i] = pix.get(i)[2];
        }
        double[] start = initialGuess(xs, ys, data, beam, pixelScaleDeg);
        GaussianModel model = new GaussianModel(xs, ys, orientation.eastSign(), fitBackground);

        Optimum opt;
        RealMatrix cov;
        try {
            opt = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                    .start(start).model(model).target(data)
                    .parameterValidator(p -> {
                        p.setEntry(3, Math.max(MIN_FWHM_PX, Math.abs(p.getEntry(3))));
                        p.setEntry(4, Math.max(MIN_FWHM_PX, Math.abs(p.getEntry(4))));
                        return p;
                    })
                    .maxIterations(MAX_ITERATIONS).maxEvaluations(10 * MAX_ITERATIONS)
                    .build());
            cov = opt.getCovariances(1e-14);
        } catch (SingularMatrixException e) {
            return Result.failure("singular covariance: parameters not constrained", n);
        } catch (MathIllegalStateException e) {
            return Result.failure("fit did not converge: " + e.getMessage(), n);
        }
        double[] p = opt.getPoint().toArray();
        double residualVariance = opt.getCost() * opt.getCost() / (n - nPar); // getCost() = √Σr²
        double[] err = new double[nPar];
        for (int i = 0; i < nPar; i++) {
            err[i] = Math.sqrt(cov.getEntry(i, i) * residualVariance);
        }
        for (double v : p) {
            if (!Double.isFinite(v)) {
                return Result.failure("fit produced non-finite parameters", n);
            }
        }
        double ddx = p[1] - x, ddy = p[2] - y;
        if (ddx * ddx + ddy * ddy > radiusPx * radiusPx) {
            return Result.failure("fitted centre left the fitting region", n);
        }
        double fa = p[3], fb = p[4], faErr = err[3], fbErr = err[4], pa = Math.toDegrees(p[5]);
        if (fb > fa) { // keep "major" the larger axis: swap the axes and turn the PA by 90°
            double t = fa; fa = fb; fb = t;
            t = faErr; faErr = fbErr; fbErr = t;
            pa += 90.0;
        }
        return new Result(p[0], err[0], p[1], err[1], p[2], err[2], fa, faErr, fb, fbErr, normalizePa(pa),
                Math.toDegrees(err[5]), fitBackground ? p[6] : Double.NaN, fitBackground ? err[6] : Double.NaN,
                residualVariance, n, opt.getIterations(), true, null);
    }

    /** Maps a position angle onto (−90°, 90°] (a Gaussian is symmetric under PA + 180°). */
    static double normalizePa(double paDeg) {
        double pa = paDeg % 180.0;
        if (pa > 90.0) {
            pa -= 180.0;
        } else if (pa <= -90.0) {
            pa += 180.0;
        }
        return pa;
    }

    /** Start: background = median, peak = max − background, centre and shape from the positive-excess moments. */
    private double[] initialGuess(double[] xs, double[] ys, double[] data, Beam beam, double pixelScaleDeg) {
        double bg = fitBackground ? RobustStats.median(data) : 0.0;
        double peak = Double.NEGATIVE_INFINITY;
        int iPeak = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] > peak) {
                peak = data[i];
                iPeak = i;
            }
        }
        double sw = 0, mx = 0, my = 0;
        for (int i = 0; i < data.length; i++) {
            double w = Math.max(0, data[i] - bg);
            sw += w;
            mx += w * xs[i];
            my += w * ys[i];
        }
        double cx = sw > 0 ? mx / sw : xs[iPeak];
        double cy = sw > 0 ? my / sw : ys[iPeak];
        double fa, fb, paRad;
        if (beam != null && pixelScaleDeg > 0) {
            fa = beam.bmajDeg() / pixelScaleDeg;
            fb = beam.bminDeg() / pixelScaleDeg;
            paRad = Math.toRadians(beam.bpaDeg());
        } else {
            // Second moments of the pixels above half the peak excess (less sensitive to noise in the wings).
            double half = 0.5 * (peak - bg);
            double sxx = 0, syy = 0, sxy = 0, s = 0;
            for (int i = 0; i < data.length; i++) {
                double w = data[i] - bg;
                if (w >= half) {
                    double dx = xs[i] - cx, dy = ys[i] - cy;
                    sxx += w * dx * dx;
                    syy += w * dy * dy;
                    sxy += w * dx * dy;
                    s += w;
                }
            }
            // For a Gaussian cut at half maximum the value-weighted second moment along an axis is σ²·(1 − ln 2).
            double k = 1.0 / (1.0 - Math.log(2.0));
            double a = s > 0 ? k * sxx / s : 1, c = s > 0 ? k * syy / s : 1, b = s > 0 ? k * sxy / s : 0;
            double tr = 0.5 * (a + c), det = Math.sqrt(0.25 * (a - c) * (a - c) + b * b);
            double l1 = tr + det, l2 = Math.max(tr - det, 1e-3);
            double sigmaToFwhm = 1.0 / EllipticalGaussian.FWHM_TO_SIGMA;
            fa = Math.max(1.0, Math.sqrt(l1) * sigmaToFwhm);
            fb = Math.max(1.0, Math.sqrt(l2) * sigmaToFwhm);
            // Major-axis eigenvector (vx, vy); PA = atan2(east component, north component).
            double vx = b, vy = l1 - a;
            if (Math.abs(vx) < 1e-12 && Math.abs(vy) < 1e-12) {
                vx = a >= c ? 1 : 0;
                vy = a >= c ? 0 : 1;
            }
            paRad = Math.atan2(orientation.eastSign() * vx, vy);
        }
        double[] start = fitBackground ? new double[7] : new double[6];
        start[0] = peak - bg;
        start[1] = cx;
        start[2] = cy;
        start[3] = fa;
        start[4] = fb;
        start[5] = paRad;
        if (fitBackground) {
            start[6] = bg;
        }
        return start;
    }
}
