package org.dsa110.contimg.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail (table {@code audit_log}): who did what from where, and what the hub answered. Entries are
 * recorded from the HTTP event loop, so {@link #record} only queues them; one daemon thread writes them in order
 * and, once an hour, deletes entries older than the retention. The queue is bounded: when a flood of requests
 * outruns the database the surplus is counted ({@link #dropped()}) and logged, never allowed to block requests.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int QUEUE = 10_000;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** One audited action. */
    public record Entry(Instant at, String keyName, String role, String remoteAddr, String method, String target,
            int status) {
    }

    /** Filters of {@code GET /api/operations/audit}; nulls match everything. */
    public record Filter(String keyName, String pathPrefix, Instant since, Instant until, int limit, int offset) {
    }

    private final Db db;
    private final int retentionDays;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private Instant lastPrune = Instant.EPOCH;

    public AuditLog(Db db, int retentionDays) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("hub.audit.retention-days must be at least 1");
        }
        this.db = db;
        this.retentionDays = retentionDays;
        this.writer = new Thread(this::drain, "audit-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public int retentionDays() {
        return retentionDays;
    }

    /** Queues an entry (never blocks). */
    public void record(Entry e) {
        if (!queue.offer(clip(e)) && dropped.incrementAndGet() % 1000 == 1) {
            LOG.warn("audit log queue full: {} entries dropped so far", dropped.get());
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /** Waits until every entry queued so far is written (tests, shutdown). */
    public void flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((!queue.isEmpty() || writing) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private volatile boolean writing;

    private void drain() {
        List<Entry> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    writing = true;
                    batch.add(first);
                    queue.drainTo(batch, 499);
                    write(batch);
                    batch.clear();
                    writing = false;
                }
                pruneWhenDue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                writing = false;
                LOG.warn("could not write {} audit entries: {}", batch.size(), e.getMessage());
                batch.clear();
            }
        }
    }

    private void write(List<Entry> batch) {
        db.inTransaction(() -> {
            for (Entry e : batch) {
                db.update("INSERT INTO audit_log (at, key_name, role, remote_addr, method, target, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", e.at(), e.keyName(), e.role(), e.remoteAddr(), e.method(),
                        e.target(), e.status());
            }
        });
    }

    private void pruneWhenDue() {
        Instant now = Instant.now();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        int n = prune(now.minus(Duration.ofDays(retentionDays)));
        if (n > 0) {
            LOG.info("audit log: {} entries older than {} days deleted", n, retentionDays);
        }
    }

    /** Deletes entries older than {@code cutoff}; returns how many. */
    public int prune(Instant cutoff) {
        return db.update("DELETE FROM audit_log WHERE at < ?", cutoff);
    }

    /** A page of entries, newest first, with the total matching the filter. */
    /** One audited call as listed (the stored row). */
    public record AuditEntry(long id, Instant at, String keyName, String role, String remoteAddr, String method,
            String target, int status) {
    }

    /** A page of the audit trail; {@code total} entries match the filter. */
    public record AuditPage(List<AuditEntry> items, long total, int limit, int offset, int retentionDays) {
    }

    public AuditPage list(Filter f) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.keyName() != null) {
            where.append(" AND key_name = ?");
            args.add(f.keyName());
        }
        if (f.pathPrefix() != null) {
            where.append(" AND target LIKE ? ESCAPE '\\'");
            args.add(f.pathPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (f.since() != null) {
            where.append(" AND at >= ?");
            args.add(f.since());
        }
        if (f.until() != null) {
            where.append(" AND at < ?");
            args.add(f.until());
        }
        long total = db.scalarLong("SELECT COUNT(*) FROM audit_log" + where, args.toArray());
        List<Object> page = new ArrayList<>(args);
        page.add(f.offset());
        page.add(f.limit());
        List<AuditEntry> items = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id, at, key_name, role, remote_addr, method, target, status"
                + " FROM audit_log" + where + " ORDER BY at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                page.toArray())) {
            items.add(new AuditEntry(((Number) r.get("id")).longValue(), (Instant) r.get("at"),
                    (String) r.get("key_name"), (String) r.get("role"), (String) r.get("remote_addr"),
                    (String) r.get("method"), (String) r.get("target"), ((Number) r.get("status")).intValue()));
        }
        return new AuditPage(items, total, f.limit(), f.offset(), retentionDays);
    }

    private static Entry clip(Entry e) {
        return new Entry(e.at(), clip(e.keyName(), 64), e.role(), clip(e.remoteAddr(), 64), clip(e.method(), 10),
                clip(e.target(), 2048), e.status());
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
