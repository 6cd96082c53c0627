package org.dsa110.contimg.pipeline.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;

/**
 * Releases groups that stopped receiving files (science.md decision: the earlier pipeline left them collecting
 * forever). After {@code timeout} without a new file, a group with at least {@code minSubbands} subbands goes to
 * pending with the missing subbands recorded (incomplete, missing_subbands); one with fewer fails and becomes a
 * DLQ item with reason {@code incomplete_group}.
 */
public final class StaleGroupSweep {
    private final Db db;
    private final GroupStore groups;
    private final GroupStates states;
    private final IngestDeadLetters deadLetters;
    private final GroupEvents events;
    private final Duration timeout;
    private final int minSubbands;

    public StaleGroupSweep(Db db, GroupStore groups, IngestDeadLetters deadLetters, GroupEvents events,
            Duration timeout, int minSubbands) {
        this.db = db;
        this.groups = groups;
        this.states = new GroupStates(db);
        this.deadLetters = deadLetters;
        this.events = events;
        this.timeout = timeout;
        this.minSubbands = minSubbands;
    }

    /** One sweep; returns what it did: {@code released} and {@code failed} group ids and the settings used. */
    public Map<String, Object> sweep() {
        List<String> released = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map<String, Object> g : groups.staleCollecting(Instant.now().minus(timeout))) {
            String id = (String) g.get("group_id");
            int expected = ((Number) g.get("expected_subbands")).intValue();
            List<Integer> present = groups.presentSubbands(id);
            if (present.size() >= Math.min(minSubbands, expected)) {
                List<Integer> missing = new ArrayList<>();
                for (int sb = 0; sb < expected; sb++) {
                    if (!present.contains(sb)) {
                        missing.add(sb);
                    }
                }
                boolean moved = db.inTransaction(() -> {
                    groups.markIncomplete(id, Json.write(missing));
                    return states.transition(id, GroupStates.COLLECTING, GroupStates.PENDING, null);
                });
                if (moved) {
                    released.add(id);
                    events.stateChanged(id, GroupStates.COLLECTING, GroupStates.PENDING,
                            Map.of("incomplete", true, "missing_subbands", missing));
                }
            } else {
                String reason = String.format("incomplete_group: %d of %d subbands after %d min without new files "
                        + "(minimum %d)", present.size(), expected, timeout.toMinutes(), minSubbands);
                if (states.transition(id, GroupStates.COLLECTING, GroupStates.FAILED, reason)) {
                    deadLetters.groupIncomplete(id, present.size(), expected, reason);
                    failed.add(id);
                    events.stateChanged(id, GroupStates.COLLECTING, GroupStates.FAILED, Map.of("error", reason));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("released", released);
        out.put("failed", failed);
        out.put("timeout_minutes", timeout.toSeconds() / 60.0);
        out.put("min_subbands", minSubbands);
        return out;
    }
}
