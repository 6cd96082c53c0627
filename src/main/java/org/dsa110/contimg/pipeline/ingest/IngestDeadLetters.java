package org.dsa110.contimg.pipeline.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Records ingest failures as dead-letter items (table {@code dlq_items}) so an operator sees them and can retry:
 * a file that fails validation (left in place) or a stale group with too few subbands. The resubmit target of a
 * file is {@code direct:ingest.file} with the path as body, which re-validates and records that one file.
 *
 * <p>Writes the rows itself until the engine's dead-letter store is on main; the row shape is the same.
 */
public final class IngestDeadLetters {
    public static final String COMPONENT = "ingest";
    public static final String RESUBMIT_FILE = "direct:ingest.file";

    private final Db db;

    public IngestDeadLetters(Db db) {
        this.db = db;
    }

    /** A file that could not be recorded; {@code errorType} is a reason code such as {@code invalid_file}. */
    public long fileFailed(String path, String errorType, String reason) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("path", path);
        context.put("reason", reason);
        return insert("validate", errorType, reason, context, RESUBMIT_FILE, path);
    }

    /** A group the stale sweep failed (fewer subbands than the minimum); there is nothing to resubmit. */
    public long groupIncomplete(String groupId, int present, int expected, String reason) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("group_id", groupId);
        context.put("subbands_present", present);
        context.put("expected_subbands", expected);
        context.put("reason", reason);
        return insert("stale_sweep", "incomplete_group", reason, context, null, groupId);
    }

    /** Whether this file already has an open item (so a file failing again is not recorded twice). */
    public boolean hasOpenItemFor(String path) {
        return db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE component = ? AND resubmit_target = ? "
                + "AND original_body = ? AND status IN ('pending', 'retrying')", COMPONENT, RESUBMIT_FILE, path) > 0;
    }

    /** Marks the open items of a file resolved once it has been recorded after all (e.g. by a retry). */
    public int resolveFile(String path, String note) {
        Instant now = Instant.now();
        return db.update("UPDATE dlq_items SET status = 'resolved', resolved_at = ?, updated_at = ?, "
                + "resolution_note = ? WHERE component = ? AND resubmit_target = ? AND original_body = ? "
                + "AND status IN ('pending', 'retrying')", now, now, note, COMPONENT, RESUBMIT_FILE, path);
    }

    private long insert(String operation, String errorType, String message, Map<String, Object> context,
            String target, String body) {
        Instant now = Instant.now();
        return db.insert("INSERT INTO dlq_items (component, operation, error_type, error_message, context, "
                + "resubmit_target, original_body, original_headers, status, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, '{}', 'pending', ?, ?)", "id",
                COMPONENT, operation, errorType, message, Json.write(context), target, body, now, now);
    }
}
