package org.dsa110.contimg.ops;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on heavy work (FITS downloads and cutouts, mosaic building): at most {@code permits} run at once,
 * whatever started them, so interactive requests keep their threads, disk and CPU.
 *
 * <p>HTTP handlers use {@link #request} / {@link #openBounded}: when {@code maxWaiting} callers already wait for a
 * slot, or none frees within {@code waitTimeoutMs}, they throw {@link RejectedExecutionException}, which the API
 * answers with 503 {@code SERVICE_BUSY} and {@code Retry-After}. Background work (jobs, pipeline stages) uses
 * {@link #background}, which waits as long as it takes.
 */
public final class HeavyWork {
    private final Semaphore slots;
    private final int permits;
    private final int maxWaiting;
    private final long waitTimeoutMs;
    private final long bufferMaxBytes;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param bufferMaxBytes downloads up to this size are read into memory (sent with a Content-Length), larger
     *                       ones are streamed
     */
    public HeavyWork(int permits, int maxWaiting, long waitTimeoutMs, long bufferMaxBytes) {
        this.bufferMaxBytes = Math.max(0, bufferMaxBytes);
        this.permits = Math.max(1, permits);
        this.maxWaiting = Math.max(0, maxWaiting);
        this.waitTimeoutMs = Math.max(0, waitTimeoutMs);
        this.slots = new Semaphore(this.permits, true);
    }

    /** Runs {@code work} for an HTTP request, or rejects it when the heavy slots are saturated. */
    public <T> T request(Callable<T> work) throws Exception {
        acquireForRequest();
        return runHolding(work);
    }

    /** Runs {@code work} for a background job or stage, waiting for a slot as long as it takes. */
    public <T> T background(Callable<T> work) throws Exception {
        slots.acquire();
        return runHolding(work);
    }

    /**
     * Opens {@code file} for a download that holds a slot until the stream is closed (the HTTP layer closes it
     * once the response is sent or the client has gone); rejected like {@link #request} when busy.
     */
    public InputStream openBounded(Path file) throws IOException {
        acquireForRequest();
        running.incrementAndGet();
        try {
            return new FilterInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                private final AtomicBoolean closed = new AtomicBoolean();

                @Override
                public void close() throws IOException {
                    if (closed.compareAndSet(false, true)) {
                        try {
                            super.close();
                        } finally {
                            release();
                        }
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private void acquireForRequest() {
        if (slots.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw new RejectedExecutionException("heavy-work slots busy (" + permits + " running, " + maxWaiting
                    + " waiting)");
        }
        boolean got;
        try {
            got = slots.tryAcquire(waitTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a heavy-work slot");
        } finally {
            waiting.decrementAndGet();
        }
        if (!got) {
            throw new RejectedExecutionException("no heavy-work slot freed within " + waitTimeoutMs + " ms");
        }
    }

    private <T> T runHolding(Callable<T> work) throws Exception {
        running.incrementAndGet();
        try {
            return work.call();
        } finally {
            release();
        }
    }

    private void release() {
        running.decrementAndGet();
        slots.release();
    }

    public long bufferMaxBytes() {
        return bufferMaxBytes;
    }

    public int permits() {
        return permits;
    }

    /** Heavy work holding a slot now (downloads in flight included). */
    public int running() {
        return running.get();
    }

    /** HTTP requests waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }
}
