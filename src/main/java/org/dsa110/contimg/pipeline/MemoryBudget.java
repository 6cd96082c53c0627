package org.dsa110.contimg.pipeline;

import java.util.concurrent.TimeUnit;

/**
 * The share of the Java heap the heavy stages (conversion, calibration solve, imaging) may hold at once
 * ({@code hub.memory.heavy-fraction} of {@code -Xmx}). A stage estimates what it needs from the group's shape before
 * it allocates, then reserves it: more than the whole budget fails at once with {@value #INSUFFICIENT_MEMORY}
 * (permanent: only an operator's change of {@code -Xmx} or the image size helps), and more than what is free now
 * waits for the other heavy stages to finish (up to {@code hub.memory.wait-seconds}, then a transient
 * {@code memory_busy} failure that is redelivered). So two large groups run one after the other instead of both
 * running the JVM out of heap.
 */
public final class MemoryBudget {
    public static final String INSUFFICIENT_MEMORY = "insufficient_memory";
    private static final long MB = 1024 * 1024;

    private final long total;
    private final long waitMillis;
    private final boolean enabled;
    private long reserved;

    public MemoryBudget(long totalBytes, long waitMillis, boolean enabled) {
        this.total = totalBytes;
        this.waitMillis = waitMillis;
        this.enabled = enabled;
    }

    /** {@code fraction} of this JVM's maximum heap. */
    public static MemoryBudget ofHeap(double fraction, long waitSeconds, boolean enabled) {
        return new MemoryBudget((long) (Runtime.getRuntime().maxMemory() * fraction),
                TimeUnit.SECONDS.toMillis(waitSeconds), enabled);
    }

    public long totalBytes() {
        return total;
    }

    public boolean enabled() {
        return enabled;
    }

    /** True when {@code bytes} fits the whole budget (perhaps after waiting for other stages). */
    public boolean fits(long bytes) {
        return !enabled || bytes <= total;
    }

    /**
     * Reserves {@code bytes} for {@code what}, waiting while other stages hold too much; close the reservation when
     * the stage's memory is released.
     */
    public Reservation reserve(String what, long bytes) throws InterruptedException {
        if (!enabled) {
            return new Reservation(0);
        }
        if (bytes > total) {
            throw new PermanentStageException(INSUFFICIENT_MEMORY, INSUFFICIENT_MEMORY + ": " + what + " needs about "
                    + bytes / MB + " MB of Java heap and the heavy-work budget is " + total / MB + " MB (-Xmx "
                    + Runtime.getRuntime().maxMemory() / MB + " MB x hub.memory.heavy-fraction); raise -Xmx or "
                    + "lower the stage's size (docs/operations.md, \"Memory\")");
        }
        long deadline = System.currentTimeMillis() + waitMillis;
        synchronized (this) {
            while (reserved + bytes > total) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new StageException("memory_busy", what + " waited " + waitMillis / 1000 + " s for "
                            + bytes / MB + " MB of the heavy-work budget (" + (total - reserved) / MB + " MB free)");
                }
                wait(left);
            }
            reserved += bytes;
        }
        return new Reservation(bytes);
    }

    /** Bytes reserved now (for tests and status). */
    public synchronized long reservedBytes() {
        return reserved;
    }

    private synchronized void release(long bytes) {
        reserved -= bytes;
        notifyAll();
    }

    /** Memory a stage holds; released once. */
    public final class Reservation implements AutoCloseable {
        private long bytes;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            long b;
            synchronized (this) {
                b = bytes;
                bytes = 0;
            }
            if (b > 0) {
                release(b);
            }
        }
    }
}
