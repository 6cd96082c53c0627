package org.dsa110.contimg.science.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Builds version-2 object headers ("OHDR", HDF5 file format specification section IV.A.1.b):
 * signature, version, flags, chunk-0 size, the messages, and a lookup3 checksum of everything
 * before it. All messages fit in the single chunk; no continuation blocks are written.
 */
final class ObjectHeaderEncoder {

    /** Message flag bit 0: the message is constant (set by HDF5 for datatype messages). */
    private static final int CONSTANT = 0x01;

    private record Message(int type, int flags, byte[] body) {
    }

    private ObjectHeaderEncoder() {
    }

    /** Group header: link info, group info, one hard link per child, then attributes. */
    static byte[] group(Hdf5Group group, ToLongFunction<Hdf5Node> headerAddress) {
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(HeaderMessages.LINK_INFO, 0, HeaderMessages.linkInfo()));
        messages.add(new Message(HeaderMessages.GROUP_INFO, 0, HeaderMessages.groupInfo()));
        for (Hdf5Node child : group.children()) {
            messages.add(new Message(HeaderMessages.LINK, 0,
                    HeaderMessages.hardLink(child.name(), headerAddress.applyAsLong(child))));
        }
        addAttributes(group, messages);
        return assemble(messages);
    }

    /** Dataset header: dataspace, datatype, fill value, contiguous layout, then attributes. */
    static byte[] dataset(Hdf5Dataset dataset, long dataAddress) {
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(HeaderMessages.DATASPACE, 0, HeaderMessages.dataspace(dataset.dims())));
        messages.add(new Message(HeaderMessages.DATATYPE, CONSTANT, HeaderMessages.datatype(dataset.type())));
        messages.add(new Message(HeaderMessages.FILL_VALUE, CONSTANT, HeaderMessages.fillValue()));
        messages.add(new Message(HeaderMessages.LAYOUT, 0,
                HeaderMessages.contiguousLayout(dataAddress, dataset.byteLength())));
        addAttributes(dataset, messages);
        return assemble(messages);
    }

    private static void addAttributes(Hdf5Node node, List<Message> messages) {
        for (Hdf5Attribute attr : node.attributes()) {
            messages.add(new Message(HeaderMessages.ATTRIBUTE, 0, HeaderMessages.attribute(attr)));
        }
    }

    private static byte[] assemble(List<Message> messages) {
        long chunkSize = 0;
        for (Message m : messages) {
            if (m.body().length > 0xffff) {
                throw new IllegalArgumentException("header message of type " + m.type() + " exceeds 64 KiB");
            }
            chunkSize += 4 + m.body().length; // type (1), size (2), flags (1), body
        }
        // header flags bits 0-1 select the width of the chunk-0 size field: 1, 2, 4 bytes
        int sizeCode = chunkSize <= 0xff ? 0 : chunkSize <= 0xffff ? 1 : 2;
        int sizeWidth = 1 << sizeCode;
        int total = Math.toIntExact(4 + 1 + 1 + sizeWidth + chunkSize + 4);
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'O', 'H', 'D', 'R'}).put((byte) 2).put((byte) sizeCode);
        switch (sizeWidth) {
            case 1 -> b.put((byte) chunkSize);
            case 2 -> b.putShort((short) chunkSize);
            default -> b.putInt((int) chunkSize);
        }
        for (Message m : messages) {
            b.put((byte) m.type()).putShort((short) m.body().length).put((byte) m.flags()).put(m.body());
        }
        b.putInt(Lookup3.hashLittle(b.array(), 0, b.position(), 0));
        return b.array();
    }
}
