package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/**
 * Queue health from group_state_history (store.GroupStates records every transition with its time): current
 * depth per state, transitions, completion and failure rates, time from a group's first recorded state to
 * completion, and the depth of each state over the window reconstructed by replaying the transitions.
 */
public final class QueueHealth {
    public static final List<String> STATES = List.of("collecting", "pending", "in_progress", "completed", "failed");
    /** States a group waits or works in: the queue's depth. */
    public static final List<String> QUEUED = List.of("collecting", "pending", "in_progress");

    private final Db db;

    public QueueHealth(Db db) {
        this.db = db;
    }

    public Map<String, Long> currentDepth() {
        Map<String, Long> m = new LinkedHashMap<>();
        STATES.forEach(s -> m.put(s, 0L));
        for (Map<String, Object> r : db.query("SELECT state, COUNT(*) AS n FROM ingest_groups GROUP BY state")) {
            m.put((String) r.get("state"), ((Number) r.get("n")).longValue());
        }
        return m;
    }

    /** Transitions of the window, oldest first. */
    public List<Map<String, Object>> transitions(TimeWindow w) {
        return db.query("SELECT group_id, from_state, to_state, changed_at FROM group_state_history "
                + "WHERE changed_at >= ? AND changed_at <= ? ORDER BY changed_at, id", w.start(), w.end());
    }

    /** How many groups went from one state to another; a creation has from_state null. */
    public record TransitionCount(String fromState, String toState, long count) {
    }

    /** Groups created, completed and failed in the window, completions per hour and the failed fraction. */
    public record Processing(long created, long completed, long failed, Double completedPerHour,
            Double failureRate) {
    }

    /** Seconds from a group's first recorded state to its completion, over the completions of the window. */
    public record TimeToCompletion(int groups, Double meanSec, Double medianSec, Double p95Sec, Double maxSec) {
    }

    /**
     * The /api/queue-health/metrics body. {@code current_depth} has one count per state (every known state, and
     * any other a group is in).
     */
    public record QueueHealthReport(int hours, Instant windowStart, Instant windowEnd, Map<String, Long> currentDepth,
            long queueDepth, Processing processing, TimeToCompletion timeToCompletion,
            List<TransitionCount> transitions, Double oldestPendingAgeSec) {
    }

    /** Counts per (from, to) in the window, most frequent first. */
    public List<TransitionCount> transitionCounts(TimeWindow w) {
        return db.query("SELECT from_state, to_state, COUNT(*) AS count FROM group_state_history "
                + "WHERE changed_at >= ? AND changed_at <= ? GROUP BY from_state, to_state "
                + "ORDER BY count DESC, to_state", w.start(), w.end()).stream()
                .map(r -> new TransitionCount((String) r.get("from_state"), (String) r.get("to_state"),
                        ((Number) r.get("count")).longValue())).toList();
    }

    /** Seconds from each group's first recorded state to its completion, for completions in the window. */
    public double[] timesToCompletion(TimeWindow w) {
        return db.query("SELECT h.changed_at AS done, (SELECT MIN(s.changed_at) FROM group_state_history s "
                + "WHERE s.group_id = h.group_id) AS first_seen FROM group_state_history h "
                + "WHERE h.to_state = 'completed' AND h.changed_at >= ? AND h.changed_at <= ?", w.start(), w.end())
                .stream().mapToDouble(r -> Duration.between((Instant) r.get("first_seen"), (Instant) r.get("done"))
                        .toMillis() / 1000.0).toArray();
    }

    /** Groups reaching {@code state} per bin. */
    public double[] arrivalsPerBin(TimeWindow w, List<Map<String, Object>> transitions, String state) {
        double[] counts = new double[w.binCount()];
        for (Map<String, Object> t : transitions) {
            int bin = w.binOf((Instant) t.get("changed_at"));
            if (state.equals(t.get("to_state")) && bin >= 0) {
                counts[bin]++;
            }
        }
        return counts;
    }

