package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.photometry.GaussianFit2D;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * w-stacking against injected truth: a meridian snapshot at Dec 16° (zenith angle 21° at the DSA-110 site, where
 * the missing w-term displaces a source by ≈ tan z · θ²/2: 30″ at 1.6°), predicted exactly with the standard
 * convention ({@link VisibilityModel}), no primary beam. The core stations (within 450 m of the array centre) give a
 * ~1′ beam, so a 3.5° field is a 1050² image and the test stays fast; the displacement does not depend on the
 * baseline length.
 */
class WStackingTest {

    private static final double DEC = Math.toRadians(16.0);
    private static final double START_JD = 2460400.5;
    private static final double CELL_ARCSEC = 12.0;

    static Visibilities snapshot(int nTimes, double[] freq) {
        return DriftScan.build(ArrayLayout.loadDsa110().within(450), DEC, START_JD, nTimes, DriftScan.DSA110_INTEGRATION_SEC, freq, 2);
    }

    static double[] centre(Visibilities vis) {
        int mid = vis.nBlt() / 2;
        return new double[] {vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]};
    }

    static PointSource at(double[] centre, double lDeg, double mDeg, double flux) {
        double[] radec = SkyGeometry.fromDirectionCosines(Math.sin(Math.toRadians(lDeg)),
            Math.sin(Math.toRadians(mDeg)), centre[0], centre[1]);
        return PointSource.flat(radec[0], radec[1], flux);
    }

    /** Offset (arcsec) of a Gaussian fitted to the peak near {@code s}'s true pixel, and the fitted peak. */
    static double[] fitOffset(ImagePlane img, ImageGeometry g, PointSource s, double beamPx) {
        double[] px = g.skyToPixel(s.raRad(), s.decRad());
        int[] best = {(int) Math.round(px[0]), (int) Math.round(px[1])};
        int r = (int) Math.ceil(beamPx);
        for (int y = best[1] - r; y <= best[1] + r; y++) {
            for (int x = best[0] - r; x <= best[0] + r; x++) {
                if (img.get(x, y) > img.get(best[0], best[1])) {
                    best = new int[] {x, y};
                }
            }
        }
        GaussianFit2D.Result fit = new GaussianFit2D().fit(img, best[0], best[1], 0.6 * beamPx);
        assertTrue(fit.success(), "fit: " + fit.error());
        double[] sky = g.pixelToSky(fit.x(), fit.y());
        return new double[] {Math.toDegrees(SkyGeometry.separationRad(s.raRad(), s.decRad(), sky[0], sky[1])) * 3600,
            fit.peak()};
    }

    @Test
    void offAxisSourcesLandWithinAnArcsecondOfTruthAcrossTheField() {
        Visibilities vis = snapshot(2, DriftScan.channels(1.3e9, 40e6, 5));
        double[] c = centre(vis);
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, 1050, Double.NaN, 7, 2.0);
        // one source per image (no other source's sidelobes under the fit), from 0.5° to 1.7° in four directions
        double[][] offsets = {{0.5, 0.0}, {0.0, 1.6}, {-1.6, 0.0}, {1.2, -1.2}, {0.0, -1.7}};
        for (double[] o : offsets) {
            PointSource s = at(c, o[0], o[1], 1.0);
            new VisibilityModel(List.of(s), null).predict(vis, null);
            Imager.Session corrected = new Imager(p).open(vis, c[0], c[1]);
            assertTrue(corrected.wLayers() > 1, "layers " + corrected.wLayers());
            double beamPx = 60.0 / CELL_ARCSEC;
            double[] with = fitOffset(corrected.residual(), corrected.geometry(), s, beamPx);
            Imager.Session plain = new Imager(p, 0).open(vis, c[0], c[1]);
            double[] without = fitOffset(plain.residual(), plain.geometry(), s, beamPx);
            double r = Math.hypot(o[0], o[1]);
            System.out.printf("source at %.2f deg (%d layers): %.2f\" from truth with w-stacking, %.2f\" without; "
                + "peak %.4f Jy%n", r, corrected.wLayers(), with[0], without[0], with[1]);
            assertTrue(with[0] < 1.0, "w-stacked source at " + r + " deg is " + with[0] + "\" off");
            assertEquals(1.0, with[1], 0.02, "w-stacked peak at " + r + " deg");
            if (r >= 1.5) {
                // the test is sensitive: the uncorrected 2-D transform puts it ≈ tan(21°)·θ²/2 ≥ 13" away
                assertTrue(without[0] > 10, "uncorrected offset at " + r + " deg only " + without[0] + "\"");
            }
        }
    }

    @Test
    void predictionUsesTheSameWHandlingAsTheImaging() {
        Visibilities vis = snapshot(2, DriftScan.channels(1.3e9, 40e6, 5));
        double[] c = centre(vis);
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, 1050, Double.NaN, 7, 2.0);
        // the model is in the session's working frame (distorted by the w-plane fit, with a margin): its pixels'
        // true directions come from the session (the frame depends on the uvw only, not on the values)
        Imager.Session frame = new Imager(p).open(vis, c[0], c[1]);
        int size = frame.workingGeometry().width(), half = size / 2;
        // two sources exactly on pixels 1.6° and 1.0° out: the model image holds them exactly
        int[][] pix = {{half - 480, half}, {half + 200, half - 230}};
        double[] flux = {2.0, 0.7};
        List<PointSource> sources = new ArrayList<>();
        float[] model = new float[size * size];
        for (int i = 0; i < pix.length; i++) {
            double[] lm = frame.workingPixelToLm(pix[i][0], pix[i][1]);
            double[] radec = SkyGeometry.fromDirectionCosines(lm[0], lm[1], c[0], c[1]);
            sources.add(PointSource.flat(radec[0], radec[1], flux[i]));
            model[pix[i][1] * size + pix[i][0]] = (float) flux[i];
        }
        new VisibilityModel(sources, null).predict(vis, null);
        Imager.Session s = new Imager(p).open(vis, c[0], c[1]);
        ImagePlane dirty = s.residual();
        s.subtractModel(model);
        ImagePlane residual = s.residual();
        double dirtyPeak = peakAbs(dirty), residualPeak = peakAbs(residual);
        System.out.printf("prediction (plane fit b=%.3f, %d w-planes): dirty peak %.4f Jy, residual peak %.5f Jy after "
            + "subtracting the model%n", s.planeFit().b(), s.wLayers(), dirtyPeak, residualPeak);
        assertEquals(2.0, dirtyPeak, 0.04);
        // what is left is the w-layer quantisation (≤ 0.5 rad of phase at the corner) and gridding error
        assertTrue(residualPeak < 0.01 * dirtyPeak, "residual peak " + residualPeak);
    }

    @Test
    void deconvolutionReachesTheThermalNoise() {
        int nTimes = 2;
        double width = 3.2e6;
        double[] freq = DriftScan.channels(1.3e9, width, 8);
        Visibilities vis = snapshot(nTimes, freq);
        double[] c = centre(vis);
        // a 10 Jy source 1° out, a few fainter ones, the faintest at ~8 σ
        List<PointSource> sources = List.of(at(c, 0.7, 0.7, 10.0), at(c, -0.3, 0.5, 0.5), at(c, 0.2, -1.4, 0.08),
            at(c, -1.5, -0.4, 0.03), at(c, 0.05, 0.1, 0.012));
        new VisibilityModel(sources, null).predict(vis, null);
        double sefd = 5800;
        VisibilityModel.addThermalNoise(vis, sefd, width, DriftScan.DSA110_INTEGRATION_SEC, new SplittableRandom(7));
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, 1050, Double.NaN, 7, 2.0);
        Imager.Session s = new Imager(p).open(vis, c[0], c[1]);
        CottonSchwabClean.Result r = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults());
        int nAnt = vis.antennaNumbers().length;
        double thermal = ThermalNoise.stokesIJy(sefd, nAnt, freq.length * width,
            nTimes * DriftScan.DSA110_INTEGRATION_SEC);
        double rms = ImageStatistics.robustRms(r.residual().data());
        double[] p0 = s.geometry().skyToPixel(sources.get(0).raRad(), sources.get(0).decRad());
        double peak = fitOffset(r.restored(), s.geometry(), sources.get(0), 60.0 / CELL_ARCSEC)[1];
        System.out.printf("%d antennas: thermal %.3f mJy, residual rms %.3f mJy (%.2fx), %d iterations in %d major "
            + "cycles, dynamic range %.0f%n", nAnt, thermal * 1e3, rms * 1e3, rms / thermal, r.iterations(),
            r.majorCycles(), peak / rms);
        assertTrue(r.converged());
        assertTrue(rms < 1.5 * thermal && rms > 0.8 * thermal, "rms " + rms + " thermal " + thermal);
        assertTrue(peak / rms > 1000, "dynamic range " + peak / rms);
        assertTrue(r.thresholdJy() <= 3.01 * rms, "threshold " + r.thresholdJy());
        // the sources' restored peaks (Gaussian fit; components plus the residual under them) against the truth
        for (PointSource src : sources) {
            double[] fit = fitOffset(r.restored(), s.geometry(), src, 60.0 / CELL_ARCSEC);
            System.out.printf("  %.3f Jy source: restored peak %.4f Jy, %.2f\" from truth%n", src.fluxJy(), fit[1],
                fit[0]);
            assertEquals(src.fluxJy(), fit[1], Math.max(0.02 * src.fluxJy(), 4 * thermal), "restored peak");
        }
    }

    static double peakAbs(ImagePlane img) {
        double m = 0;
        for (float v : img.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
