package org.dsa110.contimg.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of one stage for one group.
 *
 * @param stage       stage name (conversion, calibration_solve, ...)
 * @param groupId     the observation group
 * @param executionId the pipeline execution this run belongs to
 * @param attempt     1 for the first try, incremented by every redelivery and DLQ retry
 * @param inputs      input paths: the subband files for conversion, else the outputs of the upstream stage
 * @param outputDir   where the stage writes its products (exists, may hold files of earlier attempts)
 * @param params      stage parameters: config {@code hub.stage.<stage>.param.*}, group facts and the outputs of
 *                    every completed upstream stage under {@code upstream.<stage>}
 * @param log         receives the stage's log lines (stored with the stage run)
 */
public record StageRequest(String stage, String groupId, long executionId, int attempt, List<String> inputs,
        Path outputDir, Map<String, Object> params, StageLogSink log) {
    public StageRequest {
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }
}
