package org.dsa110.contimg.validation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.validation.TruthComparison.Measured;
import org.dsa110.contimg.validation.TruthComparison.TruthSource;

/**
 * One imager's result on one group: the truth sources measured on the flux image (primary-beam corrected for
 * simulated groups, whose visibilities carry the beam; the plain restored image for the reference group, whose
 * visibilities do not), and the noise of the plain restored image (flat noise): robust rms = 1.4826·MAD over every
 * pixel, peak, and dynamic range = peak / rms. Both imagers are measured by this same code.
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
        try (FitsImage img = FitsImage.open(fluxImage)) {
            measured = TruthComparison.measure(img.readPlane(), img.wcs(), img.beam(), truth);
        }
        try (FitsImage img = FitsImage.open(flatImage)) {
            ImagePlane plane = img.readPlane();
            ImageStatistics stats = ImageStatistics.of(plane);
            return new ImageEvaluation(imager, measured, stats.rms(), stats.peak(), img.width(),
                    img.wcs().pixelScaleDeg() * 3600, img.beam().bmajDeg() * 3600, img.beam().bminDeg() * 3600,
                    wallSec, notes);
        }
    }
}
