package org.dsa110.contimg.science.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dsa110.contimg.pipeline.builtin.SubbandCombiner;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.imaging.CottonSchwabClean;
import org.dsa110.contimg.science.imaging.ImageGeometry;
import org.dsa110.contimg.science.imaging.Imager;
import org.dsa110.contimg.science.imaging.ImagingParameters;
import org.dsa110.contimg.science.photometry.GaussianFit2D;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;
import org.dsa110.contimg.science.uvfits.UvfitsReader;
import org.dsa110.contimg.science.uvfits.UvfitsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builtin path (conversion → UVFITS written and read back → w-stacked imaging and Cotton–Schwab CLEAN, no
 * calibration) on the reference group: one ICRS phase centre for the group, every source (out to 1.3° from it)
 * within 1″ of its truth position with CLEAN fluxes within 2 %, and nothing at the mirrored positions (−l, −m).
 */
class ReferenceImagingTest {
    @TempDir
    Path tmp;

    @Test
    void builtinConversionAndImagingRecoverTheTruth() throws Exception {
        SubbandCombiner.Combined c = new SubbandCombiner(CalibratorMatcher.dsa110Default(), ReferenceGroup.astrometry())
                .combine(ReferenceGroup.read(), 16, "2026-01-15T02:40:00");
        assertTrue(c.best().isEmpty(), "no calibrator near the reference field");
        Path uvfits = tmp.resolve("ref.uvfits");
        UvfitsWriter.write(c.data(), uvfits);
        UvfitsData d = UvfitsReader.read(uvfits);
        Visibilities vis = d.vis();
        // one ICRS phase centre for the whole group: the reference's (same Earth orientation)
        double[] centre = {vis.phaseCentreRa()[0], vis.phaseCentreDec()[0]};
        var truthCentre = ReferenceGroup.truth().get("phase_centre").get("ms_phase_centre_icrs_deg");
        double centreOffset = SkyGeometry.separationRad(centre[0], centre[1],
                Math.toRadians(truthCentre.get(0).asDouble()), Math.toRadians(truthCentre.get(1).asDouble()));
        assertTrue(Math.toDegrees(centreOffset) * 3600 < 0.001, "phase centre off by " + centreOffset);

        ImagingParameters p = new ImagingParameters(4.0, 2560, 0.0, ImagingParameters.DEFAULT_KERNEL_SUPPORT, 2.0);
        long t0 = System.nanoTime();
        Imager.Session session = new Imager(p).open(vis);
        CottonSchwabClean.Options defaults = CottonSchwabClean.Options.defaults();
        CottonSchwabClean.Result clean = CottonSchwabClean.run(session, new CottonSchwabClean.Options(defaults.gain(),
                defaults.majorGain(), defaults.thresholdSigma(), defaults.maskSigma(), 0.001,
                defaults.maxIterations(), defaults.maxMajorCycles(), 0));
        System.out.printf("%d w-planes, %d iterations in %d major cycles, residual rms %.5f Jy, %.1f s%n",
                session.wLayers(), clean.iterations(), clean.majorCycles(), clean.rmsJy(),
                (System.nanoTime() - t0) / 1e9);
        ImageGeometry g = session.geometry();
        double beamArcsec = Math.sqrt(clean.beam().bmajDeg() * clean.beam().bminDeg()) * 3600;
        for (ReferenceGroup.Source s : ReferenceGroup.sources()) {
            double ra = Math.toRadians(s.raDeg()), dec = Math.toRadians(s.decDeg());
            double[] px = g.skyToPixel(ra, dec);
            double[] lm = g.pixelToLm(px[0], px[1]);
            double offsetRad = Math.hypot(lm[0], lm[1]);
            // nothing at the mirrored position (−l, −m): the old, conjugated convention put the sources there
            double[] mirror = g.lmToPixel(-lm[0], -lm[1]);
            double atMirror = Math.abs(clean.restored().get((int) Math.round(mirror[0]), (int) Math.round(mirror[1])));
            assertTrue(atMirror < 0.05 * s.fluxJy() + 0.01, s.name() + " mirrored: " + atMirror);
            GaussianFit2D.Result fit = new GaussianFit2D().fit(clean.restored(), px[0], px[1],
                    0.6 * beamArcsec / g.cellArcsec(), clean.beam(), g.cellDeg());
            assertTrue(fit.success(), s.name() + ": " + fit.error());
            double[] sky = g.pixelToSky(fit.x(), fit.y());
            double offArcsec = Math.toDegrees(SkyGeometry.separationRad(ra, dec, sky[0], sky[1])) * 3600;
            double cleanFlux = componentFlux(clean.model(), px[0], px[1], beamArcsec / g.cellArcsec());
            System.out.printf("%s at %.2f deg: %.3f\" from truth, CLEAN flux %.4f Jy (truth %.2f)%n", s.name(),
                    Math.toDegrees(offsetRad), offArcsec, cleanFlux, s.fluxJy());
            // w-stacking: every source, out to REF07 at 1.3°, within 1" (issue 15; 16" at 1.3° without it)
            assertTrue(offArcsec < 1.0, s.name() + " is " + offArcsec + "\" from its truth position");
            assertEquals(s.fluxJy(), cleanFlux, 0.02 * s.fluxJy(), s.name() + " CLEAN flux");
        }
    }

    /** Sum of the CLEAN components within {@code radiusPx} of (x, y). */
    static double componentFlux(ImagePlane model, double x, double y, double radiusPx) {
        double sum = 0;
        int r = (int) Math.ceil(radiusPx);
        for (int py = (int) y - r; py <= (int) y + r + 1; py++) {
            for (int px = (int) x - r; px <= (int) x + r + 1; px++) {
                if ((px - x) * (px - x) + (py - y) * (py - y) <= radiusPx * radiusPx && px >= 0 && py >= 0
                        && px < model.width() && py < model.height()) {
                    sum += model.get(px, py);
                }
            }
        }
        return sum;
    }
}
