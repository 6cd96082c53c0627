package org.dsa110.contimg.api;

import java.util.List;
import org.dsa110.contimg.products.PhotometryService;
import org.dsa110.contimg.science.photometry.EnsembleNormalization;
import org.dsa110.contimg.science.photometry.ForcedPhotometry;
import org.dsa110.contimg.science.photometry.SkyOrientation;

/**
 * /api/photometry/*: forced photometry and normalisation on a FITS file under the data roots (not stored), and
 * the stored per-image run of the photometry stage.
 */
public class PhotometryApi extends ApiRoutes {

    /** PhotometryMeasureRequest (endpoints.md). */
    public record MeasureRequest(String fitsPath, Double raDeg, Double decDeg, Integer boxSizePix,
                                 List<Double> annulusPix, String noiseMapPath, String backgroundMapPath, Double nbeam,
                                 Boolean useWeightedConvolution, Boolean useAegean, Boolean aegeanPrioritized,
                                 Boolean aegeanNegative) {
        public MeasureRequest {
            requireFits(fitsPath);
            requirePosition(raDeg, decDeg);
            checkCommon(boxSizePix, annulusPix, nbeam, noiseMapPath, backgroundMapPath);
            if (Boolean.TRUE.equals(useAegean)) {
                throw new IllegalArgumentException("use_aegean is not supported: the hub measures forced photometry");
            }
        }
    }

    /** PhotometryMeasureBatchRequest. */
    public record BatchRequest(String fitsPath, List<Coordinate> coordinates, Integer boxSizePix,
                               List<Double> annulusPix, String noiseMapPath, String backgroundMapPath,
                               Boolean useClusterFitting, Double clusterThreshold, Double nbeam) {
        public BatchRequest {
            requireFits(fitsPath);
            if (coordinates == null || coordinates.isEmpty() || coordinates.size() > 10_000) {
                throw new IllegalArgumentException("coordinates must list 1 to 10000 positions");
            }
            coordinates.forEach(c -> requirePosition(c == null ? null : c.raDeg(), c == null ? null : c.decDeg()));
            checkCommon(boxSizePix, annulusPix, nbeam, noiseMapPath, backgroundMapPath);
            if (Boolean.TRUE.equals(useClusterFitting)) {
                throw new IllegalArgumentException("use_cluster_fitting is not supported");
            }
        }
    }

    public record Coordinate(Double raDeg, Double decDeg) {
    }

    /** PhotometryNormalizeRequest. */
    public record NormalizeRequest(String fitsPath, Double raDeg, Double decDeg, Double rawFluxJy, Double rawErrorJy,
                                   Double raCenter, Double decCenter, Double fovRadiusDeg, Double minSnr,
                                   Integer maxSources, Integer boxSizePix, List<Double> annulusPix,
                                   Double maxDeviationSigma) {
        public NormalizeRequest {
            requireFits(fitsPath);
            if (rawFluxJy == null || rawErrorJy == null || !Double.isFinite(rawFluxJy) || !(rawErrorJy >= 0)) {
                throw new IllegalArgumentException("raw_flux_jy and raw_error_jy (>= 0) are required");
            }
            if (fovRadiusDeg != null && !(fovRadiusDeg > 0 && fovRadiusDeg <= 5)) {
                throw new IllegalArgumentException("fov_radius_deg must be in (0, 5]");
            }
            if (maxSources != null && (maxSources < 3 || maxSources > 1000)) {
                throw new IllegalArgumentException("max_sources must be in [3, 1000]");
            }
            if (maxDeviationSigma != null && !(maxDeviationSigma > 0)) {
                throw new IllegalArgumentException("max_deviation_sigma must be > 0");
            }
            checkCommon(boxSizePix, annulusPix, null, null, null);
        }
    }

    /** POST /api/photometry/measure. */
    public record MeasureResponse(PhotometryService.ForcedResult result) {
    }

    /** POST /api/photometry/measure-batch: one result per coordinate, in order; {@code error} always null. */
    public record BatchResponse(List<PhotometryService.ForcedResult> results, String error) {
    }

    static void requireFits(String fitsPath) {
        if (fitsPath == null || fitsPath.isBlank()) {
            throw new IllegalArgumentException("fits_path is required");
        }
    }

