package org.dsa110.contimg.pipeline.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dsa110.contimg.pipeline.MemoryBudget;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.imaging.CottonSchwabClean;
import org.dsa110.contimg.science.imaging.ImageGeometry;
import org.dsa110.contimg.science.imaging.Imager;
import org.dsa110.contimg.science.imaging.ImagingParameters;
import org.dsa110.contimg.science.imaging.BeamPointings;
import org.dsa110.contimg.science.imaging.OutlierSubtraction;
import org.dsa110.contimg.science.imaging.PrimaryBeamCorrection;
import org.dsa110.contimg.science.imaging.WPlaneFit;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.science.radio.VlaCalibratorCatalog;
import org.dsa110.contimg.science.uvfits.UvfitsData;
import org.dsa110.contimg.science.uvfits.UvfitsReader;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Builtin {@code imaging}: Stokes I of the (corrected) visibilities with the {@link Imager} (Briggs {@code robust},
 * Kaiser–Bessel gridding with grid correction, w-stacking with {@code w-layer-factor} × WSClean's plane count of
 * w minus the array plane fitted to the data ({@code w-plane-fit}, default true: see {@link WPlaneFit}),
 * JTransforms FFT, multi-threaded), deconvolved to the noise by {@link CottonSchwabClean} (minor-cycle
 * {@code gain}, {@code major-gain}, stop at max({@code threshold-jy}, {@code threshold-sigma} × the residual's
 * robust rms) with an auto-mask from {@code mask-sigma} × rms, safety caps {@code niter} and
 * {@code max-major-cycles}), restoring beam fitted to the PSF, then primary-beam correction (pixels under
 * {@code pb-cutoff} blanked). Cell and
 * size follow science.md (3.5° field, cell from u_max), optionally capped by {@code max-size} pixels. Writes
 * {@code <group>.image.fits} (restored, Jy/beam) and {@code <group>.image.pbcor.fits}, SIN projection about the
 * J2000 phase centre of the middle integration, with BMAJ/BMIN/BPA, RESTFRQ/CRVAL3, DATE-OBS; both are registered in
 * the image registry (types image and pbcor). Outputs: the pbcor image first (the sky-flux image photometry
 * measures), then the restored image.
 */
public final class ImagingStage implements StageExecutor {
    /** Bytes of heap per visibility byte of the UVFITS file once read (decoded samples, uvw, flags). */
    static final double READ_FACTOR = 1.3;
    /**
     * Heap per grid cell and per image pixel: one complex float plane of the FFT grid per w-plane in turn, and the
     * Briggs density grid before it (12 B per padded cell, 16 with slack); per image pixel the PSF (four pixels per
     * image pixel: twice the size), dirty/residual, model, restored and primary-beam corrected planes, the
     * w-plane accumulator and the phase screen with its step (re, im each): 13 floats, 56 B with slack.
     * Figures against measurements: docs/performance.md.
     */
    static final long BYTES_PER_GRID_CELL = 16;
    static final long BYTES_PER_PIXEL = 56;
    /**
     * Heap per visibility byte of the file for the imager's own copy of the samples (Stokes I re, im and weight,
     * 12 B per (blt, channel), against ≥ 2 hands × 12 B in the UVFITS file), kept for the major cycles.
     */
    static final double SAMPLES_FACTOR = 0.5;
    /** Smaller than this, a capped image is no use: the stage fails with insufficient_memory instead. */
    static final int MIN_CAPPED_SIZE = 256;

    private final RadioStore store;
    private final Supplier<ImageRegistry> images;
    private final MemoryBudget budget;
    /** The reference catalogue whose sources outside the image are subtracted, or null (VLA calibrators only). */
    private final CalibrationSolveStage.FieldCatalog catalog;

    ImagingStage(RadioStore store, Supplier<ImageRegistry> images) {
        this(store, images, new MemoryBudget(Long.MAX_VALUE, 0, false), null);
    }

    ImagingStage(RadioStore store, Supplier<ImageRegistry> images, CalibrationSolveStage.FieldCatalog catalog) {
        this(store, images, new MemoryBudget(Long.MAX_VALUE, 0, false), catalog);
    }

