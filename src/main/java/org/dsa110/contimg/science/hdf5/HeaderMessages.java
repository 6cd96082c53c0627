package org.dsa110.contimg.science.hdf5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bodies of the object header messages this writer emits, laid out as in the HDF5 file format
 * specification (version 3.0, section IV.A.2). Offsets and lengths are 8 bytes wide, matching the
 * superblock.
 */
final class HeaderMessages {

    static final int DATASPACE = 0x0001;
    static final int LINK_INFO = 0x0002;
    static final int DATATYPE = 0x0003;
    static final int FILL_VALUE = 0x0005;
    static final int LINK = 0x0006;
    static final int LAYOUT = 0x0008;
    static final int GROUP_INFO = 0x000A;
    static final int ATTRIBUTE = 0x000C;

    /** "Undefined address": all bits set. */
    static final long UNDEFINED_ADDRESS = -1L;

    private HeaderMessages() {
    }

    /** Dataspace message version 2: scalar for rank 0, otherwise simple with no maximum dims. */
    static byte[] dataspace(long[] dims) {
        ByteBuffer b = allocate(4 + 8 * dims.length);
        b.put((byte) 2).put((byte) dims.length).put((byte) 0);
        b.put((byte) (dims.length == 0 ? 0 : 1));
        for (long d : dims) {
            b.putLong(d);
        }
        return b.array();
    }

    static byte[] datatype(Hdf5Type type) {
        ByteBuffer b = allocate(type.encodedLength());
        type.encode(b);
        if (b.hasRemaining()) {
            throw new IllegalStateException("datatype encoded length mismatch for " + type);
        }
        return b.array();
    }

    /**
     * Fill value message version 3 with the library defaults h5py uses for contiguous data:
     * late space allocation, fill written only if set, no user fill value (reads as zeros).
     */
    static byte[] fillValue() {
        int lateAllocation = 2;
        int writeIfSet = 2 << 2;
        return new byte[] {3, (byte) (lateAllocation | writeIfSet)};
    }

    /** Data layout message version 3, contiguous class. */
    static byte[] contiguousLayout(long address, long size) {
        ByteBuffer b = allocate(18);
        b.put((byte) 3).put((byte) 1).putLong(address).putLong(size);
        return b.array();
    }

    /** Link info message version 0: no creation order, no dense storage (links are compact). */
    static byte[] linkInfo() {
        ByteBuffer b = allocate(18);
        b.put((byte) 0).put((byte) 0).putLong(UNDEFINED_ADDRESS).putLong(UNDEFINED_ADDRESS);
        return b.array();
    }

    /** Group info message version 0 with default phase-change and size estimates. */
    static byte[] groupInfo() {
        return new byte[] {0, 0};
    }

    /** Link message version 1 for a hard link to the object header at {@code address}. */
    static byte[] hardLink(String name, long address) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean utf8 = nameBytes.length != name.length();
        boolean wideLength = nameBytes.length > 0xff;
        // flags: bits 0-1 width of the name length field, bit 4 = character set present
        int flags = (wideLength ? 1 : 0) | (utf8 ? 0x10 : 0);
        ByteBuffer b = allocate(2 + (utf8 ? 1 : 0) + (wideLength ? 2 : 1) + nameBytes.length + 8);
        b.put((byte) 1).put((byte) flags);
        if (utf8) {
            b.put((byte) 1);
        }
        if (wideLength) {
            b.putShort((short) nameBytes.length);
        } else {
            b.put((byte) nameBytes.length);
        }
        b.put(nameBytes).putLong(address);
        return b.array();
    }

    /** Attribute message version 3: unpadded name (null-terminated), datatype, dataspace, data. */
    static byte[] attribute(Hdf5Attribute attr) {
        byte[] nameBytes = attr.name().getBytes(StandardCharsets.UTF_8);
        boolean utf8 = nameBytes.length != attr.name().length();
        byte[] type = datatype(attr.type());
        byte[] space = dataspace(attr.dims());
        ByteBuffer b = allocate(Math.toIntExact(attributeLength(attr.name(), attr.type(), attr.dims(), attr.data())));
        b.put((byte) 3).put((byte) 0);
        b.putShort((short) (nameBytes.length + 1)).putShort((short) type.length).putShort((short) space.length);
        b.put((byte) (utf8 ? 1 : 0));
        b.put(nameBytes).put((byte) 0).put(type).put(space);
        try {
            attr.data().writeTo(min -> b);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for an in-memory buffer
        }
        return b.array();
    }

    /** Encoded attribute message length; header messages are limited to 65535 bytes. */
    static long attributeLength(String name, Hdf5Type type, long[] dims, Hdf5Data data) {
        int nameLength = name.getBytes(StandardCharsets.UTF_8).length + 1;
        // version, flags, three 2-byte sizes, name character set = 9 bytes before the name
        return 9L + nameLength + type.encodedLength() + (4 + 8L * dims.length) + data.byteLength();
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
