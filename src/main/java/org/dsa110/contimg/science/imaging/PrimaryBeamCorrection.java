package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;

/**
 * Primary-beam correction: divide each pixel by the Airy response at its distance from the pointing centre, at the
 * image frequency. Where the response is below {@code cutoff} (default {@value #DEFAULT_CUTOFF}) the pixel is set
 * to NaN (blank): beyond that the correction would mostly amplify noise and beam-model error.
 */
public final class PrimaryBeamCorrection {

    public static final double DEFAULT_CUTOFF = 0.1;

    private PrimaryBeamCorrection() {
    }

    /** Pointing centre = image phase centre (DSA-110 meridian images). Returns a new plane. */
    public static ImagePlane apply(ImagePlane image, ImageGeometry geom, double freqHz, PrimaryBeam beam,
                                   double cutoff) {
        return apply(image, geom, freqHz, beam, cutoff, geom.raRad(), geom.decRad());
    }

    /** Pointing centre given explicitly (same frame as the geometry). Returns a new plane. */
    public static ImagePlane apply(ImagePlane image, ImageGeometry geom, double freqHz, PrimaryBeam beam,
                                   double cutoff, double pointingRa, double pointingDec) {
        float[] out = new float[image.data().length];
        boolean centred = pointingRa == geom.raRad() && pointingDec == geom.decRad();
        // rows in parallel: the Airy response (a Bessel function per pixel) is the cost
        java.util.stream.IntStream.range(image.y0(), image.y0() + image.height()).parallel().forEach(y -> {
            for (int x = image.x0(); x < image.x0() + image.width(); x++) {
                double theta;
                if (centred) {
                    double[] lm = geom.pixelToLm(x, y);
                    double r = Math.hypot(lm[0], lm[1]);
                    theta = r <= 1 ? Math.asin(r) : Double.NaN;
                } else {
                    double[] sky = geom.pixelToSky(x, y);
                    theta = Double.isNaN(sky[0]) ? Double.NaN
                        : SkyGeometry.separationRad(sky[0], sky[1], pointingRa, pointingDec);
                }
                double b = Double.isNaN(theta) ? 0 : beam.response(theta, freqHz);
                int i = (y - image.y0()) * image.width() + (x - image.x0());
                out[i] = b < cutoff ? Float.NaN : (float) (image.data()[i] / b);
            }
        });
        return new ImagePlane(image.x0(), image.y0(), image.width(), image.height(), out);
    }

    /** The beam response image itself (for weights / QA), same layout. */
    public static ImagePlane responseMap(ImageGeometry geom, double freqHz, PrimaryBeam beam) {
        float[] out = new float[geom.width() * geom.height()];
        for (int y = 0; y < geom.height(); y++) {
            for (int x = 0; x < geom.width(); x++) {
                double[] lm = geom.pixelToLm(x, y);
                double r = Math.hypot(lm[0], lm[1]);
                out[y * geom.width() + x] = r <= 1 ? (float) beam.response(Math.asin(r), freqHz) : 0f;
            }
        }
        return ImagePlane.of(geom.width(), geom.height(), out);
    }
}
