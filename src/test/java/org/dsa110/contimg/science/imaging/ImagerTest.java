package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

class ImagerTest {

    private static final double DEC = Math.toRadians(37.2314);

    private static Visibilities snapshot(int nTimes, int nChan) {
        ArrayLayout layout = ArrayLayout.loadDsa110().select(
            java.util.stream.IntStream.iterate(1, i -> i + 2).limit(48).toArray());
        double[] freq = DriftScan.channels(1.3114e9, 26.7e6, nChan);
        return DriftScan.build(layout, DEC, 2460400.5, nTimes, DriftScan.DSA110_INTEGRATION_SEC, freq, 2);
    }

    @Test
    void parameterFormulasFollowScienceSpec() {
        double lambda = 299792458.0 / 1.4986e9;
        double expectedCell = Math.toDegrees(0.5 * lambda / 2600.0) * 3600 / 5;
        assertEquals(expectedCell, ImagingParameters.cellArcsec(2600.0, 1.4986e9), 1e-12);
        int n = (int) Math.ceil(12600 / expectedCell);
        assertEquals(n + (n % 2), ImagingParameters.imageSize(expectedCell));
        assertEquals(60.0, ImagingParameters.cellArcsec(1.0, 1.4e9), 0);
        assertEquals(0.1, ImagingParameters.cellArcsec(1e7, 1.4e9), 0);
        assertEquals(210, ImagingParameters.imageSize(60.0));
        ImagingParameters p = new ImagingParameters(8.0, 1576, 0.0, 7, 1.2).withMaxImageSize(511);
        assertEquals(510, p.imageSize());
        int g = p.gridSize();
        assertTrue(g >= 612 && g % 2 == 0);
        assertEquals(1, reduce(g));
    }

    private static int reduce(int n) {
        for (int f : new int[] {2, 3, 5}) {
            while (n % f == 0) {
                n /= f;
            }
        }
        return n;
    }

    @Test
    void pointSourceAtPixelCentreImagesWithItsFlux() {
        Visibilities vis = snapshot(1, 4);
        ImagingParameters params = ImagingParameters.forData(vis).withMaxImageSize(256).withRobust(Double.NaN);
        ImageGeometry geom = new ImageGeometry(256, 256, params.cellRad(), vis.phaseCentreRa()[0], DEC);
        // a source exactly on pixel (118, 141): l = 10 cells east, m = 13 cells north; no primary beam
        double[] lm = geom.pixelToLm(118, 141);
        double[] radec = SkyGeometry.fromDirectionCosines(lm[0], lm[1], geom.raRad(), geom.decRad());
        new VisibilityModel(List.of(PointSource.flat(radec[0], radec[1], 2.0)), null).predict(vis, null);
        Imager.Session session = new Imager(params).open(vis, geom.raRad(), geom.decRad());
        DirtyImage d = session.dirtyImage();
        // the working frame: the image plus the w-plane fit's margin (none without a fit)
        int c = session.workingGeometry().width();
        assertEquals(2 * c, d.psf().width(), "padding 2: PSF twice the (working) image");
        assertEquals(1.0, d.psf().get(c, c), 1e-6);
        int[] peak = argMax(d.image());
        assertEquals(118, peak[0]);
        assertEquals(141, peak[1]);
        // natural weighting, pixel-centred source: the dirty image gives the flux to within gridding error
        assertEquals(2.0, d.image().get(118, 141), 0.02);
        // the PSF peaks at its centre (grating lobes of the regularly spaced arms lie further out)
        int[] psfPeak = localMax(d.psf(), c, c, 40);
        assertEquals(c, psfPeak[0]);
        assertEquals(c, psfPeak[1]);
    }

