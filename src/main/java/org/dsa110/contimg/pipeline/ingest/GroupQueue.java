package org.dsa110.contimg.pipeline.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
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

    /** GroupDetail plus the group's files, missing subbands, claim and state history; empty when unknown. */
    public Optional<Map<String, Object>> detail(String groupId) {
        return groups.group(groupId).map(g -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("group_id", g.get("group_id"));
            d.put("state", g.get("state"));
            d.put("received_at", g.get("received_at"));
            d.put("last_update", g.get("last_update"));
            d.put("subbands_present", g.get("subbands_present"));
            d.put("expected_subbands", g.get("expected_subbands"));
            d.put("has_calibrator", g.get("has_calibrator"));
            List<Map<String, Object>> matches = db.query("SELECT name, ra_deg, dec_deg, sep_deg, weighted_flux "
                    + "FROM group_calibrator_matches WHERE group_id = ? ORDER BY match_rank", groupId);
            d.put("matches", matches.isEmpty() && !Boolean.TRUE.equals(g.get("has_calibrator")) ? null : matches);
            d.put("qa", db.query("SELECT group_id, name, path, created_at FROM qa_artifacts WHERE group_id = ? "
                    + "ORDER BY created_at, name", groupId));
            d.put("perf_total_time", g.get("perf_total_time"));
            d.put("writer_type", g.get("writer_type"));
            // seed 001 names
            d.put("created_at", g.get("received_at"));
            d.put("completed_at", g.get("completed_at"));
            d.put("started_at", g.get("started_at"));
            d.put("pointing_dec_deg", g.get("pointing_dec_deg"));
            d.put("incomplete", g.get("incomplete"));
            d.put("missing_subbands", g.get("missing_subbands") == null ? List.of()
                    : Json.MAPPER.convertValue(readTree((String) g.get("missing_subbands")), List.class));
            d.put("attempts", g.get("attempts"));
            d.put("claimed_by", g.get("claimed_by"));
            d.put("claimed_at", g.get("claimed_at"));
            d.put("error", g.get("error"));
            d.put("subbands", groups.files(groupId));
            d.put("late_files", lateFiles.list(groupId));
            d.put("history", groups.history(groupId));
            return d;
        });
    }

    private static Object readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
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
