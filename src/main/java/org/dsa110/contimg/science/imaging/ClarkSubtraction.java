package org.dsa110.contimg.science.imaging;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * The subtraction of each Clark cycle's components from the residual ({@link HogbomClean#deconvolve}).
 *
 * <p><b>Exact</b> (standalone CLEAN, and Cotton–Schwab's cycles before its auto-mask): the PSF over its whole overlap
 * with the image, distinct component pixels × w × h updates per Clark cycle.
 *
 * <p><b>Masked</b> (a caller that images the residual anew from the visibilities afterwards, the Cotton–Schwab major
 * cycle, with the search limited to its auto-mask): the same subtraction, but only at the mask's pixels, the only
 * ones the following selections and the call's final peak read: mask pixels × distinct components. Each pixel gets
 * the same terms in the same order as in the exact subtraction, so the cleaning is unchanged; pixels outside the
 * mask keep stale values until the next residual image replaces them.
 *
 * <p>Tried and not kept (docs/performance.md): a PSF patch before the mask, bounded so that left-out sidelobes stay
 * below a quarter of the stop level. These PSFs keep far sidelobes (0.014 of the peak 4 096 px out at full size), so
 * the bound rarely allowed a patch, and the patched cycles' different end points cost major cycles.
 */
final class ClarkSubtraction {
    private final CleanPsf psf;
    private final int w;
    private final int h;
    /** Indices of the mask's pixels (masked mode), else null. */
    private final int[] maskPixels;
    private long updates;
    private long wholeUpdates;

    /**
     * @param reimaged the caller images the residual anew afterwards (masked mode when there is a mask); false: exact
     * @param mask     the pixels the search is limited to (null = none)
     */
    ClarkSubtraction(CleanPsf psf, int w, int h, boolean reimaged, boolean[] mask) {
        this.psf = psf;
        this.w = w;
        this.h = h;
        this.maskPixels = reimaged && mask != null ? IntStream.range(0, mask.length).filter(i -> mask[i]).toArray()
            : null;
    }

    /** Subtracts one Clark cycle's components (pixel index → summed flux) from {@code res}. */
    void subtract(float[] res, Map<Integer, Double> flux) {
        long whole = 0;
        for (int i : flux.keySet()) {
            whole += psf.overlap(i % w, i / w, w, h);
        }
        wholeUpdates += whole;
        if (maskPixels != null) {
            updates += (long) maskPixels.length * flux.size();
            psf.subtractAt(res, w, maskPixels, flux);
        } else {
            updates += whole;
            psf.subtract(res, w, h, flux);
        }
    }

    /** Pixel updates done, and those the exact subtraction would have needed for the same components. */
    long[] updates() {
        return new long[] {updates, wholeUpdates};
    }
}