    ImagingStage(RadioStore store, Supplier<ImageRegistry> images, MemoryBudget budget,
                 CalibrationSolveStage.FieldCatalog catalog) {
        this.store = store;
        this.images = images;
        this.budget = budget;
        this.catalog = catalog;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        StageParams p = new StageParams(req.stage(), req.params());
        Path msPath = Path.of(req.inputs().get(0));
        long t0 = System.nanoTime();
        long fileBytes = Files.size(StageInputs.existing(msPath));
        long readBytes = (long) (fileBytes * READ_FACTOR) + (MemoryBound.OVERHEAD_MB << 20);
        UvfitsData data;
        try (MemoryBudget.Reservation r = budget.reserve("imaging read of " + msPath.getFileName(), readBytes)) {
            data = StageInputs.read(msPath, "UVFITS", UvfitsReader::read);
        }
        Visibilities vis = data.vis();
        ImagingParameters params = ImagingParameters.forData(vis).withCellArcsec(p.nonNegative("cell-arcsec", 0))
                .withRobust(p.number("robust", 0.0))
                .withPadding(p.number("padding", ImagingParameters.DEFAULT_PADDING));
        int maxSize = p.integer("max-size", 0);
        if (maxSize > 0) {
            params = params.withMaxImageSize(maxSize);
        }
        int wanted = params.imageSize();
        // the imager's Stokes I copy of the samples counts with the visibilities (it does not shrink with the image)
        readBytes += (long) (fileBytes * SAMPLES_FACTOR);
        long need = need(params, readBytes);
        if (!budget.fits(need) && !"fail".equals(p.string("on-memory-shortfall", "cap"))) {
            int fitting = largestFitting(budget.totalBytes(), readBytes, params.padding());
            if (fitting >= MIN_CAPPED_SIZE) {
                params = params.withMaxImageSize(fitting);
                need = need(params, readBytes);
                req.log().info(String.format("memory: image capped from %d to %d px: %d px needs about %d MB of "
                        + "Java heap, the heavy-work budget is %d MB (raise -Xmx, or set "
                        + "hub.stage.imaging.param.max-size)", wanted, params.imageSize(), wanted,
                        need(params.withImageSize(wanted), readBytes) >> 20, budget.totalBytes() >> 20));
            }
        }
        MemoryBudget.Reservation reservation = budget.reserve("imaging of group " + req.groupId() + " ("
                + params.imageSize() + " px)", need);
        try (reservation) {
            return image(req, p, msPath, data, params, wanted, t0);
        }
    }

    /** Estimated heap of imaging {@code params} with visibilities read into {@code readBytes}. */
    static long need(ImagingParameters params, long readBytes) {
        long n = (long) Math.ceil(params.imageSize() * params.padding());
        long size = params.imageSize();
        return readBytes + BYTES_PER_GRID_CELL * n * n + BYTES_PER_PIXEL * size * size;
    }

    /** The largest even image size whose estimate fits {@code budget}. */
    static int largestFitting(long budget, long readBytes, double padding) {
        double perPixel = BYTES_PER_GRID_CELL * padding * padding + BYTES_PER_PIXEL;
        long s = (long) Math.floor(Math.sqrt(Math.max(0, budget - readBytes) / perPixel));
        s = (long) Math.floor(s / 1.02); // the FFT grid is rounded up to a 2^a 3^b 5^c size
        return (int) Math.min(Integer.MAX_VALUE - 1, s - s % 2);
    }

