package org.dsa110.contimg.science.photometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.junit.jupiter.api.Test;

class ForcedPhotometryTest {

    private static final double PIX_DEG = 2.0 / 3600.0; // 2″ pixels
    private static final double NOISE = 1e-3;           // 1 mJy/beam white noise

    /**
     * Adds a beam-shaped source written directly from the sky definition (independent of EllipticalGaussian): a
     * standard image has east = −x and north = +y; the major axis is at PA east of north.
     */
    static void addSource(float[] pix, int width, int height, double x0, double y0, double peak, double fwhmMajPx,
                          double fwhmMinPx, double paDeg) {
        double pa = Math.toRadians(paDeg);
        int r = (int) Math.ceil(4 * fwhmMajPx);
        for (int py = Math.max(0, (int) y0 - r); py <= Math.min(height - 1, (int) y0 + r); py++) {
            for (int px = Math.max(0, (int) x0 - r); px <= Math.min(width - 1, (int) x0 + r); px++) {
                double east = -(px - x0);
                double north = py - y0;
                double a = east * Math.sin(pa) + north * Math.cos(pa);
                double b = east * Math.cos(pa) - north * Math.sin(pa);
                double q = a * a / (fwhmMajPx * fwhmMajPx) + b * b / (fwhmMinPx * fwhmMinPx);
                pix[py * width + px] += (float) (peak * Math.exp(-4 * Math.log(2) * q));
            }
        }
    }

    static float[] noise(int n, double sigma, long seed) {
        Random rng = new Random(seed);
        float[] pix = new float[n];
        for (int i = 0; i < n; i++) {
            pix[i] = (float) (sigma * rng.nextGaussian());
        }
        return pix;
    }

    @Test
    void recoversInjectedFluxesWithinOneSigmaOfTheNoise() {
        int nx = 21, ny = 10, cell = 60;
        int width = nx * cell, height = ny * cell;
        float[] pix = noise(width * height, NOISE, 42L);
        Random rng = new Random(7L);
        int n = nx * ny;
        double[] xs = new double[n], ys = new double[n], truth = new double[n];
        Beam[] beams = new Beam[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (i % nx) * cell + cell / 2.0 + rng.nextDouble() - 0.5;
            ys[i] = (i / nx) * cell + cell / 2.0 + rng.nextDouble() - 0.5;
            truth[i] = NOISE * (3 + 97 * rng.nextDouble());
            double majPx = 3.5 + 2.5 * rng.nextDouble();
            double minPx = (i % 3 == 0) ? majPx : majPx * (0.5 + 0.5 * rng.nextDouble()); // some circular
            double pa = -90 + 180 * rng.nextDouble();
            beams[i] = new Beam(majPx * PIX_DEG, minPx * PIX_DEG, pa);
            addSource(pix, width, height, xs[i], ys[i], truth[i], majPx, minPx, pa);
        }
        ImagePlane image = ImagePlane.of(width, height, pix);
        ForcedPhotometry fp = new ForcedPhotometry();
        int within = 0;
        double chi2PerDof = 0;
        for (int i = 0; i < n; i++) {
            PhotometryResult r = fp.measure(image, xs[i], ys[i], PIX_DEG, beams[i]);
            assertTrue(r.success(), r.error());
            assertEquals(PhotometryResult.Method.CONDON_WEIGHTED, r.method());
            if (Math.abs(r.peakJyb() - truth[i]) < NOISE) {
                within++;
            }
            // constant annulus noise → error = σ_annulus, close to the true σ
            assertEquals(NOISE, r.peakErrJyb(), 0.1 * NOISE);
            assertEquals(r.peakErrJyb(), r.localRms(), 1e-15);
            assertEquals(r.peakJyb() / r.peakErrJyb(), r.snr(), 1e-9);
            chi2PerDof += r.chisq() / r.dof() / n;
        }
        assertTrue(within >= 0.95 * n, within + " of " + n + " within 1σ");
        // the model is exact, so χ²/dof averages ≈ 1 (noise estimate is the clipped annulus rms)
        assertEquals(1.0, chi2PerDof, 0.1);
    }

