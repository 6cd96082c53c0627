package org.dsa110.contimg.pipeline;

import java.util.List;
import java.util.Map;

/** What a stage produced: output paths (inputs of the next stage) and numeric or text metrics. */
public record StageResult(List<String> outputs, Map<String, Object> metrics) {
    public StageResult {
        outputs = List.copyOf(outputs);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static StageResult of(List<String> outputs) {
        return new StageResult(outputs, Map.of());
    }
}
