package org.dsa110.contimg.publishing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The API shapes of the data registry. Times: {@code created_at} and {@code published_at} are Unix seconds (as the
 * earlier backend stored them and the operators' dashboard parses them), with the ISO-8601 forms beside in
 * {@code created_at_iso} / {@code published_at_iso}; the other times are ISO-8601. {@code id} repeats
 * {@code data_id} and {@code auto_publish_enabled} repeats {@code auto_publish} under the dashboard's names.
 */
public final class DataViews {

    private DataViews() {
    }

    /** One data product; {@code lineage} (direct parents and children) only in the detail view. */
    public record DataProduct(String id, String dataId, String type, String dataType, String path, String stagePath,
            String publishedPath, String status, String qaStatus, String validationStatus, String finalizationStatus,
            boolean autoPublish, boolean autoPublishEnabled, String checksumSha256, Long sizeBytes,
            int publishAttempts, String publishError, Long createdAt, Instant createdAtIso, Instant stagedAt,
            Long publishedAt, Instant publishedAtIso, Instant finalizedAt, Instant updatedAt, Object metadata,
            List<String> tags, @JsonInclude(JsonInclude.Include.NON_NULL) DirectLineage lineage) {

        DataProduct withLineage(DirectLineage l) {
            return new DataProduct(id, dataId, type, dataType, path, stagePath, publishedPath, status, qaStatus,
                    validationStatus, finalizationStatus, autoPublish, autoPublishEnabled, checksumSha256, sizeBytes,
                    publishAttempts, publishError, createdAt, createdAtIso, stagedAt, publishedAt, publishedAtIso,
                    finalizedAt, updatedAt, metadata, tags, l);
        }
    }

    /** GET /api/data. */
    public record DataList(List<DataProduct> items, long total, int limit, int offset) {
    }

    /** A directly related product: its id, type, API status and path, and how it relates. */
    public record Relative(String dataId, String dataType, String relationshipType, String status, String path) {
    }

    /** The direct relatives of a product, as the detail view shows them. */
    public record DirectLineage(List<Relative> parents, List<Relative> children) {
    }

    /**
     * A product in the lineage graph of another: an ancestor ({@code direction} parent, reached at {@code depth},
     * a parent of {@code child_id}) or a direct child ({@code direction} child, depth 1, a child of
     * {@code parent_id}).
     */
    public record Dependency(String dataId, String dataType, String relationshipType, String status, String path,
            String direction, @JsonInclude(JsonInclude.Include.NON_NULL) String childId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String parentId, int depth) {
    }

    /**
     * GET /api/data/{id}/lineage: {@code parents} and {@code children} map each relationship type to the related
     * products' ids (the earlier backend's form, which the dashboard reads); the detailed objects, and every
     * ancestor, are in {@code dependencies}.
     */
    public record Lineage(String dataId, String instanceId, Map<String, List<String>> parents,
            Map<String, List<String>> children, List<Dependency> dependencies) {
    }

    static Long epochSeconds(Instant t) {
        return t == null ? null : t.getEpochSecond();
    }
}