    @Test
    void cutoutSizeAndDofFollowNpixFormula() {
        int w = 80, h = 80;
        float[] pix = noise(w * h, NOISE, 3L);
        Beam beam = new Beam(5 * PIX_DEG, 3 * PIX_DEG, 30);
        PhotometryResult r = new ForcedPhotometry().measure(ImagePlane.of(w, h, pix), 40.3, 39.8, PIX_DEG, beam);
        // npix = round(1.5 · 5) = 8 → a 17×17 box, all finite: N_good = 289, dof = 288
        assertEquals(289, r.nPixels());
        assertEquals(288, r.dof());
    }

    @Test
    void errorEqualsSigmaForConstantNoiseMap() {
        int w = 100, h = 100;
        float[] pix = noise(w * h, NOISE, 11L);
        addSource(pix, w, h, 50.2, 49.7, 0.02, 5, 4, 20);
        float[] noiseMap = new float[w * h];
        Arrays.fill(noiseMap, (float) NOISE);
        PhotometryResult r = new ForcedPhotometry().measure(ImagePlane.of(w, h, pix), ImagePlane.of(w, h, noiseMap),
                50.2, 49.7, PIX_DEG, new Beam(5 * PIX_DEG, 4 * PIX_DEG, 20));
        assertTrue(r.success());
        assertEquals((float) NOISE, r.peakErrJyb(), 1e-12);
        assertEquals((float) NOISE, r.localRms(), 1e-12);
        assertEquals(0.02, r.peakJyb(), NOISE);
    }

    @Test
    void wrongPositionAngleBiasesAnEllipticalSource() {
        int w = 100, h = 100;
        float[] pix = new float[w * h]; // noiseless apart from a tiny floor so the annulus rms is defined
        float[] floor = noise(w * h, 1e-6, 5L);
        for (int i = 0; i < pix.length; i++) {
            pix[i] = floor[i];
        }
        addSource(pix, w, h, 50, 50, 0.05, 8, 3, 45);
        ImagePlane image = ImagePlane.of(w, h, pix);
        ForcedPhotometry fp = new ForcedPhotometry();
        double right = fp.measure(image, 50, 50, PIX_DEG, new Beam(8 * PIX_DEG, 3 * PIX_DEG, 45)).peakJyb();
        double wrong = fp.measure(image, 50, 50, PIX_DEG, new Beam(8 * PIX_DEG, 3 * PIX_DEG, -45)).peakJyb();
        assertEquals(0.05, right, 1e-4);
        assertTrue(wrong < 0.7 * 0.05, "mirrored PA should badly underestimate, got " + wrong);
        // the same image read with mirrored handedness matches the mirrored PA
        ForcedPhotometry mirrored = new ForcedPhotometry(
                ForcedPhotometry.Parameters.DEFAULTS.withOrientation(SkyOrientation.EAST_RIGHT));
        assertEquals(0.05, mirrored.measure(image, 50, 50, PIX_DEG, new Beam(8 * PIX_DEG, 3 * PIX_DEG, -45))
                .peakJyb(), 1e-4);
    }

    @Test
    void withoutBeamReturnsTheBoxPeakAndAnnulusRms() {
        int w = 80, h = 80;
        float[] pix = noise(w * h, NOISE, 19L);
        pix[38 * w + 42] = 0.030f; // inside the 5×5 box around (40, 40): offset (+2, −2)
        pix[40 * w + 43] = 0.050f; // offset +3: outside the box, must be ignored
        ImagePlane image = ImagePlane.of(w, h, pix);
        PhotometryResult r = new ForcedPhotometry().measure(image, 40.2, 39.9, PIX_DEG, null);
        assertTrue(r.success());
        assertEquals(PhotometryResult.Method.BOX_PEAK, r.method());
        assertEquals(0.030f, r.peakJyb(), 0.0);
        assertEquals(AnnulusRms.of(image, 40.2, 39.9), r.peakErrJyb(), 0.0);
        assertEquals(NOISE, r.peakErrJyb(), 0.15 * NOISE);
        assertEquals(25, r.nPixels());
    }

