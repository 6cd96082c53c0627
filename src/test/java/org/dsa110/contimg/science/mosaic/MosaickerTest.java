package org.dsa110.contimg.science.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;
import org.junit.jupiter.api.Test;

/** Inverse-variance weighted mosaics of synthetic images with known noise. */
class MosaickerTest {
    static final double PIX = 10.0 / 3600;

    /** An in-memory input. */
    record Mem(CelestialWcs wcs, ImagePlane plane) implements Mosaicker.Input {
        @Override
        public int width() {
            return plane.width();
        }

        @Override
        public int height() {
            return plane.height();
        }

        @Override
        public ImagePlane readPlane() {
            return plane;
        }
    }

    static ImagePlane noise(int w, int h, double level, double sigma, long seed) {
        Random rng = new Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (level + sigma * rng.nextGaussian());
        }
        return ImagePlane.of(w, h, d);
    }

    @Test
    void overlapIsTheInverseVarianceWeightedMeanWithTheCombinedNoise() throws Exception {
        int w = 100;
        int h = 80;
        int shift = 40; // image 2 starts 40 columns to the right of image 1, same tangent point
        CelestialWcs wcs1 = CelestialWcs.sin(120.0, 40.0, 50, 40, PIX);
        CelestialWcs wcs2 = CelestialWcs.sin(120.0, 40.0, 50 - shift, 40, PIX);
        ImagePlane p1 = noise(w, h, 0.010, 1e-3, 1);
        ImagePlane p2 = noise(w, h, 0.020, 2e-3, 2);
        List<Mem> inputs = List.of(new Mem(wcs1, p1), new Mem(wcs2, p2));
        MosaicGrid grid = MosaicGrid.covering(inputs.stream()
                .map(m -> new MosaicGrid.Footprint(m.wcs(), m.width(), m.height())).toList(), null);
        assertEquals(w + shift, grid.width(), "the grid spans both images");
        assertEquals(h, grid.height());

        Mosaicker.Result r = new Mosaicker().build(inputs, grid);
        double rms1 = ImageStatistics.robustRms(p1.data());
        double rms2 = ImageStatistics.robustRms(p2.data());
        assertEquals(rms1, r.rms()[0], 1e-12);
        assertEquals(rms2, r.rms()[1], 1e-12);
        assertEquals(1 / (rms1 * rms1), r.weights()[0], 1e-6 / (rms1 * rms1));
        double w1 = 1 / (rms1 * rms1);
        double w2 = 1 / (rms2 * rms2);
        assertTrue(Math.abs(rms1 - 1e-3) < 5e-5 && Math.abs(rms2 - 2e-3) < 1e-4, rms1 + " " + rms2);

        // Output pixel (x, y) is image 1's pixel (x - x0, y) and image 2's (x - x0 - shift, y).
        double[] origin = grid.wcs().worldToPixel(wcs1.pixelToWorld(0, 0)[0], wcs1.pixelToWorld(0, 0)[1]);
        int x0 = (int) Math.round(origin[0]);
        double expectedNoise = 1 / Math.sqrt(w1 + w2);
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < grid.width(); x++) {
                int i1 = x - x0;
                int i2 = x - x0 - shift;
                boolean in1 = i1 >= 0 && i1 < w;
                boolean in2 = i2 >= 0 && i2 < w;
                float v = r.image().get(x, y);
                float sigma = r.noise().get(x, y);
                if (in1 && in2) {
                    double expected = (w1 * p1.get(i1, y) + w2 * p2.get(i2, y)) / (w1 + w2);
                    assertEquals(expected, v, 2e-6, "weighted mean at " + x + "," + y);
                    assertEquals(expectedNoise, sigma, 1e-6 * expectedNoise + 1e-9);
                    sum += v;
                    sum2 += v * v;
                    n++;
                } else if (in1) {
                    assertEquals(p1.get(i1, y), v, 2e-6);
                    assertEquals(rms1, sigma, 1e-6 * rms1);
                } else {
                    assertEquals(p2.get(i2, y), v, 2e-6);
                    assertEquals(rms2, sigma, 1e-6 * rms2);
                }
            }
        }
        assertEquals(60 * h, n, "60 overlapping columns");
        double mean = sum / n;
        double measuredNoise = Math.sqrt(sum2 / n - mean * mean);
        assertEquals((w1 * 0.010 + w2 * 0.020) / (w1 + w2), mean, 3 * expectedNoise / Math.sqrt(n));
        assertEquals(expectedNoise, measuredNoise, 0.05 * expectedNoise,
                "the scatter in the overlap is the predicted effective noise");
        assertTrue(expectedNoise < rms1, "the overlap is less noisy than the better image alone");
    }

    @Test
    void reprojectsImagesWithDifferentPointingsOntoOneSkyGrid() throws Exception {
        int size = 120;
        double ra = 200.0;
        double dec = 55.0;
        CelestialWcs a = CelestialWcs.centredOn(Projection.SIN, ra, dec, size, size, PIX);
        CelestialWcs b = CelestialWcs.centredOn(Projection.SIN, ra + 0.08 / Math.cos(Math.toRadians(dec)), dec + 0.03,
                size, size, PIX);
        // One point source (Gaussian, FWHM 6 px) at a sky position inside both images.
        double[] src = a.pixelToWorld(70.3, 55.6);
        ImagePlane pa = noise(size, size, 0, 1e-4, 3);
        ImagePlane pb = noise(size, size, 0, 1e-4, 4);
        addSource(pa, a, src, 0.5);
        addSource(pb, b, src, 0.5);
        List<Mem> inputs = List.of(new Mem(a, pa), new Mem(b, pb));
        MosaicGrid grid = MosaicGrid.covering(inputs.stream()
                .map(m -> new MosaicGrid.Footprint(m.wcs(), m.width(), m.height())).toList(), Projection.TAN);
        assertEquals(Projection.TAN, grid.wcs().projection());
        Mosaicker.Result r = new Mosaicker().build(inputs, grid);
        double[] p = grid.wcs().worldToPixel(src[0], src[1]);
        int bx = (int) Math.round(p[0]);
        int by = (int) Math.round(p[1]);
        float best = -1;
        int[] at = null;
        for (int y = by - 5; y <= by + 5; y++) {
            for (int x = bx - 5; x <= bx + 5; x++) {
                if (r.image().get(x, y) > best) {
                    best = r.image().get(x, y);
                    at = new int[] {x, y};
                }
            }
        }
        assertTrue(Math.abs(at[0] - p[0]) <= 1 && Math.abs(at[1] - p[1]) <= 1, "peak where the source is");
        assertTrue(best > 0.45 && best < 0.51, "peak kept within resampling loss: " + best);
        long uncovered = 0;
        for (float v : r.image().data()) {
            uncovered += Float.isNaN(v) ? 1 : 0;
        }
        assertTrue(uncovered > 0, "corners of the grid outside both images are blank");
    }

    @Test
    void linearMappingBetweenKnotsIsAccurateForDistantPointings() {
        // Output grid and an input 20 degrees away (TAN output, SIN input, 3" pixels): the mapping interpolated
        // linearly between knots KNOT_STEP pixels apart stays within 1e-3 pixel of the exact one.
        double pix = 3.0 / 3600;
        CelestialWcs out = CelestialWcs.centredOn(Projection.TAN, 100.0, 50.0, 4096, 4096, pix);
        CelestialWcs in = CelestialWcs.centredOn(Projection.SIN, 100.0 + 20 / Math.cos(Math.toRadians(50)), 52.0,
                4096, 4096, pix);
        double worst = 0;
        for (int y : new int[] {0, 2048, 4095}) {
            for (int xs = 0; xs + Mosaicker.KNOT_STEP < 4096; xs += 512) {
                double[] a = map(out, in, xs, y);
                double[] b = map(out, in, xs + Mosaicker.KNOT_STEP, y);
                for (int k = 1; k < Mosaicker.KNOT_STEP; k++) {
                    double t = (double) k / Mosaicker.KNOT_STEP;
                    double[] exact = map(out, in, xs + k, y);
                    worst = Math.max(worst, Math.hypot(a[0] + t * (b[0] - a[0]) - exact[0],
                            a[1] + t * (b[1] - a[1]) - exact[1]));
                }
            }
        }
        assertTrue(worst < 1e-3, "largest interpolation error " + worst + " px");
    }

    static double[] map(CelestialWcs out, CelestialWcs in, int x, int y) {
        double[] sky = out.pixelToWorld(x, y);
        return in.worldToPixel(sky[0], sky[1]);
    }

    @Test
    void refusesInputsWithoutUsableNoise() {
        CelestialWcs wcs = CelestialWcs.sin(10, 10, 5, 5, PIX);
        ImagePlane flat = ImagePlane.of(10, 10, new float[100]);
        MosaicGrid grid = new MosaicGrid(wcs, 10, 10);
        assertThrows(IllegalArgumentException.class, () -> new Mosaicker().build(List.of(new Mem(wcs, flat)), grid));
        assertThrows(IllegalArgumentException.class, () -> MosaicGrid.covering(List.of(), null));
    }

    static void addSource(ImagePlane plane, CelestialWcs wcs, double[] sky, double peak) {
        double[] c = wcs.worldToPixel(sky[0], sky[1]);
        double s = 6 / (2 * Math.sqrt(2 * Math.log(2)));
        for (int y = 0; y < plane.height(); y++) {
            for (int x = 0; x < plane.width(); x++) {
                double r2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
                plane.set(x, y, (float) (plane.get(x, y) + peak * Math.exp(-r2 / (2 * s * s))));
            }
        }
    }
}
