package org.dsa110.contimg.qa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dsa110.contimg.science.fits.FitsImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QA computations that need no hub: stretches, block averaging, clipped statistics, tiers, safe names. */
class QaAlgorithmsTest {

    @Test
    void zscaleOfGaussianNoiseIsAboutTheMedianAndExcludesOutliers() {
        Random rng = new Random(3);
        float[] v = new float[20000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (10 + rng.nextGaussian());
        }
        v[0] = 1e6f; // one very bright pixel must not set the range
        float[] sorted = ImagePreview.finiteSorted(v);
        double[] z = ImagePreview.zscale(sorted);
        assertTrue(z[0] < 10 && z[1] > 10, Arrays.toString(z));
        assertTrue(z[1] < 100, "outlier clipped: " + Arrays.toString(z));
        // Gaussian: the sorted-sample slope is at least sqrt(2 pi) sigma / n (its value at the centre; the fitted
        // line is steeper from the tails that survive the rejection), so the range is the median + 5..7 sigma
        // above, clamped below by the smallest sample (~ -4 sigma)
        assertTrue(z[1] - 10 > 5.0 && z[1] - 10 < 7.0, Arrays.toString(z));
        assertTrue(z[0] >= sorted[0] && z[0] < 10 - 3, Arrays.toString(z));
        // degenerate data: the data range
        assertArrayEquals(new double[] {5, 5}, ImagePreview.zscale(new float[] {5, 5, 5, 5, 5, 5, 5}), 0);
        assertArrayEquals(new double[] {0, 0}, ImagePreview.zscale(new float[0]), 0);
    }

    @Test
    void asinhRangeRunsFromBelowTheNoiseToThePeak() {
        float[] v = new float[1001];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i - 500) / 500f; // uniform in [-1, 1]: median 0, MAD 0.5
        }
        v[1000] = 50;
        double[] r = ImagePreview.asinhRange(ImagePreview.finiteSorted(v));
        assertEquals(Math.max(-1, -2 * 1.4826 * 0.5), r[0], 0.01);
        assertEquals(50, r[1], 0);
    }

    @Test
    void previewBlockAveragesAndPutsNorthUp(@TempDir Path dir) throws Exception {
        Path file = QaFixtures.image(dir.resolve("img.fits"), 10, 20, 1.0, 5L);
        try (FitsImage img = FitsImage.open(file)) {
            ImagePreview.Grid g = ImagePreview.downsample(img, 50);
            assertEquals(4, g.factor());
            assertEquals(50, g.width());
            assertEquals(50, g.height());
            // the 4x4 block mean at block (0,0) equals the mean of those pixels
            float[] block = img.readCutout(0, 0, 4, 4).data();
            double mean = 0;
            for (float f : block) {
                mean += f / 16.0;
            }
            assertEquals(mean, g.data()[0], 1e-6);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(ImagePreview.png(g, "asinh")));
            assertNotNull(png);
            // brightest source (+60,+60 from the centre: FITS pixel (160,160)) is near the top right
            int bx = 160 / 4;
            int by = 50 - 1 - 160 / 4;
            assertTrue(png.getRaster().getSample(bx, by, 0) > 200);
            // its vertical mirror image holds the fainter QA2 (90 mJy at +60,-60): north is up
            assertTrue(png.getRaster().getSample(bx, by, 0) > png.getRaster().getSample(bx, 50 - 1 - by, 0));
        }
    }

    @Test
    void clippedStatisticsDropOutliers() {
        double[] v = {1.0, 1.02, 0.98, 1.01, 0.99, 1.0, 1.03, 0.97, 1.0, 1.0, 1.01, 0.99, 5.0};
        double[] ms = CatalogValidator.clippedMeanStd(v);
        assertEquals(1.0, ms[0], 1e-9, "5.0 is > 3 sigma out after the first pass");
        double[] none = CatalogValidator.clippedMeanStd(new double[0]);
        assertTrue(Double.isNaN(none[0]) && Double.isNaN(none[1]));
        assertEquals("fail", CatalogValidator.worst("warn", "fail"));
        assertEquals("warn", CatalogValidator.worst("warn", "pass"));
        assertEquals(java.util.List.of("completeness", "astrometry"),
                CatalogValidator.types(java.util.List.of("source_counts", "astrometry")));
        assertEquals(CatalogValidator.TYPES, CatalogValidator.types(null));
    }

    @Test
    void tiersFollowTheConfiguredThresholds() {
        QaSettings s = QaSettings.defaults();
        assertEquals("excellent", s.tier(1000.5));
        assertEquals("good", s.tier(1000.0));
        assertEquals("marginal", s.tier(100.0));
        assertEquals("poor", s.tier(10.0));
        assertEquals("poor", s.tier(null));
        QaSettings strict = new QaSettings(5000, 500, 50, 5, 10, 0.95, 0.2, 0.1, 0.3, 5, 512, "zscale");
        assertEquals("marginal", strict.tier(400.0));
        assertThrows(IllegalArgumentException.class,
                () -> new QaSettings(10, 100, 1, 5, 10, 0.95, 0.2, 0.1, 0.3, 5, 512, "asinh"));
        assertThrows(IllegalArgumentException.class,
                () -> new QaSettings(1000, 100, 10, 5, 10, 0.95, 0.2, 0.1, 0.3, 5, 512, "log"));
    }

    @Test
    void artifactNamesStayInsideTheRoot(@TempDir Path root) throws Exception {
        assertEquals("_._etc_passwd", QaArtifacts.safeSegment("../etc/passwd"));
        assertEquals("2025-10-24T13:28:03", QaArtifacts.safeSegment("2025-10-24T13:28:03"));
        QaArtifacts a = new QaArtifacts(null, root.resolve("qa"));
        assertThrows(IllegalArgumentException.class, () -> a.target("..", "x.png"));
        assertThrows(IllegalArgumentException.class, () -> a.target("g", "a/b.png"));
        Path f = a.target("g", "plot.png");
        Files.writeString(f, "x");
        assertEquals(f.toRealPath(), a.resolve("g", "plot.png").orElseThrow());
        Files.writeString(root.resolve("outside.txt"), "secret");
        assertTrue(a.resolve("..", "outside.txt").isEmpty());
        assertTrue(a.resolve("g", "..").isEmpty());
        Files.createSymbolicLink(root.resolve("qa/g/link.txt"), root.resolve("outside.txt"));
        assertTrue(a.resolve("g", "link.txt").isEmpty(), "a link out of the root is not followed");
        assertEquals("image/png", QaArtifacts.contentType("a.PNG"));
        assertEquals("thumbnail", QaArtifacts.kindOf("thumb_1.png"));
    }
}
