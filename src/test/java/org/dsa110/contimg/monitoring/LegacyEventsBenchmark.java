package org.dsa110.contimg.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.LegacyEventTypes;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;

/**
 * Benchmark harness (not a unit test; run by bench/dashboard-events.sh): the dashboard's Events page polls
 * /api/events/stream and /api/events/stats every 5 s; both count and filter by the stored {@code legacy_type}.
 * Fills an H2 file store with {@code rows} events of the hub's real mix (stage updates of every status and
 * stage, file ingests, group and pipeline updates, dead-letter and ESE updates), as the broadcaster writes them,
 * then reports the median and p95 latency of stats, the unfiltered stream, a stream filtered by an earlier type
 * and the type list. Arguments: [rows=100000] [passes=20].
 */
public final class LegacyEventsBenchmark {
    private LegacyEventsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("events-bench");
        DataSource ds = TestDatabases.h2File(dir);
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        String[] stages = {"conversion", "calibration_solve", "calibration_apply", "imaging", "photometry",
            "ese_detection", "transient_search", "mosaic", "publishing"};
        String[] statuses = {"running", "completed", "completed", "completed", "failed", "skipped"};
        long t0 = System.nanoTime();
        Instant now = Instant.now();
        db.inTransaction(() -> {
            for (int i = 0; i < rows; i++) {
                String type;
                Map<String, Object> data = new LinkedHashMap<>();
                switch (i % 10) {
                    case 0, 1, 2, 3, 4 -> {
                        type = "stage_update";
                        data.put("execution_id", i / 50);
                        data.put("group_id", "2026-01-15T08:" + (i % 60));
                        data.put("stage", stages[i % stages.length]);
                        data.put("status", statuses[(i / 10) % statuses.length]);
                        data.put("attempt", 1);
                        data.put("error", null);
                    }
                    case 5, 6, 7 -> {
                        type = "file_ingested";
                        data.put("path", "/data/incoming/2026-01-15T08:00:00_sb" + (i % 16) + ".hdf5");
                        data.put("subband", i % 16);
                    }
                    case 8 -> {
                        type = i % 20 == 8 ? "dlq_update" : "ese_update";
                        data.put("status", i % 40 == 8 ? "pending" : "resolved");
                        data.put("action", i % 30 == 8 ? "new" : "status");
                    }
                    default -> {
                        type = "pipeline_update";
                        data.put("execution_id", i / 50);
                        data.put("status", "completed");
                    }
                }
                // as ops.EventBroadcaster stores an event
                db.update("INSERT INTO events (event_type, legacy_type, payload, created_at) VALUES (?, ?, ?, ?)",
                        type, LegacyEventTypes.of(type, data), Json.write(data), now.minusSeconds(rows - i));
            }
            return null;
        });
        System.out.printf(Locale.ROOT, "filled %d events in %.1f s (H2 file, %s)%n", rows,
                (System.nanoTime() - t0) / 1e9, dir);
        LegacyEvents legacy = new LegacyEvents(db);
        time("stats", passes, () -> legacy.stats(Map.of("websocket", 1L, "sse", 0L)));
        time("stream (newest 100)", passes, () -> legacy.recent(null, null, 100));
        time("stream pipeline_stage_failed, 60 min", passes, () -> legacy.recent("pipeline_stage_failed", 60, 100));
        time("stream error_occurred (all)", passes, () -> legacy.recent("error_occurred", null, 100));
        time("types", passes, legacy::types);
    }

    private static void time(String what, int passes, Supplier<Object> work) {
        for (int i = 0; i < 3; i++) {
            work.get(); // warm-up
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < passes; i++) {
            long t = System.nanoTime();
            work.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-40s median %8.1f ms   p95 %8.1f ms%n", what, s[s.length / 2],
                s[Math.min(s.length - 1, (int) Math.ceil(0.95 * s.length) - 1)]);
    }
}
