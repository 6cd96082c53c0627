package org.dsa110.contimg.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.core.Json;

/** The seed-001 error body. One constructor so every error the hub writes has the same four fields. */
public final class ErrorBody {
    private ErrorBody() {
    }

    public static Map<String, Object> of(String message, String code, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", "error");
        body.put("code", code);
        body.put("details", details == null ? Map.of() : details);
        return body;
    }

    public static String json(String message, String code, Map<String, Object> details) {
        return Json.write(of(message, code, details));
    }
}
