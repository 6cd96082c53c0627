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
        int cx = geom.width() / 2, cy = geom.height() / 2;
        int mx = Math.max(Math.abs(image.x0() - cx), Math.abs(image.x0() + image.width() - 1 - cx));
        int my = Math.max(Math.abs(image.y0() - cy), Math.abs(image.y0() + image.height() - 1 - cy));
        // centred: l and m are linear in the pixel offsets, so the response depends on (|dx|, |dy|) alone and one
        // Bessel evaluation serves the four quadrants
        double[] table = centred ? centredResponse(geom, freqHz, beam, mx, my) : null;
        // rows in parallel: the Airy response (a Bessel function per pixel) is the cost
        java.util.stream.IntStream.range(image.y0(), image.y0() + image.height()).parallel().forEach(y -> {
            for (int x = image.x0(); x < image.x0() + image.width(); x++) {
                double b;
                if (centred) {
                    b = table[Math.abs(y - cy) * (mx + 1) + Math.abs(x - cx)];
                } else {
                    double[] sky = geom.pixelToSky(x, y);
                    double theta = Double.isNaN(sky[0]) ? Double.NaN
                        : SkyGeometry.separationRad(sky[0], sky[1], pointingRa, pointingDec);
                    b = Double.isNaN(theta) ? 0 : beam.response(theta, freqHz);
                }
                int i = (y - image.y0()) * image.width() + (x - image.x0());
                out[i] = b < cutoff ? Float.NaN : (float) (image.data()[i] / b);
            }
        });
        return new ImagePlane(image.x0(), image.y0(), image.width(), image.height(), out);
    }

    /** Response at pixel offsets (dx, dy) = 0 … mx, 0 … my from the phase centre, indexed dy·(mx + 1) + dx. */
    private static double[] centredResponse(ImageGeometry geom, double freqHz, PrimaryBeam beam, int mx, int my) {
        double[] t = new double[(mx + 1) * (my + 1)];
        int cx = geom.width() / 2, cy = geom.height() / 2;
        java.util.stream.IntStream.rangeClosed(0, my).parallel().forEach(dy -> {
            for (int dx = 0; dx <= mx; dx++) {
                double[] lm = geom.pixelToLm(cx + dx, cy + dy);
                double r = Math.hypot(lm[0], lm[1]);
                double theta = r <= 1 ? Math.asin(r) : Double.NaN;
                t[dy * (mx + 1) + dx] = Double.isNaN(theta) ? 0 : beam.response(theta, freqHz);
            }
        });
        return t;
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