    @Test
    void cleanRecoversPositionsAndFluxesOfDriftScanSources() {
        int nTimes = 4;
        Visibilities vis = snapshot(nTimes, 8);
        double midJd = 2460400.5 + nTimes / 2.0 * DriftScan.DSA110_INTEGRATION_SEC / 86400;
        double ra0 = org.dsa110.contimg.science.radio.Astrometry.DSA110.lastRad(midJd);
        double[][] offsetsDeg = {{0.31, 0.12}, {-0.22, 0.27}, {0.05, -0.35}, {-0.4, -0.18}};
        double[] flux = {1.0, 2.5, 4.0, 1.6};
        List<PointSource> srcs = new java.util.ArrayList<>();
        for (int i = 0; i < flux.length; i++) {
            double[] radec = SkyGeometry.fromDirectionCosines(Math.toRadians(offsetsDeg[i][0]),
                Math.toRadians(offsetsDeg[i][1]), ra0, DEC);
            srcs.add(PointSource.flat(radec[0], radec[1], flux[i]));
        }
        org.dsa110.contimg.science.radio.PrimaryBeam pb = org.dsa110.contimg.science.radio.PrimaryBeam.dsa110();
        new VisibilityModel(srcs, pb).predict(vis, null);
        ImagingParameters params = ImagingParameters.forData(vis).withMaxImageSize(512);
        DirtyImage d = new Imager(params).image(vis, ra0, DEC);
        assertTrue(Double.isFinite(d.sumWeights()) && d.sumWeights() > 0);
        for (float v : d.image().data()) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(1.0, d.psf().get(d.psf().width() / 2, d.psf().height() / 2), 1e-6);

        HogbomClean.Result r = HogbomClean.clean(d.image(), d.psf(), d.geometry().cellDeg(),
            HogbomClean.Options.defaults().withThreshold(0.005));
        double beamPix = r.beam().bmajDeg() / d.geometry().cellDeg();
        assertTrue(beamPix > 4, "beam sampled by several pixels: " + beamPix);
        for (int i = 0; i < srcs.size(); i++) {
            PointSource s = srcs.get(i);
            double[] expected = d.geometry().skyToPixel(s.raRad(), s.decRad());
            int[] peak = localMax(r.restored(), (int) Math.round(expected[0]), (int) Math.round(expected[1]), 4);
            double offset = Math.hypot(peak[0] - expected[0], peak[1] - expected[1]);
            assertTrue(offset <= beamPix / 5, "source " + i + " offset " + offset + " px, beam " + beamPix);
            double apparent = apparentFlux(vis, s, pb);
            double measured = r.restored().get(peak[0], peak[1]);
            assertEquals(apparent, measured, 0.05 * apparent, "source " + i);
        }
        // CLEAN converged: the residual is small compared with the sources (≥ 0.96 Jy apparent)
        assertTrue(r.peakResidualJy() < 0.02, "peak residual " + r.peakResidualJy());
        double modelSum = 0;
        for (float v : r.model().data()) {
            modelSum += v;
        }
        double apparentSum = srcs.stream().mapToDouble(s -> apparentFlux(vis, s, pb)).sum();
        assertEquals(apparentSum, modelSum, 0.02 * apparentSum);
    }

    /** Mean over integrations and channels of S·B(θ, ν), θ from each integration's pointing. */
    private static double apparentFlux(Visibilities vis, PointSource s,
                                       org.dsa110.contimg.science.radio.PrimaryBeam pb) {
        double sum = 0;
        int n = 0;
        for (int b = 0; b < vis.nBlt(); b += vis.nBlt() / 4) {
            double theta = SkyGeometry.separationRad(s.raRad(), s.decRad(), vis.phaseCentreRa()[b],
                vis.phaseCentreDec()[b]);
            for (double f : vis.freqHz()) {
                sum += s.fluxJy() * pb.response(theta, f);
                n++;
            }
        }
        return sum / n;
    }

    static int[] argMax(ImagePlane p) {
        int best = 0;
        for (int i = 1; i < p.data().length; i++) {
            if (p.data()[i] > p.data()[best]) {
                best = i;
            }
        }
        return new int[] {best % p.width(), best / p.width()};
    }

    static int[] localMax(ImagePlane p, int cx, int cy, int r) {
        int[] best = {cx, cy};
        for (int y = cy - r; y <= cy + r; y++) {
            for (int x = cx - r; x <= cx + r; x++) {
                if (p.get(x, y) > p.get(best[0], best[1])) {
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }
}
