package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Deconvolution to the noise: Cotton–Schwab major cycles (Schwab 1984) around Högbom/Clark minor cycles
 * ({@link HogbomClean}), with automatic thresholds from the residual's robust rms as WSClean's
 * {@code -auto-threshold} / {@code -auto-mask} define them (Offringa &amp; Smirnov 2017, §3).
 *
 * <p>Each major cycle: σ = 1.4826·MAD of the residual image; minor cycles clean the residual with the PSF down to
 * max(stop, (1 − majorGain)·peak), where stop is {@code maskSigma}·σ until that level is reached and then
 * {@code thresholdSigma}·σ (never below {@code thresholdJy}); once the mask level is reached the search is limited
 * to the pixels that already hold components (the auto-mask), so cleaning to 3σ does not pick up noise peaks. The
 * new components' visibilities are then predicted with the imager's own w-stacking ({@link Imager.Session
 * #subtractModel}) and subtracted from the samples, and the residual image is made anew from them, so errors of the
 * image-plane PSF subtraction (the PSF varies over a w-corrected field) do not accumulate. For the same reason the
 * minor cycles need the residual only where they search ({@link ClarkSubtraction}): with the auto-mask they subtract
 * each Clark cycle's components exactly at the mask's pixels only; the next residual image is exact everywhere.
 * Stops when the peak is at the threshold, or at {@code maxIterations} / {@code maxMajorCycles} (safety caps).
 * Restored image = model ⊗ the Gaussian fitted to the PSF + final residual.
 */
public final class CottonSchwabClean {

    /**
     * @param gain            minor-cycle loop gain (0.1)
     * @param majorGain       fraction of the peak a major cycle's minor cycles remove (WSClean's mgain, 0.8)
     * @param thresholdSigma  final threshold in units of the residual's robust rms (3)
     * @param maskSigma       auto-mask level in units of the residual's robust rms (5; ≤ thresholdSigma: no mask)
     * @param thresholdJy     absolute floor of the threshold (Jy/beam, 0 = none)
     * @param maxIterations   safety cap on minor iterations over all cycles
     * @param maxMajorCycles  safety cap on major cycles
     * @param psfPatchHalfWidth PSF subtraction half-width in the minor cycles (0 = the whole PSF)
     */
    public record Options(double gain, double majorGain, double thresholdSigma, double maskSigma, double thresholdJy,
                          int maxIterations, int maxMajorCycles, int psfPatchHalfWidth) {

        public Options {
            if (!(gain > 0 && gain <= 1) || !(majorGain > 0 && majorGain <= 1)) {
                throw new IllegalArgumentException("gain and major gain must be in (0, 1]");
            }
            if (!(thresholdSigma >= 0) || !(maskSigma >= 0) || !(thresholdJy >= 0) || maxIterations < 0
                    || maxMajorCycles < 0) {
                throw new IllegalArgumentException("thresholds and caps must be >= 0");
            }
        }

        public static Options defaults() {
            return new Options(0.1, 0.8, 3.0, 5.0, 0.0, 100_000, 30, 0);
        }
    }

    /**
     * @param model          component image (Jy per pixel)
     * @param residual       final residual image (Jy/beam), made from the residual visibilities
     * @param restored       model ⊗ beam + residual (Jy/beam)
     * @param beam           restoring beam fitted to the PSF
     * @param iterations     minor iterations done
     * @param majorCycles    major cycles done (predictions subtracted)
     * @param rmsJy          robust rms of the final residual
     * @param thresholdJy    the final threshold (max(thresholdJy, thresholdSigma × rms))
     * @param peakResidualJy |peak| of the final residual in the search window (outside the mask too)
     * @param converged      whether the threshold was reached (false: stopped by a safety cap)
     * @param subtractionFraction residual pixel updates of the minor cycles' subtractions ÷ those of whole-PSF
     *                       subtractions of the same components (1 = no saving)
     */
    public record Result(ImagePlane model, ImagePlane residual, ImagePlane restored, Beam beam, int iterations,
                         int majorCycles, double rmsJy, double thresholdJy, double peakResidualJy,
                         boolean converged, double subtractionFraction) {
    }

    private CottonSchwabClean() {
    }

    public static Result run(Imager.Session session, Options opt) {
        return run(session, opt, true);
    }

    /**
     * @param partial let the masked minor cycles subtract at the mask's pixels only ({@link ClarkSubtraction});
     *                false: the whole PSF over the whole image (the reference the partial
     *                subtraction is tested against)
     */
    static Result run(Imager.Session session, Options opt, boolean partial) {
        // deconvolution in the working frame (position-invariant PSF), products resampled to the true grid at the end
        ImageGeometry g = session.workingGeometry();
        int w = g.width(), h = g.height();
        ImagePlane psf = session.psf();
        CleanPsf p = new CleanPsf(psf, opt.psfPatchHalfWidth());
        int[] win = HogbomClean.searchWindow(p, w, h,
            new HogbomClean.Options(opt.gain(), 0, 0, opt.psfPatchHalfWidth(), true));
        float[] res = session.workingResidual().data();
        float[] model = new float[w * h];
        boolean[] mask = null;
        int iter = 0, majors = 0;
        long updates = 0, wholeUpdates = 0;
        boolean converged = false;
        double sigma, finalThreshold, peak;
        while (true) {
            sigma = ImageStatistics.robustRms(res);
            finalThreshold = Math.max(opt.thresholdJy(), opt.thresholdSigma() * sigma);
            double maskLevel = Math.max(finalThreshold, opt.maskSigma() * sigma);
            double stop = mask != null ? finalThreshold : maskLevel;
            peak = ActiveSet.peak(res, w, win, mask)[0];
            if (!(peak > stop)) {
                if (mask == null && maskLevel > finalThreshold) {
                    mask = componentMask(model);
                    continue;
                }
                converged = true;
                break;
            }
            if (iter >= opt.maxIterations() || majors >= opt.maxMajorCycles()) {
                break;
            }
            double minorStop = Math.max(stop, (1 - opt.majorGain()) * peak);
            HogbomClean.Minor m = HogbomClean.deconvolve(res, w, h, p,
                new HogbomClean.Options(opt.gain(), opt.maxIterations() - iter, minorStop, opt.psfPatchHalfWidth(),
                    true), mask, partial);
            if (m.iterations() == 0) {
                break;
            }
            iter += m.iterations();
            updates += m.updates();
            wholeUpdates += m.wholePsfUpdates();
            for (int i = 0; i < model.length; i++) {
                model[i] += m.model()[i];
            }
            session.subtractModel(m.model());
            res = session.workingResidual().data();
            majors++;
        }
        peak = ActiveSet.peak(res, w, win)[0];
        Beam beam = BeamFitter.fit(psf, g.cellDeg());
        float[] restored = res.clone();
        HogbomClean.restore(model, restored, w, h, beam, g.cellDeg());
        return new Result(session.modelToImage(model), session.toImage(ImagePlane.of(w, h, res)),
            session.toImage(ImagePlane.of(w, h, restored)), beam, iter, majors, sigma, finalThreshold, peak, converged,
            wholeUpdates == 0 ? 1 : (double) updates / wholeUpdates);
    }

    /** The pixels holding components (WSClean's auto-mask); an empty model gives an empty mask. */
    private static boolean[] componentMask(float[] model) {
        boolean[] mask = new boolean[model.length];
        for (int i = 0; i < model.length; i++) {
            mask[i] = model[i] != 0f;
        }
        return mask;
    }
}
