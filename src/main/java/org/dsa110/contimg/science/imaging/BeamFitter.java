package org.dsa110.contimg.science.imaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Restoring beam from the PSF main lobe: an elliptical Gaussian of unit peak centred on the PSF centre,
 * exp(−(A·x² + 2B·x·y + C·y²)), fitted by Levenberg–Marquardt (commons-math3) to the main-lobe pixels — those
 * above {@value #LOBE_THRESHOLD} connected to the centre — starting from the linear least-squares fit of
 * ln(PSF) on the same pixels. FWHM along the principal axes is 2√(ln 2/λ) for the eigenvalues λ of [[A, B], [B, C]].
 * BPA is the major axis' position angle east of north with east = −x and north = +y (see {@link ImageGeometry}),
 * in (−90°, 90°].
 */
public final class BeamFitter {

    static final double LOBE_THRESHOLD = 0.35;

    private BeamFitter() {
    }

    /** Fits the beam of a PSF whose peak is at (width/2, height/2); cell in degrees. */
    public static Beam fit(ImagePlane psf, double cellDeg) {
        int cx = psf.x0() + psf.width() / 2;
        int cy = psf.y0() + psf.height() / 2;
        List<int[]> lobe = mainLobe(psf, cx, cy);
        int m = lobe.size();
        if (m < 6) {
            throw new IllegalArgumentException("PSF main lobe has only " + m + " pixels above " + LOBE_THRESHOLD
                + ": image cell too coarse for the beam");
        }
        double[] xs = new double[m];
        double[] ys = new double[m];
        double[] vals = new double[m];
        for (int i = 0; i < m; i++) {
            xs[i] = lobe.get(i)[0] - cx;
            ys[i] = lobe.get(i)[1] - cy;
            vals[i] = psf.get(lobe.get(i)[0], lobe.get(i)[1]);
        }
        double[] start = logLinearFit(xs, ys, vals);
        MultivariateJacobianFunction model = p -> {
            double a = p.getEntry(0), b = p.getEntry(1), c = p.getEntry(2);
            RealVector value = new ArrayRealVector(m);
            double[][] jac = new double[m][3];
            for (int i = 0; i < m; i++) {
                double x = xs[i], y = ys[i];
                double g = Math.exp(-(a * x * x + 2 * b * x * y + c * y * y));
                value.setEntry(i, g);
                jac[i][0] = -x * x * g;
                jac[i][1] = -2 * x * y * g;
                jac[i][2] = -y * y * g;
            }
            return new Pair<>(value, new Array2DRowRealMatrix(jac, false));
        };
        LeastSquaresOptimizer.Optimum opt = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
            .start(start).model(model).target(vals).maxEvaluations(1000).maxIterations(1000).build());
        double[] q = opt.getPoint().toArray();
        return toBeam(q[0], q[1], q[2], cellDeg);
    }

    /** Pixels ≥ threshold 4-connected to the centre (flood fill), bounded to the PSF. */
    private static List<int[]> mainLobe(ImagePlane psf, int cx, int cy) {
        List<int[]> out = new ArrayList<>();
        boolean[] seen = new boolean[psf.width() * psf.height()];
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {cx, cy});
        seen[(cy - psf.y0()) * psf.width() + (cx - psf.x0())] = true;
        while (!queue.isEmpty()) {
            int[] p = queue.poll();
            if (!(psf.get(p[0], p[1]) >= LOBE_THRESHOLD)) {
                continue;
            }
            out.add(p);
            int[][] nb = {{p[0] + 1, p[1]}, {p[0] - 1, p[1]}, {p[0], p[1] + 1}, {p[0], p[1] - 1}};
            for (int[] q : nb) {
                if (psf.contains(q[0], q[1])) {
                    int idx = (q[1] - psf.y0()) * psf.width() + (q[0] - psf.x0());
                    if (!seen[idx]) {
                        seen[idx] = true;
                        queue.add(q);
                    }
                }
            }
        }
        return out;
    }

    /** Least-squares fit of −ln v = A x² + 2B xy + C y² (3×3 normal equations, weights v² ≈ 1/var(ln v)). */
    private static double[] logLinearFit(double[] xs, double[] ys, double[] vals) {
        double[][] n = new double[3][3];
        double[] r = new double[3];
        for (int i = 0; i < xs.length; i++) {
            double[] f = {xs[i] * xs[i], 2 * xs[i] * ys[i], ys[i] * ys[i]};
            double t = -Math.log(vals[i]);
            double w = vals[i] * vals[i];
            for (int a = 0; a < 3; a++) {
                r[a] += w * f[a] * t;
                for (int b = 0; b < 3; b++) {
                    n[a][b] += w * f[a] * f[b];
                }
            }
        }
        try {
            return new org.apache.commons.math3.linear.LUDecomposition(new Array2DRowRealMatrix(n))
                .getSolver().solve(new ArrayRealVector(r)).toArray();
        } catch (RuntimeException singular) {
            return new double[] {0.1, 0.0, 0.1};
        }
    }

    /** Converts the quadratic form (pixel units) to BMAJ/BMIN/BPA in degrees. */
    static Beam toBeam(double a, double b, double c, double cellDeg) {
        double tr = 0.5 * (a + c);
        double disc = Math.sqrt(0.25 * (a - c) * (a - c) + b * b);
        double lSmall = tr - disc; // major axis ↔ smaller eigenvalue
        double lLarge = tr + disc;
        if (!(lSmall > 0)) {
            throw new IllegalStateException("PSF fit is not a bounded Gaussian");
        }
        double fwhmMajor = 2 * Math.sqrt(Math.log(2) / lSmall) * cellDeg;
        double fwhmMinor = 2 * Math.sqrt(Math.log(2) / lLarge) * cellDeg;
        // eigenvector of lSmall: (b, lSmall − a) or (lSmall − c, b)
        double vx, vy;
        if (Math.abs(b) > 1e-15) {
            vx = b;
            vy = lSmall - a;
        } else if (a <= c) {
            vx = 1;
            vy = 0;
        } else {
            vx = 0;
            vy = 1;
        }
        // east = −x, north = +y; PA east of north
        double pa = Math.toDegrees(Math.atan2(-vx, vy));
        while (pa <= -90) {
            pa += 180;
        }
        while (pa > 90) {
            pa -= 180;
        }
        return new Beam(fwhmMajor, fwhmMinor, pa);
    }
}
