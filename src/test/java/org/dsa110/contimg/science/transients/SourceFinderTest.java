package org.dsa110.contimg.science.transients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.transients.SourceFinder.Island;
import org.junit.jupiter.api.Test;

class SourceFinderTest {

    private static ImagePlane handImage() {
        float[] pix = new float[64 * 64];
        ImagePlane img = ImagePlane.of(64, 64, pix);
        img.set(10, 10, 10f);
        img.set(11, 10, 6f);
        img.set(10, 11, 4f);
        img.set(30, 30, 6f);  // diagonal neighbours form one island
        img.set(31, 31, 4f);
        img.set(40, 40, 4f);  // 4σ: grown-island level but no 5σ peak → dropped
        img.set(50, 50, 7f);
        img.set(52, 50, 4f);  // not adjacent to (50, 50) → separate sub-threshold island
        img.set(20, 50, 2.9f); // below the 3σ grow level
        return img;
    }

    @Test
    void islandsMatchHandComputation() {
        List<Island> islands = new SourceFinder().find(handImage(), 1.0).islands();
        assertEquals(3, islands.size());
        // brightest first: (10,10) island. Sum 10 + 6 + 4 = 20;
        // cx = (10·10 + 6·11 + 4·10)/20 = 206/20 = 10.3, cy = (10·10 + 6·10 + 4·11)/20 = 204/20 = 10.2
        Island a = islands.get(0);
        assertEquals(10, a.peakX());
        assertEquals(10, a.peakY());
        assertEquals(10.3, a.centroidX(), 1e-12);
        assertEquals(10.2, a.centroidY(), 1e-12);
        assertEquals(10.0, a.peakFlux());
        assertEquals(20.0, a.integratedSum());
        assertEquals(3, a.nPixels());
        assertEquals(10.0, a.peakSnr());
        assertEquals(20.0 / 4.0, a.integratedFluxJy(4.0));
        Island b = islands.get(1);
        assertEquals(50, b.peakX());
        assertEquals(1, b.nPixels());
        Island c = islands.get(2);
        assertEquals(2, c.nPixels()); // (30,30) + diagonal (31,31)
        assertEquals((6 * 30 + 4 * 31) / 10.0, c.centroidX(), 1e-12);
    }

    @Test
    void capKeepsTheBrightest() {
        SourceFinder.Result r = new SourceFinder(new SourceFinder.Parameters(5, 3, 2)).find(handImage(), 1.0);
        assertTrue(r.truncated());
        assertEquals(3, r.nFound());
        assertEquals(List.of(10.0, 7.0), r.islands().stream().map(Island::peakFlux).toList());
    }

    @Test
    void cutoutReportsParentCoordinatesAndRmsMapIsUsed() {
        float[] pix = new float[20 * 20];
        ImagePlane cut = new ImagePlane(100, 200, 20, 20, pix);
        cut.set(105, 210, 6f);
        cut.set(115, 205, 6f);
        float[] rms = new float[20 * 20];
        Arrays.fill(rms, 1f);
        ImagePlane rmsMap = new ImagePlane(100, 200, 20, 20, rms);
        rmsMap.set(115, 205, 2f); // local noise doubles: 6/2 = 3σ → not a detection
        List<Island> islands = new SourceFinder().find(cut, rmsMap).islands();
        assertEquals(1, islands.size());
        assertEquals(105, islands.get(0).peakX());
        assertEquals(210, islands.get(0).peakY());
        assertEquals(105.0, islands.get(0).centroidX());
        assertThrows(IllegalArgumentException.class, () -> new SourceFinder().find(cut, 0.0));
    }

    @Test
    void findsInjectedSourcesAndNoFalseOnesInNoise() {
        int w = 200;
        Random rng = new Random(5L);
        float[] pix = new float[w * w];
        for (int i = 0; i < pix.length; i++) {
            pix[i] = (float) rng.nextGaussian();
        }
        ImagePlane noiseOnly = ImagePlane.of(w, w, pix.clone());
        // white noise: every ≥5σ pixel is an isolated island (this seed has exactly one, at 5.17σ)
        int noisePeaks = 0;
        for (float v : pix) {
            noisePeaks += v >= 5 ? 1 : 0;
        }
        assertEquals(1, noisePeaks);
        SourceFinder.Result noiseResult = new SourceFinder().find(noiseOnly, 1.0);
        assertEquals(noisePeaks, noiseResult.nFound());
        assertTrue(noiseResult.islands().get(0).peakSnr() < 5.2);

        double[][] src = {{40.3, 50.6, 20}, {150.8, 60.2, 12}, {100.5, 160.4, 30}};
        double sigma = 3.0 / 2.3548; // FWHM 3 px
        for (double[] s : src) {
            for (int y = 0; y < w; y++) {
                for (int x = 0; x < w; x++) {
                    double r2 = (x - s[0]) * (x - s[0]) + (y - s[1]) * (y - s[1]);
                    pix[y * w + x] += (float) (s[2] * Math.exp(-r2 / (2 * sigma * sigma)));
                }
            }
        }
        List<Island> islands = new SourceFinder().find(ImagePlane.of(w, w, pix), 1.0).islands();
        assertEquals(3 + noisePeaks, islands.size());
        // brightest first: 30, 20, 12 (the 5.17σ noise pixel comes last)
        int[] order = {2, 0, 1};
        for (int k = 0; k < 3; k++) {
            Island is = islands.get(k);
            double[] s = src[order[k]];
            assertEquals(s[0], is.centroidX(), 0.3);
            assertEquals(s[1], is.centroidY(), 0.3);
            assertEquals(Math.round(s[0]), is.peakX(), 1);
            assertFalse(is.peakFlux() < 0.8 * s[2]);
        }
    }
}
