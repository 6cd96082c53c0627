package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Imaging set-up (science.md "Imaging").
 *
 * <p>Cell: {@code cell = (0.5·λ/u_max in arcsec) / 5}, clipped to [0.1, 60]″, with u_max the longest projected
 * baseline √(u² + v²) in metres and λ the wavelength of the highest frequency (so every channel is sampled at
 * least 10 pixels per fringe of the longest baseline). Size: {@code imsize = ceil(12600″ / cell)} rounded up to even
 * (a 3.5° field). {@link #withMaxImageSize} caps the size (tests, quick-looks; the field of view then shrinks).
 *
 * @param cellArcsec    pixel size (arcsec)
 * @param imageSize     image width = height (pixels, even)
 * @param robust        Briggs robustness R (0 = science.md default); NaN selects natural weighting
 * @param kernelSupport gridding-kernel full width in uv cells (odd)
 * @param padding       FFT grid / image size ratio (≥ 1); the grid is rounded up to an even 2^a·3^b·5^c size
 */
public record ImagingParameters(double cellArcsec, int imageSize, double robust, int kernelSupport, double padding) {

    public static final double FIELD_OF_VIEW_ARCSEC = 12600.0;
    public static final double MIN_CELL_ARCSEC = 0.1;
    public static final double MAX_CELL_ARCSEC = 60.0;
    public static final int DEFAULT_KERNEL_SUPPORT = 7;
    /** Padding 2 gives a PSF twice the image size, so CLEAN can search the whole image (see HogbomClean). */
    public static final double DEFAULT_PADDING = 2.0;

    public ImagingParameters {
        if (imageSize <= 0 || imageSize % 2 != 0) {
            throw new IllegalArgumentException("image size must be positive and even: " + imageSize);
        }
        if (kernelSupport < 3 || kernelSupport % 2 == 0) {
            throw new IllegalArgumentException("kernel support must be odd and ≥ 3: " + kernelSupport);
        }
        if (!(padding >= 1.0)) {
            throw new IllegalArgumentException("padding must be ≥ 1");
        }
    }

    /** science.md cell for a maximum projected baseline (m) and the highest frequency (Hz). */
    public static double cellArcsec(double uvMaxMetres, double maxFreqHz) {
        double lambda = PrimaryBeam.SPEED_OF_LIGHT / maxFreqHz;
        double cell = Math.toDegrees(0.5 * lambda / uvMaxMetres) * 3600.0 / 5.0;
        return Math.min(MAX_CELL_ARCSEC, Math.max(MIN_CELL_ARCSEC, cell));
    }

    /** science.md size: ceil(12600″/cell), rounded up to even. */
    public static int imageSize(double cellArcsec) {
        int n = (int) Math.ceil(FIELD_OF_VIEW_ARCSEC / cellArcsec - 1e-9);
        return n % 2 == 0 ? n : n + 1;
    }

    /** Parameters for a data set: cell and size from its uvw and frequencies, Briggs 0, support 7, padding 2. */
    public static ImagingParameters forData(Visibilities vis) {
        double uvMax = 0;
        double[] uvw = vis.uvw();
        for (int b = 0; b < vis.nBlt(); b++) {
            if (vis.ant1()[b] != vis.ant2()[b]) {
                uvMax = Math.max(uvMax, Math.hypot(uvw[3 * b], uvw[3 * b + 1]));
            }
        }
        double fMax = 0;
        for (double f : vis.freqHz()) {
            fMax = Math.max(fMax, f);
        }
        if (uvMax <= 0 || fMax <= 0) {
            throw new IllegalArgumentException("no baselines or frequencies to derive a cell size from");
        }
        double cell = cellArcsec(uvMax, fMax);
        return new ImagingParameters(cell, imageSize(cell), 0.0, DEFAULT_KERNEL_SUPPORT, DEFAULT_PADDING);
    }

    /** Same cell, size capped at {@code maxSize} (rounded down to even). */
    public ImagingParameters withMaxImageSize(int maxSize) {
        int cap = maxSize - maxSize % 2;
        return new ImagingParameters(cellArcsec, Math.min(imageSize, cap), robust, kernelSupport, padding);
    }

    /** Another cell [arcsec] with the science.md field at that cell; 0 keeps this one. */
    public ImagingParameters withCellArcsec(double cell) {
        if (cell < 0 || !Double.isFinite(cell)) {
            throw new IllegalArgumentException("cell must be a finite size >= 0 arcsec: " + cell);
        }
        return cell == 0 ? this : new ImagingParameters(cell, imageSize(cell), robust, kernelSupport, padding);
    }

    public ImagingParameters withImageSize(int size) {
        return new ImagingParameters(cellArcsec, size, robust, kernelSupport, padding);
    }

    public ImagingParameters withRobust(double r) {
        return new ImagingParameters(cellArcsec, imageSize, r, kernelSupport, padding);
    }

    public ImagingParameters withPadding(double p) {
        return new ImagingParameters(cellArcsec, imageSize, robust, kernelSupport, p);
    }

    public double cellRad() {
        return Math.toRadians(cellArcsec / 3600.0);
    }

    /**
     * FFT grid size: ≥ imageSize·padding, even and 5-smooth (fast for JTransforms' mixed-radix FFT), and for grids
     * of 1024 or more not a multiple of 1024: a row stride that is a multiple of 4 KiB maps the kernel's rows onto
     * the same cache sets and makes gridding markedly slower.
     */
    public int gridSize() {
        return gridSize(padding);
    }

    /** As {@link #gridSize()} for another padding. */
    public int gridSize(double pad) {
        int n = (int) Math.ceil(imageSize * pad);
        while (n % 2 != 0 || !isFiveSmooth(n) || (n >= 1024 && n % 1024 == 0)) {
            n++;
        }
        return n;
    }

    private static boolean isFiveSmooth(int n) {
        for (int p : new int[] {2, 3, 5}) {
            while (n % p == 0) {
                n /= p;
            }
        }
        return n == 1;
    }
}
