package org.dsa110.contimg.science.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Högbom (1974) CLEAN: repeatedly find the residual pixel of largest |value|, record gain × value as a delta
 * component there and subtract gain × value × PSF (shifted to that pixel) until {@code maxIterations} or the peak
 * falls below {@code thresholdJy}. Restored image = model ⊗ fitted Gaussian beam ({@link BeamFitter}, unit peak,
 * so Jy/beam) + residual.
 *
 * <p>The PSF is subtracted over its overlap with the image, optionally limited to a square patch of half-width
 * {@code psfPatchHalfWidth} pixels (0 = the whole PSF) to bound the cost on very large images. Sidelobes of a
 * component are only removed where the shifted PSF reaches, so with {@code restrictToPsfCoverage} (default) peaks are
 * searched only in the window of pixels from which the (patch-limited) PSF covers the whole image: the whole image
 * for a PSF twice the image size, a central box otherwise. Searching beyond it lets unsubtracted sidelobes be
 * mistaken for sources and CLEAN diverges. The peak search keeps the maximum of each 64×64 tile and rescans only
 * the tiles the last subtraction touched.
 */
public final class HogbomClean {

    private static final int TILE = 64;
    /** Work above this many tiles is split across threads. */
    private static final int PARALLEL_TILES = 64;

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
        float[] model = new float[w * h];
        int pcx = psf.width() / 2, pcy = psf.height() / 2;
        float[] p = psf.data();
        int pw = psf.width();
        int hx = opt.psfPatchHalfWidth() > 0 ? opt.psfPatchHalfWidth() : Integer.MAX_VALUE / 4;
        // search window {wx0..wx1, wy0..wy1}
        int[] win = {0, w - 1, 0, h - 1};
        if (opt.restrictToPsfCoverage()) {
            int left = Math.min(pcx, hx), right = Math.min(psf.width() - 1 - pcx, hx);
            int down = Math.min(pcy, hx), up = Math.min(psf.height() - 1 - pcy, hx);
            win = new int[] {Math.max(0, w - 1 - right), Math.min(w - 1, left), Math.max(0, h - 1 - up),
                Math.min(h - 1, down)};
            if (win[0] > win[1] || win[2] > win[3]) {
                throw new IllegalArgumentException("PSF (" + psf.width() + "x" + psf.height()
                    + ", patch " + opt.psfPatchHalfWidth() + ") cannot cover a " + w + "x" + h + " image from any pixel");
            }
        }
        int tilesX = (w + TILE - 1) / TILE, tilesY = (h + TILE - 1) / TILE;
        float[] tileMax = new float[tilesX * tilesY];
        int[] tileArg = new int[tilesX * tilesY];
        for (int t = 0; t < tileMax.length; t++) {
            rescanTile(res, w, win, t % tilesX, t / tilesX, tileMax, tileArg, tilesX);
        }
        List<Component> comps = new ArrayList<>();
        int iter = 0;
        double peakAbs = 0;
        while (true) {
            int best = -1;
            float bestAbs = -1;
            for (int t = 0; t < tileMax.length; t++) {
                if (tileMax[t] > bestAbs) {
                    bestAbs = tileMax[t];
                    best = tileArg[t];
                }
            }
            peakAbs = bestAbs;
            if (best < 0 || iter >= opt.maxIterations() || bestAbs <= opt.thresholdJy() || !(bestAbs > 0)) {
                break;
            }
            int bx = best % w, by = best / w;
            float flux = (float) (opt.gain() * res[best]);
            model[best] += flux;
            comps.add(new Component(bx, by, flux));
            // overlap of the (patch-limited) PSF shifted to (bx, by) with the image
            int x0 = Math.max(Math.max(0, bx - pcx), bx - hx);
            int x1 = Math.min(Math.min(w - 1, bx - pcx + psf.width() - 1), bx + hx);
            int y0 = Math.max(Math.max(0, by - pcy), by - hx);
            int y1 = Math.min(Math.min(h - 1, by - pcy + psf.height() - 1), by + hx);
            subtract(res, w, p, pw, pcx, pcy, bx, by, flux, x0, x1, y0, y1);
            int tx0 = x0 / TILE, tx1 = x1 / TILE, ty0 = y0 / TILE, ty1 = y1 / TILE;
            int nTiles = (tx1 - tx0 + 1) * (ty1 - ty0 + 1);
            final int[] window = win;
            IntStream tiles = IntStream.range(0, nTiles);
            (nTiles >= PARALLEL_TILES ? tiles.parallel() : tiles).forEach(t -> rescanTile(res, w, window,
                tx0 + t % (tx1 - tx0 + 1), ty0 + t / (tx1 - tx0 + 1), tileMax, tileArg, tilesX));
            iter++;
        }
        Beam beam = BeamFitter.fit(psf, cellDeg);
        float[] restored = res.clone();
        restore(model, restored, w, h, beam, cellDeg);
        return new Result(ImagePlane.of(w, h, model), ImagePlane.of(w, h, res), ImagePlane.of(w, h, restored), beam,
            comps, iter, peakAbs);
    }

    /** Max |residual| of a tile, restricted to the search window {x0, x1, y0, y1} (inclusive). */
    /** res[y][x] −= flux · psf[y − by + pcy][x − bx + pcx] over the box; rows in parallel for large boxes. */
    private static void subtract(float[] res, int w, float[] psf, int pw, int pcx, int pcy, int bx, int by,
                                 float flux, int x0, int x1, int y0, int y1) {
        IntStream rows = IntStream.rangeClosed(y0, y1);
        long area = (long) (x1 - x0 + 1) * (y1 - y0 + 1);
        (area >= PARALLEL_TILES * TILE * TILE ? rows.parallel() : rows).forEach(y -> {
            int prow = (y - by + pcy) * pw - bx + pcx;
            int row = y * w;
            for (int x = x0; x <= x1; x++) {
                res[row + x] -= flux * psf[prow + x];
            }
        });
    }

    private static void rescanTile(float[] res, int w, int[] win, int tx, int ty, float[] tileMax, int[] tileArg,
                                   int tilesX) {
        float m = -1;
        int arg = -1;
        int xs = Math.max(tx * TILE, win[0]), xe = Math.min((tx + 1) * TILE - 1, win[1]);
        int ys = Math.max(ty * TILE, win[2]), ye = Math.min((ty + 1) * TILE - 1, win[3]);
        for (int y = ys; y <= ye; y++) {
            for (int x = xs; x <= xe; x++) {
                float a = Math.abs(res[y * w + x]);
                if (a > m) { // NaN never wins
                    m = a;
                    arg = y * w + x;
                }
            }
        }
        tileMax[ty * tilesX + tx] = m;
        tileArg[ty * tilesX + tx] = arg;
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
