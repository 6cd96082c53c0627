package org.dsa110.contimg.publishing;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * The data registry ({@code data_registry}, {@code data_relationships}, {@code data_tags}): every data product
 * from staging to its published place, with its checksum, QA/validation/finalization states, publish attempts and
 * lineage.
 *
 * <p>Status as the API shows it: the stored {@code staging | publishing | published}, except that a staged item
 * whose last publish attempt failed (it carries {@code publish_error}) is {@code failed}; it stays retryable.
 */
public final class DataRegistry {
    public static final Set<String> TYPES = Set.of("ms", "calib_ms", "caltable", "image", "mosaic", "catalog", "qa",
            "metadata", "misc");
    public static final List<String> API_STATUSES = List.of("staging", "publishing", "published", "failed");
    public static final List<String> QA_STATUSES = List.of("pending", "passed", "failed", "warning");
    public static final List<String> VALIDATION_STATUSES = List.of("pending", "validated", "invalid");
    static final String FAILED_SQL = "status = 'staging' AND publish_error IS NOT NULL";

    /** What the publishing stage knows about a product when it registers it. */
    public record Registration(String dataId, String dataType, String stagePath, String sha256, long sizeBytes,
                               String qaStatus, String validationStatus, boolean autoPublish,
                               Map<String, Object> metadata, Set<String> tags) {
    }

    /** A lineage edge: {@code parent} → {@code child}. */
    public record Relation(String parentId, String childId, String type) {
    }

    private final Db db;

    public DataRegistry(Db db) {
        this.db = db;
    }

    Db db() {
        return db;
    }

    /**
     * Inserts a product, or refreshes a staged one registered earlier (a re-run stage); a product already
     * published or being published is left as it is. Returns true when the row was written.
     */
    public boolean register(Registration r) {
        if (!TYPES.contains(r.dataType())) {
            throw new IllegalArgumentException("unknown data type " + r.dataType());
        }
        String meta = json(r.metadata());
        Instant now = Instant.now();
        return db.inTransaction(() -> {
            Optional<Map<String, Object>> existing = db.one("SELECT status FROM data_registry WHERE data_id = ?",
                    r.dataId());
            boolean written;
            if (existing.isEmpty()) {
                db.update("INSERT INTO data_registry (data_id, data_type, stage_path, status, qa_status, "
                        + "validation_status, auto_publish_enabled, checksum_sha256, size_bytes, created_at, "
                        + "staged_at, updated_at, metadata) VALUES (?, ?, ?, 'staging', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.dataId(), r.dataType(), r.stagePath(), r.qaStatus(), r.validationStatus(),
                        r.autoPublish(), r.sha256(), r.sizeBytes(), now, now, now, meta);
                written = true;
            } else if ("staging".equals(existing.get().get("status"))) {
                db.update("UPDATE data_registry SET data_type = ?, stage_path = ?, qa_status = ?, "
                        + "validation_status = ?, checksum_sha256 = ?, size_bytes = ?, staged_at = ?, updated_at = ?, "
                        + "metadata = ? WHERE data_id = ?", r.dataType(), r.stagePath(), r.qaStatus(),
                        r.validationStatus(), r.sha256(), r.sizeBytes(), now, now, meta, r.dataId());
                written = true;
            } else {
                written = false;
            }
            for (String tag : r.tags()) {
                if (db.scalarLong("SELECT COUNT(*) FROM data_tags WHERE data_id = ? AND tag = ?", r.dataId(), tag)
                        == 0) {
                    db.update("INSERT INTO data_tags (data_id, tag) VALUES (?, ?)", r.dataId(), tag);
                }
            }
            return written;
        });
    }

    /** Records a lineage edge (idempotent); both ends must be registered. */
    public void relate(Relation rel) {
        if (rel.parentId().equals(rel.childId())) {
            return;
        }
        db.inTransaction(() -> {
            if (db.scalarLong("SELECT COUNT(*) FROM data_relationships WHERE parent_id = ? AND child_id = ? "
                    + "AND relationship_type = ?", rel.parentId(), rel.childId(), rel.type()) == 0) {
                db.update("INSERT INTO data_relationships (parent_id, child_id, relationship_type) VALUES (?, ?, ?)",
                        rel.parentId(), rel.childId(), rel.type());
            }
        });
    }

    public Optional<Map<String, Object>> row(String dataId) {
        return db.one("SELECT * FROM data_registry WHERE data_id = ?", dataId);
    }

    public Map<String, Object> rowOr404(String dataId) {
        return row(dataId).orElseThrow(() -> HubException.notFound("data product", dataId));
    }

