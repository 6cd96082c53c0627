package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP error responses (status ≥ 400) the hub has sent since it started, for the error analytics: counts per
 * hour and status over the last {@value #KEEP_HOURS} hours, and the most recent {@value #RECENT} errors. Kept in
 * memory on purpose: these are the hub's own answers, cheap to count and not worth a write per request; a restart
 * starts the counts afresh (the store-backed sources of the analytics, dead letters and stage failures, persist).
 */
public final class HttpErrorLog {
    static final int KEEP_HOURS = 24 * 61;
    static final int RECENT = 200;

    /** One error response. */
    public record HttpError(long id, int status, String method, String path, Instant timestamp) {
    }

    private final ConcurrentSkipListMap<Long, Map<Integer, LongAdder>> hours = new ConcurrentSkipListMap<>();
    private final Deque<HttpError> recent = new ArrayDeque<>();
    private final AtomicLong ids = new AtomicLong();

    /** Records a response; statuses below 400 are ignored. */
    public void record(int status, String method, String path, Instant at) {
        if (status < 400) {
            return;
        }
        long hour = at.getEpochSecond() / 3600;
        hours.computeIfAbsent(hour, h -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new LongAdder())
                .increment();
        hours.headMap(hour - KEEP_HOURS).clear();
        synchronized (recent) {
            recent.addFirst(new HttpError(ids.incrementAndGet(), status, method, path, at));
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    /** Counts per status of the errors sent in [from, to) (whole hours: the hour holding {@code from} counts). */
    public Map<Integer, Long> countsByStatus(Instant from, Instant to) {
        Map<Integer, Long> out = new TreeMap<>();
        long first = from.getEpochSecond() / 3600;
        long last = (to.getEpochSecond() - 1) / 3600;
        for (Map<Integer, LongAdder> h : hours.subMap(first, true, last, true).values()) {
            h.forEach((status, n) -> out.merge(status, n.sum(), Long::sum));
        }
        return out;
    }

    /** The most recent errors since {@code from}, newest first. */
    public List<HttpError> recent(Instant from, int limit) {
        List<HttpError> out = new ArrayList<>();
        synchronized (recent) {
            for (HttpError e : recent) {
                if (e.timestamp().isBefore(from) || out.size() >= limit) {
                    break;
                }
                out.add(e);
            }
        }
        return out;
    }

    /** Hours of history held (for the analytics' note on coverage). */
    public Duration retention() {
        return Duration.ofHours(KEEP_HOURS);
    }
}