    static void requirePosition(Double ra, Double dec) {
        if (ra == null || dec == null || !(ra >= 0 && ra < 360) || !(dec >= -90 && dec <= 90)) {
            throw new IllegalArgumentException("ra_deg in [0, 360) and dec_deg in [-90, 90] are required");
        }
    }

    static void checkCommon(Integer box, List<Double> annulus, Double nbeam, String noiseMap, String backgroundMap) {
        if (box != null && (box < 1 || box > 101)) {
            throw new IllegalArgumentException("box_size_pix must be in [1, 101]");
        }
        if (annulus != null && (annulus.size() != 2 || annulus.get(0) == null || annulus.get(1) == null
                || annulus.get(0) < 0 || annulus.get(1) < annulus.get(0) || annulus.get(1) > 200)) {
            throw new IllegalArgumentException("annulus_pix must be [inner, outer] with 0 <= inner <= outer <= 200");
        }
        if (nbeam != null && !(nbeam > 0 && nbeam <= 20)) {
            throw new IllegalArgumentException("nbeam must be in (0, 20]");
        }
        if (noiseMap != null || backgroundMap != null) {
            throw new IllegalArgumentException("noise_map_path/background_map_path are not supported: the local "
                    + "annulus rms is used");
        }
    }

    static ForcedPhotometry.Parameters params(Integer box, List<Double> annulus, Double nbeam) {
        ForcedPhotometry.Parameters d = ForcedPhotometry.Parameters.DEFAULTS;
        return new ForcedPhotometry.Parameters(nbeam != null ? nbeam : d.nbeam(),
                annulus != null ? annulus.get(0) : d.annulusInnerPx(),
                annulus != null ? annulus.get(1) : d.annulusOuterPx(), box != null ? box : d.fallbackBoxSize(),
                SkyOrientation.EAST_LEFT);
    }

    @Override
    public void configure() {
        PhotometryService photometry = lookup("photometryService", PhotometryService.class);

        post("/photometry/measure", "photometry.measure", "Forced photometry at one position of a FITS image", req -> {
            MeasureRequest r = req.body(MeasureRequest.class);
            List<PhotometryService.ForcedResult> results = photometry.measureFile(r.fitsPath(),
                    List.of(new double[] {r.raDeg(), r.decDeg()}), params(r.boxSizePix(), r.annulusPix(), r.nbeam()),
                    r.useWeightedConvolution() == null || r.useWeightedConvolution());
            return new MeasureResponse(results.get(0));
        })
                .body(MeasureRequest.class).returns(MeasureResponse.class);
        post("/photometry/measure-batch", "photometry.measure_batch", "Forced photometry at many positions", req -> {
            BatchRequest r = req.body(BatchRequest.class);
            return new BatchResponse(photometry.measureFile(r.fitsPath(),
                    r.coordinates().stream().map(c -> new double[] {c.raDeg(), c.decDeg()}).toList(),
                    params(r.boxSizePix(), r.annulusPix(), r.nbeam()), true), null);
        })
                .body(BatchRequest.class).returns(BatchResponse.class);
        post("/photometry/normalize", "photometry.normalize", "Ensemble-normalise a raw flux on a FITS image", req -> {
            NormalizeRequest r = req.body(NormalizeRequest.class);
            EnsembleNormalization.Parameters d = EnsembleNormalization.Parameters.DEFAULTS;
            EnsembleNormalization.Parameters refs = new EnsembleNormalization.Parameters(
                    r.minSnr() != null ? r.minSnr() : d.minCatalogSnr(),
                    r.fovRadiusDeg() != null ? r.fovRadiusDeg() : d.maxSeparationDeg(),
                    r.maxSources() != null ? r.maxSources() : d.maxReferences(), d.baselineEpochs(),
                    d.minBaselineEpochs(), d.minReferences(),
                    r.maxDeviationSigma() != null ? r.maxDeviationSigma() : d.clipSigma());
            return photometry.normalizeFlux(r.fitsPath(), r.rawFluxJy(), r.rawErrorJy(), r.raCenter(), r.decCenter(),
                    refs, params(r.boxSizePix(), r.annulusPix(), null));
        })
                .body(NormalizeRequest.class).returns(PhotometryService.NormalizedResult.class);
        post("/photometry/images/{image_id}", "photometry.image", "Run the photometry stage on a registered image",
                req -> photometry.measureImage(req.pathLong("image_id")))
                .returns(org.dsa110.contimg.products.PhotometryService.MeasureSummary.class);
    }
}
