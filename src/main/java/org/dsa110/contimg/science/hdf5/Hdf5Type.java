package org.dsa110.contimg.science.hdf5;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The HDF5 datatypes this writer supports, each able to encode its own Datatype message body
 * (HDF5 file format specification, "Datatype Message", type 0x0003). All numeric types are
 * little-endian.
 */
public sealed interface Hdf5Type
        permits Hdf5Type.FixedPoint, Hdf5Type.FloatingPoint, Hdf5Type.FixedString,
        Hdf5Type.Compound, Hdf5Type.Enumeration {

    FixedPoint INT8 = new FixedPoint(1, true);
    FixedPoint UINT8 = new FixedPoint(1, false);
    FixedPoint INT16 = new FixedPoint(2, true);
    FixedPoint UINT16 = new FixedPoint(2, false);
    FixedPoint INT32 = new FixedPoint(4, true);
    FixedPoint UINT32 = new FixedPoint(4, false);
    FixedPoint INT64 = new FixedPoint(8, true);
    FixedPoint UINT64 = new FixedPoint(8, false);
    FloatingPoint FLOAT32 = new FloatingPoint(4);
    FloatingPoint FLOAT64 = new FloatingPoint(8);

    /** numpy/h5py boolean: an int8 enumeration {FALSE=0, TRUE=1}, which h5py reads back as numpy bool. */
    Enumeration BOOL = new Enumeration(INT8, List.of("FALSE", "TRUE"), new long[] {0, 1});

    /** Complex float32 as the UVH5 convention stores it: compound {r: float32 at 0, i: float32 at 4}. */
    Compound COMPLEX64 = new Compound(8, List.of(
            new Compound.Member("r", 0, FLOAT32), new Compound.Member("i", 4, FLOAT32)));

    /** Bytes per element. */
    int size();

    /** Length in bytes of the encoded Datatype message body. */
    int encodedLength();

    /** Appends the Datatype message body (little-endian) to {@code out}. */
    void encode(ByteBuffer out);

    /** Null-padded fixed-length string of {@code length} bytes, ASCII or UTF-8 as given. */
    static FixedString string(int length, boolean utf8) {
        return new FixedString(length, utf8);
    }

    /** Common 8-byte prefix of every datatype message: class/version, class bits, element size. */
    private static void encodeHeader(ByteBuffer out, int typeClass, int version, int classBits, int size) {
        out.put((byte) ((version << 4) | typeClass));
        out.put((byte) classBits);
        out.put((byte) (classBits >>> 8));
        out.put((byte) (classBits >>> 16));
        out.putInt(size);
    }

    /** Integer of 1, 2, 4 or 8 bytes (class 0, version 1), full precision, no bit offset. */
    record FixedPoint(int size, boolean signed) implements Hdf5Type {
        public FixedPoint {
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                throw new IllegalArgumentException("integer size must be 1, 2, 4 or 8 bytes: " + size);
            }
        }

        @Override
        public int encodedLength() {
            return 12;
        }

        @Override
        public void encode(ByteBuffer out) {
            // class bit 0 = 0 (little-endian), bits 1-2 = 0 (zero padding), bit 3 = signed
            encodeHeader(out, 0, 1, signed ? 0x08 : 0, size);
            out.putShort((short) 0);            // bit offset
            out.putShort((short) (8 * size));   // bit precision
        }
    }

    /** IEEE 754 binary32 or binary64 (class 1, version 1). */
    record FloatingPoint(int size) implements Hdf5Type {
        public FloatingPoint {
            if (size != 4 && size != 8) {
                throw new IllegalArgumentException("float size must be 4 or 8 bytes: " + size);
            }
        }

        @Override
        public int encodedLength() {
            return 20;
        }

        @Override
        public void encode(ByteBuffer out) {
            boolean single = size == 4;
            int signBit = 8 * size - 1;
            // class bits: little-endian, zero padding, mantissa normalization 2 (implied leading 1),
            // second byte = sign bit position
            encodeHeader(out, 1, 1, 0x20 | (signBit << 8), size);
            out.putShort((short) 0);                  // bit offset
            out.putShort((short) (8 * size));         // bit precision
            out.put((byte) (single ? 23 : 52));       // exponent location
            out.put((byte) (single ? 8 : 11));        // exponent size
            out.put((byte) 0);                        // mantissa location
            out.put((byte) (single ? 23 : 52));       // mantissa size
            out.putInt(single ? 127 : 1023);          // exponent bias
        }
    }

    /** Fixed-length, null-padded string (class 3, version 1), as h5py stores numpy {@code S} data. */
    record FixedString(int size, boolean utf8) implements Hdf5Type {
        public FixedString {
            if (size < 1) {
                throw new IllegalArgumentException("string length must be at least 1 byte");
            }
        }

        @Override
        public int encodedLength() {
            return 8;
        }

        @Override
        public void encode(ByteBuffer out) {
            int nullPad = 1;
            encodeHeader(out, 3, 1, nullPad | ((utf8 ? 1 : 0) << 4), size);
        }
    }

    /** Compound (struct) type (class 6, version 3: unpadded names, minimal-width member offsets). */
    record Compound(int size, List<Member> members) implements Hdf5Type {

        /** A named member at a byte offset inside the compound element. */
        public record Member(String name, int offset, Hdf5Type type) {
            public Member {
                Objects.requireNonNull(name);
                Objects.requireNonNull(type);
            }
        }

        public Compound {
            members = List.copyOf(members);
            if (members.isEmpty() || members.size() > 0xffff) {
                throw new IllegalArgumentException("compound needs 1..65535 members");
            }
            for (Member m : members) {
                if (m.offset() < 0 || m.offset() + m.type().size() > size) {
                    throw new IllegalArgumentException("member " + m.name() + " does not fit in " + size + " bytes");
                }
            }
        }

        /** Bytes the member offsets take in version 3: just enough to hold the compound size. */
        private int offsetWidth() {
            return (31 - Integer.numberOfLeadingZeros(size)) / 8 + 1;
        }

        @Override
        public int encodedLength() {
            int n = 8;
            for (Member m : members) {
                n += m.name().getBytes(StandardCharsets.UTF_8).length + 1 + offsetWidth() + m.type().encodedLength();
            }
            return n;
        }

        @Override
        public void encode(ByteBuffer out) {
            encodeHeader(out, 6, 3, members.size(), size);
            for (Member m : members) {
                out.put(m.name().getBytes(StandardCharsets.UTF_8)).put((byte) 0);
                for (int i = 0; i < offsetWidth(); i++) {
                    out.put((byte) (m.offset() >>> (8 * i)));
                }
                m.type().encode(out);
            }
        }
    }

    /** Enumeration over an integer base type (class 8, version 3: unpadded names). */
    record Enumeration(FixedPoint base, List<String> names, long[] values) implements Hdf5Type {
        public Enumeration {
            names = List.copyOf(names);
            values = values.clone();
            if (names.isEmpty() || names.size() != values.length) {
                throw new IllegalArgumentException("enumeration needs one value per name");
            }
        }

        /** Member values, in the order of {@link #names()} (a copy). */
        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public int encodedLength() {
            int n = 8 + base.encodedLength() + values.length * base.size();
            for (String name : names) {
                n += name.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            return n;
        }

        @Override
        public void encode(ByteBuffer out) {
            encodeHeader(out, 8, 3, names.size(), base.size());
            base.encode(out);
            for (String name : names) {
                out.put(name.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
            }
            for (long v : values) {
                for (int i = 0; i < base.size(); i++) {
                    out.put((byte) (v >>> (8 * i)));
                }
            }
        }
    }
}
