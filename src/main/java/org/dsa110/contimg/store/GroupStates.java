package org.dsa110.contimg.store;

import java.time.Instant;
import java.util.Map;

/**
 * The one way a group changes state: an UPDATE guarded by the expected current state (so two writers cannot both
 * win), a group_state_history row, and the timestamps the state implies. Returns false when the group was not in
 * {@code from} (someone else moved it first).
 */
public final class GroupStates {
    public static final String COLLECTING = "collecting";
    public static final String PENDING = "pending";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    private final Db db;

    public GroupStates(Db db) {
        this.db = db;
    }

    /** Moves {@code groupId} from {@code from} to {@code to}; {@code error} is stored for failures (else cleared). */
    public boolean transition(String groupId, String from, String to, String error) {
        return transition(groupId, from, to, error, null);
    }

    /**
     * Like {@link #transition(String, String, String, String)}, and only while the group is still held under
     * {@code fence} (when given): the end of an execution is committed by the hub that holds the claim, never by one
     * that lost it.
     */
    public boolean transition(String groupId, String from, String to, String error, ClaimFence fence) {
        Instant now = Instant.now();
        String stamp = switch (to) {
            case IN_PROGRESS -> "started_at";
            case COMPLETED, FAILED -> "completed_at";
            default -> null;
        };
        String sql = "UPDATE ingest_groups SET state = ?, last_update = ?, error = ?"
                + (stamp == null ? ", completed_at = NULL" : ", " + stamp + " = ?")
                + " WHERE group_id = ? AND state = ?"
                + (fence == null ? "" : " AND claimed_by = ? AND claim_version = ?");
        java.util.List<Object> args = new java.util.ArrayList<>(java.util.Arrays.asList(to, now, error));
        if (stamp != null) {
            args.add(now);
        }
        args.add(groupId);
        args.add(from);
        if (fence != null) {
            args.addAll(java.util.List.of(fence.args()));
        }
        return db.inTransaction(() -> {
            int n = db.update(sql, args.toArray());
            if (n == 0) {
                return false;
            }
            db.update("INSERT INTO group_state_history (group_id, from_state, to_state, changed_at) "
                    + "VALUES (?, ?, ?, ?)", groupId, from, to, now);
            return true;
        });
    }

    /** Records the creation of a group (history row with no from-state). */
    public void created(String groupId, String state) {
        db.update("INSERT INTO group_state_history (group_id, from_state, to_state, changed_at) VALUES (?, NULL, ?, ?)",
                groupId, state, Instant.now());
    }

    /** The event payload published on every transition. */
    public static Map<String, Object> event(String groupId, String from, String to) {
        return Map.of("group_id", groupId, "from_state", from, "to_state", to);
    }
}
