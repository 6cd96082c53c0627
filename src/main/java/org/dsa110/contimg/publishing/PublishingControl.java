package org.dsa110.contimg.publishing;

import org.dsa110.contimg.core.ErrorKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.core.HubException;

/** The operator actions of /api/data/{id}/...: finalize, auto-publish toggles, and the publish answer shape. */
public final class PublishingControl {
    private final DataRegistry registry;
    private final Publisher publisher;

    public PublishingControl(DataRegistry registry, Publisher publisher) {
        this.registry = registry;
        this.publisher = publisher;
    }

    /**
     * The answer to a publish or retry: 200 with {@code status: published}, or 409 {@code PUBLISH_FAILED} with
     * the error (the item is left failed and retryable).
     */
    public static Map<String, Object> outcome(Publisher.Outcome o, String message) {
        if (!o.published()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("data_id", o.dataId());
            details.put("publish_attempts", o.attempts());
            details.put("publish_error", o.error());
            throw new HubException(ErrorKind.CONFLICT, "PUBLISH_FAILED", "publish failed: " + o.error(), details);
        }
        Map<String, Object> out = o.toMap();
        out.put("message", message);
        return out;
    }

    /** Sets the finalization (and optionally QA/validation) state, then auto-publishes when it qualifies. */
    public Map<String, Object> finalizeItem(String dataId, String qaStatus, String validationStatus) {
        Map<String, Object> row = registry.rowOr404(dataId);
        if (!"staging".equals(row.get("status")) && (qaStatus != null || validationStatus != null)) {
            throw HubException.conflict("data product is " + row.get("status")
                    + "; its QA and validation states can no longer change", Map.of("data_id", dataId));
        }
        registry.finalizeItem(dataId, qaStatus, validationStatus);
        Publisher.Outcome o = publisher.autoPublish(dataId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "finalized");
        out.put("message", "Data product finalized");
        out.put("data_id", dataId);
        out.put("auto_published", o != null && o.published());
        if (o != null && !o.published()) {
            out.put("publish_error", o.error());
        }
        out.put("item", registry.item(registry.rowOr404(dataId)));
        return out;
    }

    public Map<String, Object> setAutoPublish(String dataId, boolean enabled) {
        registry.setAutoPublish(dataId, enabled);
        Publisher.Outcome o = enabled ? publisher.autoPublish(dataId) : null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", enabled ? "enabled" : "disabled");
        out.put("message", enabled ? "Auto-publish enabled" : "Auto-publish disabled");
        out.put("data_id", dataId);
        out.put("auto_publish", enabled);
        out.put("auto_published", o != null && o.published());
        if (o != null && !o.published()) {
            out.put("publish_error", o.error());
        }
        return out;
    }

    public Map<String, Object> autoPublishStatus(String dataId) {
        Map<String, Object> row = registry.rowOr404(dataId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data_id", dataId);
        out.put("auto_publish", row.get("auto_publish_enabled"));
        out.put("status", DataRegistry.apiStatus(row));
        out.put("ready", publisher.readyForAutoPublish(row));
        out.put("validation_status", row.get("validation_status"));
        out.put("qa_status", row.get("qa_status"));
        out.put("qa_required", publisher.settings().qaRequiredTypes().contains((String) row.get("data_type")));
        out.put("publish_attempts", row.get("publish_attempts"));
        out.put("max_attempts", publisher.settings().maxAttempts());
        return out;
    }
}
