package org.dsa110.contimg.science.photometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.junit.jupiter.api.Test;

class GaussianFit2DTest {

    private static final double NOISE = 1e-3;
    private static final int W = 64;

    private static ImagePlane image(long seed, double x0, double y0, double peak, double fa, double fb, double pa,
                                    double background) {
        float[] pix = ForcedPhotometryTest.noise(W * W, NOISE, seed);
        for (int i = 0; i < pix.length; i++) {
            pix[i] += (float) background;
        }
        ForcedPhotometryTest.addSource(pix, W, W, x0, y0, peak, fa, fb, pa);
        return ImagePlane.of(W, W, pix);
    }

    private static ImagePlane image(long seed, double x0, double y0, double peak, double fa, double fb, double pa) {
        return image(seed, x0, y0, peak, fa, fb, pa, 0.0);
    }

    @Test
    void recoversCircularSourceAtSnr100() {
        ImagePlane img = image(101L, 32.3, 31.6, 100 * NOISE, 5.0, 5.0, 0);
        GaussianFit2D.Result r = new GaussianFit2D().fit(img, 32, 32, 10);
        assertTrue(r.success(), r.error());
        assertEquals(32.3, r.x(), 0.1);
        assertEquals(31.6, r.y(), 0.1);
        assertEquals(5.0, r.fwhmMajorPx(), 0.02 * 5.0);
        assertEquals(5.0, r.fwhmMinorPx(), 0.02 * 5.0);
        assertEquals(0.1, r.peak(), 3 * r.peakErr());
        // errors come from the scaled covariance: small but positive, and the residual variance ≈ σ²
        assertTrue(r.xErr() > 0 && r.xErr() < 0.05, "xErr " + r.xErr());
        assertEquals(NOISE * NOISE, r.reducedChi2(), 0.2 * NOISE * NOISE);
        assertTrue(Double.isNaN(r.background()));
    }

    @Test
    void recoversEllipticalSourcePositionAngle() {
        for (double pa : new double[] {30, -60, 75}) {
            ImagePlane img = image(202L, 31.7, 32.2, 100 * NOISE, 8.0, 4.0, pa);
            GaussianFit2D.Result r = new GaussianFit2D().fit(img, 32, 32, 14);
            assertTrue(r.success(), r.error());
            assertEquals(31.7, r.x(), 0.1);
            assertEquals(32.2, r.y(), 0.1);
            assertEquals(8.0, r.fwhmMajorPx(), 0.02 * 8.0);
            assertEquals(4.0, r.fwhmMinorPx(), 0.02 * 4.0);
            assertEquals(pa, r.paDeg(), 3.0, "PA");
            assertTrue(r.paErr() > 0 && r.paErr() < 3.0);
        }
    }

    @Test
    void mirroredOrientationMirrorsThePositionAngle() {
        ImagePlane img = image(303L, 32, 32, 100 * NOISE, 8.0, 4.0, 30);
        GaussianFit2D.Result r = new GaussianFit2D(SkyOrientation.EAST_RIGHT, false).fit(img, 32, 32, 14);
        assertTrue(r.success());
        assertEquals(-30, r.paDeg(), 3.0);
    }

    @Test
    void fitsBackgroundAndUsesBeamAsStart() {
        ImagePlane img = image(404L, 32.4, 32.1, 50 * NOISE, 6.0, 4.5, -20, 5 * NOISE);
        double pix = 1.0 / 3600;
        GaussianFit2D.Result r = new GaussianFit2D(SkyOrientation.EAST_LEFT, true)
                .fit(img, 32, 32, 16, new Beam(6 * pix, 4.5 * pix, -20), pix);
        assertTrue(r.success(), r.error());
        assertEquals(5 * NOISE, r.background(), 3 * r.backgroundErr());
        assertEquals(50 * NOISE, r.peak(), 3 * r.peakErr());
        assertEquals(-20, r.paDeg(), 5.0);
    }

    @Test
    void failsCleanlyOnBlankOrTinyRegion() {
        float[] blank = new float[W * W];
        Arrays.fill(blank, Float.NaN);
        GaussianFit2D.Result r = new GaussianFit2D().fit(ImagePlane.of(W, W, blank), 32, 32, 10);
        assertFalse(r.success());
        assertEquals(0, r.nPixels());
        assertTrue(Double.isNaN(r.peak()));
        assertFalse(new GaussianFit2D().fit(image(1L, 32, 32, 0.1, 5, 5, 0), 32, 32, 1.0).success());
    }

    @Test
    void analyticJacobianMatchesFiniteDifferences() {
        double[] xs = {28, 30.5, 33, 35, 31};
        double[] ys = {30, 34, 29.5, 33, 31};
        for (int east : new int[] {-1, 1}) {
            GaussianModel model = new GaussianModel(xs, ys, east, true);
            double[] p = {0.7, 31.2, 31.8, 6.0, 3.5, Math.toRadians(35), 0.01};
            RealMatrix j = model.value(new ArrayRealVector(p)).getSecond();
            for (int k = 0; k < p.length; k++) {
                double h = 1e-6 * Math.max(1, Math.abs(p[k]));
                double[] plus = p.clone(), minus = p.clone();
                plus[k] += h;
                minus[k] -= h;
                double[] fp = model.value(new ArrayRealVector(plus)).getFirst().toArray();
                double[] fm = model.value(new ArrayRealVector(minus)).getFirst().toArray();
                for (int i = 0; i < xs.length; i++) {
                    assertEquals((fp[i] - fm[i]) / (2 * h), j.getEntry(i, k), 1e-6, "param " + k + " pixel " + i);
                }
            }
        }
    }

    @Test
    void positionAngleIsNormalised() {
        assertEquals(-60.0, GaussianFit2D.normalizePa(120.0), 1e-12);
        assertEquals(90.0, GaussianFit2D.normalizePa(-90.0), 1e-12);
        assertEquals(10.0, GaussianFit2D.normalizePa(370.0), 1e-12);
    }
}
