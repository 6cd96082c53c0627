package org.dsa110.contimg.api;

import java.util.ArrayList;
import java.util.List;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.publishing.DataRegistry;
import org.dsa110.contimg.publishing.Publisher;
import org.dsa110.contimg.publishing.PublishingControl;

/**
 * /api/data* (the data registry: list, detail, finalize, publish, auto-publish toggles, lineage) and
 * /api/monitoring/publish/* (publish status, failed items, retries). {@code data_id} may contain slashes.
 */
public class DataApi extends ApiRoutes {

    /** Optional body of POST /data/{id}/finalize (the same fields are accepted as query parameters). */
    public record FinalizeRequest(String qaStatus, String validationStatus) {
        public FinalizeRequest {
            check("qa_status", qaStatus, DataRegistry.QA_STATUSES);
            check("validation_status", validationStatus, DataRegistry.VALIDATION_STATUSES);
        }

        private static void check(String name, String v, List<String> allowed) {
            if (v != null && !allowed.contains(v)) {
                throw new IllegalArgumentException(name + " must be one of " + allowed + ", got '" + v + "'");
            }
        }
    }

    /** GET /api/monitoring/publish/failed. */
    public record FailedList(List<org.dsa110.contimg.publishing.DataViews.DataProduct> items, int count, int maxAttempts) {
    }

    /** POST /api/monitoring/publish/retry-all: counts and each retry's outcome. */
    public record RetryAll(int retried, int published, int failed, List<Publisher.Result> results) {
    }

    @Override
    public void configure() {
        DataRegistry registry = lookup("dataRegistry", DataRegistry.class);
        Publisher publisher = lookup("publisher", Publisher.class);
        PublishingControl control = new PublishingControl(registry, publisher);

        get("/data", "data.list", "Data products with their staging/published status (filters, pagination)", req -> {
            String type = req.query("data_type");
            if (type != null && !DataRegistry.TYPES.contains(type)) {
                throw HubException.invalidParameter("data_type", type, "one of " + DataRegistry.TYPES);
            }
            String status = req.oneOf("status", null, DataRegistry.API_STATUSES.toArray(new String[0]));
            return registry.list(new DataRegistry.Filter(type, status, req.query("tag")),
                    req.intQuery("limit", 50, 1, 1000), req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
        })
                .queryEnum("data_type", null, DataRegistry.TYPES.stream().sorted().toArray(String[]::new))
                .queryEnum("status", null, DataRegistry.API_STATUSES.toArray(new String[0]))
                .queryString("tag", null)
                .page(50, 1000)
                .returns(org.dsa110.contimg.publishing.DataViews.DataList.class);
        // The suffixed paths are declared before the bare detail path; the edge picks the most specific greedy
        // match either way.
        post("/data/{data_id:path}/finalize", "data.finalize",
                "Finalize a data product (QA/validation states), then auto-publish it if it qualifies", req -> {
                    FinalizeRequest body = req.bodyOrDefaults(FinalizeRequest.class);
                    String qa = req.oneOf("qa_status", body.qaStatus(),
                            DataRegistry.QA_STATUSES.toArray(new String[0]));
                    String validation = req.oneOf("validation_status", body.validationStatus(),
                            DataRegistry.VALIDATION_STATUSES.toArray(new String[0]));
                    return control.finalizeItem(req.path("data_id"), qa, validation);
                })
                .queryEnum("qa_status", null, DataRegistry.QA_STATUSES.toArray(new String[0]))
                .queryEnum("validation_status", null, DataRegistry.VALIDATION_STATUSES.toArray(new String[0]))
                .optionalBody(FinalizeRequest.class).returns(PublishingControl.Finalized.class);
        post("/data/{data_id:path}/publish", "data.publish",
                "Publish a data product now: move to products, verify the SHA-256", req -> {
                    Publisher.Outcome o = publisher.publish(req.path("data_id"));
                    return PublishingControl.outcome(o, "Data product published");
                }).returns(Publisher.Result.class);
        post("/data/{data_id:path}/auto-publish/enable", "data.autopublish.enable",
                "Enable auto-publish for a data product (publishes it at once if it qualifies)",
                req -> control.setAutoPublish(req.path("data_id"), true))
                .returns(PublishingControl.AutoPublishChange.class);
        post("/data/{data_id:path}/auto-publish/disable", "data.autopublish.disable",
                "Disable auto-publish for a data product", req -> control.setAutoPublish(req.path("data_id"), false))
                .returns(PublishingControl.AutoPublishChange.class);
        get("/data/{data_id:path}/auto-publish/status", "data.autopublish.status",
                "Auto-publish flag of a data product and whether it qualifies now",
                req -> control.autoPublishStatus(req.path("data_id")))
                .returns(PublishingControl.AutoPublishStatus.class);
        get("/data/{data_id:path}/lineage", "data.lineage",
                "Lineage graph of a data product: parents, children, all dependencies",
                req -> registry.lineage(req.path("data_id")))
                .returns(org.dsa110.contimg.publishing.DataViews.Lineage.class);
        get("/data/{data_id:path}", "data.get", "One data product with its direct lineage",
                req -> registry.detail(req.path("data_id")))
                .returns(org.dsa110.contimg.publishing.DataViews.DataProduct.class);

        get("/monitoring/publish/status", "publish.status", "Publishing counts by status and type, success rate",
                req -> registry.status(publisher.settings().maxAttempts()))
                .returns(DataRegistry.PublishStatus.class);
        get("/monitoring/publish/failed", "publish.failed", "Failed publishes, newest first", req -> {
            Integer max = maxAttempts(req);
            List<org.dsa110.contimg.publishing.DataViews.DataProduct> items = registry.failed(max,
                    req.intQuery("limit", 50, 1, 1000));
            return new FailedList(items, items.size(), publisher.settings().maxAttempts());
        })
                .queryInt("limit", 50, 1, 1000).queryInt("max_attempts", 1, 1000, MAX_ATTEMPTS)
                .returns(FailedList.class);
        post("/monitoring/publish/retry/{data_id:path}", "publish.retry", "Retry one failed publish", req -> {
            Publisher.Outcome o = publisher.retry(req.path("data_id"));
            return PublishingControl.outcome(o, "Data product published");
        }).returns(Publisher.Result.class);
        post("/monitoring/publish/retry-all", "publish.retry.all", "Retry failed publishes (oldest first)", req -> {
            List<Publisher.Result> results = new ArrayList<>();
            int ok = 0;
            for (Publisher.Outcome o : publisher.retryAll(maxAttempts(req), req.intQuery("limit", 10, 1, 1000))) {
                results.add(o.result());
                ok += o.published() ? 1 : 0;
            }
            return new RetryAll(results.size(), ok, results.size() - ok, results);
        })
                .queryInt("limit", 10, 1, 1000).queryInt("max_attempts", 1, 1000, MAX_ATTEMPTS)
                .returns(RetryAll.class);
    }

    private static final String MAX_ATTEMPTS = "Only items with fewer publish attempts than this";

    private static Integer maxAttempts(ApiRequest req) {
        return req.query("max_attempts") == null ? null : req.intQuery("max_attempts", 0, 1, 1000);
    }
}
