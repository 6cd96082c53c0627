package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.PrimaryBeam;
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
}
