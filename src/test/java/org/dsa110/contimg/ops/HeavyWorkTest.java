package org.dsa110.contimg.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heavy-work bound: slots, rejection of HTTP work when saturated, downloads holding a slot until closed. */
class HeavyWorkTest {
    @TempDir
    Path tmp;

    @Test
    void requestsAreRejectedWhileTheSlotsAreHeldAndAdmittedAfterwards() throws Exception {
        HeavyWork heavy = new HeavyWork(1, 0, 0, 1 << 20);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread background = new Thread(() -> {
            try {
                heavy.background(() -> {
                    started.countDown();
                    release.await();
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        background.start();
        started.await();
        assertEquals(1, heavy.running());
        assertThrows(RejectedExecutionException.class, () -> heavy.request(() -> "x"));
        release.countDown();
        background.join();
        assertEquals(0, heavy.running());
        assertEquals("ok", heavy.request(() -> "ok"));
    }

    @Test
    void aBoundedDownloadHoldsItsSlotUntilClosed() throws Exception {
        HeavyWork heavy = new HeavyWork(1, 0, 0, 0);
        Path f = Files.write(tmp.resolve("a.fits"), new byte[] {1, 2, 3, 4});
        InputStream in = heavy.openBounded(f);
        assertEquals(1, heavy.running());
        assertThrows(RejectedExecutionException.class, () -> heavy.openBounded(f));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, in.readAllBytes());
        in.close();
        in.close(); // a second close releases nothing more
        assertEquals(0, heavy.running());
        try (InputStream again = heavy.openBounded(f)) {
            assertEquals(4, again.readAllBytes().length);
        }
        assertThrows(java.nio.file.NoSuchFileException.class, () -> heavy.openBounded(tmp.resolve("missing")));
        assertEquals(0, heavy.running(), "a failed open releases its slot");
    }
}
