package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.junit.jupiter.api.Test;

class BeamAndPrimaryBeamCorrectionTest {

    /** Unit-peak elliptical Gaussian with FWHM (pixels) and PA east of north, east = −x, north = +y. */
    private static ImagePlane gaussian(int size, double majPix, double minPix, double paDeg) {
        float[] d = new float[size * size];
        double pa = Math.toRadians(paDeg);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double east = -(x - size / 2), north = y - size / 2;
                double along = east * Math.sin(pa) + north * Math.cos(pa);
                double across = east * Math.cos(pa) - north * Math.sin(pa);
                d[y * size + x] = (float) Math.exp(-4 * Math.log(2)
                    * (along * along / (majPix * majPix) + across * across / (minPix * minPix)));
            }
        }
        return ImagePlane.of(size, size, d);
    }

    @Test
    void fitsEllipticalGaussianIncludingPositionAngle() {
        double cellDeg = 2.0 / 3600;
        for (double pa : new double[] {0.0, 30.0, -55.0, 89.0}) {
            Beam b = BeamFitter.fit(gaussian(128, 12.0, 7.0, pa), cellDeg);
            assertEquals(12.0 * cellDeg, b.bmajDeg(), 1e-3 * 12 * cellDeg, "bmaj at pa " + pa);
            assertEquals(7.0 * cellDeg, b.bminDeg(), 1e-3 * 7 * cellDeg, "bmin at pa " + pa);
            assertEquals(pa, b.bpaDeg(), 0.05, "bpa");
        }
    }

    @Test
    void cleanOfAPurePsfImageRestoresTheSourceFlux() {
        // dirty = 3 Jy × Gaussian PSF at (40, 70): one CLEAN component set, restored peak 3 Jy/beam
        int size = 128;
        ImagePlane psf = gaussian(2 * size, 9.0, 6.0, 20.0);
        float[] dirty = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                dirty[y * size + x] = 3f * psf.get(x - 40 + size, y - 70 + size);
            }
        }
        HogbomClean.Result r = HogbomClean.clean(ImagePlane.of(size, size, dirty), psf, 1.0 / 3600,
            HogbomClean.Options.defaults().withThreshold(1e-4));
        assertEquals(3.0, r.model().get(40, 70), 1e-3);
        assertEquals(3.0, r.restored().get(40, 70), 1e-3);
        assertTrue(r.peakResidualJy() < 1e-4);
        assertEquals(9.0 / 3600, r.beam().bmajDeg(), 1e-3 * 9 / 3600);
        assertEquals(20.0, r.beam().bpaDeg(), 0.05);
        // restored = model ⊗ beam + residual reproduces the dirty image here
        assertEquals(dirty[75 * size + 45], r.restored().get(45, 75), 1e-3);
    }

    @Test
    void primaryBeamCorrectionDividesByAiryAndBlanksBelowCutoff() {
        PrimaryBeam pb = PrimaryBeam.dsa110();
        double cell = Math.toRadians(60.0 / 3600);
        ImageGeometry g = new ImageGeometry(256, 256, cell, 1.0, 0.7);
        float[] ones = new float[256 * 256];
        java.util.Arrays.fill(ones, 1f);
        ImagePlane corrected = PrimaryBeamCorrection.apply(ImagePlane.of(256, 256, ones), g, 1.4e9, pb,
            PrimaryBeamCorrection.DEFAULT_CUTOFF);
        assertEquals(1.0, corrected.get(128, 128), 1e-6);
        // pixel 40 cells east of centre: θ = asin(40·cell)
        double b = pb.response(Math.asin(40 * cell), 1.4e9);
        assertEquals(1.0 / b, corrected.get(88, 128), 1e-4);
        int blank = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                double[] lm = g.pixelToLm(x, y);
                double resp = pb.response(Math.asin(Math.hypot(lm[0], lm[1])), 1.4e9);
                assertEquals(resp < 0.1, Float.isNaN(corrected.get(x, y)));
                blank += resp < 0.1 ? 1 : 0;
            }
        }
        assertTrue(blank > 0, "the 4.3° image reaches beyond the 10% level");
    }

    @Test
    void geometryMatchesFitsSinConvention() {
        ImageGeometry g = new ImageGeometry(100, 80, Math.toRadians(10.0 / 3600), Math.toRadians(200), Math.toRadians(40));
        assertEquals(51.0, g.crpix1());
        assertEquals(41.0, g.crpix2());
        assertEquals(-10.0 / 3600, g.cdelt1(), 1e-15);
        double[] sky = g.pixelToSky(50, 40);
        assertEquals(Math.toRadians(200), sky[0], 1e-12);
        assertEquals(Math.toRadians(40), sky[1], 1e-12);
        // one pixel to the left (x − 1) is east: higher RA
        double[] east = g.pixelToSky(49, 40);
        assertTrue(east[0] > sky[0]);
        double[] back = g.skyToPixel(east[0], east[1]);
        assertEquals(49.0, back[0], 1e-9);
        assertEquals(40.0, back[1], 1e-9);
        double[] north = g.pixelToSky(50, 41);
        assertTrue(north[1] > sky[1]);
    }

    /**
     * Drift scan: the correction divides by the weighted mean of the responses to every pointing (here five
     * meridians 0.15° apart in RA, unequal weights, one without data), checked pixel by pixel against a direct sum
     * (nodes and the pixels between them) to 10⁻⁴; the blanking follows the mean beam.
     */
    @Test
    void driftScanCorrectionDividesByTheWeightedMeanBeam() {
        PrimaryBeam pb = PrimaryBeam.dsa110();
        double cell = Math.toRadians(60.0 / 3600);
        ImageGeometry g = new ImageGeometry(256, 256, cell, 1.0, 0.95);
        double[] ra = new double[5];
        double[] dec = new double[5];
        double[] w = {1, 2, 3, 0, 1.5};
        for (int t = 0; t < 5; t++) {
            ra[t] = 1.0 + Math.toRadians(0.15 * (t - 2)) / Math.cos(0.95);
            dec[t] = 0.95;
        }
        float[] ones = new float[256 * 256];
        java.util.Arrays.fill(ones, 1f);
        ImagePlane corrected = PrimaryBeamCorrection.apply(ImagePlane.of(256, 256, ones), g, 1.4e9, pb,
            PrimaryBeamCorrection.DEFAULT_CUTOFF, new BeamPointings(ra, dec, w));
        int checked = 0;
        for (int y = 0; y < 256; y += 7) {
            for (int x = 0; x < 256; x += 5) {
                double[] sky = g.pixelToSky(x, y);
                double sum = 0;
                for (int t = 0; t < 5; t++) {
                    sum += w[t] * pb.response(SkyGeometry.separationRad(sky[0], sky[1], ra[t], dec[t]), 1.4e9);
                }
                double mean = sum / 7.5;
                if (Math.abs(mean - 0.1) < 1e-3) {
                    continue; // at the cutoff either answer is right
                }
                if (mean < 0.1) {
                    assertTrue(Float.isNaN(corrected.get(x, y)), "blank at " + x + "," + y);
                } else {
                    assertEquals(1.0, corrected.get(x, y) * mean, 1e-4, "pixel " + x + "," + y);
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
        // the centre is no longer 1: the mean beam there is below the peak (pointings up to 0.3° away)
        assertTrue(corrected.get(128, 128) > 1.003);
        // one pointing at the phase centre: the plain correction
        ImagePlane single = PrimaryBeamCorrection.apply(ImagePlane.of(256, 256, ones), g, 1.4e9, pb,
            PrimaryBeamCorrection.DEFAULT_CUTOFF, new BeamPointings(new double[] {1.0}, new double[] {0.95},
                new double[] {1}));
        ImagePlane plain = PrimaryBeamCorrection.apply(ImagePlane.of(256, 256, ones), g, 1.4e9, pb,
            PrimaryBeamCorrection.DEFAULT_CUTOFF);
        assertEquals(plain.get(40, 200), single.get(40, 200), 1e-6);
    }
}
