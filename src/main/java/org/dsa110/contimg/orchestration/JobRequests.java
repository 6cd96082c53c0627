package org.dsa110.contimg.orchestration;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.Timestamps;

/**
 * Request bodies of {@code /api/jobs/*} and {@code /api/batch/*} with the defaults of endpoints.md (the earlier
 * backend's): absent fields take their default in the compact constructors, invalid values are rejected there
 * (the API answers 422).
 */
public final class JobRequests {
    private JobRequests() {
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    public static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static String requireText(String value, String name) {
        require(value != null && !value.isBlank(), name + " is required");
        return value;
    }

    /** JobParams (apply and image jobs). */
    public record JobParams(String field, String refant, List<String> gaintables, String gridder, Integer wprojplanes,
            String datacolumn, String qualityTier, Boolean skipFits, Boolean useUnicatMask, Double maskRadiusArcsec) {
        static final Set<String> TIERS = Set.of("quick", "standard", "high", "development");
        static final Set<String> COLUMNS = Set.of("data", "corrected", "model");

        public JobParams {
            gridder = or(gridder, "wproject");
            wprojplanes = or(wprojplanes, -1);
            datacolumn = or(datacolumn, "corrected");
            qualityTier = or(qualityTier, "standard");
            skipFits = or(skipFits, true);
            useUnicatMask = or(useUnicatMask, true);
            maskRadiusArcsec = or(maskRadiusArcsec, 60.0);
            require(COLUMNS.contains(datacolumn), "datacolumn must be one of " + COLUMNS);
            require(TIERS.contains(qualityTier), "quality_tier must be one of " + TIERS);
            require(wprojplanes >= -1, "wprojplanes must be -1 (auto) or positive");
            require(maskRadiusArcsec > 0, "mask_radius_arcsec must be positive");
        }
    }

    /** CalibrateJobParams: refant 103, bandpass and gains on, delay off. */
    public record CalibrateJobParams(String field, String refant, Boolean solveDelay, Boolean solveBandpass,
            Boolean solveGains, String delaySolint, String bandpassSolint, String gainSolint, String gainCalmode,
            Boolean autoFields, List<Integer> manualFields, String calCatalog, Double searchRadiusDeg, Double minPb,
            Boolean doFlagging, String useExistingTables, String existingKTable, String existingBpTable,
            String existingGTable) {
        public CalibrateJobParams {
            refant = or(refant, "103");
            solveDelay = or(solveDelay, false);
            solveBandpass = or(solveBandpass, true);
            solveGains = or(solveGains, true);
            delaySolint = or(delaySolint, "inf");
            bandpassSolint = or(bandpassSolint, "inf");
            gainSolint = or(gainSolint, "inf");
            gainCalmode = or(gainCalmode, "ap");
            autoFields = or(autoFields, true);
            calCatalog = or(calCatalog, "vla");
            searchRadiusDeg = or(searchRadiusDeg, 1.0);
            minPb = or(minPb, 0.5);
            doFlagging = or(doFlagging, false);
            useExistingTables = or(useExistingTables, "auto");
            require(Set.of("ap", "p", "a").contains(gainCalmode), "gain_calmode must be ap, p or a");
            require(Set.of("auto", "manual", "none").contains(useExistingTables),
                    "use_existing_tables must be auto, manual or none");
            require(solveDelay || solveBandpass || solveGains, "at least one of solve_delay, solve_bandpass,"
                    + " solve_gains must be true");
            require(searchRadiusDeg > 0 && searchRadiusDeg <= 180, "search_radius_deg must be in (0, 180]");
            require(minPb >= 0 && minPb <= 1, "min_pb must be in [0, 1]");
        }
    }

    /** ConversionJobParams: a time window of UVH5 files into Measurement Sets. */
    public record ConversionJobParams(String inputDir, String outputDir, String startTime, String endTime,
            String writer, Boolean stageToTmpfs, Integer maxWorkers) {
        public ConversionJobParams {
            requireText(startTime, "start_time");
            requireText(endTime, "end_time");
            require(Timestamps.parse("start_time", startTime)
                    .isBefore(Timestamps.parse("end_time", endTime)),
                    "start_time must be before end_time");
            writer = or(writer, "auto");
            stageToTmpfs = or(stageToTmpfs, true);
            maxWorkers = or(maxWorkers, 4);
            require(maxWorkers >= 1 && maxWorkers <= 64, "max_workers must be in [1, 64]");
        }
    }

    /** ESEDetectJobParams. */
    public record EseDetectJobParams(Double minSigma, String preset, String sourceId, Boolean recompute,
            Boolean useCompositeScoring, Map<String, Double> scoringWeights) {
        public EseDetectJobParams {
            minSigma = or(minSigma, 5.0);
            recompute = or(recompute, false);
            useCompositeScoring = or(useCompositeScoring, false);
            require(minSigma > 0, "min_sigma must be positive");
        }
    }

    /** WorkflowParams: convert the window (unless an MS is given), then calibrate, apply and image. */
    public record WorkflowParams(String startTime, String endTime, String inputDir, String outputDir, String writer,
            Boolean stageToTmpfs, Integer maxWorkers, String field, String refant, String gridder,
            Integer wprojplanes) {
        public WorkflowParams {
            writer = or(writer, "auto");
            stageToTmpfs = or(stageToTmpfs, true);
            maxWorkers = or(maxWorkers, 4);
            refant = or(refant, "103");
            gridder = or(gridder, "wproject");
            wprojplanes = or(wprojplanes, -1);
        }
    }

    public record JobCreateRequest(String msPath, JobParams params) {
        public JobCreateRequest {
            requireText(msPath, "ms_path");
            params = or(params, new JobParams(null, null, null, null, null, null, null, null, null, null));
        }
    }

    public record CalibrateJobCreateRequest(String msPath, CalibrateJobParams params) {
        public CalibrateJobCreateRequest {
            requireText(msPath, "ms_path");
            params = or(params, new CalibrateJobParams(null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null));
        }
    }

    public record ConversionJobCreateRequest(ConversionJobParams params) {
        public ConversionJobCreateRequest {
            require(params != null, "params (start_time, end_time) are required");
        }
    }

    public record EseDetectJobCreateRequest(EseDetectJobParams params) {
        public EseDetectJobCreateRequest {
            params = or(params, new EseDetectJobParams(null, null, null, null, null, null));
        }
    }

    /** WorkflowJobCreateRequest; {@code ms_path} (an extension) runs calibrate → apply → image on one MS. */
    public record WorkflowJobCreateRequest(String msPath, WorkflowParams params) {
        public WorkflowJobCreateRequest {
            params = or(params, new WorkflowParams(null, null, null, null, null, null, null, null, null, null,
                    null));
            if (msPath == null) {
                require(params.startTime() != null && params.endTime() != null,
                        "a workflow needs ms_path or params.start_time and params.end_time");
            }
        }
    }

    /** BatchJobCreateRequest: {@code params} holds the item list (ms_paths, time_windows, ...) and shared params. */
    public record BatchJobCreateRequest(String jobType, Map<String, Object> params) {
        public BatchJobCreateRequest {
            require(params != null, "params are required");
        }
    }
}
