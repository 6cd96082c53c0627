package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.SseChannel;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;

/** Retention of the events table by age and by row count. */
class EventLogTest {

    @Test
    void pruneDropsOldEventsThenAllButTheNewest() {
        var ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        EventBroadcaster broadcaster = new EventBroadcaster(db, new SseChannel(30),
                new StatusReport(db, new SystemProbe()));
        for (int i = 0; i < 6; i++) {
            broadcaster.publish("t" + (i % 2), Map.of("i", i));
        }
        // two events from ten days ago (the broadcaster always stamps "now", so age them here)
        db.update("UPDATE events SET created_at = ? WHERE id IN (SELECT id FROM events ORDER BY id FETCH FIRST 2 ROWS ONLY)",
                Instant.now().minus(Duration.ofDays(10)));
        EventLog log = new EventLog(db, Duration.ofDays(7), 3);
        assertEquals(3, log.prune(), "2 by age, then 1 over the 3-row cap");
        List<EventLog.StoredEvent> left = log.recent(null, null, 100);
        assertEquals(List.of(5, 4, 3), left.stream()
                .map(e -> ((com.fasterxml.jackson.databind.JsonNode) e.data()).path("i").asInt()).toList());
        assertEquals(0, log.prune());
        assertEquals(3L, log.stats().total());
    }
}
