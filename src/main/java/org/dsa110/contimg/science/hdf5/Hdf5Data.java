package org.dsa110.contimg.science.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Raw element data of a dataset or attribute, kept as a reference to the caller's array and
 * written out element by element in bulk. Factories cover the Java array types the writer uses;
 * the element size must match the size of the HDF5 type it is written as.
 */
public interface Hdf5Data {

    /** Number of elements. */
    long elementCount();

    /** Bytes per element. */
    int elementSize();

    /** Writes all elements, little-endian, into the sink. */
    void writeTo(ByteSink sink) throws IOException;

    /** Total size in bytes. */
    default long byteLength() {
        return elementCount() * elementSize();
    }

    static Hdf5Data of(double[] values) {
        return new Bulk(values.length, 8, (b, off, n) -> b.asDoubleBuffer().put(values, off, n));
    }

    static Hdf5Data of(float[] values) {
        return new Bulk(values.length, 4, (b, off, n) -> b.asFloatBuffer().put(values, off, n));
    }

    static Hdf5Data of(long[] values) {
        return new Bulk(values.length, 8, (b, off, n) -> b.asLongBuffer().put(values, off, n));
    }

    static Hdf5Data of(int[] values) {
        return new Bulk(values.length, 4, (b, off, n) -> b.asIntBuffer().put(values, off, n));
    }

    static Hdf5Data of(short[] values) {
        return new Bulk(values.length, 2, (b, off, n) -> b.asShortBuffer().put(values, off, n));
    }

    static Hdf5Data of(byte[] values) {
        return new Bulk(values.length, 1, (b, off, n) -> b.duplicate().put(values, off, n));
    }

    /** Booleans as one byte each, 0 or 1 (matching {@link Hdf5Type#BOOL}). */
    static Hdf5Data of(boolean[] values) {
        return new Bulk(values.length, 1, (b, off, n) -> {
            for (int i = 0; i < n; i++) {
                b.put(b.position() + i, values[off + i] ? (byte) 1 : (byte) 0);
            }
        });
    }

    /**
     * Complex values as interleaved (re, im) float pairs; each pair is one 8-byte element of
     * {@link Hdf5Type#COMPLEX64}, whose memory layout is exactly the interleaved pair.
     */
    static Hdf5Data complexOf(float[] interleaved) {
        if (interleaved.length % 2 != 0) {
            throw new IllegalArgumentException("interleaved complex data needs an even length");
        }
        Bulk floats = new Bulk(interleaved.length, 4, (b, off, n) -> b.asFloatBuffer().put(interleaved, off, n));
        return new Hdf5Data() {
            @Override
            public long elementCount() {
                return interleaved.length / 2;
            }

            @Override
            public int elementSize() {
                return 8;
            }

            @Override
            public void writeTo(ByteSink sink) throws IOException {
                floats.writeTo(sink);
            }
        };
    }

    /** Strings as null-padded fixed-length byte fields of {@code length} bytes (UTF-8 encoded). */
    static Hdf5Data of(String[] values, int length) {
        byte[][] encoded = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            encoded[i] = values[i].getBytes(StandardCharsets.UTF_8);
            if (encoded[i].length > length) {
                throw new IllegalArgumentException("string '" + values[i] + "' longer than " + length + " bytes");
            }
        }
        return new Bulk(values.length, length, (b, off, n) -> {
            ByteBuffer view = b.duplicate();
            for (int i = 0; i < n; i++) {
                byte[] s = encoded[off + i];
                view.put(s);
                for (int pad = s.length; pad < length; pad++) {
                    view.put((byte) 0);
                }
            }
        });
    }

    /** Pre-encoded little-endian bytes, e.g. for a general compound type. */
    static Hdf5Data raw(byte[] bytes, int elementSize) {
        if (elementSize < 1 || bytes.length % elementSize != 0) {
            throw new IllegalArgumentException("byte length is not a multiple of the element size");
        }
        Bulk b = new Bulk(bytes.length, 1, (buf, off, n) -> buf.duplicate().put(bytes, off, n));
        return new Hdf5Data() {
            @Override
            public long elementCount() {
                return bytes.length / elementSize;
            }

            @Override
            public int elementSize() {
                return elementSize;
            }

            @Override
            public void writeTo(ByteSink sink) throws IOException {
                b.writeTo(sink);
            }
        };
    }

    /** Copies {@code n} array items starting at {@code offset} into the buffer at its position. */
    @FunctionalInterface
    interface BlockCopier {
        void copy(ByteBuffer target, int offset, int n);
    }

    /** Array-backed data copied into the sink's buffer in as large blocks as fit. */
    record Bulk(int length, int elementSize, BlockCopier copier) implements Hdf5Data {

        @Override
        public long elementCount() {
            return length;
        }

        @Override
        public void writeTo(ByteSink sink) throws IOException {
            int done = 0;
            while (done < length) {
                ByteBuffer b = sink.buffer(elementSize);
                int n = Math.min(length - done, b.remaining() / elementSize);
                // view buffers (asFloatBuffer etc.) start at the current position and keep the byte order
                copier.copy(b, done, n);
                b.position(b.position() + n * elementSize);
                done += n;
            }
        }
    }
}
