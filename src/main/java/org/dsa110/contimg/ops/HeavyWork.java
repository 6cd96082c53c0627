package org.dsa110.contimg.ops;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on heavy work (FITS cutouts, mosaic building): at most {@code permits} run at once, whatever started
 * them, so interactive requests keep their threads and CPU.
 *
 * <p>HTTP handlers use {@link #request}: when {@code maxWaiting} callers already wait for a slot, or none frees
 * within {@code waitTimeoutMs}, it throws {@link RejectedExecutionException}, which the API answers with 503
 * {@code SERVICE_BUSY} and {@code Retry-After}. Background work (jobs, pipeline stages) uses {@link #background},
 * which waits as long as it takes.
 */
public final class HeavyWork {
    private final Semaphore slots;
    private final int permits;
    private final int maxWaiting;
    private final long waitTimeoutMs;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    public HeavyWork(int permits, int maxWaiting, long waitTimeoutMs) {
        this.permits = Math.max(1, permits);
        this.maxWaiting = Math.max(0, maxWaiting);
        this.waitTimeoutMs = Math.max(0, waitTimeoutMs);
        this.slots = new Semaphore(this.permits, true);
    }

    /** Runs {@code work} for an HTTP request, or rejects it when the heavy slots are saturated. */
    public <T> T request(Callable<T> work) throws Exception {
        if (!slots.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new RejectedExecutionException("heavy-work slots busy (" + permits + " running, "
                        + maxWaiting + " waiting)");
            }
            boolean got;
            try {
                got = slots.tryAcquire(waitTimeoutMs, TimeUnit.MILLISECONDS);
            } finally {
                waiting.decrementAndGet();
            }
            if (!got) {
                throw new RejectedExecutionException("no heavy-work slot freed within " + waitTimeoutMs + " ms");
            }
        }
        return runHolding(work);
    }

    /** Runs {@code work} for a background job or stage, waiting for a slot as long as it takes. */
    public <T> T background(Callable<T> work) throws Exception {
        slots.acquire();
        return runHolding(work);
    }

    private <T> T runHolding(Callable<T> work) throws Exception {
        running.incrementAndGet();
        try {
            return work.call();
        } finally {
            running.decrementAndGet();
            slots.release();
        }
    }

    public int permits() {
        return permits;
    }

    /** Heavy tasks running now. */
    public int running() {
        return running.get();
    }

    /** HTTP requests waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }
}
