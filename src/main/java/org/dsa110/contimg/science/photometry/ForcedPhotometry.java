package org.dsa110.contimg.science.photometry;

import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * VAST-style forced photometry at a known pixel position (science.md "Forced photometry").
 *
 * <p>With a beam the flux is the noise-weighted convolution of Condon (1997): in a box of half-width
 * {@code npix = round((nbeam/2)·BMAJ/pixscale)} around the source, with K the peak-normalised beam centred on the
 * sub-pixel position and σ the per-pixel noise,
 * {@code flux = Σ(d·K/σ²)/Σ(K²/σ²)}, {@code error = Σ(σ·K/σ²)/Σ(K/σ²)}, {@code χ² = Σ((d − K·flux)/σ)²},
 * {@code dof = N_good − 1}. Without a beam the flux is the maximum pixel in a small box and the error the annulus rms.
 *
 * <p>All positions are 0-based parent-image pixel coordinates (x = column/RA axis, y = row/Dec axis); the beam PA
 * is turned into pixel space using {@link Parameters#orientation()} (see {@link SkyOrientation}). The image plane
 * only needs to cover the source box and the annulus; pixels outside it count as blank.
 */
public final class ForcedPhotometry {

    /**
     * @param nbeam            cutout size in beams (science.md: 3)
     * @param annulusInnerPx   inner radius of the noise annulus (12 px)
     * @param annulusOuterPx   outer radius of the noise annulus (20 px)
     * @param fallbackBoxSize  side of the box searched for the peak when there is no beam (5)
     * @param orientation      where east is on the pixel grid (standard images: {@link SkyOrientation#EAST_LEFT})
     */
    public record Parameters(double nbeam, double annulusInnerPx, double annulusOuterPx, int fallbackBoxSize,
                             SkyOrientation orientation) {

        public static final Parameters DEFAULTS = new Parameters(3.0, AnnulusRms.DEFAULT_INNER_PX,
                AnnulusRms.DEFAULT_OUTER_PX, 5, SkyOrientation.EAST_LEFT);

        public Parameters {
            if (!(nbeam > 0) || !(annulusOuterPx >= annulusInnerPx) || annulusInnerPx < 0 || fallbackBoxSize < 1
                    || orientation == null) {
                throw new IllegalArgumentException("invalid forced-photometry parameters");
            }
        }

        public Parameters withOrientation(SkyOrientation o) {
            return new Parameters(nbeam, annulusInnerPx, annulusOuterPx, fallbackBoxSize, o);
        }
    }

    private final Parameters params;

    public ForcedPhotometry() {
        this(Parameters.DEFAULTS);
    }

    public ForcedPhotometry(Parameters params) {
        this.params = params;
    }

    public Parameters parameters() {
        return params;
    }

    /**
     * Measures the source at (x, y).
     *
     * @param image         pixels covering the source and its annulus (Jy/beam, NaN = blank)
     * @param noise         optional per-pixel noise map on the same parent grid (Jy/beam); null → annulus rms
     * @param x             source x in parent-image pixels (sub-pixel)
     * @param y             source y in parent-image pixels (sub-pixel)
     * @param pixelScaleDeg pixel size in degrees (square pixels)
     * @param beam          restoring beam, or null (or non-positive axes) for the box-peak fallback
     */
    public PhotometryResult measure(ImagePlane image, ImagePlane noise, double x, double y, double pixelScaleDeg,
                                    Beam beam) {
        boolean hasBeam = beam != null && beam.bmajDeg() > 0 && beam.bminDeg() > 0 && Double.isFinite(beam.bpaDeg());
        PhotometryResult.Method method = hasBeam ? PhotometryResult.Method.CONDON_WEIGHTED
                : PhotometryResult.Method.BOX_PEAK;
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return PhotometryResult.failure(method, "non-finite source position");
        }
        int xi = (int) Math.round(x);
        int yi = (int) Math.round(y);
        if (!image.contains(xi, yi)) {
            return PhotometryResult.failure(method, "source position (" + x + ", " + y + ") is off the image");
        }
        return hasBeam ? condon(image, noise, x, y, xi, yi, pixelScaleDeg, beam) : boxPeak(image, x, y, xi, yi);
    }

    /** Convenience overload without a noise map. */
    public PhotometryResult measure(ImagePlane image, double x, double y, double pixelScaleDeg, Beam beam) {
        return measure(image, null, x, y, pixelScaleDeg, beam);
    }

    private PhotometryResult condon(ImagePlane image, ImagePlane noise, double x, double y, int xi, int yi,
                                    double pixelScaleDeg, Beam beam) {
        PhotometryResult.Method method = PhotometryResult.Method.CONDON_WEIGHTED;
        if (!(pixelScaleDeg > 0)) {
            throw new IllegalArgumentException("pixel scale must be > 0: " + pixelScaleDeg);
        }
        double annulusRms = AnnulusRms.of(image, x, y, params.annulusInnerPx(), params.annulusOuterPx());
        double localRms;
        if (noise != null) {
            localRms = noise.get(xi, yi);
        } else {
            if (!(annulusRms > 0)) {
                return PhotometryResult.failure(method, "no usable noise estimate in the "
                        + params.annulusInnerPx() + "-" + params.annulusOuterPx() + " px annulus");
            }
            localRms = annulusRms;
        }
        // science.md: npix = round((nbeam/2)·BMAJ/pixscale), box centred on the source pixel.
        int npix = (int) Math.round((params.nbeam() / 2.0) * beam.bmajDeg() / pixelScaleDeg);
        EllipticalGaussian kernel = EllipticalGaussian.ofBeam(x, y, beam.bmajDeg(), beam.bminDeg(), beam.bpaDeg(),
                pixelScaleDeg, params.orientation());

        int side = 2 * npix + 1;
        double[] data = new double[side * side];
        double[] kern = new double[side * side];
        double[] sig = new double[side * side];
        int nGood = 0;
        for (int py = yi - npix; py <= yi + npix; py++) {
            for (int px = xi - npix; px <= xi + npix; px++) {
                double d = image.get(px, py);
                double sigma = noise != null ? noise.get(px, py) : annulusRms;
                if (Double.isFinite(d) && Double.isFinite(sigma) && sigma > 0) {
                    data[nGood] = d;
                    kern[nGood] = kernel.value(px, py);
                    sig[nGood] = sigma;
                    nGood++;
                }
            }
        }
        // Condon (1997) / VAST: noise-weighted convolution with the beam.
        double sumDK = 0, sumKK = 0, sumSigK = 0, sumK = 0;
        for (int i = 0; i < nGood; i++) {
            double w = 1.0 / (sig[i] * sig[i]);
            sumDK += data[i] * kern[i] * w;
            sumKK += kern[i] * kern[i] * w;
            sumSigK += sig[i] * kern[i] * w;
            sumK += kern[i] * w;
        }
        if (nGood == 0 || !(sumKK > 0)) {
            return PhotometryResult.failure(method, "no finite pixels with a valid noise in the source box");
        }
        double flux = sumDK / sumKK;
        double error = sumSigK / sumK;
        double chisq = 0;
        for (int i = 0; i < nGood; i++) {
            double r = (data[i] - kern[i] * flux) / sig[i];
            chisq += r * r;
        }
        if (!Double.isFinite(localRms)) {
            localRms = error; // noise map blank exactly at the source pixel: fall back to the weighted error
        }
        return new PhotometryResult(flux, error, localRms, flux / error, chisq, nGood - 1, nGood, method, true, null);
    }

    private PhotometryResult boxPeak(ImagePlane image, double x, double y, int xi, int yi) {
        PhotometryResult.Method method = PhotometryResult.Method.BOX_PEAK;
        // A box of odd side B covers the source pixel ± B/2; an even side is extended towards +x/+y.
        int lo = (params.fallbackBoxSize() - 1) / 2;
        int hi = params.fallbackBoxSize() - 1 - lo;
        double peak = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int py = yi - lo; py <= yi + hi; py++) {
            for (int px = xi - lo; px <= xi + hi; px++) {
                float v = image.get(px, py);
                if (Float.isFinite(v)) {
                    peak = Math.max(peak, v);
                    n++;
                }
            }
        }
        if (n == 0) {
            return PhotometryResult.failure(method, "all pixels blank in the " + params.fallbackBoxSize() + "x"
                    + params.fallbackBoxSize() + " box");
        }
        double rms = AnnulusRms.of(image, x, y, params.annulusInnerPx(), params.annulusOuterPx());
        if (!(rms > 0)) {
            return PhotometryResult.failure(method, "no usable noise estimate in the annulus");
        }
        return new PhotometryResult(peak, rms, rms, peak / rms, Double.NaN, 0, n, method, true, null);
    }
}
