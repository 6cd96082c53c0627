package org.dsa110.contimg.pipeline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.LeaseTerms;

/**
 * SQL for observation groups and their subband files as ingest sees them: the ±60 s join, adding files,
 * claiming, and the stale sweep's queries. State changes themselves go through {@link GroupStates}.
 */
public final class GroupStore {
    private final Db db;

    public GroupStore(Db db) {
        this.db = db;
    }

    public Db db() {
        return db;
    }

    /** The collecting/pending group whose time is nearest to {@code t} within ±{@code window}, if any. */
    public Optional<String> nearestOpenGroup(Instant t, Duration window) {
        String best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Map<String, Object> r : db.query("SELECT group_id, group_time FROM ingest_groups "
                + "WHERE state IN ('collecting', 'pending') AND group_time >= ? AND group_time <= ? "
                + "ORDER BY group_time", t.minus(window), t.plus(window))) {
            long d = Math.abs(Duration.between(t, (Instant) r.get("group_time")).toMillis());
            if (d < bestDistance) {
                bestDistance = d;
                best = (String) r.get("group_id");
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Map<String, Object>> group(String groupId) {
        return db.one("SELECT * FROM ingest_groups WHERE group_id = ?", groupId);
    }

    public Optional<String> state(String groupId) {
        return db.one("SELECT state FROM ingest_groups WHERE group_id = ?", groupId).map(r -> (String) r.get("state"));
    }

    /** Inserts a new collecting group (and its creation history row). */
    public void createGroup(String groupId, Instant groupTime, int expectedSubbands) {
        Instant now = Instant.now();
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, received_at, last_update, "
                + "expected_subbands, subbands_present) VALUES (?, ?, 'collecting', ?, ?, ?, 0)",
                groupId, groupTime, now, now, expectedSubbands);
        new GroupStates(db).created(groupId, GroupStates.COLLECTING);
    }

    public boolean hasSubband(String groupId, int subband) {
        return db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE group_id = ? AND subband = ?",
                groupId, subband) > 0;
    }

    public boolean hasPath(String path) {
        return db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE path = ?", path) > 0;
    }

    /** Adds a file to its group and returns the group's new subband count (kept in subbands_present). */
    public int addFile(String groupId, SubbandFileName name, String path, long size, Double pointingDecDeg) {
        Instant now = Instant.now();
        db.update("INSERT INTO subband_files (group_id, subband, path, filename, file_time, size_bytes, received_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", groupId, name.subband(), path,
                java.nio.file.Path.of(path).getFileName().toString(), name.time(), size, now);
        int present = (int) db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE group_id = ?", groupId);
        db.update("UPDATE ingest_groups SET subbands_present = ?, last_update = ?, "
                + "pointing_dec_deg = COALESCE(pointing_dec_deg, ?) WHERE group_id = ?",
                present, now, pointingDecDeg, groupId);
        return present;
    }

    public int expectedSubbands(String groupId) {
        return (int) db.scalarLong("SELECT expected_subbands FROM ingest_groups WHERE group_id = ?", groupId);
    }

    /** Subband numbers present in a group, ascending. */
    public List<Integer> presentSubbands(String groupId) {
        return db.query("SELECT subband FROM subband_files WHERE group_id = ? ORDER BY subband", groupId).stream()
                .map(r -> ((Number) r.get("subband")).intValue()).toList();
    }

    /** Collecting groups that received nothing since {@code cutoff}, oldest first. */
    public List<Map<String, Object>> staleCollecting(Instant cutoff) {
        return db.query("SELECT group_id, subbands_present, expected_subbands, last_update FROM ingest_groups "
                + "WHERE state = 'collecting' AND last_update < ? ORDER BY group_time", cutoff);
    }

    /** Records that a group is released without some subbands (JSON array of their numbers). */
    public void markIncomplete(String groupId, String missingJson) {
        db.update("UPDATE ingest_groups SET incomplete = TRUE, missing_subbands = ? WHERE group_id = ?",
                missingJson, groupId);
    }

    /** Groups this worker holds in progress (its share of max_workers). */
    public int inProgressClaimedBy(String workerId) {
        return (int) db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE state = 'in_progress' "
                + "AND claimed_by = ?", workerId);
    }

    /**
     * Oldest pending groups, up to {@code limit}. On PostgreSQL the rows are locked for the caller's transaction and
     * rows another transaction holds are skipped ({@code FOR UPDATE SKIP LOCKED}), so concurrent claimers take
     * different groups instead of queueing on the same one. On H2 the guarded UPDATE of {@link GroupStates} alone
     * decides the winner.
     */
    public List<String> pendingCandidates(int limit) {
        String lock = db.dialect() == Db.Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        return db.query("SELECT group_id FROM ingest_groups WHERE state = 'pending' ORDER BY group_time, group_id "
                + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY" + lock).stream()
                .map(r -> (String) r.get("group_id")).toList();
    }

    /**
     * Stamps the claim on a group this worker just moved to in_progress: a new claim version (the fencing token of
     * the execution that follows) and a lease its heartbeat renews.
     */
    public void markClaimed(String groupId, String workerId, Instant at, LeaseTerms lease) {
        db.update("UPDATE ingest_groups SET claimed_by = ?, claimed_at = ?, attempts = attempts + 1, "
                + "claim_version = claim_version + 1, lease_until = " + lease.untilSql() + " WHERE group_id = ?",
                workerId, at, groupId);
    }

    /** A subband file of a group (GroupDetail.subbands); {@code flagged} files are left out of processing. */
    public record SubbandFile(int subband, String path, String filename, Instant fileTime, Long sizeBytes,
            Instant receivedAt, boolean flagged) {
    }

    /** A state change of a group; {@code from_state} is null when the group was created. */
    public record GroupStateChange(String fromState, String toState, Instant changedAt) {
    }

    /** The files of a group (GroupDetail.subbands). */
    public List<SubbandFile> files(String groupId) {
        return db.query("SELECT subband, path, filename, file_time, size_bytes, received_at, flagged "
                + "FROM subband_files WHERE group_id = ? ORDER BY subband", groupId).stream()
                .map(r -> new SubbandFile(Rows.integer(r, "subband"), Rows.str(r, "path"), Rows.str(r, "filename"),
                        (Instant) r.get("file_time"), Rows.lng(r, "size_bytes"), (Instant) r.get("received_at"),
                        Rows.bool(r, "flagged")))
                .toList();
    }

    /** The group's state changes, oldest first (GroupDetail.history). */
    public List<GroupStateChange> history(String groupId) {
        return db.query("SELECT from_state, to_state, changed_at FROM group_state_history WHERE group_id = ? "
                + "ORDER BY changed_at, id", groupId).stream()
                .map(r -> new GroupStateChange(Rows.str(r, "from_state"), Rows.str(r, "to_state"),
                        (Instant) r.get("changed_at")))
                .toList();
    }
}