    /**
     * Depth of each queued state at the end of every bin: the states groups were in at the window's start (the
     * last transition before it), then the window's transitions replayed in order. A transition out of a state
     * with no recorded entry (a group created without a history row) does not take the count below zero.
     */
    public Map<String, double[]> depthPerBin(TimeWindow w, List<Map<String, Object>> transitions) {
        Map<String, Long> depth = new LinkedHashMap<>();
        STATES.forEach(s -> depth.put(s, 0L));
        for (Map<String, Object> r : db.query("SELECT h.to_state, COUNT(*) AS n FROM group_state_history h "
                + "WHERE h.changed_at < ? AND NOT EXISTS (SELECT 1 FROM group_state_history l "
                + "WHERE l.group_id = h.group_id AND l.changed_at < ? AND (l.changed_at > h.changed_at "
                + "OR (l.changed_at = h.changed_at AND l.id > h.id))) GROUP BY h.to_state", w.start(), w.start())) {
            depth.put((String) r.get("to_state"), ((Number) r.get("n")).longValue());
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        QUEUED.forEach(s -> out.put(s, new double[w.binCount()]));
        int next = 0;
        for (int bin = 0; bin < w.binCount(); bin++) {
            Instant binEnd = w.start().plus(w.bin().multipliedBy(bin + 1L));
            while (next < transitions.size() && !((Instant) transitions.get(next).get("changed_at")).isAfter(binEnd)) {
                Map<String, Object> t = transitions.get(next++);
                String from = (String) t.get("from_state");
                if (from != null) {
                    depth.merge(from, -1L, (a, b) -> Math.max(0, a + b));
                }
                depth.merge((String) t.get("to_state"), 1L, Long::sum);
            }
            for (String s : QUEUED) {
                out.get(s)[bin] = depth.get(s);
            }
        }
        return out;
    }

    public QueueHealthReport metrics(int hours) {
        TimeWindow w = TimeWindow.lastHours(hours);
        List<Map<String, Object>> transitions = transitions(w);
        Map<String, Long> depth = currentDepth();
        long completed = transitions.stream().filter(t -> "completed".equals(t.get("to_state"))).count();
        long failed = transitions.stream().filter(t -> "failed".equals(t.get("to_state"))).count();
        long created = transitions.stream().filter(t -> t.get("from_state") == null).count();
        Processing processing = new Processing(created, completed, failed, TimeWindow.round3(completed / w.hours()),
                completed + failed == 0 ? null : TimeWindow.round3((double) failed / (completed + failed)));
        double[] ttc = timesToCompletion(w);
        TimeToCompletion time = new TimeToCompletion(ttc.length,
                ttc.length == 0 ? null : TimeWindow.round3(TimeWindow.mean(ttc)),
                TimeWindow.round3(TimeWindow.quantile(ttc, 0.5)), TimeWindow.round3(TimeWindow.quantile(ttc, 0.95)),
                TimeWindow.round3(TimeWindow.quantile(ttc, 1.0)));
        Object oldest = db.one("SELECT MIN(last_update) AS t FROM ingest_groups WHERE state = 'pending'")
                .map(r -> r.get("t")).orElse(null);
        return new QueueHealthReport(hours, w.start(), w.end(), depth, QUEUED.stream().mapToLong(depth::get).sum(),
                processing, time, transitionCounts(w),
                oldest instanceof Instant t ? Duration.between(t, Instant.now()).toMillis() / 1000.0 : null);
    }

    /** A cheap stamp that changes with every recorded transition (for plot cache keys). */
    public String dataVersion() {
        return db.one("SELECT COUNT(*) AS n, MAX(id) AS id FROM group_state_history")
                .map(r -> r.get("n") + ":" + r.get("id")).orElse("0");
    }

    static List<Instant> binEnds(TimeWindow w) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < w.binCount(); i++) {
            out.add(w.start().plus(w.bin().multipliedBy(i + 1L)));
        }
        return out;
    }
}
