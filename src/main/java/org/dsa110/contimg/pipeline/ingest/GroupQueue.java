package org.dsa110.contimg.pipeline.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;

/** Reading one group in full (GroupDetail) and sending a finished group back to the queue (reprocess). */
public final class GroupQueue {
    /** Why a reprocess request was refused. */
    public static final class NotReprocessable extends RuntimeException {
        private final String state;

        NotReprocessable(String groupId, String state) {
            super("group " + groupId + " is " + state + "; only completed or failed groups can be reprocessed");
            this.state = state;
        }

        public String state() {
            return state;
        }
    }

    private final Db db;
    private final GroupStore groups;
    private final GroupStates states;
    private final GroupEvents events;
    private final LateFiles lateFiles;

    public GroupQueue(Db db, GroupStore groups, GroupEvents events) {
        this.db = db;
        this.groups = groups;
        this.states = new GroupStates(db);
        this.events = events;
        this.lateFiles = new LateFiles(db, events);
    }

    /**
     * GroupDetail plus the group's files, missing subbands, claim and state history, with seed 001's names beside
     * (created_at = received_at). {@code matches} is null when the group was not found to hold a calibrator;
     * {@code has_calibrator} null until it was checked.
     */
    public record GroupDetail(String groupId, String state, Instant receivedAt, Instant lastUpdate, int subbandsPresent,
            int expectedSubbands, Boolean hasCalibrator, List<GroupCalibratorMatch> matches, List<QaArtifact> qa,
            Double perfTotalTime, String writerType, Instant createdAt, Instant completedAt, Instant startedAt,
            Double pointingDecDeg, boolean incomplete, List<Integer> missingSubbands, int attempts, String claimedBy,
            Instant claimedAt, String error, List<GroupStore.SubbandFile> subbands,
            List<LateFiles.LateFile> lateFiles, List<GroupStore.GroupStateChange> history) {
    }

    /** A calibrator matched in the group's fields (CalibratorMatch), best first: weighted_flux = pb × flux. */
    public record GroupCalibratorMatch(String name, double raDeg, double decDeg, double sepDeg, Double weightedFlux) {
    }

    /** A QA plot or thumbnail of the group (QAArtifact). */
    public record QaArtifact(String groupId, String name, String path, Instant createdAt) {
    }

    /** The group in full; empty when unknown. */
    public Optional<GroupDetail> detail(String groupId) {
        return groups.group(groupId).map(g -> {
            List<GroupCalibratorMatch> matches = db.query("SELECT name, ra_deg, dec_deg, sep_deg, weighted_flux "
                    + "FROM group_calibrator_matches WHERE group_id = ? ORDER BY match_rank", groupId).stream()
                    .map(r -> new GroupCalibratorMatch(Rows.str(r, "name"), Rows.dbl(r, "ra_deg"),
                            Rows.dbl(r, "dec_deg"), Rows.dbl(r, "sep_deg"), Rows.dbl(r, "weighted_flux")))
                    .toList();
            Boolean hasCalibrator = (Boolean) g.get("has_calibrator");
            List<QaArtifact> qa = db.query("SELECT group_id, name, path, created_at FROM qa_artifacts "
                    + "WHERE group_id = ? ORDER BY created_at, name", groupId).stream()
                    .map(r -> new QaArtifact(Rows.str(r, "group_id"), Rows.str(r, "name"), Rows.str(r, "path"),
                            (Instant) r.get("created_at")))
                    .toList();
            return new GroupDetail(groupId, Rows.str(g, "state"), (Instant) g.get("received_at"),
                    (Instant) g.get("last_update"), Rows.integer(g, "subbands_present"),
                    Rows.integer(g, "expected_subbands"), hasCalibrator,
                    matches.isEmpty() && !Boolean.TRUE.equals(hasCalibrator) ? null : matches, qa,
                    Rows.dbl(g, "perf_total_time"), Rows.str(g, "writer_type"), (Instant) g.get("received_at"),
                    (Instant) g.get("completed_at"), (Instant) g.get("started_at"), Rows.dbl(g, "pointing_dec_deg"),
                    Rows.bool(g, "incomplete"), missingSubbands(Rows.str(g, "missing_subbands")),
                    Rows.integer(g, "attempts"), Rows.str(g, "claimed_by"), (Instant) g.get("claimed_at"),
                    Rows.str(g, "error"), groups.files(groupId), lateFiles.list(groupId), groups.history(groupId));
        });
    }

    /** The stored JSON array of missing subband numbers; empty when none or unreadable. */
    private static List<Integer> missingSubbands(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<Integer>>() { });
        } catch (Exception e) {
            return List.of();
        }
    }

    /** {@link #reprocess(String, boolean)} without the late files. */
    /** A group sent back to pending, with the late files added to (or skipped from) its subbands. */
    public record Reprocessed(boolean ok, String groupId, String previousState, String state,
            List<String> lateFilesIncluded, List<Map<String, Object>> lateFilesSkipped) {
    }

    public Optional<Reprocessed> reprocess(String groupId) {
        return reprocess(groupId, false);
    }

    /**
     * Puts a completed or failed group back to pending (attempts are kept, so the history of tries survives); with
     * {@code includeLateFiles} its late files are first added to its subbands ({@link LateFiles#include}), in the
     * same transaction. Empty when the group does not exist; {@link NotReprocessable} when it is not finished.
     */
    public Optional<Reprocessed> reprocess(String groupId, boolean includeLateFiles) {
        Optional<String> state = groups.state(groupId);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        String from = state.get();
        if (!GroupStates.COMPLETED.equals(from) && !GroupStates.FAILED.equals(from)) {
            throw new NotReprocessable(groupId, from);
        }
        LateFiles.Inclusion late = db.inTransaction(() -> {
            LateFiles.Inclusion done = includeLateFiles ? lateFiles.include(groupId)
                    : new LateFiles.Inclusion(List.of(), List.of());
            if (!states.transition(groupId, from, GroupStates.PENDING, null)) {
                // moved by someone else between the read and the update (the transaction rolls the files back)
                throw new NotReprocessable(groupId, groups.state(groupId).orElse("gone"));
            }
            return done;
        });
        events.stateChanged(groupId, from, GroupStates.PENDING, Map.of("reason", "reprocess",
                "late_files_included", late.included().size()));
        return Optional.of(new Reprocessed(true, groupId, from, GroupStates.PENDING, late.included(),
                late.skipped()));
    }
}
