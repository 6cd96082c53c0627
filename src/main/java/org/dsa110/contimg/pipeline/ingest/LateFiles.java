package org.dsa110.contimg.pipeline.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subband files that arrive for a group that has already left collecting/pending (issue 15 point 7): a group the
 * stale sweep released with subbands missing, or one already processed. Such a file is not a new group (it used to
 * start one, which the sweep later failed) and not an error: it is recorded in {@code late_files} against the
 * group, logged once (the file index then marks it seen), published as a {@code late_file} event and listed as
 * {@code late_files} in GroupDetail. {@link #include} adds a finished group's late files to its subbands, for
 * {@code POST /api/reprocess/{group_id}} with {@code include_late_files}.
 */
public final class LateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LateFiles.class);

    /** A group that is no longer open for files, near a file's time. */
    public record ClosedGroup(String groupId, String state) {
    }

    /** What {@link #include} did: the paths added to the group, and those left out with the reason. */
    public record Inclusion(List<String> included, List<Map<String, Object>> skipped) {
    }

    private final Db db;
    private final GroupEvents events;

    public LateFiles(Db db, GroupEvents events) {
        this.db = db;
        this.events = events;
    }

    /** The in_progress/completed/failed group nearest {@code t} within ±{@code window}, if any. */
    public Optional<ClosedGroup> closedGroupNear(Instant t, Duration window) {
        ClosedGroup best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Map<String, Object> r : db.query("SELECT group_id, group_time, state FROM ingest_groups "
                + "WHERE state IN ('in_progress', 'completed', 'failed') AND group_time >= ? AND group_time <= ?",
                t.minus(window), t.plus(window))) {
            long d = Math.abs(Duration.between(t, (Instant) r.get("group_time")).toMillis());
            if (d < bestDistance) {
                bestDistance = d;
                best = new ClosedGroup((String) r.get("group_id"), (String) r.get("state"));
            }
        }
        return Optional.ofNullable(best);
    }

    public boolean hasPath(String path) {
        return db.scalarLong("SELECT COUNT(*) FROM late_files WHERE path = ?", path) > 0;
    }

    /**
     * Records a late file of {@code group} (inside the ingest's transaction); the log line and the event are
     * returned as a runnable for after the commit. The caller has checked the path is not recorded yet.
     */
    public Runnable record(ClosedGroup group, SubbandFileName name, String path, long size) {
        db.update("INSERT INTO late_files (group_id, subband, path, filename, file_time, size_bytes, received_at, "
                + "group_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", group.groupId(), name.subband(), path,
                Path.of(path).getFileName().toString(), name.time(), size, Instant.now(), group.state());
        return () -> {
            LOG.warn("ingest: late file {} (sb{}) for group {}, which is {}: listed as a late file, not processed; "
                    + "POST /api/reprocess/{} with include_late_files adds it", path, String.format("%02d",
                    name.subband()), group.groupId(), group.state(), group.groupId());
            events.lateFile(group.groupId(), path, name.subband(), group.state());
        };
    }

    /**
     * A file that arrived after its group was closed: {@code group_state} the group's state then,
     * {@code included_at} when a reprocess added it to the group's subbands (null until then).
     */
    public record LateFile(int subband, String path, String filename, Instant fileTime, Long sizeBytes,
            Instant receivedAt, String groupState, Instant includedAt) {
    }

    /** GroupDetail.late_files: the group's late files, oldest first. */
    public List<LateFile> list(String groupId) {
        return db.query("SELECT subband, path, filename, file_time, size_bytes, received_at, group_state, "
                + "included_at FROM late_files WHERE group_id = ? ORDER BY received_at, id", groupId).stream()
                .map(r -> new LateFile(Rows.integer(r, "subband"), Rows.str(r, "path"), Rows.str(r, "filename"),
                        (Instant) r.get("file_time"), Rows.lng(r, "size_bytes"), (Instant) r.get("received_at"),
                        Rows.str(r, "group_state"), (Instant) r.get("included_at")))
                .toList();
    }

    /**
     * Adds the group's late files not yet included to its subband files (inside the caller's transaction): a file
     * whose subband the group already has, or which is gone from disk, is skipped with the reason. Updates the
     * group's subband count and missing subbands (incomplete stays true while any is missing).
     */
    public Inclusion include(String groupId) {
        List<String> included = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        Instant now = Instant.now();
        for (Map<String, Object> f : db.query("SELECT id, subband, path, filename, file_time, size_bytes, received_at "
                + "FROM late_files WHERE group_id = ? AND included_at IS NULL ORDER BY received_at, id", groupId)) {
            String path = (String) f.get("path");
            int subband = ((Number) f.get("subband")).intValue();
            String reason = !Files.isRegularFile(Path.of(path)) ? "file no longer exists"
                    : db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE group_id = ? AND subband = ?", groupId,
                            subband) > 0 ? String.format("the group already has sb%02d", subband) : null;
            if (reason != null) {
                skipped.add(Map.of("path", path, "reason", reason));
                continue;
            }
            db.update("INSERT INTO subband_files (group_id, subband, path, filename, file_time, size_bytes, "
                    + "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", groupId, subband, path, f.get("filename"),
                    f.get("file_time"), f.get("size_bytes"), f.get("received_at"));
            db.update("UPDATE late_files SET included_at = ? WHERE id = ?", now, f.get("id"));
            included.add(path);
        }
        if (!included.isEmpty()) {
            int expected = (int) db.scalarLong("SELECT expected_subbands FROM ingest_groups WHERE group_id = ?",
                    groupId);
            List<Integer> present = db.query("SELECT subband FROM subband_files WHERE group_id = ? ORDER BY subband",
                    groupId).stream().map(r -> ((Number) r.get("subband")).intValue()).toList();
            List<Integer> missing = new ArrayList<>();
            for (int sb = 0; sb < expected; sb++) {
                if (!present.contains(sb)) {
                    missing.add(sb);
                }
            }
            db.update("UPDATE ingest_groups SET subbands_present = ?, incomplete = ?, missing_subbands = ?, "
                    + "last_update = ? WHERE group_id = ?", present.size(), !missing.isEmpty(),
                    missing.isEmpty() ? null : Json.write(missing), now, groupId);
            LOG.info("group {}: {} late file(s) added to its subbands for reprocessing ({} of {} subbands)", groupId,
                    included.size(), present.size(), expected);
        }
        return new Inclusion(included, skipped);
    }
}
