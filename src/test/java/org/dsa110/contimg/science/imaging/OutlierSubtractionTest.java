package org.dsa110.contimg.science.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.radio.DriftScan;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.junit.jupiter.api.Test;

/**
 * A capped image with an 8.8 Jy source 0.9° from the centre, just outside it (as the demo's calibrator outside its
 * 1024-px image): with the source predicted and subtracted the CLEANed residual is at the thermal noise; without,
 * its sidelobes stay in the image (CLEAN cannot reach it).
 */
class OutlierSubtractionTest {

    private static final double CELL_ARCSEC = 20.0;
    private static final int SIZE = 256; // ±0.71°
    private static final double SEFD = 5800;
    private static final double WIDTH = 3.2e6;

    @Test
    void aBrightSourceJustOutsideACappedImageIsSubtractedToTheNoise() {
        double[] freq = DriftScan.channels(1.3e9, WIDTH, 8);
        Visibilities template = WStackingTest.snapshot(2, freq);
        double[] c = WStackingTest.centre(template);
        PointSource outlier = WStackingTest.at(c, 0.75, 0.5, 8.8); // 0.9° out, beyond the 0.71° half-width
        List<PointSource> sky = List.of(outlier, WStackingTest.at(c, 0.2, -0.3, 0.1),
            WStackingTest.at(c, -0.4, 0.1, 0.03));
        new VisibilityModel(sky, PrimaryBeam.dsa110()).predict(template, null);
        VisibilityModel.addThermalNoise(template, SEFD, WIDTH, DriftScan.DSA110_INTEGRATION_SEC,
            new SplittableRandom(11));
        double thermal = ThermalNoise.stokesIJy(SEFD, template.antennaNumbers().length, freq.length * WIDTH,
            2 * DriftScan.DSA110_INTEGRATION_SEC);
        ImagingParameters p = new ImagingParameters(CELL_ARCSEC, SIZE, Double.NaN, 7, 2.0);
        ImageGeometry g = new ImageGeometry(SIZE, SIZE, p.cellRad(), c[0], c[1]);
        // the catalogue holds the outlier and an in-field source (which CLEAN handles and must not be subtracted)
        List<VlaCalibrator> catalog = List.of(
            new VlaCalibrator("OUT", "", outlier.raRad(), outlier.decRad(), 8.8),
            new VlaCalibrator("IN", "", sky.get(1).raRad(), sky.get(1).decRad(), 0.1));
        List<OutlierSubtraction.Outlier> selected = OutlierSubtraction.select(catalog, g, 1.3e9,
            PrimaryBeam.dsa110(), 3.0, 0.5, 0);
        assertEquals(1, selected.size());
        assertEquals("OUT", selected.get(0).name());
        assertEquals(0.9, selected.get(0).offsetDeg(), 0.01);

        // without the subtraction: the dirty image (CLEAN has nothing inside the image to remove the sidelobes with)
        double without = ImageStatistics.robustRms(
            new Imager(p).open(template.copy(), c[0], c[1]).residual().data());
        Visibilities subtracted = template.copy();
        OutlierSubtraction.subtract(subtracted, new double[][] {subtracted.phaseCentreRa(),
            subtracted.phaseCentreDec()}, selected, PrimaryBeam.dsa110());
        double with = residualRms(subtracted, p, c);
        System.out.printf("capped %d px image, %.1f Jy (apparent %.2f Jy) 0.9 deg out: rms %.2f mJy "
            + "without subtraction (dirty), CLEANed residual %.2f mJy with, thermal %.2f mJy%n", SIZE, 8.8,
            selected.get(0).apparentJy(), without * 1e3, with * 1e3, thermal * 1e3);
        assertTrue(with < 1.5 * thermal && with > 0.8 * thermal, "rms " + with + " thermal " + thermal);
        assertTrue(without > 3 * thermal, "the outlier's sidelobes: " + without);
        assertTrue(without > 2 * with, "without subtraction " + without + ", with " + with);
    }

    @Test
    void catalogueSourcesOutsideTheImageAreSelectedBrightestFirstWithoutTheVlaCalibratorsAgain() {
        double[] c = {Math.toRadians(100), Math.toRadians(54.6)};
        ImageGeometry g = new ImageGeometry(SIZE, SIZE, Math.toRadians(CELL_ARCSEC / 3600), c[0], c[1]);
        PointSource vla = WStackingTest.at(c, 0.75, 0.5, 3.6);
        List<OutlierSubtraction.Outlier> already = OutlierSubtraction.select(
            List.of(new VlaCalibrator("VLA", "", vla.raRad(), vla.decRad(), 3.6)), g, 1.4e9, PrimaryBeam.dsa110(),
            3.0, 0.5, 0);
        List<PointSource> catalogue = List.of(
            PointSource.flat(vla.raRad() + Math.toRadians(20.0 / 3600), vla.decRad(), 3.5), // the VLA source, in NVSS
            WStackingTest.at(c, 0.1, 0.1, 0.5),   // inside the image: CLEAN's
            WStackingTest.at(c, 1.0, 0.0, 0.2),   // outside, bright
            WStackingTest.at(c, 0.0, -1.2, 0.05), // outside, fainter
            WStackingTest.at(c, 1.5, 1.5, 0.012), // outside, under 10 mJy after the primary beam (2.1°)
            WStackingTest.at(c, 3.2, 0.0, 5.0));  // beyond the 3° radius
        List<OutlierSubtraction.Outlier> all = OutlierSubtraction.selectCatalog(catalogue, already, g, 1.4e9,
            PrimaryBeam.dsa110(), 3.0, 0.010, Math.toRadians(60.0 / 3600), 0);
        assertEquals(List.of(1.0, 1.2), all.stream().map(o -> Math.round(o.offsetDeg() * 10) / 10.0).toList());
        assertTrue(all.get(0).apparentJy() > all.get(1).apparentJy());
        List<OutlierSubtraction.Outlier> capped = OutlierSubtraction.selectCatalog(catalogue, already, g, 1.4e9,
            PrimaryBeam.dsa110(), 3.0, 0.010, Math.toRadians(60.0 / 3600), 1);
        assertEquals(1, capped.size());
        assertEquals(all.get(0).name(), capped.get(0).name());
    }

    private static double residualRms(Visibilities vis, ImagingParameters p, double[] c) {
        Imager.Session s = new Imager(p).open(vis, c[0], c[1]);
        CottonSchwabClean.Result r = CottonSchwabClean.run(s, CottonSchwabClean.Options.defaults());
        return ImageStatistics.robustRms(r.residual().data());
    }
}
