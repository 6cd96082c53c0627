package org.dsa110.contimg.science.imaging;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The subtraction of each Clark cycle's components from the whole residual ({@link HogbomClean#deconvolve}).
 *
 * <p><b>Exact</b> (standalone CLEAN): the PSF over its whole overlap with the image, distinct component pixels × w × h
 * updates per Clark cycle.
 *
 * <p>A caller that images the residual anew from the visibilities afterwards (the Cotton–Schwab major cycle) needs
 * the residual only where the following Clark cycles look:
 *
 * <p><b>Masked</b> (the search limited to a mask, Cotton–Schwab's auto-mask below the 5σ level): the components are
 * subtracted exactly, but only at the mask's pixels, the only ones the next selections read: mask pixels ×
 * distinct components instead of w × h × distinct components (the late major cycles of a full-size field clean a
 * few hundred pixels per Clark cycle inside a mask of a few thousand). Pixels outside the mask keep stale values.
 *
 * <p><b>Patched</b> (the search over the whole window): each component is subtracted only within a square patch of half-width H around it. Whatever the
 * patch leaves out at a pixel is at most s(H) · Σ|F|, with s(H) the largest |PSF| outside the patch
 * ({@link CleanPsf#outsidePatch}) and Σ|F| the summed |flux| per pixel of the components subtracted so far in this
 * call. H is kept the smallest for which that bound stays at or below {@value #FAKE_FRACTION} × the call's stop
 * level T (which every Clark cycle's cut is at or above): when new components would raise the bound above it, the
 * patch grows and the ring between the old and the new half-width is subtracted for the earlier components, so all
 * components are always subtracted to the same H. Neglected sidelobes can then neither be cleaned as a source nor
 * hide one by more than a quarter of the stop level; the call may end with the true peak up to 1.25 T, and the
 * exact residual of the next major cycle decides. When the bound needs a patch as large as the image, the
 * subtraction is exact.
 */
final class ClarkSubtraction {
    /** Bound on the neglected PSF as a fraction of the stop level (see the class comment). */
    static final double FAKE_FRACTION = 0.25;

    private final CleanPsf psf;
    private final int w;
    private final int h;
    /** Allowed neglected level (Jy/beam), 0 = exact subtraction. */
    private final double allowed;
    private final double[] outside;
    /** Flux per pixel subtracted within the current patch only (patched mode). */
    private final Map<Integer, Double> pending = new HashMap<>();
    private double pendingAbs;
    /** Current patch half-width, −1 before the first patched subtraction. */
    private int half = -1;
    private long updates;
    private long wholeUpdates;

    /** Indices of the mask's pixels (masked mode), else null. */
    private final int[] maskPixels;

    /**
     * @param reimaged the caller images the residual anew afterwards (masked or patched mode); false: exact
     * @param stopJy   the call's stop level T (patched mode; T ≤ 0: exact)
     * @param mask     the pixels the search is limited to (null = none)
     */
    ClarkSubtraction(CleanPsf psf, int w, int h, boolean reimaged, double stopJy, boolean[] mask) {
        this.psf = psf;
        this.w = w;
        this.h = h;
        this.maskPixels = reimaged && mask != null ? IntStream.range(0, mask.length).filter(i -> mask[i]).toArray()
            : null;
        this.allowed = reimaged && maskPixels == null && stopJy > 0 ? FAKE_FRACTION * stopJy : 0;
        this.outside = allowed > 0 ? psf.outsidePatch(w, h) : null;
    }

    /** Subtracts one Clark cycle's components (pixel index → summed flux) from {@code res}. */
    void subtract(float[] res, Map<Integer, Double> flux) {
        for (int i : flux.keySet()) {
            wholeUpdates += psf.overlap(i % w, i / w, w, h, -1, Integer.MAX_VALUE);
        }
        if (maskPixels != null) {
            updates += (long) maskPixels.length * flux.size();
            psf.subtractAt(res, w, maskPixels, flux);
            return;
        }
        if (outside == null) {
            count(flux, -1, Integer.MAX_VALUE);
            psf.subtract(res, w, h, flux);
            return;
        }
        double abs = pendingAbs;
        for (Map.Entry<Integer, Double> e : flux.entrySet()) {
            double before = pending.getOrDefault(e.getKey(), 0.0);
            abs += Math.abs(before + e.getValue()) - Math.abs(before);
        }
        int needed = smallestPatch(abs);
        if (needed > half && !pending.isEmpty()) {
            // the earlier components' ring (half, needed]
            count(pending, half, needed);
            psf.subtract(res, w, h, pending, half, needed);
        }
        half = Math.max(half, needed);
        count(flux, -1, half);
        psf.subtract(res, w, h, flux, -1, half);
        flux.forEach((k, v) -> pending.merge(k, v, Double::sum));
        pendingAbs = abs;
    }

    /** Smallest H with outside[H] · abs ≤ allowed (outside is non-increasing, 0 at its end). */
    private int smallestPatch(double abs) {
        int lo = 0, hi = outside.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (outside[mid] * abs <= allowed) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private void count(Map<Integer, Double> flux, int inner, int outer) {
        for (int i : flux.keySet()) {
            updates += psf.overlap(i % w, i / w, w, h, inner, outer);
        }
    }

    /** Largest patch half-width used (−1: none, every subtraction exact). */
    int patchHalfWidth() {
        return half;
    }

    /** Pixel updates done, and those the whole PSF would have needed for the same components. */
    long[] updates() {
        return new long[] {updates, wholeUpdates};
    }
}
