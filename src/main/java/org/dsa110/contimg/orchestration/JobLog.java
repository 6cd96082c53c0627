package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's log: one {@code job_log_lines} row per line (so {@code Job.logs} and SSE replay survive restarts) plus
 * live listeners, which is how {@code GET /api/jobs/id/{id}/logs} streams lines while the job runs.
 */
public final class JobLog {
    private static final Logger LOG = LoggerFactory.getLogger(JobLog.class);
    static final int MAX_LINE = 15_000;

    /** One stored line. */
    public record Line(long jobId, int seq, Instant ts, String stream, String line) {
    }

    /** Hears new lines and the end of a job (its final status). */
    public interface Listener {
        void line(Line line);

        void finished(String status);
    }

    private final Db db;
    private final Map<Long, AtomicInteger> nextSeq = new ConcurrentHashMap<>();
    private final Map<Long, Set<Listener>> listeners = new ConcurrentHashMap<>();

    public JobLog(Db db) {
        this.db = db;
    }

    /** Appends one line (stream {@code stdout} unless {@code stderr}); a line too long for the store is cut. */
    public void append(long jobId, String stream, String line) {
        String s = "stderr".equals(stream) ? "stderr" : "stdout";
        String text = line == null ? "" : line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " ..." : line;
        Line stored = null;
        while (stored == null) {
            // finished() may retire the job's counter at any moment: a line that finds its counter retired takes
            // the current one (a late "task cancelled" line after the job ended starts one from the store)
            AtomicInteger counter = seqCounter(jobId);
            synchronized (counter) {
                if (nextSeq.get(jobId) != counter) {
                    continue;
                }
                int seq = counter.getAndIncrement();
                Instant ts = Instant.now();
                try {
                    db.update("INSERT INTO job_log_lines (job_id, seq, ts, stream, line) VALUES (?, ?, ?, ?, ?)",
                            jobId, seq, ts, s, text);
                } catch (StoreException e) {
                    // the job may have been deleted; a lost log line must not fail the work producing it
                    LOG.warn("log line of job {} not stored: {}", jobId, e.getMessage());
                    nextSeq.remove(jobId, counter);
                    return;
                }
                stored = new Line(jobId, seq, ts, s, text);
            }
        }
        for (Listener l : listeners.getOrDefault(jobId, Set.of())) {
            l.line(stored);
        }
    }

    /** A sink writing into this job's log. */
    public LogSink sink(long jobId) {
        return (stream, line) -> append(jobId, stream, line);
    }

    private AtomicInteger seqCounter(long jobId) {
        return nextSeq.computeIfAbsent(jobId, id -> new AtomicInteger(
                (int) db.scalarLong("SELECT COALESCE(MAX(seq) + 1, 0) FROM job_log_lines WHERE job_id = ?", id)));
    }

    /** Stored lines with {@code seq >= fromSeq}, in order. */
    public List<Line> lines(long jobId, int fromSeq) {
        return db.query("SELECT seq, ts, stream, line FROM job_log_lines WHERE job_id = ? AND seq >= ? ORDER BY seq",
                jobId, fromSeq).stream().map(r -> new Line(jobId, ((Number) r.get("seq")).intValue(),
                        (Instant) r.get("ts"), (String) r.get("stream"), (String) r.get("line"))).toList();
    }

    /** The whole log as text ({@code Job.logs}); null when the job wrote nothing. */
    public String text(long jobId) {
        List<Line> all = lines(jobId, 0);
        if (all.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        all.forEach(l -> sb.append(l.line()).append('\n'));
        return sb.toString();
    }

    public void addListener(long jobId, Listener l) {
        listeners.computeIfAbsent(jobId, id -> new CopyOnWriteArraySet<>()).add(l);
    }

    public void removeListener(long jobId, Listener l) {
        Set<Listener> set = listeners.get(jobId);
        if (set != null) {
            set.remove(l);
            if (set.isEmpty()) {
                listeners.remove(jobId, set);
            }
        }
    }

    /** Tells the job's listeners it reached a final status (SSE streams end). */
    public void finished(long jobId, String status) {
        AtomicInteger counter = nextSeq.get(jobId);
        if (counter != null) {
            synchronized (counter) { // after a line being written; a later line starts a fresh counter
                nextSeq.remove(jobId, counter);
            }
        }
        for (Listener l : listeners.getOrDefault(jobId, Set.of())) {
            l.finished(status);
        }
    }

    public int listenerCount(long jobId) {
        return listeners.getOrDefault(jobId, Set.of()).size();
    }
}
