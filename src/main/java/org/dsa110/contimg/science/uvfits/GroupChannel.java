package org.dsa110.contimg.science.uvfits;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Bulk transfer of random-groups rows (big-endian float32, FITS) between a {@link FileChannel} and the caller's
 * arrays: rows are encoded or decoded in parallel into/out of two large direct buffers, while the other buffer is
 * being written or read on an I/O thread (double buffering). Rows are visited in order per buffer; each call of an
 * encoder/decoder gets its own row index, so implementations only need to write disjoint parts of their arrays.
 */
final class GroupChannel {
    /** Bytes per buffer (two are in use). */
    static final int BATCH_BYTES = 32 << 20;

    private GroupChannel() {
    }

    /** Fills {@code row} (length rowFloats) with the values of group {@code index}. */
    @FunctionalInterface
    interface RowEncoder {
        void encode(int index, float[] row);
    }

    /** Takes the values of group {@code index} from {@code row}. */
    @FunctionalInterface
    interface RowDecoder {
        void decode(int index, float[] row);
    }

    /** Writes rows 0 … nRows−1 at the channel's position, in order. */
    static void write(FileChannel ch, int nRows, int rowFloats, RowEncoder encoder) throws IOException {
        write(ch, nRows, rowFloats, encoder, BATCH_BYTES);
    }

    static void write(FileChannel ch, int nRows, int rowFloats, RowEncoder encoder, int batchBytes)
            throws IOException {
        int perBatch = rowsPerBatch(rowFloats, batchBytes);
        ByteBuffer[] bufs = buffers(perBatch, rowFloats, nRows);
        ExecutorService io = Executors.newSingleThreadExecutor(GroupChannel::daemon);
        try {
            // writes[i]: the write of the batch last encoded into buffer i (one I/O thread: writes stay in order)
            @SuppressWarnings("unchecked")
            CompletableFuture<Void>[] writes = new CompletableFuture[] {CompletableFuture.completedFuture(null),
                CompletableFuture.completedFuture(null)};
            int k = 0;
            for (int r0 = 0; r0 < nRows; r0 += perBatch, k++) {
                int r1 = Math.min(nRows, r0 + perBatch);
                ByteBuffer bb = bufs[k & 1];
                await(writes[k & 1]);
                FloatBuffer fb = bb.clear().asFloatBuffer();
                int from = r0;
                inParts(r1 - r0, (a, b) -> {
                    float[] row = new float[rowFloats];
                    for (int r = a; r < b; r++) {
                        encoder.encode(from + r, row);
                        fb.put(r * rowFloats, row, 0, rowFloats);
                    }
                });
                bb.limit((r1 - r0) * rowFloats * 4);
                writes[k & 1] = CompletableFuture.runAsync(() -> {
                    try {
                        writeFully(ch, bb);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, io);
            }
            await(writes[0]);
            await(writes[1]);
        } finally {
            io.shutdown();
        }
    }

    /** Reads rows 0 … nRows−1 starting at byte {@code position}; the next buffer is read while one is decoded. */
    static void read(FileChannel ch, long position, int nRows, int rowFloats, RowDecoder decoder) throws IOException {
        read(ch, position, nRows, rowFloats, decoder, BATCH_BYTES);
    }

    static void read(FileChannel ch, long position, int nRows, int rowFloats, RowDecoder decoder, int batchBytes)
            throws IOException {
        int perBatch = rowsPerBatch(rowFloats, batchBytes);
        ByteBuffer[] bufs = buffers(perBatch, rowFloats, nRows);
        long rowBytes = 4L * rowFloats;
        ExecutorService io = Executors.newSingleThreadExecutor(GroupChannel::daemon);
        try {
            CompletableFuture<Void> next = nRows > 0 ? readAsync(ch, bufs[0], position, Math.min(nRows, perBatch)
                    * rowBytes, io) : null;
            int k = 0;
            for (int r0 = 0; r0 < nRows; r0 += perBatch, k++) {
                int r1 = Math.min(nRows, r0 + perBatch);
                await(next);
                int n2 = Math.min(nRows, r1 + perBatch) - r1;
                next = n2 > 0 ? readAsync(ch, bufs[(k + 1) & 1], position + r1 * rowBytes, n2 * rowBytes, io) : null;
                FloatBuffer fb = bufs[k & 1].asFloatBuffer();
                int from = r0;
                inParts(r1 - r0, (a, b) -> {
                    float[] row = new float[rowFloats];
                    for (int r = a; r < b; r++) {
                        fb.get(r * rowFloats, row, 0, rowFloats);
                        decoder.decode(from + r, row);
                    }
                });
            }
        } finally {
            io.shutdown();
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Reads {@code buf.remaining()} bytes at {@code position}. */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("UVFITS file ends at byte " + pos + " inside the group data");
            }
            pos += n;
        }
    }

    private static CompletableFuture<Void> readAsync(FileChannel ch, ByteBuffer bb, long position, long bytes,
                                                     ExecutorService io) {
        return CompletableFuture.runAsync(() -> {
            try {
                bb.clear().limit((int) bytes);
                readFully(ch, bb, position);
                bb.flip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    private static int rowsPerBatch(int rowFloats, int batchBytes) {
        return Math.max(1, batchBytes / (4 * rowFloats));
    }

    private static ByteBuffer[] buffers(int perBatch, int rowFloats, int nRows) {
        int bytes = Math.min(perBatch, Math.max(1, nRows)) * rowFloats * 4;
        return new ByteBuffer[] {ByteBuffer.allocateDirect(bytes).order(ByteOrder.BIG_ENDIAN),
            ByteBuffer.allocateDirect(bytes).order(ByteOrder.BIG_ENDIAN)};
    }

    /** Rows [from, to) of a batch, done by one thread. */
    @FunctionalInterface
    interface Part {
        void run(int from, int to);
    }

    /** Splits {@code rows} rows into a few parts per processor, run in parallel. */
    static void inParts(int rows, Part part) {
        int n = Math.max(1, Math.min(rows, 4 * Runtime.getRuntime().availableProcessors()));
        IntStream.range(0, n).parallel().forEach(i -> part.run((int) ((long) i * rows / n),
            (int) ((long) (i + 1) * rows / n)));
    }

    static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during UVFITS I/O", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(e.getCause());
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "uvfits-io");
        t.setDaemon(true);
        return t;
    }
}
