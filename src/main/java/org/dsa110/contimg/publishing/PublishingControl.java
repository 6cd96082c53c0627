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
    public static Publisher.Result outcome(Publisher.Outcome o, String message) {
        if (!o.published()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("data_id", o.dataId());
            details.put("publish_attempts", o.attempts());
            details.put("publish_error", o.error());
            throw new HubException(ErrorKind.CONFLICT, "PUBLISH_FAILED", "publish failed: " + o.error(), details);
        }
        return o.result(message);
    }

    /** POST /data/{id}/finalize; {@code publish_error} says why an auto-publish it triggered failed. */
    public record Finalized(String status, String message, String dataId, boolean autoPublished, String publishError,
            DataViews.DataProduct item) {
    }

    /** POST /data/{id}/auto-publish/enable|disable. */
    public record AutoPublishChange(String status, String message, String dataId, boolean autoPublish,
            boolean autoPublished, String publishError) {
    }

    /** GET /data/{id}/auto-publish/status: the flag and whether the item qualifies now. */
    public record AutoPublishStatus(String dataId, boolean autoPublish, String status, boolean ready,
            String validationStatus, String qaStatus, boolean qaRequired, int publishAttempts, int maxAttempts) {
    }

    /** Sets the finalization (and optionally QA/validation) state, then auto-publishes when it qualifies. */
    public Finalized finalizeItem(String dataId, String qaStatus, String validationStatus) {
        Map<String, Object> row = registry.rowOr404(dataId);
        if (!"staging".equals(row.get("status")) && (qaStatus != null || validationStatus != null)) {
            throw HubException.conflict("data product is " + row.get("status")
                    + "; its QA and validation states can no longer change", Map.of("data_id", dataId));
        }
        registry.finalizeItem(dataId, qaStatus, validationStatus);
        Publisher.Outcome o = publisher.autoPublish(dataId);
        return new Finalized("finalized", "Data product finalized", dataId, o != null && o.published(),
                o != null && !o.published() ? o.error() : null, registry.item(registry.rowOr404(dataId)));
    }

    public AutoPublishChange setAutoPublish(String dataId, boolean enabled) {
        registry.setAutoPublish(dataId, enabled);
        Publisher.Outcome o = enabled ? publisher.autoPublish(dataId) : null;
        return new AutoPublishChange(enabled ? "enabled" : "disabled",
                enabled ? "Auto-publish enabled" : "Auto-publish disabled", dataId, enabled,
                o != null && o.published(), o != null && !o.published() ? o.error() : null);
    }

    public AutoPublishStatus autoPublishStatus(String dataId) {
        Map<String, Object> row = registry.rowOr404(dataId);
        return new AutoPublishStatus(dataId, Boolean.TRUE.equals(row.get("auto_publish_enabled")),
                DataRegistry.apiStatus(row), publisher.readyForAutoPublish(row), (String) row.get("validation_status"),
                (String) row.get("qa_status"),
                publisher.settings().qaRequiredTypes().contains((String) row.get("data_type")),
                ((Number) row.get("publish_attempts")).intValue(), publisher.settings().maxAttempts());
    }
}
