package org.dsa110.contimg.qa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.transients.SourceFinder;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Blind source finding over a whole image for QA (source count, catalog validation), in strips of rows so memory
 * stays bounded: each strip is read with an overlap of {@value #OVERLAP} rows on both sides and keeps only the
 * islands whose peak lies in its own rows, so an island crossing a strip boundary is counted once (islands longer
 * than the overlap could be split; radio sources at our resolution are a few beams at most).
 */
final class ImageSources {
    static final int STRIP_ROWS = 512;
    static final int OVERLAP = 32;
    /** Islands kept per strip at most (brightest first). */
    static final int MAX_PER_STRIP = 20000;

    /** One detection: peak pixel, flux-weighted centroid on the sky, peak flux (Jy/beam) and S/N. */
    record Detection(double x, double y, double raDeg, double decDeg, double peakJy, double snr) {
    }

    private ImageSources() {
    }

    /** Islands with a peak at least {@code sigma}·rms (grown down to 3σ, or sigma if lower). */
    static List<Detection> find(FitsImage img, double rms, double sigma) throws IOException {
        List<Detection> out = new ArrayList<>();
        if (!(rms > 0) || !Double.isFinite(rms)) {
            return out;
        }
        CelestialWcs wcs = img.wcs();
        SourceFinder finder = new SourceFinder(new SourceFinder.Parameters(sigma, Math.min(3.0, sigma),
                MAX_PER_STRIP));
        int w = img.width();
        int h = img.height();
        for (int y0 = 0; y0 < h; y0 += STRIP_ROWS) {
            int lo = Math.max(0, y0 - OVERLAP);
            int hi = Math.min(h, y0 + STRIP_ROWS + OVERLAP);
            ImagePlane strip = img.readCutout(0, lo, w, hi - lo);
            for (SourceFinder.Island is : finder.find(strip, rms).islands()) {
                if (is.peakY() < y0 || is.peakY() >= y0 + STRIP_ROWS) {
                    continue;
                }
                double[] world = wcs.pixelToWorld(is.centroidX(), is.centroidY());
                out.add(new Detection(is.centroidX(), is.centroidY(), world[0], world[1], is.peakFlux(),
                        is.peakSnr()));
            }
        }
        out.sort((a, b) -> Double.compare(b.peakJy(), a.peakJy()));
        return out;
    }
}
