package org.dsa110.contimg.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.dsa110.contimg.core.Json;

/**
 * The earlier event bus's type of a hub event, which the operators' dashboard filters and counts by (stored with
 * each event, column {@code events.legacy_type}):
 *
 * <table>
 * <tr><th>earlier type</th><th>hub event</th></tr>
 * <tr><td>calibration_solved</td><td>stage_update of calibration_solve, completed</td></tr>
 * <tr><td>calibration_applied</td><td>stage_update of calibration_apply, completed</td></tr>
 * <tr><td>photometry_measurement_completed</td><td>stage_update of photometry, completed</td></tr>
 * <tr><td>pipeline_stage_started / _failed / _completed</td><td>any other stage_update: running / failed /
 * completed or skipped</td></tr>
 * <tr><td>ese_candidate_detected</td><td>ese_update with action new or rise</td></tr>
 * <tr><td>error_occurred</td><td>dlq_update of a pending item (a failure dead-lettered)</td></tr>
 * </table>
 * Every other event keeps the hub's type. {@code photometry_normalization_completed} and
 * {@code variability_stats_updated} have no hub event.
 */
public final class LegacyEventTypes {
    /** The earlier event bus's types (wire ids), in its order. */
    public static final List<String> TYPES = List.of("photometry_measurement_completed",
            "photometry_normalization_completed", "ese_candidate_detected", "variability_stats_updated",
            "calibration_solved", "calibration_applied", "pipeline_stage_started", "pipeline_stage_completed",
            "pipeline_stage_failed", "error_occurred");

    private LegacyEventTypes() {
    }

    /** The type an event of hub type {@code type} with payload {@code data} is shown under. */
    public static String of(String type, Object data) {
        JsonNode d = data == null ? Json.MAPPER.nullNode() : Json.MAPPER.valueToTree(data);
        String status = d.path("status").asText("");
        return switch (type) {
            case "stage_update" -> {
                String stage = d.path("stage").asText("");
                if ("completed".equals(status)) {
                    yield switch (stage) {
                        case "calibration_solve" -> "calibration_solved";
                        case "calibration_apply" -> "calibration_applied";
                        case "photometry" -> "photometry_measurement_completed";
                        default -> "pipeline_stage_completed";
                    };
                }
                yield switch (status) {
                    case "running" -> "pipeline_stage_started";
                    case "failed" -> "pipeline_stage_failed";
                    default -> "pipeline_stage_completed";
                };
            }
            case "ese_update" -> {
                String action = d.path("action").asText("");
                yield "new".equals(action) || "rise".equals(action) ? "ese_candidate_detected" : type;
            }
            case "dlq_update" -> "pending".equals(status) ? "error_occurred" : type;
            default -> type;
        };
    }
}