    /** The API view of one product (list item). */
    public DataViews.DataProduct item(Map<String, Object> row) {
        String status = apiStatus(row);
        String published = (String) row.get("published_path");
        String id = (String) row.get("data_id");
        boolean auto = Boolean.TRUE.equals(row.get("auto_publish_enabled"));
        Instant created = (Instant) row.get("created_at");
        Instant publishedAt = (Instant) row.get("published_at");
        return new DataViews.DataProduct(id, id, (String) row.get("data_type"), (String) row.get("data_type"),
                published != null && "published".equals(row.get("status")) ? published : (String) row.get("stage_path"),
                (String) row.get("stage_path"), published, status, (String) row.get("qa_status"),
                (String) row.get("validation_status"), (String) row.get("finalization_status"), auto, auto,
                (String) row.get("checksum_sha256"), row.get("size_bytes") instanceof Number n ? n.longValue() : null,
                ((Number) row.get("publish_attempts")).intValue(), (String) row.get("publish_error"),
                DataViews.epochSeconds(created), created, (Instant) row.get("staged_at"),
                DataViews.epochSeconds(publishedAt), publishedAt, (Instant) row.get("finalized_at"),
                (Instant) row.get("updated_at"), parse((String) row.get("metadata")), tags(id), null);
    }

    /** Detail: the item plus its direct lineage. */
    public DataViews.DataProduct detail(String dataId) {
        return item(rowOr404(dataId)).withLineage(new DataViews.DirectLineage(relatives(dataId, true),
                relatives(dataId, false)));
    }

    static String apiStatus(Map<String, Object> row) {
        String s = (String) row.get("status");
        return "staging".equals(s) && row.get("publish_error") != null ? "failed" : s;
    }

    /** Filters of GET /api/data (null = any). */
    public record Filter(String dataType, String status, String tag) {
    }

