package org.dsa110.contimg.science.fits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.dsa110.contimg.science.fits.ImageStatistics.QualityTier;
import org.dsa110.contimg.science.image.ImagePlane;
import org.junit.jupiter.api.Test;

class ImageStatisticsTest {

    @Test
    void knownArrayByHand() {
        // Finite values: 1 2 3 4 100 -2 (NaN and infinity are blanks).
        // Sorted: -2 1 2 3 4 100 → median (2+3)/2 = 2.5.
        // |x − 2.5|: 1.5 0.5 0.5 1.5 97.5 4.5 → sorted 0.5 0.5 1.5 1.5 4.5 97.5 → MAD 1.5.
        float[] px = {1, 2, Float.NaN, 3, 4, 100, Float.POSITIVE_INFINITY, -2};
        ImageStatistics s = ImageStatistics.of(ImagePlane.of(4, 2, px));
        assertEquals(6, s.count());
        assertEquals(-2.0, s.min());
        assertEquals(100.0, s.peak());
        assertEquals(108.0 / 6, s.mean(), 1e-12);
        assertEquals(2.5, s.median());
        assertEquals(1.5, s.mad());
        assertEquals(1.4826 * 1.5, s.rms(), 1e-12);
        assertEquals(100.0 / (1.4826 * 1.5), s.dynamicRange(), 1e-9);
        assertEquals(QualityTier.MARGINAL, s.quality());
        assertTrue(Float.isNaN(px[2]), "input untouched");
        assertEquals(100f, px[5]);
    }

    @Test
    void oddCountAndDuplicates() {
        // 0 0 0 0 5 7 9: median 0; deviations 0 0 0 0 5 7 9 → MAD 0 → rms 0, DR undefined → poor.
        ImageStatistics s = ImageStatistics.of(new float[] {0, 9, 0, 7, 0, 5, 0});
        assertEquals(0.0, s.median());
        assertEquals(0.0, s.rms());
        assertTrue(Double.isNaN(s.dynamicRange()));
        assertEquals(QualityTier.POOR, s.quality());
        assertEquals(4.0, ImageStatistics.median(new float[] {9, 4, 1}));
    }

    @Test
    void emptyOrAllBlank() {
        ImageStatistics s = ImageStatistics.of(new float[] {Float.NaN, Float.NaN});
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.rms()));
        assertEquals(QualityTier.POOR, s.quality());
    }

    @Test
    void gaussianNoiseGivesSigmaAndSourcesDoNotMoveIt() {
        Random rnd = new Random(42);
        int n = 512 * 512;
        float[] px = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = (float) (0.002 * rnd.nextGaussian());
        }
        for (int i = 0; i < 200; i++) {
            px[rnd.nextInt(n)] = 5.0f; // bright sources
        }
        ImageStatistics s = ImageStatistics.of(px);
        assertEquals(0.002, s.rms(), 0.002 * 0.01); // 1% for 262k samples
        assertEquals(5.0, s.peak());
        assertEquals(QualityTier.EXCELLENT, s.quality());
        assertEquals(s.rms(), ImageStatistics.robustRms(px), 0);

        // Median and MAD agree with a full sort.
        float[] sorted = px.clone();
        Arrays.sort(sorted);
        double median = (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
        assertEquals(median, s.median(), 0);
    }

    @Test
    void tiers() {
        assertEquals(QualityTier.EXCELLENT, QualityTier.of(1000.5));
        assertEquals(QualityTier.GOOD, QualityTier.of(1000));
        assertEquals(QualityTier.GOOD, QualityTier.of(101));
        assertEquals(QualityTier.MARGINAL, QualityTier.of(100));
        assertEquals(QualityTier.MARGINAL, QualityTier.of(10.01));
        assertEquals(QualityTier.POOR, QualityTier.of(10));
        assertEquals(QualityTier.POOR, QualityTier.of(Double.NaN));
        assertEquals("excellent", QualityTier.EXCELLENT.label());
    }
}
