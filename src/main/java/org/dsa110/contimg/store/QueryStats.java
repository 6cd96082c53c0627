package org.dsa110.contimg.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the statements {@link Db} runs and those slower than a threshold ({@code hub.db.slow-query-ms}). A
 * statement's time is measured around its execution on an already obtained connection, so waiting for the pool
 * is not counted as a slow query. Thread-safe and lock-free.
 */
public final class QueryStats {
    private final LongAdder statements = new LongAdder();
    private final LongAdder slow = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private volatile long slowThresholdNanos = 500_000_000L;

    public void setSlowThresholdMillis(long millis) {
        slowThresholdNanos = Math.max(0, millis) * 1_000_000L;
    }

    public long slowThresholdMillis() {
        return slowThresholdNanos / 1_000_000L;
    }

    void record(long nanos) {
        statements.increment();
        totalNanos.add(nanos);
        if (nanos >= slowThresholdNanos) {
            slow.increment();
        }
    }

    public long statements() {
        return statements.sum();
    }

    public long slowStatements() {
        return slow.sum();
    }

    /** Mean statement time in milliseconds since start (0 before the first statement). */
    public double meanMillis() {
        long n = statements.sum();
        return n == 0 ? 0.0 : totalNanos.sum() / 1e6 / n;
    }
}
