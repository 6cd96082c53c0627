package org.dsa110.contimg.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's answer to an {@link OutOfMemoryError}: log one line and exit with status {@value #EXIT_STATUS}, so the
 * service manager starts a fresh JVM (the work is resumed there). Retrying in the same JVM is never safe: an
 * allocation may have failed on any thread, leaving caches, pools and Camel's own state half-updated. The exit runs
 * the shutdown hooks (the store pool closes cleanly) but is forced after {@value #GRACE_SECONDS} s.
 */
public final class OutOfMemoryExit {
    public static final String OUT_OF_MEMORY = "out_of_memory";
    public static final int EXIT_STATUS = 3;
    static final int GRACE_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(OutOfMemoryExit.class);
    private static final AtomicBoolean EXITING = new AtomicBoolean();

    private OutOfMemoryExit() {
    }

    /** Installs the JVM-wide default: an OutOfMemoryError that no one caught ends the hub the same way. */
    public static void installDefaultHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof OutOfMemoryError oom) {
                exit("thread " + t.getName(), oom);
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                LOG.error("uncaught exception on thread {}", t.getName(), e);
            }
        });
    }

    /**
     * Logs the error and exits the JVM; the calling thread then waits for the exit (it must not carry on in this
     * JVM). Only the first call acts.
     */
    public static void exit(String where, OutOfMemoryError e) {
        if (EXITING.compareAndSet(false, true)) {
            long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
            LOG.error("out of memory in {} (Java heap max {} MB: {}); the hub exits with status {} so that its "
                    + "service manager restarts it; raise -Xmx or cap the image size (docs/operations.md, "
                    + "\"Memory\")", where, maxMb, e.getMessage(), EXIT_STATUS);
            Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "hub-oom-exit");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(GRACE_SECONDS * 1000L);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(EXIT_STATUS);
            }, "hub-oom-halt");
            halt.setDaemon(true);
            halt.start();
            exit.start();
        }
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                // shutting down: keep waiting for the exit
            }
        }
    }
}
