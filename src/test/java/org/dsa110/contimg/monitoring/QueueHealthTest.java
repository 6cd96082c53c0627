package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;

/** Replaying the state history into queue depth per bin. */
class QueueHealthTest {

    @Test
    void depthStartsFromTheStatesBeforeTheWindowAndReplaysTransitions() {
        var ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        GroupStates states = new GroupStates(db);
        Instant now = Instant.now();
        for (String g : List.of("2030-01-01T00:00:00", "2030-01-01T00:05:00", "2030-01-01T00:10:00")) {
            db.update("INSERT INTO ingest_groups (group_id, group_time, state) VALUES (?, ?, 'collecting')", g, now);
        }
        // g0 became pending two days ago (before a 24 h window), with an older creation row
        history(db, "2030-01-01T00:00:00", null, "collecting", now.minus(Duration.ofDays(3)));
        history(db, "2030-01-01T00:00:00", "collecting", "pending", now.minus(Duration.ofDays(2)));
        db.update("UPDATE ingest_groups SET state = 'pending' WHERE group_id = '2030-01-01T00:00:00'");
        // now, inside the window: g1 created and moved to pending; g0 starts and completes; g2 created
        states.created("2030-01-01T00:05:00", "collecting");
        states.transition("2030-01-01T00:05:00", "collecting", "pending", null);
        states.transition("2030-01-01T00:00:00", "pending", "in_progress", null);
        states.transition("2030-01-01T00:00:00", "in_progress", "completed", null);
        states.created("2030-01-01T00:10:00", "collecting");

        QueueHealth q = new QueueHealth(db);
        TimeWindow w = TimeWindow.lastHours(24);
        List<Map<String, Object>> t = q.transitions(w);
        assertEquals(5, t.size());
        Map<String, double[]> depth = q.depthPerBin(w, t);
        int last = w.binCount() - 1;
        // before the window's transitions: g0 pending only
        assertEquals(1.0, depth.get("pending")[0]);
        assertEquals(0.0, depth.get("collecting")[0]);
        // at the end: g1 pending, g2 collecting, nothing in progress
        assertEquals(1.0, depth.get("pending")[last]);
        assertEquals(1.0, depth.get("collecting")[last]);
        assertEquals(0.0, depth.get("in_progress")[last]);
        double[] completions = q.arrivalsPerBin(w, t, "completed");
        assertEquals(1.0, java.util.Arrays.stream(completions).sum());
        // g0's time to completion counts from its first recorded state, three days ago
        double[] ttc = q.timesToCompletion(w);
        assertEquals(1, ttc.length);
        assertEquals(3 * 86400.0, ttc[0], 60.0);
        QueueHealth.QueueHealthReport m = q.metrics(24);
        assertEquals(1L, m.processing().completed());
        assertEquals(2L, m.processing().created());
        assertArrayEquals(new double[] {0.5, 1.0}, new double[] {TimeWindow.quantile(new double[] {0, 1}, 0.5),
            TimeWindow.quantile(new double[] {0, 1}, 1.0)});
    }

    private static void history(Db db, String group, String from, String to, Instant at) {
        db.update("INSERT INTO group_state_history (group_id, from_state, to_state, changed_at) VALUES (?, ?, ?, ?)",
                group, from, to, at);
    }
}
