package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * Baseline-dependent averaging in frequency and time ({@link SampleAveraging}) against no averaging, on the core
 * stations of {@link WStackingTest}'s meridian field: 10 integrations of 12.9 s, 16 channels of 1 MHz, a 2° image,
 * sources out to 0.9° (the image edge is at 1°). The bound (0.075 cells) allows ≤ 0.1 % smearing at the edge.
 */
class SampleAveragingTest {

    private static final double CELL_ARCSEC = 12.0;
    private static final int SIZE = 600;

    @Test
    void averagedAndUnaveragedImagesAgree() {
        Visibilities vis = WStackingTest.snapshot(10, DriftScan.channels(1.3e9, 1e6, 16));
        double[] c = WStackingTest.centre(vis);
        List<PointSource> sources = List.of(WStackingTest.at(c, 0.85, 0.0, 1.0), WStackingTest.at(c, 0.0, -0.9, 0.6),
            WStackingTest.at(c, 0.5, 0.6, 0.4), WStackingTest.at(c, 0.05, 0.1, 0.2));
        new VisibilityModel(sources, null).predict(vis, null);
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, SIZE, Double.NaN, 7, 2.0);
        DirtyImage avg = new Imager(p, 1.0, StokesSamples.AVERAGING_CELLS).open(vis, c[0], c[1]).dirtyImage();
        DirtyImage all = new Imager(p, 1.0, 0).open(vis, c[0], c[1]).dirtyImage();
        System.out.printf("averaging: %d samples gridded instead of %d (%.1fx fewer)%n", avg.samples(), all.samples(),
            (double) all.samples() / avg.samples());
        assertTrue(avg.samples() * 2 < all.samples(), avg.samples() + " of " + all.samples());
        // integrations are merged, not only channels: a sample weighs more than all 16 channels of one blt
        int n = p.gridSize(Imager.PLANE_PADDING);
        int half = new GriddingKernel(7, GriddingKernel.beattyBeta(7, (double) n / SIZE)).half;
        double du = 1.0 / (n * p.cellRad());
        float maxAll = max(StokesSamples.prepare(vis, c[0], c[1], n, du, half, 0).wt);
        float maxAvg = max(StokesSamples.prepare(vis, c[0], c[1], n, du, half, StokesSamples.AVERAGING_CELLS).wt);
        assertTrue(maxAvg > 16 * maxAll, "largest averaged weight " + maxAvg + ", one sample's " + maxAll);
        double beamPx = 60.0 / CELL_ARCSEC;
        for (PointSource s : sources) {
            double[] a = WStackingTest.fitOffset(avg.image(), avg.geometry(), s, beamPx);
            double[] u = WStackingTest.fitOffset(all.image(), all.geometry(), s, beamPx);
            System.out.printf("  %.1f Jy source: peak %.5f averaged, %.5f not (ratio %.5f), offsets %.3f\" / %.3f\"%n",
                s.fluxJy(), a[1], u[1], a[1] / u[1], a[0], u[0]);
            // the smearing bound: 0.1 % at the edge (measured: ≤ 0.05 %)
            assertEquals(1.0, a[1] / u[1], 0.001, "peak ratio");
            assertEquals(u[0], a[0], 0.05, "offset from truth (arcsec)");
        }
        // the images as a whole, sidelobes included
        double diff = maxAbsDifference(avg.image(), all.image());
        System.out.printf("  max |averaged - unaveraged| = %.5f Jy/beam (%.3f %% of the 1 Jy source)%n", diff,
            100 * diff);
        assertTrue(diff < 0.002, "max difference " + diff);
    }

    private static float max(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    static double maxAbsDifference(ImagePlane a, ImagePlane b) {
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
