package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * The minor cycles' masked subtraction ({@link ClarkSubtraction}): exact at the mask's pixels, nothing elsewhere, and
 * Cotton–Schwab with it gives the same images as with the whole-image subtraction.
 */
class ClarkSubtractionTest {

    private static final double CELL_ARCSEC = 12.0;

    /** A PSF with far sidelobes: a snapshot of the core stations (the imager's own), 2 × 200 px. */
    private static ImagePlane snapshotPsf() {
        Visibilities vis = WStackingTest.snapshot(2, DriftScan.channels(1.3e9, 40e6, 2));
        double[] c = WStackingTest.centre(vis);
        return new Imager(new ImagingParameters(CELL_ARCSEC, 200, Double.NaN, 7, 2.0), 0).open(vis, c[0], c[1])
            .psf();
    }

    @Test
    void theMaskedSubtractionIsTheExactOneAtTheMasksPixels() {
        CleanPsf p = new CleanPsf(snapshotPsf(), 0);
        int w = 200, h = 200;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] start = new float[w * h];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) rnd.nextGaussian();
        }
        boolean[] mask = new boolean[w * h];
        for (int k = 0; k < 300; k++) {
            mask[rnd.nextInt(w * h)] = true;
        }
        Map<Integer, Double> flux = Map.of(37 * w + 12, 1.5, 150 * w + 190, -0.7, 100 * w + 100, 0.3);
        float[] exact = start.clone(), masked = start.clone();
        new ClarkSubtraction(p, w, h, false, mask).subtract(exact, new HashMap<>(flux));
        ClarkSubtraction sub = new ClarkSubtraction(p, w, h, true, mask);
        sub.subtract(masked, new HashMap<>(flux));
        int inMask = 0;
        for (int i = 0; i < start.length; i++) {
            if (mask[i]) {
                inMask++;
                assertEquals(exact[i], masked[i], 0f, "pixel " + i + " is bit-identical");
            } else {
                assertEquals(start[i], masked[i], 0f, "pixel " + i + " outside the mask is left alone");
            }
        }
        // work: mask pixels × components, against the whole PSF's overlap (twice the image: the whole image)
        assertEquals((long) inMask * flux.size(), sub.updates()[0]);
        assertEquals(3L * w * h, sub.updates()[1]);
        // and without a mask, or when the caller does not re-image, the subtraction is the exact one
        float[] unmasked = start.clone();
        new ClarkSubtraction(p, w, h, true, null).subtract(unmasked, new HashMap<>(flux));
        assertArrayEquals(exact, unmasked);
    }

    @Test
    void cottonSchwabWithTheMaskedSubtractionGivesTheSameImagesAsWithTheWholePsf() {
        // WStackingTest's field: a 10 Jy source 1° out, four fainter ones down to ~8 σ, thermal noise, 1050² of 12″
        double width = 3.2e6;
        double[] freq = DriftScan.channels(1.3e9, width, 8);
        Visibilities vis = WStackingTest.snapshot(2, freq);
        double[] c = WStackingTest.centre(vis);
        List<PointSource> sources = List.of(WStackingTest.at(c, 0.7, 0.7, 10.0), WStackingTest.at(c, -0.3, 0.5, 0.5),
            WStackingTest.at(c, 0.2, -1.4, 0.08), WStackingTest.at(c, -1.5, -0.4, 0.03),
            WStackingTest.at(c, 0.05, 0.1, 0.012));
        new VisibilityModel(sources, null).predict(vis, null);
        VisibilityModel.addThermalNoise(vis, 5800, width, DriftScan.DSA110_INTEGRATION_SEC, new SplittableRandom(7));
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, 1050, Double.NaN, 7, 2.0);
        CottonSchwabClean.Result[] r = new CottonSchwabClean.Result[2];
        for (boolean masked : new boolean[] {false, true}) {
            Imager.Session s = new Imager(p).open(vis, c[0], c[1]);
            r[masked ? 1 : 0] = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults(), masked);
        }
        CottonSchwabClean.Result whole = r[0], masked = r[1];
        System.out.printf("whole PSF: %d iterations, %d major cycles; masked: %d iterations, %d major cycles, %.3f of "
            + "the whole-image subtraction work%n", whole.iterations(), whole.majorCycles(), masked.iterations(),
            masked.majorCycles(), masked.subtractionFraction());
        assertEquals(1.0, whole.subtractionFraction(), 0);
        // the cheaper subtraction was used (in the auto-masked cycles)
        assertTrue(masked.subtractionFraction() < 0.9, "work fraction " + masked.subtractionFraction());
        assertTrue(whole.converged() && masked.converged());
        // the selections read only the mask's pixels, which are exact: the same components, so the same images
        assertEquals(whole.iterations(), masked.iterations());
        assertEquals(whole.majorCycles(), masked.majorCycles());
        assertEquals(whole.thresholdJy(), masked.thresholdJy(), 0);
        assertArrayEquals(whole.model().data(), masked.model().data());
        assertArrayEquals(whole.residual().data(), masked.residual().data());
        assertArrayEquals(whole.restored().data(), masked.restored().data());
    }
}
