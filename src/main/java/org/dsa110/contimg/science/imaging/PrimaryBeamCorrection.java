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

    /**
     * Drift-scan correction: divide by the effective beam of an image made from data taken at several pointings, the
     * weighted mean of the responses Σ_t w_t·B(θ_t, ν) / Σ_t w_t (θ_t: the pixel's distance from pointing t). A
     * point source's apparent flux in the image is its flux times that mean (each integration contributes S·B(θ_t)
     * with its share of the weight), so dividing by the beam at one centre would be 1–2 % off over a DSA-110 group,
     * whose meridian moves 0.75° in 309 s at Dec 55° (docs/radio-stages.md, "Primary-beam correction"). The mean is
     * smooth on the scale of the beam (≈ 3°): it is evaluated exactly on nodes at most {@value #NODE_STEP_DEG}° and
     * 32 pixels apart and bilinearly interpolated between them (error below 10⁻⁴ of the response). With one
     * pointing at the phase centre this is {@link #apply(ImagePlane, ImageGeometry, double, PrimaryBeam, double)}.
     */
    public static ImagePlane apply(ImagePlane image, ImageGeometry geom, double freqHz, PrimaryBeam beam,
                                   double cutoff, BeamPointings pointings) {
        int n = pointings.raRad().length;
        double total = pointings.totalWeight();
        if (n == 1 || total <= 0) {
            return apply(image, geom, freqHz, beam, cutoff, pointings.raRad()[0], pointings.decRad()[0]);
        }
        double[][] unit = new double[n][];
        for (int t = 0; t < n; t++) {
            unit[t] = SkyGeometry.unitVector(pointings.raRad()[t], pointings.decRad()[t]);
        }
        int step = (int) Math.max(1, Math.min(32, Math.floor(NODE_STEP_DEG / geom.cellDeg())));
        int[] xs = nodes(image.x0(), image.width(), step);
        int[] ys = nodes(image.y0(), image.height(), step);
        double[] node = new double[xs.length * ys.length];
        java.util.stream.IntStream.range(0, ys.length).parallel().forEach(j -> {
            for (int i = 0; i < xs.length; i++) {
                double[] sky = geom.pixelToSky(xs[i], ys[j]);
                double sum = 0;
                if (!Double.isNaN(sky[0])) {
                    double[] u = SkyGeometry.unitVector(sky[0], sky[1]);
                    for (int t = 0; t < n; t++) {
                        if (pointings.weight()[t] > 0) {
                            sum += pointings.weight()[t] * beam.response(angle(u, unit[t]), freqHz);
                        }
                    }
                }
                node[j * xs.length + i] = sum / total;
            }
        });
        float[] out = new float[image.data().length];
        java.util.stream.IntStream.range(image.y0(), image.y0() + image.height()).parallel().forEach(y -> {
            int j = segment(ys, y);
            double fy = ys[j + 1] == ys[j] ? 0 : (y - ys[j]) / (double) (ys[j + 1] - ys[j]);
            for (int x = image.x0(); x < image.x0() + image.width(); x++) {
                int i = segment(xs, x);
                double fx = xs[i + 1] == xs[i] ? 0 : (x - xs[i]) / (double) (xs[i + 1] - xs[i]);
                int k = j * xs.length + i;
                double b = (1 - fy) * ((1 - fx) * node[k] + fx * node[k + 1])
                        + fy * ((1 - fx) * node[k + xs.length] + fx * node[k + xs.length + 1]);
                int o = (y - image.y0()) * image.width() + (x - image.x0());
                out[o] = b < cutoff ? Float.NaN : (float) (image.data()[o] / b);
            }
        });
        return new ImagePlane(image.x0(), image.y0(), image.width(), image.height(), out);
    }

    /** Largest node spacing of the time-averaged beam [deg]. */
    static final double NODE_STEP_DEG = 0.02;

    /** Node coordinates from {@code start} every {@code step} pixels, the last one on the last pixel (≥ 2 nodes). */
    private static int[] nodes(int start, int length, int step) {
        int count = Math.max(2, (length - 1 + step - 1) / step + 1);
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = start + Math.min(k * step, Math.max(0, length - 1));
        }
        return out;
    }

    /** The node interval holding {@code p}: index k with nodes[k] ≤ p ≤ nodes[k + 1]. */
    private static int segment(int[] nodes, int p) {
        int step = Math.max(1, nodes[1] - nodes[0]);
        return Math.min((p - nodes[0]) / step, nodes.length - 2);
    }

    /** Angle between unit vectors, accurate at small angles (atan2 of |a × b| and a · b). */
    private static double angle(double[] a, double[] b) {
        double cx = a[1] * b[2] - a[2] * b[1];
        double cy = a[2] * b[0] - a[0] * b[2];
        double cz = a[0] * b[1] - a[1] * b[0];
        return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
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
