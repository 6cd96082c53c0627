package org.dsa110.contimg.validation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.validation.TruthComparison.Measured;
import org.dsa110.contimg.validation.TruthComparison.TruthSource;

/**
 * One imager's result on one group: the truth sources measured on the flux image (primary-beam corrected for
 * simulated groups, whose visibilities carry the beam; the plain restored image for the reference group, whose
 * visibilities do not), and the noise of the plain restored image (flat noise): robust rms = 1.4826·MAD over every
 * pixel, peak, and dynamic range = peak / rms. Both imagers are measured by this same code. Each source's noise on
 * the flux image is that rms times the primary-beam correction at the source, read as the ratio of the flux image
 * to the flat image at its truth pixel (1 when they are the same image).
 */
record ImageEvaluation(String imager, List<Measured> sources, double rmsJy, double peakJy, int size,
                       double cellArcsec, double beamMajArcsec, double beamMinArcsec, double wallSec,
                       String notes) {

    double dynamicRange() {
        return rmsJy > 0 ? peakJy / rmsJy : Double.NaN;
    }

    static ImageEvaluation of(String imager, Path fluxImage, Path flatImage, List<TruthSource> truth, double wallSec,
                              String notes) throws IOException {
        List<Measured> measured;
        ImagePlane flux;
        CelestialWcs wcs;
        try (FitsImage img = FitsImage.open(fluxImage)) {
            flux = img.readPlane();
            wcs = img.wcs();
            measured = TruthComparison.measure(flux, wcs, img.beam(), truth);
        }
        try (FitsImage img = FitsImage.open(flatImage)) {
            ImagePlane plane = img.readPlane();
            ImageStatistics stats = ImageStatistics.of(plane);
            measured = measured.stream().map(m -> m.withNoise(stats.rms() * pbCorrection(flux, plane, wcs, m)))
                    .toList();
            return new ImageEvaluation(imager, measured, stats.rms(), stats.peak(), img.width(),
                    img.wcs().pixelScaleDeg() * 3600, img.beam().bmajDeg() * 3600, img.beam().bminDeg() * 3600,
                    wallSec, notes);
        }
    }

    /** flux / flat at the source's truth pixel (the primary-beam correction there); NaN where either is not usable. */
    private static double pbCorrection(ImagePlane flux, ImagePlane flat, CelestialWcs wcs, Measured m) {
        if (!m.ok()) {
            return Double.NaN;
        }
        double[] px = wcs.worldToPixel(m.truth().raDeg(), m.truth().decDeg());
        int x = (int) Math.round(px[0]), y = (int) Math.round(px[1]);
        if (x < 0 || y < 0 || x >= flat.width() || y >= flat.height() || flat.get(x, y) == 0) {
            return Double.NaN;
        }
        double c = flux.get(x, y) / flat.get(x, y);
        return Double.isFinite(c) && c > 0 ? c : Double.NaN;
    }
}
