package org.dsa110.contimg.science.transients;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.dsa110.contimg.science.image.ImagePlane;

/**
 * Simple image-plane source finder for transient searches.
 *
 * <p>Islands are 8-connected groups of pixels at or above {@code growSigma}·rms (default 3σ), found by flood fill;
 * an island is kept only if its brightest pixel reaches {@code detectionSigma}·rms (default 5σ). Only positive
 * excursions are searched. Each island reports its peak pixel, its flux-weighted centroid, its peak, the sum of its
 * pixels and its size. At most {@code maxIslands} islands are returned, the brightest first.
 *
 * <p>Coordinates are 0-based parent-image pixels (x = column, y = row), as in {@link ImagePlane}.
 */
public final class SourceFinder {

    /**
     * @param detectionSigma peak threshold in units of the rms (5)
     * @param growSigma      threshold down to which islands are grown (3); must not exceed detectionSigma
     * @param maxIslands     cap on the number of islands returned (brightest kept)
     */
    public record Parameters(double detectionSigma, double growSigma, int maxIslands) {

        public static final Parameters DEFAULTS = new Parameters(5.0, 3.0, 1000);

        public Parameters {
            if (!(growSigma > 0) || !(detectionSigma >= growSigma) || maxIslands < 1) {
                throw new IllegalArgumentException("need 0 < growSigma <= detectionSigma and maxIslands >= 1");
            }
        }
    }

    /**
     * One island.
     *
     * @param integratedSum sum of the island's pixel values (Jy/beam·pixel); see {@link #integratedFluxJy}
     * @param peakSnr       peak / rms at the peak pixel
     */
    public record Island(int peakX, int peakY, double centroidX, double centroidY, double peakFlux,
                         double integratedSum, int nPixels, double peakSnr) {

        /** Integrated flux density in Jy: pixel sum divided by the beam area in pixels. */
        public double integratedFluxJy(double beamAreaPixels) {
            return integratedSum / beamAreaPixels;
        }
    }

    /** Islands found (brightest first), whether the cap cut the list, and how many there were before the cap. */
    public record Result(List<Island> islands, boolean truncated, int nFound) {
    }

    private final Parameters params;

    public SourceFinder() {
        this(Parameters.DEFAULTS);
    }

    public SourceFinder(Parameters params) {
        this.params = params;
    }

    /** Search with one rms for the whole plane (Jy/beam, &gt; 0). */
    public Result find(ImagePlane image, double rms) {
        if (!(rms > 0) || !Double.isFinite(rms)) {
            throw new IllegalArgumentException("rms must be finite and > 0: " + rms);
        }
        return find(image, (x, y) -> rms);
    }

    /** Search with a per-pixel rms map on the same parent grid; pixels with a blank or non-positive rms are skipped. */
    public Result find(ImagePlane image, ImagePlane rmsMap) {
        return find(image, rmsMap::get);
    }

    private interface RmsAt {
        double at(int x, int y);
    }

    private Result find(ImagePlane image, RmsAt rmsAt) {
        int w = image.width(), h = image.height();
        boolean[] above = new boolean[w * h];
        double[] snr = new double[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int k = j * w + i;
                double rms = rmsAt.at(image.x0() + i, image.y0() + j);
                float v = image.data()[k];
                if (Float.isFinite(v) && rms > 0 && Double.isFinite(rms)) {
                    snr[k] = v / rms;
                    above[k] = snr[k] >= params.growSigma();
                }
            }
        }
        List<Island> islands = new ArrayList<>();
        int[] queue = new int[w * h];
        for (int start = 0; start < above.length; start++) {
            if (!above[start]) {
                continue;
            }
            // Breadth-first flood fill over the 8 neighbours; clearing 'above' marks a pixel as visited.
            int head = 0, tail = 0;
            queue[tail++] = start;
            above[start] = false;
            double sum = 0, sx = 0, sy = 0, peak = Double.NEGATIVE_INFINITY, peakSnr = 0;
            int peakK = start;
            while (head < tail) {
                int k = queue[head++];
                int i = k % w, j = k / w;
                double v = image.data()[k];
                sum += v;
                sx += v * i;
                sy += v * j;
                if (v > peak) {
                    peak = v;
                    peakK = k;
                    peakSnr = snr[k];
                }
                for (int dj = -1; dj <= 1; dj++) {
                    for (int di = -1; di <= 1; di++) {
                        int ni = i + di, nj = j + dj;
                        if (ni >= 0 && nj >= 0 && ni < w && nj < h && above[nj * w + ni]) {
                            above[nj * w + ni] = false;
                            queue[tail++] = nj * w + ni;
                        }
                    }
                }
            }
            // The detection test is on S/N of the brightest pixel; with an rms map that may differ from the
            // maximum-S/N pixel, so test the island's highest S/N instead.
            double maxSnr = maxSnr(queue, tail, snr);
            if (maxSnr >= params.detectionSigma()) {
                islands.add(new Island(image.x0() + peakK % w, image.y0() + peakK / w,
                        image.x0() + sx / sum, image.y0() + sy / sum, peak, sum, tail, peakSnr));
            }
        }
        int nFound = islands.size();
        islands.sort(Comparator.comparingDouble(Island::peakFlux).reversed());
        boolean truncated = nFound > params.maxIslands();
        List<Island> kept = truncated ? List.copyOf(islands.subList(0, params.maxIslands())) : List.copyOf(islands);
        return new Result(kept, truncated, nFound);
    }

    private static double maxSnr(int[] members, int count, double[] snr) {
        double m = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < count; q++) {
            m = Math.max(m, snr[members[q]]);
        }
        return m;
    }
}
