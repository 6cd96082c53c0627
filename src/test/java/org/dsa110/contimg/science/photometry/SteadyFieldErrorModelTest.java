package org.dsa110.contimg.science.photometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.imaging.CottonSchwabClean;
import org.dsa110.contimg.science.imaging.ImageGeometry;
import org.dsa110.contimg.science.imaging.Imager;
import org.dsa110.contimg.science.imaging.ImagingParameters;
import org.dsa110.contimg.science.imaging.PrimaryBeamCorrection;
import org.dsa110.contimg.science.radio.ArrayLayout;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.junit.jupiter.api.Test;

/**
 * The forced-photometry error model against the scatter of steady sources (issue 15 point 4): the same sky and uv
 * coverage observed {@value #EPOCHS} times with independent thermal noise, each epoch imaged as the imaging stage
 * does it (Briggs 0, w-stacking, Cotton–Schwab CLEAN to 3σ with the 5σ auto-mask, primary-beam correction) and
 * measured at the true positions on the pbcor image as the photometry stage does it ({@link ForcedPhotometry}, beam
 * from the PSF, annulus noise). Ten steady sources of 12 mJy (≈ 5σ) to 300 mJy, 0.1–1.0° from the centre (primary
 * beam 1.0–0.7, so the pbcor noise grows by up to 1/0.7). The array is the 900 m core (a ~2′ × 1′ beam at
 * Dec 16°) so that 384² px of 20″ hold the field and the test stays small.
 */
class SteadyFieldErrorModelTest {

    private static final double DEC = Math.toRadians(16.0);
    private static final double CELL_ARCSEC = 20.0;
    private static final int SIZE = 384;
    private static final int EPOCHS = 30;
    private static final double SEFD = 5800;
    private static final double WIDTH = 3.2e6;
    /** Offsets (l, m) in degrees and fluxes (Jy) of the steady sources. */
    private static final double[][] FIELD = {{0.0, 0.1, 0.3}, {0.2, 0.1, 0.02}, {-0.35, 0.05, 0.05},
        {0.1, -0.45, 0.012}, {-0.4, -0.5, 0.1}, {0.55, 0.5, 0.03}, {-0.7, 0.6, 0.04}, {0.05, 0.85, 0.2},
        {0.9, -0.3, 0.06}, {-0.95, -0.2, 0.025}};

    /**
     * One epoch as the pipeline does it: CLEAN (asserted to converge), primary-beam correction, forced photometry at
     * the true positions of {@code sources}; fills flux[i][ep] and err[i][ep]. Returns the image frequency.
     */
    static double measureEpoch(Imager.Session s, List<PointSource> sources, int ep, double[][] flux,
            double[][] err) {
        CottonSchwabClean.Result r = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults());
        assertTrue(r.converged(), "epoch " + ep + " CLEAN stopped by a cap");
        ImageGeometry g = s.geometry();
        ImagePlane pbcor = PrimaryBeamCorrection.apply(r.restored(), g, s.freqHz(), PrimaryBeam.dsa110(),
                PrimaryBeamCorrection.DEFAULT_CUTOFF);
        ForcedPhotometry photometry = new ForcedPhotometry();
        for (int i = 0; i < sources.size(); i++) {
            double[] px = g.skyToPixel(sources.get(i).raRad(), sources.get(i).decRad());
            PhotometryResult m = photometry.measure(pbcor, px[0], px[1], g.cellDeg(), r.beam());
            assertTrue(m.success(), m.error());
            flux[i][ep] = m.peakJyb();
            err[i][ep] = m.peakErrJyb();
        }
        return s.freqHz();
    }

    @Test
    void errorsMatchTheScatterOfSteadySourcesAndCoverTheTruth() {
        Visibilities template = coreSnapshot();
        int mid = template.nBlt() / 2;
        double[] c = {template.phaseCentreRa()[mid], template.phaseCentreDec()[mid]};
        List<PointSource> sources = new ArrayList<>();
        for (double[] s : FIELD) {
            double[] radec = SkyGeometry.fromDirectionCosines(Math.sin(Math.toRadians(s[0])),
                Math.sin(Math.toRadians(s[1])), c[0], c[1]);
            sources.add(PointSource.flat(radec[0], radec[1], s[2]));
        }
        new VisibilityModel(sources, PrimaryBeam.dsa110()).predict(template, null);
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, SIZE, 0.0, 7, 2.0);
        int n = sources.size();
        double[][] flux = new double[n][EPOCHS];
        double[][] err = new double[n][EPOCHS];
        for (int ep = 0; ep < EPOCHS; ep++) {
            Visibilities vis = template.copy();
            // a new noise realisation every epoch (the simulator's seeds differ per group and subband likewise)
            VisibilityModel.addThermalNoise(vis, SEFD, WIDTH, DriftScan.DSA110_INTEGRATION_SEC,
                new SplittableRandom(1000 + ep));
            measureEpoch(new Imager(p).open(vis, c[0], c[1]), sources, ep, flux, err);
        }
        double[] truth = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = FIELD[i][2];
        }
        ErrorModelCriterion result = ErrorModelCriterion.of(flux, err, truth);
        System.out.printf("steady sources over %d epochs:%n%s%n", EPOCHS, result.describe());
        assertEquals(1.0, result.chi2Nu(), 0.25, "mean chi2_nu of the steady sources");
        assertEquals(0.68, result.within1Sigma(), 0.05, "fraction of measurements within 1 sigma of the truth");
    }

    /** Two integrations of the stations within 450 m of the array centre, 8 × 3.2 MHz at 1.3 GHz. */
    static Visibilities coreSnapshot() {
        return DriftScan.build(ArrayLayout.loadDsa110().within(450), DEC, 2460400.5, 2, DriftScan.DSA110_INTEGRATION_SEC,
            DriftScan.channels(1.3e9, WIDTH, 8), 2);
    }
}
