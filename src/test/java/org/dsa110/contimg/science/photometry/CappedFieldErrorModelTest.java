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
import org.dsa110.contimg.science.imaging.OutlierSubtraction;
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
 * The forced-photometry error model in the validation report's configuration (bench/validate.sh, steady epochs:
 * the simulator's 24 default antennas, 16 × 11.72 MHz at 1.31–1.50 GHz, 6 integrations, SEFD 5800 Jy, Dec 54.6°,
 * the pipeline's cell of (0.5 λ/u_max)/5 ≈ 1.57″ and a beam of ≈ 17″ × 11″, an image capped well inside the primary
 * beam), with the sky outside the image that made that configuration's errors 2.6× too large: hundreds of mJy in
 * sources between 0.3° and 2.3° whose sidelobes CLEAN cannot remove and which repeat every epoch (the same sky and
 * uv coverage). As the imaging stage does, the reference catalogue's sources outside the image (catalogue fluxes at
 * 1.4 GHz, flat spectrum; the sky's have α = −0.7 as the simulator's, so the subtraction is not perfect) are
 * subtracted from the visibilities before imaging ({@link OutlierSubtraction#selectCatalog}); sources under the
 * catalogue cut stay. Then
 * {@value #EPOCHS} epochs with independent thermal noise, each imaged as the stage does (Briggs 0, CLEAN to 3σ,
 * primary-beam correction) and measured at the true positions on the pbcor image ({@link ForcedPhotometry}).
 * Small on purpose: one channel per subband and a 384 px image holding eight steady sources of 11–405 mJy (the
 * report's field's fluxes), so the suite stays lean (docs/mosaics-photometry.md, "Error model").
 */
class CappedFieldErrorModelTest {

    private static final double DEC = Math.toRadians(54.6);
    private static final int SIZE = 384;
    private static final int EPOCHS = 30;
    private static final double SEFD = 5800;
    /** One channel per subband of the simulator: 16 × 11.71875 MHz from 1.311 GHz. */
    private static final double WIDTH = 11.71875e6;
    private static final double ALPHA = -0.7;
    /** Steady sources in the image: offsets (east, north) in arcmin and 1.4 GHz fluxes (Jy). */
    private static final double[][] FIELD = {{0.5, 0.8, 0.405}, {-2.5, 1.5, 0.011}, {2.8, -2.0, 0.0139},
        {-1.8, -2.6, 0.0272}, {1.5, 2.9, 0.0338}, {-3.0, -0.5, 0.0373}, {3.0, 1.0, 0.0534}, {0.2, -3.0, 0.0771}};
    /** Bright sources outside the image (separation °, position angle °, 1.4 GHz flux Jy) as around the report's. */
    private static final double[][] OUTSIDE = {{0.487, 250, 0.315}, {0.548, 170, 0.599}, {0.742, 160, 3.6},
        {1.12, 330, 0.273}, {1.45, 80, 0.675}, {1.537, 70, 0.501}, {1.875, 340, 0.967}, {2.179, 110, 1.68},
        {2.257, 150, 1.034}, {2.071, 175, 0.62}, {0.779, 185, 0.101}, {0.384, 120, 0.077}};

    @Test
    void errorsMatchTheScatterWhenTheSkyOutsideTheImageIsSubtracted() {
        Visibilities template = DriftScan.build(ArrayLayout.loadDsa110().selectDefault(24), DEC, 2460400.5, 6,
                DriftScan.DSA110_INTEGRATION_SEC, DriftScan.channels(1.311e9 + WIDTH / 2, WIDTH, 16), 2);
        int mid = template.nBlt() / 2;
        double[] c = {template.phaseCentreRa()[mid], template.phaseCentreDec()[mid]};
        List<PointSource> inside = new ArrayList<>();
        for (double[] s : FIELD) {
            double[] radec = SkyGeometry.fromDirectionCosines(Math.sin(Math.toRadians(s[0] / 60)),
                    Math.sin(Math.toRadians(s[1] / 60)), c[0], c[1]);
            inside.add(new PointSource(radec[0], radec[1], s[2], ALPHA, 1.4e9));
        }
        List<PointSource> sky = new ArrayList<>(inside);
        List<PointSource> catalogue = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(54);
        List<double[]> outside = new ArrayList<>(List.of(OUTSIDE));
        for (int i = 0; i < 150; i++) { // the fainter field: 4–100 mJy, 0.25–2.5°, some under the 10 mJy cut
            outside.add(new double[] {0.25 + 2.25 * Math.sqrt(rng.nextDouble()), 360 * rng.nextDouble(),
                0.004 * Math.pow(25, rng.nextDouble())});
        }
        for (double[] o : outside) {
            double sep = Math.toRadians(o[0]);
            double pa = Math.toRadians(o[1]);
            double[] radec = SkyGeometry.fromDirectionCosines(Math.sin(sep) * Math.sin(pa),
                    Math.sin(sep) * Math.cos(pa), c[0], c[1]);
            // the 3.6 Jy source stands for the VLA calibrator of the report's field: flat, as the simulator's are
            sky.add(new PointSource(radec[0], radec[1], o[2], o[2] > 3 ? 0.0 : ALPHA, 1.4e9));
            catalogue.add(PointSource.flat(radec[0], radec[1], o[2]));
        }
        new VisibilityModel(sky, PrimaryBeam.dsa110()).predict(template, null);
        ImagingParameters p = ImagingParameters.forData(template).withRobust(0).withMaxImageSize(SIZE);
        ImageGeometry frame = new ImageGeometry(SIZE, SIZE, p.cellRad(), c[0], c[1]);
        double freq = (template.freqHz()[0] + template.freqHz()[template.nChan() - 1]) / 2;
        // the imaging stage's selection with the packaged defaults (10 mJy apparent, 100 brightest, 3°)
        List<OutlierSubtraction.Outlier> outliers = OutlierSubtraction.selectCatalog(catalogue, List.of(), frame,
                freq, PrimaryBeam.dsa110(), 3.0, 0.010, Math.toRadians(60.0 / 3600), 100);
        double[][] pointing = {template.phaseCentreRa(), template.phaseCentreDec()};

        int n = inside.size();
        double[][] flux = new double[n][EPOCHS];
        double[][] err = new double[n][EPOCHS];
        double[] truth = new double[n];
        for (int ep = 0; ep < EPOCHS; ep++) {
            Visibilities vis = template.copy();
            VisibilityModel.addThermalNoise(vis, SEFD, WIDTH, DriftScan.DSA110_INTEGRATION_SEC,
                    new SplittableRandom(2000 + ep));
            OutlierSubtraction.subtract(vis, pointing, outliers, PrimaryBeam.dsa110());
            double imageFreq = SteadyFieldErrorModelTest.measureEpoch(new Imager(p).open(vis, c[0], c[1]), inside, ep,
                    flux, err);
            for (int i = 0; i < n; i++) {
                truth[i] = inside.get(i).fluxAt(imageFreq);
            }
        }
        ErrorModelCriterion result = ErrorModelCriterion.of(flux, err, truth);
        System.out.printf("capped field, %d catalogue sources subtracted:%n%s%n", outliers.size(), result.describe());
        assertEquals(1.0, result.chi2Nu(), 0.25, "mean chi2_nu of the steady sources");
        assertEquals(0.68, result.within1Sigma(), 0.05, "fraction of measurements within 1 sigma of the truth");
    }
}
