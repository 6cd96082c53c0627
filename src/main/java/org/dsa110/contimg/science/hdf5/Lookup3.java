package org.dsa110.contimg.science.hdf5;

/**
 * Bob Jenkins' lookup3 {@code hashlittle} (public domain algorithm, 2006), the checksum HDF5 uses
 * for version-2 superblocks, object headers and other metadata ("Jenkins' lookup3" in the HDF5
 * file format specification, section on checksums).
 *
 * <p>All arithmetic is on unsigned 32-bit words; Java's wrapping {@code int} arithmetic gives the
 * same bit patterns. Bytes are taken little-endian into words, as the byte-oriented variant of
 * {@code hashlittle} does, so the result is platform independent.
 */
public final class Lookup3 {

    private Lookup3() {
    }

    /** Hash of all of {@code data} with the given initial value. */
    public static int hashLittle(byte[] data, int initval) {
        return hashLittle(data, 0, data.length, initval);
    }

    /** Hash of {@code length} bytes of {@code data} starting at {@code offset}. */
    public static int hashLittle(byte[] data, int offset, int length, int initval) {
        int a = 0xdeadbeef + length + initval;
        int b = a;
        int c = a;
        int k = offset;
        int remaining = length;
        while (remaining > 12) {
            a += word(data, k, 4);
            b += word(data, k + 4, 4);
            c += word(data, k + 8, 4);
            // mix(a, b, c): reversible mixing of three 32-bit values
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            k += 12;
            remaining -= 12;
        }
        if (remaining == 0) {
            // lookup3 returns c unchanged for an empty tail (the zero-length case included)
            return c;
        }
        // The last 1..12 bytes fill a, b, c little-endian; missing high bytes count as zero.
        a += word(data, k, Math.min(remaining, 4));
        if (remaining > 4) {
            b += word(data, k + 4, Math.min(remaining - 4, 4));
        }
        if (remaining > 8) {
            c += word(data, k + 8, remaining - 8);
        }
        // final(a, b, c): irreversible avalanche of the last block
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** Little-endian word from {@code count} (1..4) bytes at {@code pos}. */
    private static int word(byte[] data, int pos, int count) {
        int w = 0;
        for (int i = 0; i < count; i++) {
            w |= (data[pos + i] & 0xff) << (8 * i);
        }
        return w;
    }
}
