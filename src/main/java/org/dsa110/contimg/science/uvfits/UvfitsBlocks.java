package org.dsa110.contimg.science.uvfits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.dsa110.contimg.science.fits.ProductFiles;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Block-wise access to the groups of a UVFITS file, for work that needs one block of baseline-times at a time
 * (calibration apply): {@link #info} reads the header and the times without the samples, {@link #rewrite} passes
 * the file through an in-place operation block by block, so neither the input nor the output is ever held whole.
 */
public final class UvfitsBlocks {
    /** Bytes of group data per block. */
    static final int BLOCK_BYTES = 64 << 20;

    private UvfitsBlocks() {
    }

    /** Shape of a file and its sorted distinct times (JD). */
    public record Info(int nBlt, int nChan, int nPol, double[] freqHz, double[] uniqueTimes) {
    }

    /** What {@link #rewrite} wrote. */
    public record Result(long samples, long flagged) {
    }

    public static Info info(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            UvfitsReader.Layout l = UvfitsReader.layout(ch, path);
            UvfitsReader.Params p = l.params();
            double[] time = new double[l.nBlt()];
            ByteBuffer bb = ByteBuffer.allocate(4 * l.pcount()).order(ByteOrder.BIG_ENDIAN);
            float[] row = new float[l.pcount()];
            long rowBytes = 4L * l.rowFloats();
            for (int b = 0; b < l.nBlt(); b++) {
                bb.clear();
                GroupChannel.readFully(ch, bb, l.dataStart() + b * rowBytes);
                bb.flip().asFloatBuffer().get(row);
                time[b] = p.value(row, p.date1()) + (p.date2() >= 0 ? p.value(row, p.date2()) : 0.0);
            }
            return new Info(l.nBlt(), l.nChan(), l.nPol(), l.freq(), Arrays.stream(time).distinct().sorted().toArray());
        } catch (FitsException e) {
            throw new IOException("cannot read UVFITS " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies {@code in} to {@code out} with {@code op} applied to each block of groups (a {@link Visibilities} of
     * the block's baseline-times in the hub's convention, with their ICRS phase centres from the SU table; op changes the samples in
     * place). The header gains {@code keywords} (String, Number or Boolean); random parameters and tables are
     * copied unchanged. {@code out} appears atomically.
     */
    public static Result rewrite(Path in, Path out, Map<String, Object> keywords, Consumer<Visibilities> op)
            throws IOException {
        return rewrite(in, out, keywords, op, BLOCK_BYTES);
    }

    /** {@link #rewrite} with blocks of about {@code blockBytes} bytes of group data. */
    static Result rewrite(Path in, Path out, Map<String, Object> keywords, Consumer<Visibilities> op, int blockBytes)
            throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        try {
            Result r;
            try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ);
                 FileChannel dst = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                UvfitsReader.Layout l = UvfitsReader.layout(src, in);
                UvfitsReader.Tables t = UvfitsReader.readTables(src, l.tablesStart());
                Header h = l.header();
                for (Map.Entry<String, Object> e : keywords.entrySet()) {
                    addCard(h, e.getKey(), e.getValue());
                }
                GroupChannel.writeFully(dst, UvfitsWriter.headerBytes(h));
                r = copyGroups(src, dst, l, fieldCentres(t), op, blockBytes);
                GroupChannel.writeFully(dst, ByteBuffer.allocate(UvfitsWriter.padding(l.dataBytes())));
                long pos = l.tablesStart();
                long end = src.size();
                while (pos < end) {
                    pos += src.transferTo(pos, end - pos, dst);
                }
            } catch (FitsException e) {
                throw new IOException("cannot rewrite UVFITS " + in + ": " + e.getMessage(), e);
            }
            ProductFiles.moveIntoPlace(tmp, out);
            return r;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void addCard(Header h, String key, Object v) throws FitsException {
        if (v instanceof String s) {
            h.addValue(key, s, "");
        } else if (v instanceof Boolean b) {
            h.addValue(key, b, "");
        } else if (v instanceof Number n) {
            h.addValue(key, n, "");
        }
    }

    /** SU id → {ra, dec} (radians) of the file's fields; a file without SU table has one source, id 1. */
    private static Map<Integer, double[]> fieldCentres(UvfitsReader.Tables t) {
        Map<Integer, double[]> m = new LinkedHashMap<>();
        if (t.suIds != null) {
            for (int i = 0; i < t.suIds.length; i++) {
                m.put(t.suIds[i], new double[] {t.suRa[i], t.suDec[i]});
            }
        }
        return m;
    }

    private static Result copyGroups(FileChannel src, FileChannel dst, UvfitsReader.Layout l,
                                     Map<Integer, double[]> centres, Consumer<Visibilities> op, int blockBytes)
            throws IOException {
        int rowFloats = l.rowFloats();
        long rowBytes = 4L * rowFloats;
        int perBlock = (int) Math.max(1, blockBytes / rowBytes);
        int bufBytes = (int) (Math.min(perBlock, Math.max(1, l.nBlt())) * rowBytes);
        // two buffers: a block is written on the I/O thread while the next one is read and processed
        ByteBuffer[] bufs = {ByteBuffer.allocateDirect(bufBytes).order(ByteOrder.BIG_ENDIAN),
            ByteBuffer.allocateDirect(bufBytes).order(ByteOrder.BIG_ENDIAN)};
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] writes = new CompletableFuture[] {CompletableFuture.completedFuture(null),
            CompletableFuture.completedFuture(null)};
        ExecutorService io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uvfits-io");
            t.setDaemon(true);
            return t;
        });
        int perBlt = l.perBlt();
        int pcount = l.pcount();
        UvfitsReader.Params p = l.params();
        long flagged = 0;
        try {
            for (int r0 = 0, k = 0; r0 < l.nBlt(); r0 += perBlock, k++) {
                int n = Math.min(perBlock, l.nBlt() - r0);
                ByteBuffer bb = bufs[k & 1];
                GroupChannel.await(writes[k & 1]);
                bb.clear().limit((int) (n * rowBytes));
                GroupChannel.readFully(src, bb, l.dataStart() + r0 * rowBytes);
                bb.flip();
                FloatBuffer fb = bb.asFloatBuffer();
                double[] time = new double[n];
                int[] a1 = new int[n];
                int[] a2 = new int[n];
                double[] uvw = new double[3 * n];
                int[] source = new int[n];
                double[] inttim = new double[n];
                float[] re = new float[n * perBlt];
                float[] im = new float[n * perBlt];
                float[] wt = new float[n * perBlt];
                boolean[] fl = new boolean[n * perBlt];
                GroupChannel.inParts(n, (a, b) -> {
                    float[] row = new float[rowFloats];
                    for (int r = a; r < b; r++) {
                        fb.get(r * rowFloats, row, 0, rowFloats);
                        p.decode(row, r, time, a1, a2, uvw, source, inttim);
                        UvfitsReader.decodeSamples(row, pcount, perBlt, r * perBlt, re, im, wt, fl);
                    }
                });
                double[] ra = new double[n];
                double[] dec = new double[n];
                for (int r = 0; r < n; r++) {
                    double[] c = centres.getOrDefault(source[r], new double[] {Double.NaN, Double.NaN});
                    ra[r] = c[0];
                    dec[r] = c[1];
                }
                op.accept(new Visibilities(n, l.nChan(), l.nPol(), time, a1, a2, uvw, ra, dec, l.freq().clone(), re, im,
                        wt, fl));
                GroupChannel.inParts(n, (a, b) -> {
                    float[] samples = new float[3 * perBlt];
                    for (int r = a; r < b; r++) {
                        int base = r * perBlt;
                        UvfitsWriter.encodeSamples(re, im, wt, fl, base, perBlt, samples, 0);
                        fb.put(r * rowFloats + pcount, samples, 0, samples.length);
                    }
                });
                for (boolean f : fl) {
                    flagged += f ? 1 : 0;
                }
                bb.position(0).limit((int) (n * rowBytes));
                writes[k & 1] = CompletableFuture.runAsync(() -> {
                    try {
                        GroupChannel.writeFully(dst, bb);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, io);
            }
            GroupChannel.await(writes[0]);
            GroupChannel.await(writes[1]);
        } finally {
            io.shutdown();
        }
        return new Result((long) l.nBlt() * perBlt, flagged);
    }
}
