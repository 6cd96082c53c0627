package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The w-plane fit's arithmetic and the resampling to the true grid, against direct computation. */
class PlaneResamplingTest {

    /** Keys six-point cubic convolution on a Gaussian of 6 px FWHM (the narrowest beam science.md's cell gives) at random sub-pixels. */
    @Test
    void cubicConvolutionInterpolatesABeamSampledGaussianToAFewTenThousandthsOfItsPeak() {
        int n = 64;
        double sigma = 6.0 / (2 * Math.sqrt(2 * Math.log(2)));
        double cx = 31.3, cy = 32.6;
        float[] img = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                img[y * n + x] = (float) gauss(x - cx, y - cy, sigma);
            }
        }
        SplittableRandom rnd = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 20000; i++) {
            double x = cx + rnd.nextDouble(-12, 12), y = cy + rnd.nextDouble(-12, 12);
            worst = Math.max(worst, Math.abs(PlaneResampling.interpolate(img, n, n, x, y) - gauss(x - cx, y - cy,
                sigma)));
        }
        System.out.printf("six-point cubic convolution on a 6 px FWHM Gaussian: largest error %.2e of the peak%n", worst);
        assertTrue(worst < 1e-3, "largest interpolation error " + worst);
        // on the samples themselves the interpolation is the identity
        assertEquals(img[20 * n + 40], PlaneResampling.interpolate(img, n, n, 40, 20), 1e-6);
    }

    private static double gauss(double dx, double dy, double sigma) {
        return Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
    }

    @Test
    void fitRecoversACoplanarArraysTiltAndFallsBackWithoutOne() {
        SplittableRandom rnd = new SplittableRandom(5);
        int rows = 2000;
        double[] u = new double[rows], v = new double[rows], w = new double[rows], q = new double[rows];
        double[] wild = new double[rows];
        for (int r = 0; r < rows; r++) {
            u[r] = rnd.nextDouble(-2000, 2000);
            v[r] = rnd.nextDouble(-2000, 2000);
            w[r] = 1e-4 * u[r] + 0.31 * v[r] + rnd.nextDouble(-10, 10);
            wild[r] = rnd.nextDouble(-600, 600);
            q[r] = 1;
        }
        WPlaneFit fit = WPlaneFit.fit(u, v, w, q);
        System.out.printf("fit a=%.2e b=%.4f, max|w| %.0f m -> max|w'| %.1f m%n", fit.a(), fit.b(), fit.maxAbsW(),
            fit.maxAbsResidual());
        assertEquals(0.31, fit.b(), 1e-3);
        assertEquals(1e-4, fit.a(), 1e-3);
        assertTrue(fit.maxAbsResidual() < 11 && fit.maxAbsResidual() < fit.maxAbsW() / 20);
        assertFalse(WPlaneFit.fit(u, v, wild, q).active(), "w unrelated to (u, v): no fit");
    }

    @Test
    void theInverseMappingUndoesTheForwardOne() {
        WPlaneFit fit = new WPlaneFit(9.4e-5, 0.3139, 671, 18.8, 2.3);
        double rad = Math.toRadians(1.75);
        for (double[] lm : new double[][] {{rad, rad}, {-rad, rad}, {0.3 * rad, -rad}, {0, 0}}) {
            double[] d = fit.distorted(lm[0], lm[1]);
            double nm1 = fit.nMinusOneAt(d[0], d[1]);
            assertEquals(lm[0], d[0] - fit.a() * nm1, 1e-8); // 0.002″
            assertEquals(lm[1], d[1] - fit.b() * nm1, 1e-8); // 0.002″
        }
        // the corner shift of a 3.5° field: b·(n − 1) ≈ 60″, about 38 px of 1.56″
        double cell = Math.toRadians(1.56 / 3600);
        int margin = fit.marginPixels(8060, cell);
        System.out.printf("margin for 8060 px of 1.56\": %d px%n", margin);
        assertTrue(margin >= 38 + PlaneResampling.REACH && margin < 48, "margin " + margin);
    }

    @Test
    void componentsMoveToTheirTruePositionWithTheirFlux() {
        WPlaneFit fit = new WPlaneFit(2e-4, 0.35, 500, 10, 2);
        double cell = Math.toRadians(12.0 / 3600);
        int size = 1050, margin = fit.marginPixels(size, cell), work = size + 2 * margin;
        double[] lm = {Math.toRadians(1.6), Math.toRadians(-1.5)};
        double[] d = fit.distorted(lm[0], lm[1]);
        int xw = (int) Math.round(work / 2 - d[0] / cell), yw = (int) Math.round(work / 2 + d[1] / cell);
        float[] model = new float[work * work];
        model[yw * work + xw] = 2f;
        float[] out = PlaneResampling.model(model, work, size, cell, fit);
        double sum = 0, sx = 0, sy = 0;
        for (int i = 0; i < out.length; i++) {
            sum += out[i];
            sx += out[i] * (i % size);
            sy += out[i] * (i / size);
        }
        // the component's own true position (the working pixel's centre mapped back)
        double lp = -(xw - work / 2) * cell, mp = (yw - work / 2) * cell;
        double nm1 = fit.nMinusOneAt(lp, mp);
        double x = size / 2 - (lp - fit.a() * nm1) / cell, y = size / 2 + (mp - fit.b() * nm1) / cell;
        assertEquals(2.0, sum, 1e-5);
        assertEquals(x, sx / sum, 1e-4);
        assertEquals(y, sy / sum, 1e-4);
    }
}
