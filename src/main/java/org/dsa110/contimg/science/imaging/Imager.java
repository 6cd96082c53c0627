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
 * z = 17°). The same gridder predicts model visibilities for the major cycles of {@link CottonSchwabClean}.
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

    private final ImagingParameters params;
    private final double wLayerFactor;
    private final double averagingCells;

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
        if (!(wLayerFactor >= 0)) {
            throw new IllegalArgumentException("w-layer factor must be >= 0: " + wLayerFactor);
        }
        if (!(averagingCells >= 0 && averagingCells <= 1)) {
            throw new IllegalArgumentException("averaging cells must be in [0, 1]: " + averagingCells);
        }
        this.params = params;
        this.wLayerFactor = wLayerFactor;
        this.averagingCells = averagingCells;
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
        // PSF (and Briggs cells) on the padded grid; w-planes on a smaller one (see PLANE_PADDING)
        int nP = params.gridSize();
        int nW = params.gridSize(Math.min(params.padding(), PLANE_PADDING));
        double duP = 1.0 / (nP * cell), duW = 1.0 / (nW * cell); // uv cells in wavelengths
        GriddingKernel kernelP = new GriddingKernel(params.kernelSupport());
        GriddingKernel kernelW = nW == nP ? kernelP
            : new GriddingKernel(params.kernelSupport(), GriddingKernel.beattyBeta(params.kernelSupport(),
                (double) nW / size));
        // both grids span the same uv range; the coarser one drops the samples whose kernel would leave it
        StokesSamples samples = StokesSamples.prepare(vis, raRad, decRad, nW, duW, kernelW.half,
            averagingCells);
        if (!Double.isNaN(params.robust())) {
            samples.briggs(params.robust(), nP, duP);
        }
        samples.totals();
        if (samples.sumWeights <= 0) {
            throw new IllegalArgumentException("no unflagged visibilities fall on the grid");
        }
        int psfSize = psfSize(nP, size);
        float[] psf = new WStackGridder(samples, nP, duP, kernelP, size, cell, 0).psf(psfSize);
        WStackGridder gridder = new WStackGridder(samples, nW, duW, kernelW, size, cell, wLayerFactor);
        // the planes' image normalised as the PSF: a unit source at the centre gives 1 on both grids
        float peak = psf[(psfSize / 2) * psfSize + psfSize / 2];
        double kP = kernelP.integral(), kW = kernelW.integral();
        float planePeak = (float) (peak * (kW * kW) / (kP * kP));
        for (int i = 0; i < psf.length; i++) {
            psf[i] /= peak;
        }
        return new Session(samples, gridder, ImagePlane.of(psfSize, psfSize, psf), planePeak,
            new ImageGeometry(size, size, cell, raRad, decRad));
    }

    /**
     * PSF size: twice the image (so a PSF shifted to any image pixel covers the whole image) when the FFT grid is
     * that large (padding ≥ 2), otherwise the whole grid.
     */
    static int psfSize(int gridSize, int imageSize) {
        return Math.min(gridSize, 2 * imageSize);
    }

    /** Samples, gridder and PSF of one image: dirty and residual images, model subtraction. */
    public static final class Session {
        private final StokesSamples samples;
        private final WStackGridder gridder;
        private final ImagePlane psf;
        private final float psfPeak;
        private final ImageGeometry geometry;

        private Session(StokesSamples samples, WStackGridder gridder, ImagePlane psf, float psfPeak,
                        ImageGeometry geometry) {
            this.samples = samples;
            this.gridder = gridder;
            this.psf = psf;
            this.psfPeak = psfPeak;
            this.geometry = geometry;
        }

        /** Image (Jy/beam) of the current sample values: the dirty image, or the residual after subtractions. */
        public ImagePlane residual() {
            float[] img = gridder.dirty();
            for (int i = 0; i < img.length; i++) {
                img[i] /= psfPeak;
            }
            return ImagePlane.of(geometry.width(), geometry.height(), img);
        }

        public DirtyImage dirtyImage() {
            return new DirtyImage(residual(), psf, geometry, freqHz(), samples.sumWeights, samples.samples);
        }

        /** Subtracts the visibilities of a model image (Jy per pixel, the image's size) from the samples. */
        public void subtractModel(float[] model) {
            gridder.subtract(model);
        }

        public ImagePlane psf() {
            return psf;
        }

        public ImageGeometry geometry() {
            return geometry;
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
