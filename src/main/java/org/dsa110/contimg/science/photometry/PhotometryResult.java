package org.dsa110.contimg.science.photometry;

/**
 * Outcome of one forced measurement (science.md "Forced photometry"). Failures are values, not exceptions:
 * {@code success=false} with {@code error} set and the numeric fields NaN.
 *
 * @param peakJyb    fitted peak flux density, Jy/beam
 * @param peakErrJyb its 1σ error, Jy/beam
 * @param localRms   local noise, Jy/beam: the noise-map value at the source pixel when a noise map is given, else the
 *                   clipped annulus rms
 * @param snr        peakJyb / peakErrJyb
 * @param chisq      χ² of the kernel fit (NaN for the box-peak method)
 * @param dof        N_good − 1 (0 for the box-peak method)
 * @param nPixels    pixels used (good pixels in the cutout, or finite pixels in the box)
 * @param method     how the flux was measured
 */
public record PhotometryResult(double peakJyb, double peakErrJyb, double localRms, double snr, double chisq, int dof,
                               int nPixels, Method method, boolean success, String error) {

    public enum Method {
        /** Condon (1997) noise-weighted convolution with the restoring beam. */
        CONDON_WEIGHTED,
        /** No beam: maximum pixel of a small box, error = annulus rms. */
        BOX_PEAK
    }

    static PhotometryResult failure(Method method, String error) {
        return new PhotometryResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, method, false,
                error);
    }
}
