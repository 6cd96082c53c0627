package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * The w-plane fit end to end: the snapshot of {@link WStackingTest} (DSA-110 core stations, Dec 16°, zenith angle
 * 21°: the array plane is tilted by ≈ 21° as the phase centre sees it) with sources near the four corners of a 3.5°
 * image, where |n − 1| and so the distorted frame's shift are largest, deconvolved with and without the fit.
 */
class WPlaneFitImagingTest {

    private static final double CELL_ARCSEC = 12.0;

    @Test
    void cornerSourcesLandOnTruthWithAndWithoutThePlaneFitAndTheFitNeedsFewerPlanes() {
        double width = 40e6;
        Visibilities vis = WStackingTest.snapshot(2, DriftScan.channels(1.3e9, width, 5));
        double[] c = WStackingTest.centre(vis);
        List<PointSource> sources = List.of(WStackingTest.at(c, 1.65, 1.65, 1.0),
            WStackingTest.at(c, -1.65, 1.6, 0.8), WStackingTest.at(c, 1.6, -1.65, 0.6),
            WStackingTest.at(c, -1.65, -1.65, 1.2), WStackingTest.at(c, 0.1, 0.05, 0.5));
        new VisibilityModel(sources, null).predict(vis, null);
        VisibilityModel.addThermalNoise(vis, 5800, width, DriftScan.DSA110_INTEGRATION_SEC, new SplittableRandom(11));
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, 1050, Double.NaN, 7, 2.0);
        int[] planes = new int[2];
        for (boolean fit : new boolean[] {true, false}) {
            Imager.Session s = new Imager(p, Imager.DEFAULT_W_LAYER_FACTOR, Imager.DEFAULT_AVERAGING_CELLS, fit)
                .open(vis, c[0], c[1]);
            planes[fit ? 0 : 1] = s.wLayers();
            WPlaneFit f = s.planeFit();
            System.out.printf("plane fit %s: a=%.3e b=%.4f, max|w| %.1f m, max|w'| %.1f m (rms %.2f m), %d w-planes, "
                + "working frame %d px%n", fit ? "on" : "off", f.a(), f.b(), f.maxAbsW(), f.maxAbsResidual(),
                f.rmsResidual(), s.wLayers(), s.workingGeometry().width());
            assertEquals(fit, f.active());
            CottonSchwabClean.Result r = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults());
            assertTrue(r.converged());
            for (PointSource src : sources) {
                double[] m = WStackingTest.fitOffset(r.restored(), s.geometry(), src, 60.0 / CELL_ARCSEC);
                System.out.printf("  %.2f Jy source: restored peak %.4f Jy, %.3f\" from truth%n", src.fluxJy(), m[1],
                    m[0]);
                assertTrue(m[0] < 1.0, "offset " + m[0] + "\" with the plane fit " + fit);
                assertEquals(src.fluxJy(), m[1], 0.02 * src.fluxJy(), "peak with the plane fit " + fit);
            }
        }
        assertTrue(planes[0] < planes[1], "w-planes with the fit " + planes[0] + ", without " + planes[1]);
    }
}
