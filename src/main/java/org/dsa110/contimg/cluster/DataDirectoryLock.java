package org.dsa110.contimg.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One hub per data directory with the embedded database: an exclusive lock on {@code <data>/hub.lock} (an OS file
 * lock, so it is released whenever the process ends, a kill -9 included), holding the owner's pid. A second hub on
 * the same directory learns at once which process has it, instead of failing on H2's own file lock half a minute
 * into its start.
 */
public final class DataDirectoryLock implements AutoCloseable {
    public static final String FILE = "hub.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is in use by another process. */
    public static final class InUse extends Exception {
        public InUse(String message) {
            super(message, null, false, false);
        }
    }

    /** Takes the lock for this process, or fails with "data directory X is in use by pid N". */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException, InUse {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM already (a second hub in one JVM)
        }
        if (l == null) {
            String owner = readOwner(ch);
            ch.close();
            throw new InUse("data directory " + dataDir + " is in use by pid " + owner);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DataDirectoryLock(ch, l);
    }

    private static String readOwner(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "(unknown)" : pid;
    }

    @Override
    public void close() throws IOException {
        if (lock.isValid()) {
            lock.release();
        }
        channel.close();
    }
}
