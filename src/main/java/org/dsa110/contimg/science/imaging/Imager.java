package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Stokes I dirty imaging: convolutional gridding, Briggs weighting, 2-D FFT and grid correction.
 *
 * <p>Steps:
 * <ol>
 *   <li>Each blt is rephased to the image phase centre if its own differs (same frame): (u, v, w) rotated with
 *       {@link org.dsa110.contimg.science.radio.Baselines#rephaseMatrix} and V multiplied by exp(−2πi(w_new − w_old)/λ)
 *       (the standard convention V = Σ S exp(+2πi(ul + vm + w(n − 1))/λ), docs/conventions.md).</li>
 *   <li>Stokes I per sample from the unflagged parallel hands ({@link Visibilities#stokesI}); autocorrelations
 *       are skipped; samples whose kernel would leave the grid are dropped.</li>
 *   <li>Briggs (1995) weighting: with W_k the sum of natural weights in uv cell k (a sample and its Hermitian
 *       mirror both count, because the image is the real part of the transform), f² = (5·10^−R)² / (Σ_k W_k² /
 *       Σ_i w_i) and w_i ← w_i / (1 + W_k(i)·f²). R = NaN gives natural weighting.</li>
 *   <li>Samples are folded to w ≥ 0 ((u, v, w, V) → (−u, −v, −w, conj V): the same measurement) and gridded as
 *       conj(V)·w with a Kaiser–Bessel kernel ({@link GriddingKernel}) at (−u, v), one w-layer at a time
 *       ({@link WStackGridder}): the inverse FFT of that grid has pixel x at l = −x: RA increasing to the left,
 *       north up; each layer's image, times its w phase screen and divided by the grid correction, is added to
 *       the central {@code imageSize}² pixels, whose real part is the dirty image.</li>
 *   <li>The PSF: the weights gridded without w-term, one FFT, min(grid, 2·imageSize)² pixels (see
 *       {@link HogbomClean} for why the PSF should be twice the image: use padding ≥ 2 for that). Dirty image and
 *       PSF are divided by the PSF's central value, so the PSF peak is 1 and the image is in Jy/beam.</li>
 * </ol>
 * The w-term is corrected by w-stacking ({@link WStackGridder}, layers {@link WLayers}): without it a source at
 * θ from the phase centre of a meridian snapshot at zenith angle z is displaced by about tan(z)·θ²/2 (10″ at 1° for
 * z = 17°). The same gridder predicts model visibilities for the major cycles of {@link CottonSchwabClean}. By
 * default the w gridded is what is left after fitting the array plane (w-snapshots, {@link WPlaneFit}): 2 planes
 * instead of 6–21; the session then works in a distorted frame with a margin and {@link PlaneResampling} takes its
 * images to the true grid.
 * Pixel ↔ sky mapping: {@link ImageGeometry}.
 */
public final class Imager {
    /** w-layer count factor (1 = WSClean's count, 0 = no w-correction), see {@link WLayers}. */
    public static final double DEFAULT_W_LAYER_FACTOR = 1.0;
    /**
     * Oversampling of the w-planes' grid (at most the PSF's padding): every plane is transformed in every major
     * cycle, and 1.5 instead of 2 makes each transform 1.8× smaller; the kernel's β is chosen for it (Beatty et al.
     * 2005). The PSF, needed twice the image size by the minor cycles, keeps the full padding.
     */
    static final double PLANE_PADDING = 1.5;

    /** Averaging bound in grid cells (0 = none), see {@link StokesSamples#AVERAGING_CELLS}. */
    public static final double DEFAULT_AVERAGING_CELLS = StokesSamples.AVERAGING_CELLS;
    /** Whether w-plane fitting ({@link WPlaneFit}) is on by default. */
    public static final boolean DEFAULT_W_PLANE_FIT = true;

    private final ImagingParameters params;
    private final double wLayerFactor;
    private final double averagingCells;
    private final boolean wPlaneFit;

    public Imager(ImagingParameters params) {
        this(params, DEFAULT_W_LAYER_FACTOR);
    }

    /** @param wLayerFactor multiple of WSClean's w-layer count; 0 switches the w-correction off */
    public Imager(ImagingParameters params, double wLayerFactor) {
        this(params, wLayerFactor, DEFAULT_AVERAGING_CELLS);
    }

    /**
     * @param averagingCells baseline-dependent averaging in frequency and time while a sample's members stay within
     *                       this many cells of the w-planes' grid (0 = no averaging; above 0.075 the smearing at the
     *                       image edge exceeds 0.1 %, see {@link StokesSamples#AVERAGING_CELLS})
     */
    public Imager(ImagingParameters params, double wLayerFactor, double averagingCells) {
        this(params, wLayerFactor, averagingCells, DEFAULT_W_PLANE_FIT);
    }

    /**
     * @param wPlaneFit grid with w minus the fitted plane a·u + b·v of a coplanar array and resample the images to
     *                  the true grid ({@link WPlaneFit}); false: plain w-stacking of w
     */
    public Imager(ImagingParameters params, double wLayerFactor, double averagingCells, boolean wPlaneFit) {
        if (!(wLayerFactor >= 0)) {
            throw new IllegalArgumentException("w-layer factor must be >= 0: " + wLayerFactor);
        }
        if (!(averagingCells >= 0 && averagingCells <= 1)) {
            throw new IllegalArgumentException("averaging cells must be in [0, 1]: " + averagingCells);
        }
        this.params = params;
        this.wLayerFactor = wLayerFactor;
        this.averagingCells = averagingCells;
        this.wPlaneFit = wPlaneFit;
    }

    public ImagingParameters parameters() {
        return params;
    }

    /** Image phased to the phase centre of the middle blt. */
    public DirtyImage image(Visibilities vis) {
        int mid = vis.nBlt() / 2;
        return image(vis, vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]);
    }

    /** Image with the phase centre (pixel width/2, height/2) at (raRad, decRad), same frame as {@code vis}. */
    public DirtyImage image(Visibilities vis, double raRad, double decRad) {
        return open(vis, raRad, decRad).dirtyImage();
    }

    /** Session phased to the phase centre of the middle blt. */
    public Session open(Visibilities vis) {
        int mid = vis.nBlt() / 2;
        return open(vis, vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]);
    }

    /**
     * Prepares the samples (rephased Stokes I, weighted) and the PSF for imaging at (raRad, decRad); the session
     * keeps the samples so that major cycles can subtract model visibilities and re-image the residual.
     */
    public Session open(Visibilities vis, double raRad, double decRad) {
        double cell = params.cellRad();
        int size = params.imageSize();
        // the w-plane fit (one per data set) and the margin its distorted frame needs around the image
        UvSamples uv = UvSamples.prepare(vis, raRad, decRad);
        WPlaneFit fit = wPlaneFit && wLayerFactor > 0 ? WPlaneFit.fit(vis, uv) : WPlaneFit.NONE;
        int work = size + 2 * fit.marginPixels(size, cell);
        ImagingParameters wp = params.withImageSize(work);
        // PSF (and Briggs cells) on the padded grid; w-planes on a smaller one (see PLANE_PADDING)
        int nP = wp.gridSize();
        int nW = wp.gridSize(Math.min(params.padding(), PLANE_PADDING));
        double duP = 1.0 / (nP * cell), duW = 1.0 / (nW * cell); // uv cells in wavelengths
        GriddingKernel kernelP = new GriddingKernel(params.kernelSupport());
        GriddingKernel kernelW = nW == nP ? kernelP
            : new GriddingKernel(params.kernelSupport(), GriddingKernel.beattyBeta(params.kernelSupport(),
                (double) nW / work));
        // both grids span the same uv range; the coarser one drops the samples whose kernel would leave it
        StokesSamples samples = StokesSamples.prepare(vis, uv, nW, duW, kernelW.half, averagingCells);
        samples.applyPlaneFit(fit, vis.ant1(), vis.ant2());
        if (!Double.isNaN(params.robust())) {
            samples.briggs(params.robust(), nP, duP);
        }
        samples.totals();
        if (samples.sumWeights <= 0) {
            throw new IllegalArgumentException("no unflagged visibilities fall on the grid");
        }
        int psfSize = psfSize(nP, work);
        float[] psf = new WStackGridder(samples, nP, duP, kernelP, work, cell, 0).psf(psfSize);
        WStackGridder gridder = new WStackGridder(samples, nW, duW, kernelW, work, cell, wLayerFactor, fit);
        // the planes' image normalised as the PSF: a unit source at the centre gives 1 on both grids
        float peak = psf[(psfSize / 2) * psfSize + psfSize / 2];
        double kP = kernelP.integral(), kW = kernelW.integral();
        float planePeak = (float) (peak * (kW * kW) / (kP * kP));
        for (int i = 0; i < psf.length; i++) {
            psf[i] /= peak;
        }
        return new Session(samples, gridder, ImagePlane.of(psfSize, psfSize, psf), planePeak,
            new ImageGeometry(size, size, cell, raRad, decRad), new ImageGeometry(work, work, cell, raRad, decRad),
            fit);
    }

    /**
     * PSF size: twice the image (so a PSF shifted to any image pixel covers the whole image) when the FFT grid is
     * that large (padding ≥ 2), otherwise the whole grid.
     */
    static int psfSize(int gridSize, int imageSize) {
        return Math.min(gridSize, 2 * imageSize);
    }

    /**
     * Samples, gridder and PSF of one image: dirty and residual images, model subtraction. Deconvolution works in the
     * <em>working frame</em> ({@link #workingGeometry}: the image with a margin, distorted by the w-plane fit, see
     * {@link WPlaneFit}; the image itself without a fit), where the PSF is position-invariant; {@link #toImage} and
     * {@link #modelToImage} take its products to the true grid ({@link #geometry}).
     */
    public static final class Session {
        private final StokesSamples samples;
        private final WStackGridder gridder;
        private final ImagePlane psf;
        private final float psfPeak;
        private final ImageGeometry geometry;
        private final ImageGeometry working;
        private final WPlaneFit fit;

        private Session(StokesSamples samples, WStackGridder gridder, ImagePlane psf, float psfPeak,
                        ImageGeometry geometry, ImageGeometry working, WPlaneFit fit) {
            this.samples = samples;
            this.gridder = gridder;
            this.psf = psf;
            this.psfPeak = psfPeak;
            this.geometry = geometry;
            this.working = working;
            this.fit = fit;
        }

        /** Image (Jy/beam) of the current sample values, on the true grid: the dirty image, or the residual. */
        public ImagePlane residual() {
            return toImage(workingResidual());
        }

        /** As {@link #residual} in the working frame (working-geometry size). */
        ImagePlane workingResidual() {
            float[] img = gridder.dirty();
            for (int i = 0; i < img.length; i++) {
                img[i] /= psfPeak;
            }
            return ImagePlane.of(working.width(), working.height(), img);
        }

        /** A working-frame image (dirty, residual, restored: band-limited) resampled to the true grid. */
        ImagePlane toImage(ImagePlane workingImage) {
            return ImagePlane.of(geometry.width(), geometry.height(), PlaneResampling.image(workingImage.data(),
                working.width(), geometry.width(), geometry.cellRad(), fit));
        }

        /** A working-frame component image moved to the true grid (flux and centroid kept). */
        ImagePlane modelToImage(float[] workingModel) {
            return ImagePlane.of(geometry.width(), geometry.height(), PlaneResampling.model(workingModel,
                working.width(), geometry.width(), geometry.cellRad(), fit));
        }

        public DirtyImage dirtyImage() {
            return new DirtyImage(residual(), psf, geometry, freqHz(), samples.sumWeights, samples.samples);
        }

        /**
         * Subtracts the visibilities of a model image (Jy per pixel, in the working frame: working-geometry size,
         * pixel (x, y) at the sky direction {@link #workingPixelToLm} gives) from the samples.
         */
        public void subtractModel(float[] model) {
            if (model.length != working.width() * working.height()) {
                throw new IllegalArgumentException("model of " + model.length + " pixels, the working frame has "
                    + working.width() + "x" + working.height());
            }
            gridder.subtract(model);
        }

        /** The true direction cosines {l, m} a working-frame pixel shows. */
        double[] workingPixelToLm(double x, double y) {
            double[] lm = working.pixelToLm(x, y);
            return fit.undistorted(lm[0], lm[1]);
        }

        public ImagePlane psf() {
            return psf;
        }

        /** The output images' grid (SIN about the phase centre). */
        public ImageGeometry geometry() {
            return geometry;
        }

        /** The working frame's size and cell (its pixels are distorted by the w-plane fit, see {@link WPlaneFit}). */
        public ImageGeometry workingGeometry() {
            return working;
        }

        /** The w-plane fit the samples are gridded with ({@link WPlaneFit#NONE} when off or of no use). */
        public WPlaneFit planeFit() {
            return fit;
        }

        public double freqHz() {
            return samples.sumWeightedFreq / samples.sumWeights;
        }

        /** Number of w-planes, i.e. FFTs per image (1 without w-correction). */
        public int wLayers() {
            return gridder.layers.planes();
        }

        /**
         * Image noise per unit visibility noise: with σ_s the noise of one Stokes I sample (equal for all), the
         * image rms is σ_s·√(Σw²)/Σw (weighted mean of the samples; the Hermitian mirrors are the same noise).
         */
        public double noisePerSampleNoise() {
            return Math.sqrt(samples.sumSquaredWeights) / samples.sumWeights;
        }

        public long samples() {
            return samples.samples;
        }
    }
}
