package org.dsa110.contimg.science.imaging;

import java.util.Map;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.image.ImagePlane;

/** The PSF as {@link HogbomClean} uses it: values by offset from its centre, optionally limited to a patch. */
final class CleanPsf {
    final float[] data;
    final int width;
    final int height;
    final int cx;
    final int cy;
    /** Patch half-width (pixels); effectively unlimited when no patch is set. */
    final int half;
    private double sidelobe;
    private int sidelobeW = -1;
    private int sidelobeH = -1;

    CleanPsf(ImagePlane psf, int patchHalfWidth) {
        data = psf.data();
        width = psf.width();
        height = psf.height();
        cx = width / 2;
        cy = height / 2;
        half = patchHalfWidth > 0 ? patchHalfWidth : Integer.MAX_VALUE / 4;
    }

    /** PSF value at offset (dx, dy) from its centre; 0 outside the PSF or the patch. */
    float at(int dx, int dy) {
        if (dx > half || -dx > half || dy > half || -dy > half) {
            return 0f;
        }
        int x = cx + dx, y = cy + dy;
        return x < 0 || y < 0 || x >= width || y >= height ? 0f : data[y * width + x];
    }

    /**
     * Largest |PSF| at offsets that a w × h image can see (|dx| &lt; w, |dy| &lt; h, within the patch), outside the
     * main lobe: a circle through the farthest first minimum (or zero) along the axes and diagonals.
     */
    double largestSidelobe(int w, int h) {
        if (sidelobeW != w || sidelobeH != h) {
            sidelobe = computeLargestSidelobe(w, h);
            sidelobeW = w;
            sidelobeH = h;
        }
        return sidelobe;
    }

    private double computeLargestSidelobe(int w, int h) {
        int r = 0;
        int[][] dirs = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}};
        for (int[] d : dirs) {
            float prev = at(0, 0);
            int k = 1;
            while (k < Math.max(w, h)) {
                float v = at(k * d[0], k * d[1]);
                if (v <= 0f || v >= prev) {
                    break;
                }
                prev = v;
                k++;
            }
            r = Math.max(r, k * (d[0] != 0 && d[1] != 0 ? 2 : 1));
        }
        long r2 = (long) r * r;
        int dxMax = Math.min(w - 1, half), dyMax = Math.min(h - 1, half);
        return IntStream.rangeClosed(-dyMax, dyMax).parallel().mapToDouble(dy -> {
            double m = 0;
            for (int dx = -dxMax; dx <= dxMax; dx++) {
                if ((long) dx * dx + (long) dy * dy > r2) {
                    m = Math.max(m, Math.abs(at(dx, dy)));
                }
            }
            return m;
        }).max().orElse(0);
    }

    /**
     * res[y][x] −= F · psf[y − cy_k + this.cy][x − cx_k + this.cx] for every component k (pixel index → F), over
     * the PSF's (patch-limited) overlap with the w × h image; rows in parallel.
     */
    void subtract(float[] res, int w, int h, Map<Integer, Double> flux) {
        Components comps = Components.of(flux, w);
        int n = comps.f.length;
        int[] px = comps.x, py = comps.y;
        float[] f = comps.f;
        IntStream.range(0, h).parallel().forEach(y -> {
            int row = y * w;
            for (int c = 0; c < n; c++) {
                int dy = y - py[c];
                int sy = cy + dy;
                if (dy > half || -dy > half || sy < 0 || sy >= height) {
                    continue;
                }
                int bx = px[c];
                int x0 = Math.max(Math.max(0, bx - cx), bx - half);
                int x1 = Math.min(Math.min(w - 1, bx - cx + width - 1), bx + half);
                int prow = sy * width - bx + cx;
                float fc = f[c];
                for (int x = x0; x <= x1; x++) {
                    res[row + x] -= fc * data[prow + x];
                }
            }
        });
    }

    /** As {@link #subtract(float[], int, int, Map)}, only at the given pixel indices (blocks of them in parallel). */
    void subtractAt(float[] res, int w, int[] pixels, Map<Integer, Double> flux) {
        Components comps = Components.of(flux, w);
        int n = comps.f.length;
        int[] px = comps.x, py = comps.y;
        float[] f = comps.f;
        int parts = Math.min(pixels.length, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, parts).parallel().forEach(pt -> {
            for (int i = (int) ((long) pt * pixels.length / parts); i < (long) (pt + 1) * pixels.length / parts; i++) {
                int x = pixels[i] % w, y = pixels[i] / w;
                float v = res[pixels[i]];
                for (int c = 0; c < n; c++) {
                    v -= f[c] * at(x - px[c], y - py[c]);
                }
                res[pixels[i]] = v;
            }
        });
    }

    /** Number of pixels {@link #subtract(float[], int, int, Map)} updates for a component at (bx, by). */
    long overlap(int bx, int by, int w, int h) {
        return (long) span(bx, w, cx, width, half) * span(by, h, cy, height, half);
    }

    /** Length of the image range a PSF of {@code size} (centre c), limited to ±out, covers from pixel b. */
    private static int span(int b, int n, int c, int size, int out) {
        return Math.max(0, Math.min(Math.min(n - 1, b - c + size - 1), b + out) - Math.max(Math.max(0, b - c), b - out)
            + 1);
    }

    /** Components unpacked from a pixel index → flux map of a w-wide image. */
    private record Components(int[] x, int[] y, float[] f) {
        static Components of(Map<Integer, Double> flux, int w) {
            int n = flux.size();
            Components c = new Components(new int[n], new int[n], new float[n]);
            int k = 0;
            for (Map.Entry<Integer, Double> e : flux.entrySet()) {
                c.x[k] = e.getKey() % w;
                c.y[k] = e.getKey() / w;
                c.f[k++] = (float) e.getValue().doubleValue();
            }
            return c;
        }
    }
}