    @Test
    void blankRegionAndOffImageFailWithoutException() {
        int w = 80, h = 80;
        float[] pix = noise(w * h, NOISE, 23L);
        for (int y = 20; y < 60; y++) {
            for (int x = 20; x < 60; x++) {
                pix[y * w + x] = Float.NaN;
            }
        }
        ImagePlane image = ImagePlane.of(w, h, pix);
        Beam beam = new Beam(4 * PIX_DEG, 4 * PIX_DEG, 0);
        float[] noiseMap = new float[w * h];
        Arrays.fill(noiseMap, (float) NOISE);
        PhotometryResult blank = new ForcedPhotometry().measure(image, ImagePlane.of(w, h, noiseMap), 40, 40,
                PIX_DEG, beam);
        assertFalse(blank.success());
        assertNotNull(blank.error());
        assertTrue(Double.isNaN(blank.peakJyb()));
        assertFalse(new ForcedPhotometry().measure(image, 40, 40, PIX_DEG, null).success());
        PhotometryResult off = new ForcedPhotometry().measure(image, 120, 40, PIX_DEG, beam);
        assertFalse(off.success());
        assertTrue(off.error().contains("off the image"));
    }

    @Test
    void worksOnACutoutInParentCoordinates() {
        int w = 200, h = 200;
        float[] pix = noise(w * h, NOISE, 29L);
        addSource(pix, w, h, 150.4, 120.6, 0.04, 5, 5, 0);
        ImagePlane full = ImagePlane.of(w, h, pix);
        // a 50×50 cutout starting at (125, 95) still covers box + annulus
        float[] cut = new float[50 * 50];
        for (int y = 0; y < 50; y++) {
            System.arraycopy(pix, (95 + y) * w + 125, cut, y * 50, 50);
        }
        ImagePlane cutout = new ImagePlane(125, 95, 50, 50, cut);
        Beam beam = new Beam(5 * PIX_DEG, 5 * PIX_DEG, 0);
        ForcedPhotometry fp = new ForcedPhotometry();
        assertEquals(fp.measure(full, 150.4, 120.6, PIX_DEG, beam).peakJyb(),
                fp.measure(cutout, 150.4, 120.6, PIX_DEG, beam).peakJyb(), 1e-12);
    }

    @Test
    void annulusClippedRmsMatchesHandComputation() {
        // median 3, |x−3| = {2,1,0,1,97} → MAD 1, s = 1.4826; keep (−1.4478, 7.4478) → {1,2,3,4};
        // mean 2.5, population variance (2.25+0.25+0.25+2.25)/4 = 1.25 → 1.1180340
        assertEquals(Math.sqrt(1.25), AnnulusRms.clippedStd(new double[] {1, 2, 3, 4, 100}), 1e-12);
        assertTrue(Double.isNaN(AnnulusRms.clippedStd(new double[] {Double.NaN})));
    }

    @Test
    void kernelPositionAngleConvention() {
        // PA 0: major axis along north (+y)
        EllipticalGaussian k0 = new EllipticalGaussian(0, 0, 6, 2, 0, SkyOrientation.EAST_LEFT);
        assertTrue(k0.value(0, 2) > k0.value(2, 0));
        // PA 45 on a standard image: major axis towards north-east = (−x, +y)
        EllipticalGaussian k45 = new EllipticalGaussian(0, 0, 6, 2, 45, SkyOrientation.EAST_LEFT);
        assertTrue(k45.value(-2, 2) > k45.value(2, 2));
        assertEquals(0.5, k45.value(-3 / Math.sqrt(2), 3 / Math.sqrt(2)), 1e-12); // half max at FWHM/2
        EllipticalGaussian k45r = new EllipticalGaussian(0, 0, 6, 2, 45, SkyOrientation.EAST_RIGHT);
        assertTrue(k45r.value(2, 2) > k45r.value(-2, 2));
        assertEquals(SkyOrientation.EAST_LEFT, SkyOrientation.fromCdelt1(-1e-3));
    }
}
