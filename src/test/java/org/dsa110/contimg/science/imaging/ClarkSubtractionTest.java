package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * The minor cycles' PSF-patch subtraction ({@link ClarkSubtraction}): its pieces add up to the whole-PSF
 * subtraction, the residual it leaves stays within its bound of the exact one, and Cotton–Schwab with it gives the
 * same science as with the whole PSF.
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
    void patchAndRingAddUpToTheWholePsfAndTheOutsideProfileIsTheBruteForceMaximum() {
        ImagePlane psf = snapshotPsf();
        int w = 200, h = 200;
        CleanPsf p = new CleanPsf(psf, 0);
        Map<Integer, Double> flux = Map.of(37 * w + 12, 1.5, 150 * w + 190, -0.7, 100 * w + 100, 0.3);
        float[] whole = new float[w * h], pieces = new float[w * h];
        p.subtract(whole, w, h, flux);
        p.subtract(pieces, w, h, flux, -1, 23);
        p.subtract(pieces, w, h, flux, 23, 61);
        p.subtract(pieces, w, h, flux, 61, Integer.MAX_VALUE);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], pieces[i], 1e-6, "pixel " + i);
        }
        long counted = 0;
        for (int i : flux.keySet()) {
            long all = p.overlap(i % w, i / w, w, h, -1, Integer.MAX_VALUE);
            assertEquals(all, p.overlap(i % w, i / w, w, h, -1, 23) + p.overlap(i % w, i / w, w, h, 23, 61)
                + p.overlap(i % w, i / w, w, h, 61, Integer.MAX_VALUE));
            counted = Math.max(counted, all);
        }
        assertEquals((long) w * h, counted); // a PSF twice the image covers it from any pixel
        double[] out = p.outsidePatch(w, h);
        for (int half : new int[] {0, 5, 40, 120, 198, 199}) {
            double brute = 0;
            for (int dy = -(h - 1); dy < h; dy++) {
                for (int dx = -(w - 1); dx < w; dx++) {
                    if (Math.max(Math.abs(dx), Math.abs(dy)) > half) {
                        brute = Math.max(brute, Math.abs(p.at(dx, dy)));
                    }
                }
            }
            assertEquals(brute, out[half], 0, "outside " + half);
        }
        System.out.printf("largest |PSF| outside half-widths 5, 40, 120: %.4f %.4f %.4f%n", out[5], out[40], out[120]);
    }

    /**
     * A PSF whose sidelobes decay with distance (a deep synthesis rather than a snapshot): a Gaussian main lobe and
     * rings 0.15 · cos(0.8 r) · exp(−r / 40), 2 × 200 px.
     */
    private static ImagePlane decayingPsf() {
        int n = 400;
        float[] d = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2, y - n / 2);
                d[y * n + x] = (float) (Math.exp(-r * r / 18) + (r > 4 ? 0.15 * Math.cos(0.8 * r) * Math.exp(-r / 40)
                    : 0));
            }
        }
        return ImagePlane.of(n, n, d);
    }

    @Test
    void thePatchedResidualStaysWithinAQuarterOfTheStopOfTheExactOne() {
        ImagePlane psf = decayingPsf();
        int w = 200, h = 200;
        CleanPsf p = new CleanPsf(psf, 0);
        // a bright source and a dozen fainter ones, as a dirty image made with the same PSF (exact subtraction)
        SplittableRandom rnd = new SplittableRandom(3);
        Map<Integer, Double> sky = new HashMap<>();
        sky.put(90 * w + 110, -10.0);
        for (int k = 0; k < 12; k++) {
            sky.merge(rnd.nextInt(20, 180) * w + rnd.nextInt(20, 180), 0.05 + rnd.nextDouble(), Double::sum);
        }
        float[] dirty = new float[w * h];
        p.subtract(dirty, w, h, sky); // dirty = −sky ⊗ PSF
        double stop = 2.0; // a first major cycle's: 0.2 × the peak
        HogbomClean.Options opt = new HogbomClean.Options(0.1, 100_000, stop, 0, true);
        float[] res = dirty.clone();
        HogbomClean.Minor m = HogbomClean.deconvolve(res, w, h, p, opt, null, true);
        assertTrue(m.patchHalfWidth() >= 0 && m.patchHalfWidth() < w - 1, "patch " + m.patchHalfWidth());
        assertTrue(m.updates() < m.wholePsfUpdates() / 2, m.updates() + " of " + m.wholePsfUpdates());
        float[] exact = dirty.clone();
        Map<Integer, Double> model = new HashMap<>();
        for (int i = 0; i < m.model().length; i++) {
            if (m.model()[i] != 0f) {
                model.put(i, (double) m.model()[i]);
            }
        }
        p.subtract(exact, w, h, model);
        double worst = 0;
        for (int i = 0; i < res.length; i++) {
            worst = Math.max(worst, Math.abs(res[i] - exact[i]));
        }
        System.out.printf("patch %d px: %d of %d pixel updates, %d iterations, patched residual within %.4f of the "
            + "exact one (stop %.3f)%n", m.patchHalfWidth(), m.updates(), m.wholePsfUpdates(), m.iterations(), worst,
            stop);
        assertTrue(worst <= ClarkSubtraction.FAKE_FRACTION * stop + 1e-4, "neglected " + worst);
        // and the exact residual is cleaned to the stop within that bound
        assertTrue(ActiveSet.peak(exact, w, new int[] {0, w - 1, 0, h - 1})[0] <= 1.25 * stop + 1e-4);
    }

    @Test
    void cottonSchwabWithThePatchGivesTheSameImagesAsWithTheWholePsf() {
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
        Imager.Session s = null;
        for (boolean patched : new boolean[] {false, true}) {
            s = new Imager(p).open(vis, c[0], c[1]);
            r[patched ? 1 : 0] = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults(), patched);
        }
        CottonSchwabClean.Result whole = r[0], patch = r[1];
        double rmsWhole = ImageStatistics.robustRms(whole.residual().data());
        double rmsPatch = ImageStatistics.robustRms(patch.residual().data());
        System.out.printf("whole PSF: %d iterations, %d major cycles, threshold %.3f mJy, residual rms %.4f mJy%n"
            + "patch %d px: %d iterations, %d major cycles, threshold %.3f mJy, residual rms %.4f mJy, %.3f of the "
            + "whole-PSF subtraction work%n", whole.iterations(), whole.majorCycles(), whole.thresholdJy() * 1e3,
            rmsWhole * 1e3, patch.psfPatch(), patch.iterations(), patch.majorCycles(), patch.thresholdJy() * 1e3,
            rmsPatch * 1e3, patch.subtractionFraction());
        assertEquals(-1, whole.psfPatch());
        assertEquals(1.0, whole.subtractionFraction(), 0);
        // the cheaper subtraction was used (here: in the auto-masked cycles; this PSF's sidelobes stay ≈ 0.5 out to
        // the image edge, so the unmasked cycles need the whole PSF)
        assertTrue(patch.subtractionFraction() < 0.9, "work fraction " + patch.subtractionFraction());
        assertTrue(whole.converged() && patch.converged());
        assertEquals(whole.thresholdJy(), patch.thresholdJy(), 0.01 * whole.thresholdJy(), "3 sigma threshold");
        assertEquals(rmsWhole, rmsPatch, 0.01 * rmsWhole, "residual rms");
        System.out.printf("peak residual (whole window) %.4f / %.4f mJy%n", whole.peakResidualJy() * 1e3,
            patch.peakResidualJy() * 1e3);
        assertEquals(whole.peakResidualJy(), patch.peakResidualJy(), 0.02 * whole.peakResidualJy(), "peak residual");
        for (PointSource src : sources) {
            double[] a = WStackingTest.fitOffset(whole.restored(), s.geometry(), src, 60.0 / CELL_ARCSEC);
            double[] b = WStackingTest.fitOffset(patch.restored(), s.geometry(), src, 60.0 / CELL_ARCSEC);
            System.out.printf("  %.3f Jy source: restored peak %.5f / %.5f Jy, %.3f\" / %.3f\" from truth%n",
                src.fluxJy(), a[1], b[1], a[0], b[0]);
            assertEquals(a[1], b[1], Math.max(0.002 * src.fluxJy(), 0.5 * rmsWhole), "restored peak");
            assertEquals(a[0], b[0], 0.2, "offset from truth [arcsec]");
        }
    }
}