    private StageResult image(StageRequest req, StageParams p, Path msPath, UvfitsData data,
            ImagingParameters params, int wanted, long t0) throws Exception {
        Visibilities vis = data.vis();
        boolean capped = params.imageSize() < wanted;
        Outliers outliers = subtractOutliers(req, p, data, params);
        long t1 = System.nanoTime();
        Imager.Session session = new Imager(params, p.number("w-layer-factor", Imager.DEFAULT_W_LAYER_FACTOR),
                p.number("averaging-cells", Imager.DEFAULT_AVERAGING_CELLS),
                p.bool("w-plane-fit", Imager.DEFAULT_W_PLANE_FIT))
                .open(vis);
        long t2 = System.nanoTime();
        CottonSchwabClean.Options defaults = CottonSchwabClean.Options.defaults();
        CottonSchwabClean.Options opt = new CottonSchwabClean.Options(p.number("gain", defaults.gain()),
                p.number("major-gain", defaults.majorGain()), p.number("threshold-sigma", defaults.thresholdSigma()),
                p.number("mask-sigma", defaults.maskSigma()), p.number("threshold-jy", defaults.thresholdJy()),
                p.integer("niter", defaults.maxIterations()),
                p.integer("max-major-cycles", defaults.maxMajorCycles()), p.integer("psf-patch", 0));
        CottonSchwabClean.Result clean = CottonSchwabClean.run(session, opt);
        ImageGeometry g = session.geometry();
        double threshold = clean.thresholdJy();
        long t3 = System.nanoTime();
        // the drift scan's effective beam: the mean over the integrations' pointings (docs/radio-stages.md)
        ImagePlane pbcor = PrimaryBeamCorrection.apply(clean.restored(), g, session.freqHz(), PrimaryBeam.dsa110(),
                p.number("pb-cutoff", PrimaryBeamCorrection.DEFAULT_CUTOFF), BeamPointings.of(data));
        double[] times = vis.uniqueTimes();
        double startMjd = JulianDate.jdToMjd(times[0]) - intSec(data) / 2 / 86400;
        double[] freq = vis.freqHz();
        double bandwidth = Math.abs(freq[freq.length - 1] - freq[0]) + Math.abs(freq.length > 1 ? freq[1] - freq[0] : 0);
        CelestialWcs wcs = CelestialWcs.sin(Math.toDegrees(g.raRad()), Math.toDegrees(g.decRad()), g.crpix1(),
                g.crpix2(), g.cellDeg());
        Files.createDirectories(req.outputDir());
        String base = ConversionStage.fileName(req.groupId());
        Path imagePath = req.outputDir().resolve(base + ".image.fits").toAbsolutePath();
        Path pbPath = req.outputDir().resolve(base + ".image.pbcor.fits").toAbsolutePath();
        for (boolean pb : new boolean[] {false, true}) {
            new FitsImageWriter(wcs).beam(clean.beam()).bunit("JY/BEAM").dateObs(MsCatalog.instant(startMjd))
                    .frequency(session.freqHz(), bandwidth > 0 ? bandwidth : 1.0).object(req.groupId()).radioAxes()
                    .card("TELESCOP", data.telescope(), "").card("NITER", clean.iterations(), "CLEAN iterations")
                    .card("ROBUST", params.robust(), "Briggs robustness")
                    .card("PBCOR", pb, "primary-beam corrected")
                    .card("CALSET", calibrationSet(data), "calibration set applied (NONE: uncalibrated)")
                    .card("MEMCAP", capped ? wanted : 0, "image size before the memory cap (0 = not capped)")
                    .history("contimg-hub builtin imaging of " + msPath.getFileName())
                    .write(pb ? pbcor : clean.restored(), pb ? pbPath : imagePath);
        }
        long t4 = System.nanoTime();
        ImageRegistry registry = images.get();
        long imageId = registry.register(imagePath.toString(),
                new ImageRegistry.Registration(msPath.toString(), req.groupId(), "image", false));
        long pbId = registry.register(pbPath.toString(),
                new ImageRegistry.Registration(msPath.toString(), req.groupId(), "pbcor", true));
        String ms = store.msPath(req.groupId()).orElse(msPath.toString());
        String tier = String.valueOf(registry.row(imageId).get("quality_tier"));
        store.msImaged(ms, imagePath.toString(), tier);
        req.log().info(String.format("imaged %s: %dx%d px of %.2f\", beam %.1f\"x%.1f\" PA %.0f, %d w-planes, %d "
                + "CLEAN iterations in %d major cycles to %.4f Jy (%s), residual rms %.4f Jy, peak %.4f Jy",
                msPath.getFileName(), g.width(), g.height(), g.cellArcsec(), clean.beam().bmajDeg() * 3600,
                clean.beam().bminDeg() * 3600, clean.beam().bpaDeg(), session.wLayers(), clean.iterations(),
                clean.majorCycles(), threshold, clean.converged() ? "threshold reached" : "stopped by a safety cap",
                clean.rmsJy(), clean.peakResidualJy()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_id", imageId);
        m.put("pbcor_image_id", pbId);
        m.put("image_size", g.width());
        if (capped) {
            m.put("image_size_capped_from", wanted);
        }
        m.put("cell_arcsec", g.cellArcsec());
        // the VLA calibrators by name; the catalogue's sources (up to catalog-outlier-max-sources) as a count
        m.put("outliers_subtracted", outliers.vla().stream().map(o -> Map.of("name", o.name(), "offset_deg",
                o.offsetDeg(), "apparent_flux_jy", o.apparentJy())).toList());
        m.put("catalog_outliers_subtracted", outliers.catalog().size());
        m.put("beam_major_arcsec", clean.beam().bmajDeg() * 3600);
        m.put("beam_minor_arcsec", clean.beam().bminDeg() * 3600);
        m.put("clean_iterations", clean.iterations());
        m.put("peak_residual_jy", clean.peakResidualJy());
        m.put("major_cycles", clean.majorCycles());
        m.put("psf_subtraction_fraction", clean.subtractionFraction());
        m.put("w_planes", session.wLayers());
        WPlaneFit fit = session.planeFit();
        if (fit.active()) {
            m.put("w_plane_fit_a", fit.a());
            m.put("w_plane_fit_b", fit.b());
            m.put("w_max_m", fit.maxAbsW());
            m.put("w_residual_max_m", fit.maxAbsResidual());
            m.put("w_residual_rms_m", fit.rmsResidual());
        }
        m.put("residual_rms_jy", clean.rmsJy());
        m.put("clean_threshold_jy", threshold);
        m.put("clean_converged", clean.converged());
        m.put("read_sec", (t1 - t0) / 1e9);
        m.put("weight_psf_sec", (t2 - t1) / 1e9);
        m.put("clean_sec", (t3 - t2) / 1e9);
        m.put("write_sec", (t4 - t3) / 1e9);
        return new StageResult(List.of(pbPath.toString(), imagePath.toString()), m);
    }

    /**
     * Subtracts the known bright sources outside the image from the visibilities before imaging, unless
     * {@code subtract-outliers} is false: the VLA calibrators within {@code outlier-radius-deg} of the centre with an
     * apparent flux ≥ {@code outlier-min-flux-jy}, then (with a reference catalogue and {@code catalog-outliers}) the
     * catalogue's sources there with an apparent flux ≥ {@code catalog-outlier-min-mjy}, the
     * {@code catalog-outlier-max-sources} brightest. CLEAN cannot remove what lies outside the image, and the
     * sidelobes of what it leaves are the same every epoch of a field: a confusion floor that repeats
     * (docs/radio-stages.md, docs/mosaics-photometry.md "Error model").
     */
    private Outliers subtractOutliers(StageRequest req, StageParams p, UvfitsData data, ImagingParameters params) {
        if (!p.bool("subtract-outliers", true)) {
            return new Outliers(List.of(), List.of());
        }
        Visibilities vis = data.vis();
        int mid = vis.nBlt() / 2;
        ImageGeometry g = new ImageGeometry(params.imageSize(), params.imageSize(), params.cellRad(),
                vis.phaseCentreRa()[mid], vis.phaseCentreDec()[mid]);
        double[] freq = vis.freqHz();
        double centreFreq = (freq[0] + freq[freq.length - 1]) / 2;
        double radiusDeg = p.number("outlier-radius-deg", 3.0);
        List<OutlierSubtraction.Outlier> vla = OutlierSubtraction.select(Calibrators.L_BAND, g, centreFreq,
                PrimaryBeam.dsa110(), radiusDeg, p.number("outlier-min-flux-jy", 0.5), 0);
        List<OutlierSubtraction.Outlier> fromCatalog = catalog == null || !p.bool("catalog-outliers", true)
                ? List.of()
                : OutlierSubtraction.selectCatalog(catalog.cone(Math.toDegrees(g.raRad()), Math.toDegrees(g.decRad()),
                        radiusDeg), vla, g, centreFreq, PrimaryBeam.dsa110(), radiusDeg,
                        p.nonNegative("catalog-outlier-min-mjy", 10) / 1000.0, SAME_SOURCE_RAD,
                        p.nonNegativeInteger("catalog-outlier-max-sources", 100));
        List<OutlierSubtraction.Outlier> all = new ArrayList<>(vla);
        all.addAll(fromCatalog);
        OutlierSubtraction.subtract(vis, data.bltPointing(), all, PrimaryBeam.dsa110());
        for (OutlierSubtraction.Outlier o : vla) {
            req.log().info(String.format("subtracted %s (%.2f Jy apparent, %.2f deg from the centre, outside the "
                    + "%d px image) from the visibilities", o.name(), o.apparentJy(), o.offsetDeg(),
                    params.imageSize()));
        }
        if (!fromCatalog.isEmpty()) {
            req.log().info(String.format("subtracted %d reference-catalogue sources outside the %d px image "
                    + "(%.3f Jy apparent in all, brightest %.3f Jy) from the visibilities", fromCatalog.size(),
                    params.imageSize(), fromCatalog.stream().mapToDouble(OutlierSubtraction.Outlier::apparentJy).sum(),
                    fromCatalog.get(0).apparentJy()));
        }
        return new Outliers(vla, fromCatalog);
    }

    /** The sources subtracted before imaging: VLA calibrators and reference-catalogue sources. */
    private record Outliers(List<OutlierSubtraction.Outlier> vla, List<OutlierSubtraction.Outlier> catalog) {
    }

    /** A catalogue source within 60″ of a VLA calibrator is that calibrator (the VLA list is in NVSS too). */
    private static final double SAME_SOURCE_RAD = Math.toRadians(60.0 / 3600);

    /** The L-band VLA calibrator list (the model calibration solves against), read on first use. */
    private static final class Calibrators {
        static final List<VlaCalibrator> L_BAND = List.copyOf(VlaCalibratorCatalog.loadLBand());
    }

    /** The calibration set calibration_apply wrote into the visibilities' header, NONE when uncalibrated. */
    static String calibrationSet(UvfitsData d) {
        Object set = d.keywords().get("CALSET");
        return set == null || String.valueOf(set).isBlank() ? "NONE" : String.valueOf(set).trim();
    }

    private static double intSec(UvfitsData d) {
        double s = d.integrationSec().length > 0 ? d.integrationSec()[0] : Double.NaN;
        return Double.isFinite(s) ? s : 0;
    }
}
