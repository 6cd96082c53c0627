package org.dsa110.contimg.orchestration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;

/** Runs domain validation for the orchestration APIs: an {@link IllegalArgumentException} becomes a 422. */
public final class Validated {
    private Validated() {
    }

    public static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (WorkflowService.CycleException e) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cycle", e.keys());
            throw HubException.unprocessable(e.getMessage(), details);
        } catch (IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw HubException.unprocessable(root.getMessage() != null ? root.getMessage() : e.getMessage(), Map.of());
        }
    }

    /** Converts a JSON-like value (e.g. a map from a request) to a record, with its validation. */
    public static <T> T convert(Object value, Class<T> type) {
        return call(() -> Json.MAPPER.convertValue(value, type));
    }
}
