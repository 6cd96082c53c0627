package org.dsa110.contimg.pipeline.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.ops.EventBroadcaster;

/**
 * Publishes group lifecycle events on the live channels: {@code group_state_changed} for every state change
 * (from_state null at creation) and {@code file_ingested} / {@code ingest_error} / {@code late_file} for files.
 */
public final class GroupEvents {
    public static final String GROUP_STATE_CHANGED = "group_state_changed";
    public static final String FILE_INGESTED = "file_ingested";
    public static final String INGEST_ERROR = "ingest_error";
    public static final String LATE_FILE = "late_file";

    private final EventBroadcaster broadcaster;

    public GroupEvents(EventBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    public void stateChanged(String groupId, String from, String to, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("group_id", groupId);
        data.put("from_state", from);
        data.put("to_state", to);
        if (extra != null) {
            data.putAll(extra);
        }
        broadcaster.publish(GROUP_STATE_CHANGED, data);
    }

    public void fileIngested(String groupId, String path, int subband, int present, int expected) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("group_id", groupId);
        data.put("path", path);
        data.put("subband", subband);
        data.put("subbands_present", present);
        data.put("expected_subbands", expected);
        broadcaster.publish(FILE_INGESTED, data);
    }

    public void ingestError(String path, String errorType, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", path);
        data.put("error_type", errorType);
        data.put("reason", reason);
        broadcaster.publish(INGEST_ERROR, data);
    }

    /** A file that arrived for a group no longer open for files ({@link LateFiles}). */
    public void lateFile(String groupId, String path, int subband, String groupState) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("group_id", groupId);
        data.put("path", path);
        data.put("subband", subband);
        data.put("group_state", groupState);
        broadcaster.publish(LATE_FILE, data);
    }
}
