package org.dsa110.contimg.science.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal HDF5 writer: builds the file from an in-memory tree rooted at {@link #root()}.
 *
 * <p>File layout: version-2 superblock at 0, then every object header (groups and datasets, in
 * depth-first order), then the contiguous raw data of each dataset, 8-byte aligned. A layout pass
 * fixes all addresses before anything is written, so each byte is written once and dataset
 * arrays stream straight from the caller's Java arrays through a small buffer.
 *
 * <p>Usage: {@code var w = new Hdf5Writer(); w.root().group("Header").scalar("Nfreqs", 48L);
 * w.write(path);}
 */
public final class Hdf5Writer {

    private static final int SUPERBLOCK_SIZE = 48;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final int STREAM_BUFFER_BYTES = 1 << 20;

    private final Hdf5Group root = new Hdf5Group("/");

    /** The root group ("/") of the file being built. */
    public Hdf5Group root() {
        return root;
    }

    /** Writes the whole tree to {@code path}, replacing any existing file. */
    public void write(Path path) throws IOException {
        List<Hdf5Node> nodes = new ArrayList<>();
        collect(root, nodes);
        Layout layout = layOut(nodes);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(superblock(layout.eof(), layout.headerAddress().get(root))));
            for (Hdf5Node node : nodes) {
                writeFully(ch, ByteBuffer.wrap(encodeHeader(node, layout.headerAddress(), layout.dataAddress())));
            }
            ChannelSink sink = new ChannelSink(ch);
            for (Hdf5Node node : nodes) {
                if (node instanceof Hdf5Dataset ds && ds.byteLength() > 0) {
                    sink.seek(layout.dataAddress().get(ds));
                    ds.data().writeTo(sink);
                }
            }
            sink.flush();
            if (ch.position() != layout.eof()) {
                // pad a trailing alignment gap so the file is exactly as long as the superblock says
                writeFully(ch, ByteBuffer.allocate((int) (layout.eof() - ch.position())));
            }
        }
    }

    private record Layout(Map<Hdf5Node, Long> headerAddress, Map<Hdf5Node, Long> dataAddress, long eof) {
    }

    /** Assigns object header and raw data addresses; header sizes do not depend on addresses. */
    private static Layout layOut(List<Hdf5Node> nodes) {
        Map<Hdf5Node, Long> headers = new IdentityHashMap<>();
        Map<Hdf5Node, Long> data = new IdentityHashMap<>();
        Map<Hdf5Node, Long> placeholder = new IdentityHashMap<>();
        long address = SUPERBLOCK_SIZE;
        for (Hdf5Node node : nodes) {
            headers.put(node, address);
            address += encodeHeader(node, placeholder, placeholder).length;
        }
        for (Hdf5Node node : nodes) {
            if (node instanceof Hdf5Dataset ds) {
                if (ds.byteLength() == 0) {
                    data.put(ds, HeaderMessages.UNDEFINED_ADDRESS); // no storage for empty datasets
                } else {
                    address = align8(address);
                    data.put(ds, address);
                    address += ds.byteLength();
                }
            }
        }
        return new Layout(headers, data, address);
    }

    private static byte[] encodeHeader(Hdf5Node node, Map<Hdf5Node, Long> headers, Map<Hdf5Node, Long> data) {
        if (node instanceof Hdf5Group g) {
            return ObjectHeaderEncoder.group(g, child -> headers.getOrDefault(child, 0L));
        }
        return ObjectHeaderEncoder.dataset((Hdf5Dataset) node, data.getOrDefault(node, 0L));
    }

    /** Version-2 superblock (HDF5 file format specification section II.A), 48 bytes. */
    static byte[] superblock(long eof, long rootHeaderAddress) {
        ByteBuffer b = ByteBuffer.allocate(SUPERBLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE);
        b.put((byte) 2);   // superblock version
        b.put((byte) 8);   // size of offsets
        b.put((byte) 8);   // size of lengths
        b.put((byte) 0);   // file consistency flags
        b.putLong(0);      // base address
        b.putLong(HeaderMessages.UNDEFINED_ADDRESS); // no superblock extension
        b.putLong(eof);
        b.putLong(rootHeaderAddress);
        b.putInt(Lookup3.hashLittle(b.array(), 0, b.position(), 0));
        return b.array();
    }

    private static void collect(Hdf5Node node, List<Hdf5Node> out) {
        out.add(node);
        if (node instanceof Hdf5Group g) {
            for (Hdf5Node child : g.children()) {
                collect(child, out);
            }
        }
    }

    private static long align8(long address) {
        return (address + 7) & ~7L;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Buffers raw data and writes it sequentially; {@link #seek} pads alignment gaps with zeros. */
    private static final class ChannelSink implements ByteSink {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(STREAM_BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

        ChannelSink(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public ByteBuffer buffer(int minRemaining) throws IOException {
            if (minRemaining > buffer.capacity()) {
                throw new IllegalArgumentException("element of " + minRemaining + " bytes exceeds the stream buffer");
            }
            if (buffer.remaining() < minRemaining) {
                flush();
            }
            return buffer;
        }

        void seek(long address) throws IOException {
            long position = channel.position() + buffer.position();
            if (address < position) {
                throw new IllegalStateException("data address " + address + " behind write position " + position);
            }
            for (long gap = address - position; gap > 0; gap--) {
                buffer(1).put((byte) 0);
            }
        }

        void flush() throws IOException {
            buffer.flip();
            writeFully(channel, buffer);
            buffer.clear();
        }
    }
}
