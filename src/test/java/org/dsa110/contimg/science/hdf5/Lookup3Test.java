package org.dsa110.contimg.science.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Lookup3Test {

    private static int hash(String s, int initval) {
        return Lookup3.hashLittle(s.getBytes(StandardCharsets.US_ASCII), initval);
    }

    @Test
    void matchesPublishedLookup3Values() {
        // Known values printed by the self-test driver of Jenkins' lookup3.c
        assertEquals(0xdeadbeef, hash("", 0));
        assertEquals(0xbd5b7dde, hash("", 0xdeadbeef));
        assertEquals(0x17770551, hash("Four score and seven years ago", 0));
        assertEquals(0xcd628161, hash("Four score and seven years ago", 1));
    }

    @Test
    void matchesChecksumsWrittenByLibhdf5() {
        // First 48 bytes of a file written by h5py 3.7 / libhdf5 (superblock v3): the last four
        // bytes are the library's lookup3 checksum of the first 44.
        byte[] superblock = HexFormat.of().parseHex("894844460d0a1a0a030808000000000000000000ffffffffffffffff"
                + "15080000000000003000000000000000410214cc");
        assertEquals(0xcc140241, Lookup3.hashLittle(superblock, 0, 44, 0));

        // A v2 object header (scalar string dataset) from the same file: 8-byte prefix, 256-byte
        // chunk ending in a null message, checksum 0xf5d6b42e stored little-endian.
        byte[] prefix = HexFormat.of().parseHex("4f484452020100010104000002000000030800011301000003000000"
                + "05020001030a0812000004010008000000000000030000000000000000cc0000");
        byte[] header = new byte[264];
        System.arraycopy(prefix, 0, header, 0, prefix.length);
        assertEquals(0xf5d6b42e, Lookup3.hashLittle(header, 0));
    }

    @Test
    void hashesBlocksLongerThanTwelveBytesAndOddTails() {
        // lengths 12, 13 and 24 exercise the loop/tail boundary; tail bytes beyond the data are zero,
        // so a 13-byte input must differ from the 12-byte prefix and from the prefix plus a zero byte
        byte[] data = "abcdefghijklmnopqrstuvwx".getBytes(StandardCharsets.US_ASCII);
        int h12 = Lookup3.hashLittle(data, 0, 12, 0);
        int h13 = Lookup3.hashLittle(data, 0, 13, 0);
        int h24 = Lookup3.hashLittle(data, 0, 24, 0);
        assertEquals(h12, Lookup3.hashLittle(Arrays.copyOf(data, 12), 0));
        assertEquals(h24, Lookup3.hashLittle(data, 0));
        assertNotEquals(h12, h13);
        byte[] shifted = new byte[30];
        System.arraycopy(data, 0, shifted, 5, 24);
        assertEquals(h24, Lookup3.hashLittle(shifted, 5, 24, 0));
    }
}