    public DataViews.DataList list(Filter f, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.dataType() != null) {
            where.append(" AND data_type = ?");
            args.add(f.dataType());
        }
        if (f.status() != null) {
            where.append(switch (f.status()) {
                case "failed" -> " AND " + FAILED_SQL;
                case "staging" -> " AND status = 'staging' AND publish_error IS NULL";
                default -> " AND status = ?";
            });
            if (!f.status().equals("failed") && !f.status().equals("staging")) {
                args.add(f.status());
            }
        }
        if (f.tag() != null) {
            where.append(" AND data_id IN (SELECT data_id FROM data_tags WHERE tag = ?)");
            args.add(f.tag());
        }
        long total = db.scalarLong("SELECT COUNT(*) FROM data_registry" + where, args.toArray());
        List<Object> page = new ArrayList<>(args);
        page.add(limit);
        page.add(offset);
        List<DataViews.DataProduct> items = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT * FROM data_registry" + where
                + " ORDER BY created_at DESC, data_id LIMIT ? OFFSET ?", page.toArray())) {
            items.add(item(r));
        }
        return new DataViews.DataList(items, total, limit, offset);
    }

    public List<String> tags(String dataId) {
        List<String> tags = new ArrayList<>();
        db.query("SELECT tag FROM data_tags WHERE data_id = ? ORDER BY tag", dataId)
                .forEach(r -> tags.add((String) r.get("tag")));
        return tags;
    }

    /** Direct parents (or children) with the relation type, their type, status and path. */
    public List<DataViews.Relative> relatives(String dataId, boolean parents) {
        String cols = "r.relationship_type, d.data_type, d.status, d.publish_error, d.stage_path, d.published_path ";
        String sql = parents
                ? "SELECT r.parent_id AS id, " + cols
                        + "FROM data_relationships r JOIN data_registry d ON d.data_id = r.parent_id "
                        + "WHERE r.child_id = ? ORDER BY r.parent_id"
                : "SELECT r.child_id AS id, " + cols
                        + "FROM data_relationships r JOIN data_registry d ON d.data_id = r.child_id "
                        + "WHERE r.parent_id = ? ORDER BY r.child_id";
        List<DataViews.Relative> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql, dataId)) {
            String published = (String) r.get("published_path");
            out.add(new DataViews.Relative((String) r.get("id"), (String) r.get("data_type"),
                    (String) r.get("relationship_type"), apiStatus(r),
                    published != null && "published".equals(r.get("status")) ? published
                            : (String) r.get("stage_path")));
        }
        return out;
    }

    /**
     * The lineage graph of a product: direct parents and children by relationship type, and in
     * {@code dependencies} every ancestor (nearest first, each once, with the depth at which it was reached) and
     * every direct child.
     */
    public DataViews.Lineage lineage(String dataId) {
        rowOr404(dataId);
        List<DataViews.Dependency> deps = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>(List.of(dataId));
        List<String> frontier = List.of(dataId);
        for (int depth = 1; !frontier.isEmpty() && depth <= 64; depth++) {
            List<String> next = new ArrayList<>();
            for (String id : frontier) {
                for (DataViews.Relative p : relatives(id, true)) {
                    if (seen.add(p.dataId())) {
                        deps.add(new DataViews.Dependency(p.dataId(), p.dataType(), p.relationshipType(), p.status(),
                                p.path(), "parent", id, null, depth));
                        next.add(p.dataId());
                    }
                }
            }
            frontier = next;
        }
        List<DataViews.Relative> children = relatives(dataId, false);
        for (DataViews.Relative c : children) {
            deps.add(new DataViews.Dependency(c.dataId(), c.dataType(), c.relationshipType(), c.status(), c.path(),
                    "child", null, dataId, 1));
        }
        return new DataViews.Lineage(dataId, dataId, byRelationship(relatives(dataId, true)),
                byRelationship(children), deps);
    }

    private static Map<String, List<String>> byRelationship(List<DataViews.Relative> relatives) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (DataViews.Relative r : relatives) {
            out.computeIfAbsent(r.relationshipType(), k -> new ArrayList<>()).add(r.dataId());
        }
        return out;
    }

    /** GET /api/monitoring/publish/status: counts by status and type; exhausted = failed with no attempt left. */
    public record PublishStatus(long total, Map<String, Long> byStatus, Map<String, Long> byType, long published,
            long staging, long failed, long exhausted, int maxAttempts, long autoPublishEnabled, Double successRate,
            java.time.Instant lastPublishedAt) {
    }

    /** Counts for /api/monitoring/publish/status. */
    public PublishStatus status(int maxAttempts) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        API_STATUSES.forEach(s -> byStatus.put(s, 0L));
        Map<String, Long> byType = new LinkedHashMap<>();
        long total = 0;
        for (Map<String, Object> r : db.query("SELECT data_type, status, CASE WHEN " + FAILED_SQL
                + " THEN 1 ELSE 0 END AS failed, COUNT(*) AS n FROM data_registry GROUP BY data_type, status, "
                + "CASE WHEN " + FAILED_SQL + " THEN 1 ELSE 0 END")) {
            long n = ((Number) r.get("n")).longValue();
            String s = ((Number) r.get("failed")).intValue() == 1 ? "failed" : (String) r.get("status");
            byStatus.merge(s, n, Long::sum);
            byType.merge((String) r.get("data_type"), n, Long::sum);
            total += n;
        }
        long published = byStatus.get("published");
        long failed = byStatus.get("failed");
        return new PublishStatus(total, byStatus, byType, published, byStatus.get("staging"), failed,
                db.scalarLong("SELECT COUNT(*) FROM data_registry WHERE " + FAILED_SQL + " AND publish_attempts >= ?",
                        maxAttempts), maxAttempts, db.scalarLong("SELECT COUNT(*) FROM data_registry WHERE "
                        + "auto_publish_enabled = TRUE AND status <> 'published'"),
                published + failed == 0 ? null : (double) published / (published + failed),
                db.one("SELECT MAX(published_at) AS t FROM data_registry")
                        .map(r -> (java.time.Instant) r.get("t")).orElse(null));
    }

    /** Failed items (newest failure first); {@code maxAttempts} non-null keeps those with fewer attempts. */
    public List<DataViews.DataProduct> failed(Integer maxAttempts, int limit) {
        List<Object> args = new ArrayList<>();
        String extra = "";
        if (maxAttempts != null) {
            extra = " AND publish_attempts < ?";
            args.add(maxAttempts);
        }
        args.add(limit);
        List<DataViews.DataProduct> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT * FROM data_registry WHERE " + FAILED_SQL + extra
                + " ORDER BY updated_at DESC, data_id LIMIT ?", args.toArray())) {
            out.add(item(r));
        }
        return out;
    }

    void setAutoPublish(String dataId, boolean enabled) {
        rowOr404(dataId);
        db.update("UPDATE data_registry SET auto_publish_enabled = ?, updated_at = ? WHERE data_id = ?", enabled,
                Instant.now(), dataId);
    }

    void finalizeItem(String dataId, String qaStatus, String validationStatus) {
        Instant now = Instant.now();
        db.update("UPDATE data_registry SET finalization_status = 'finalized', finalized_at = COALESCE(finalized_at, ?), "
                + "qa_status = COALESCE(?, qa_status), validation_status = COALESCE(?, validation_status), "
                + "updated_at = ? WHERE data_id = ?", now, qaStatus, validationStatus, now, dataId);
    }

    private static String json(Map<String, Object> m) {
        try {
            return m == null || m.isEmpty() ? null : Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Object parse(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
