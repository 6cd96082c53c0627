package org.dsa110.contimg.science.imaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Högbom (1974) CLEAN in Clark (1980) major/minor cycles: repeatedly take the residual pixel of largest |value|,
 * record gain × value as a delta component there and subtract gain × value × PSF (shifted to that pixel), until
 * {@code maxIterations} or the peak falls below {@code thresholdJy}. Restored image = model ⊗ fitted Gaussian beam
 * ({@link BeamFitter}, unit peak, so Jy/beam) + residual.
 *
 * <p>Cycles: a minor cycle works on the <em>active set</em>, the search-window pixels brighter than
 * cut = max(threshold, f·peak), where f is the PSF's largest sidelobe outside its main lobe (clamped to
 * [{@value #MIN_CUT_FRACTION}, {@value #MAX_CUT_FRACTION}]), at most {@value ActiveSet#MAX_ACTIVE} pixels (the
 * brightest; the cut is raised to match). Högbom iterations run on those pixels alone, each subtraction updating
 * them with the exact PSF, until their peak falls to the cut; pixels outside the set can only have moved by the
 * sidelobes, which is why the cut sits at that level. The major cycle then subtracts the cycle's components,
 * summed per pixel, from the whole residual with the PSF over its overlap with the image (rows in parallel), so
 * the residual is exact again, and the next cycle selects anew ({@link ClarkSubtraction}; inside Cotton–Schwab,
 * whose major cycles image the residual anew, only at the mask's pixels when the search is masked). Iterations, gain
 * and threshold keep their Högbom meaning; the cost of an iteration no longer scales with the image.
 *
 * <p>The PSF is subtracted over its overlap with the image, optionally limited to a square patch of half-width
 * {@code psfPatchHalfWidth} pixels (0 = the whole PSF). Sidelobes of a component are only removed where the shifted
 * PSF reaches, so with {@code restrictToPsfCoverage} (default) peaks are searched only in the window of pixels from
 * which the (patch-limited) PSF covers the whole image: the whole image for a PSF twice the image size, a central
 * box otherwise. Searching beyond it lets unsubtracted sidelobes be mistaken for sources and CLEAN diverges.
 */
public final class HogbomClean {

    /** Bounds of the minor-cycle cut as a fraction of the cycle's peak (see the class comment). */
    static final double MIN_CUT_FRACTION = 0.05;
    static final double MAX_CUT_FRACTION = 0.8;

    /**
     * @param gain              loop gain (science.md: 0.1)
     * @param maxIterations     niter (science.md: 1000)
     * @param thresholdJy       stop when the |peak| residual is below this (Jy/beam)
     * @param psfPatchHalfWidth PSF subtraction half-width in pixels, 0 = whole PSF
     * @param restrictToPsfCoverage search peaks only where the PSF covers the whole image (see class comment)
     */
    public record Options(double gain, int maxIterations, double thresholdJy, int psfPatchHalfWidth,
                          boolean restrictToPsfCoverage) {

        public static Options defaults() {
            return new Options(0.1, 1000, 0.0, 0, true);
        }

        public Options withThreshold(double jy) {
            return new Options(gain, maxIterations, jy, psfPatchHalfWidth, restrictToPsfCoverage);
        }

        public Options withMaxIterations(int n) {
            return new Options(gain, n, thresholdJy, psfPatchHalfWidth, restrictToPsfCoverage);
        }

        public Options withPsfPatchHalfWidth(int half) {
            return new Options(gain, maxIterations, thresholdJy, half, restrictToPsfCoverage);
        }

        public Options withRestrictToPsfCoverage(boolean restrict) {
            return new Options(gain, maxIterations, thresholdJy, psfPatchHalfWidth, restrict);
        }
    }

    /** A CLEAN component: image pixel and flux (Jy). */
    public record Component(int x, int y, double fluxJy) {
    }

    /**
     * @param model       component image (Jy per pixel)
     * @param residual    residual image (Jy/beam)
     * @param restored    model ⊗ beam + residual (Jy/beam)
     * @param beam        fitted restoring beam
     * @param components  components in order of subtraction (repeated pixels appear repeatedly)
     * @param iterations  iterations done
     * @param peakResidualJy |peak| of the final residual inside the search window
     */
    public record Result(ImagePlane model, ImagePlane residual, ImagePlane restored, Beam beam,
                         List<Component> components, int iterations, double peakResidualJy) {
    }

    private HogbomClean() {
    }

    /**
     * CLEANs {@code dirty} with {@code psf} (same cell, peak 1 at its (width/2, height/2), any size); cell in
     * degrees.
     */
    public static Result clean(ImagePlane dirty, ImagePlane psf, double cellDeg, Options opt) {
        int w = dirty.width(), h = dirty.height();
        float[] res = dirty.data().clone();
        Minor m = deconvolve(res, w, h, new CleanPsf(psf, opt.psfPatchHalfWidth()), opt, null, false);
        Beam beam = BeamFitter.fit(psf, cellDeg);
        float[] restored = res.clone();
        restore(m.model(), restored, w, h, beam, cellDeg);
        return new Result(ImagePlane.of(w, h, m.model()), ImagePlane.of(w, h, res), ImagePlane.of(w, h, restored),
            beam, m.components(), m.iterations(), m.peakResidualJy());
    }

    /**
     * Components of one run of minor cycles (Jy per pixel), the components in order, iterations done, the final
     * |peak| residual in the search window (and mask), and the residual pixel updates done and those the exact
     * subtraction would have needed.
     */
    record Minor(float[] model, List<Component> components, int iterations, double peakResidualJy,
                 long updates, long wholePsfUpdates) {
    }

    /**
     * Clark cycles on {@code res} (w × h, modified in place: the residual after the components) until the peak in the
     * search window (within {@code mask}, null = everywhere) is at or below the threshold or the iterations are used.
     * After a cycle whose active set reached the threshold, the whole-image subtraction is still needed although a
     * Cotton–Schwab caller images the residual anew: the components' sidelobes lift other pixels above the threshold
     * and further cycles clean them in the same major cycle (stopping there doubled the major cycles: 17 instead of
     * 7 on the medium benchmark, docs/performance.md).
     *
     * @param reimaged the caller images the residual anew from the visibilities afterwards, so with a mask the
     *                 subtractions may be limited to the mask's pixels ({@link ClarkSubtraction}; {@code res} is then
     *                 exact only there); false: exact everywhere
     */
    static Minor deconvolve(float[] res, int w, int h, CleanPsf p, Options opt, boolean[] mask, boolean reimaged) {
        float[] model = new float[w * h];
        int[] win = searchWindow(p, w, h, opt);
        double sidelobe = Math.min(MAX_CUT_FRACTION, Math.max(MIN_CUT_FRACTION, p.largestSidelobe(w, h)));
        ClarkSubtraction sub = new ClarkSubtraction(p, w, h, reimaged, mask);
        List<Component> comps = new ArrayList<>();
        int iter = 0;
        while (iter < opt.maxIterations()) {
            ActiveSet act = ActiveSet.select(res, w, win, opt.thresholdJy(), sidelobe, mask);
            if (act == null) {
                break; // the peak is at or below the threshold
            }
            int before = comps.size();
            iter += act.minorCycle(p, w, opt.gain(), opt.maxIterations() - iter, comps);
            // major cycle: the new components, summed per pixel, subtracted exactly from the whole residual
            Map<Integer, Double> flux = new LinkedHashMap<>();
            for (Component c : comps.subList(before, comps.size())) {
                flux.merge(c.y() * w + c.x(), c.fluxJy(), Double::sum);
                model[c.y() * w + c.x()] += (float) c.fluxJy();
            }
            sub.subtract(res, flux);
        }
        long[] updates = sub.updates();
        return new Minor(model, comps, iter, ActiveSet.peak(res, w, win, mask)[0], updates[0], updates[1]);
    }

    /** Search window {x0, x1, y0, y1}: see the class comment. */
    static int[] searchWindow(CleanPsf p, int w, int h, Options opt) {
        if (!opt.restrictToPsfCoverage()) {
            return new int[] {0, w - 1, 0, h - 1};
        }
        int left = Math.min(p.cx, p.half), right = Math.min(p.width - 1 - p.cx, p.half);
        int down = Math.min(p.cy, p.half), up = Math.min(p.height - 1 - p.cy, p.half);
        int[] win = {Math.max(0, w - 1 - right), Math.min(w - 1, left), Math.max(0, h - 1 - up),
            Math.min(h - 1, down)};
        if (win[0] > win[1] || win[2] > win[3]) {
            throw new IllegalArgumentException("PSF (" + p.width + "x" + p.height
                + ", patch " + opt.psfPatchHalfWidth() + ") cannot cover a " + w + "x" + h + " image from any pixel");
        }
        return win;
    }

    /** Adds each model pixel convolved with the unit-peak elliptical Gaussian beam to {@code image}. */
    static void restore(float[] model, float[] image, int w, int h, Beam beam, double cellDeg) {
        double sMaj = beam.bmajDeg() / cellDeg; // FWHM in pixels
        double sMin = beam.bminDeg() / cellDeg;
        double pa = Math.toRadians(beam.bpaDeg());
        double sp = Math.sin(pa), cp = Math.cos(pa);
        int r = (int) Math.ceil(1.5 * sMaj) + 1; // beyond 1.5 FWHM the Gaussian is < 2e-3
        double k = 4 * Math.log(2);
        int side = 2 * r + 1;
        float[] g = new float[side * side];
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                double east = -dx, north = dy;
                double along = east * sp + north * cp;
                double across = east * cp - north * sp;
                g[(dy + r) * side + dx + r] = (float) Math.exp(-k * (along * along / (sMaj * sMaj)
                    + across * across / (sMin * sMin)));
            }
        }
        for (int i = 0; i < model.length; i++) {
            float f = model[i];
            if (f == 0f) {
                continue;
            }
            int cx = i % w, cy = i / w;
            for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
                for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
                    image[y * w + x] += f * g[(y - cy + r) * side + x - cx + r];
                }
            }
        }
    }
}
