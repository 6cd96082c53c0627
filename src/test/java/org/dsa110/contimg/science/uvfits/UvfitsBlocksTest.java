package org.dsa110.contimg.science.uvfits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.dsa110.contimg.science.radio.Visibilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UvfitsBlocksTest {
    @TempDir
    Path tmp;

    @Test
    void infoGivesShapeAndTimesWithoutTheSamples() throws Exception {
        UvfitsData d = UvfitsRoundTripTest.sample();
        Path f = tmp.resolve("g.uvfits");
        UvfitsWriter.write(d, f);
        UvfitsBlocks.Info info = UvfitsBlocks.info(f);
        assertEquals(d.vis().nBlt(), info.nBlt());
        assertEquals(4, info.nChan());
        assertEquals(2, info.nPol());
        assertArrayEquals(d.vis().freqHz(), info.freqHz(), 1e-3);
        UvfitsData back = UvfitsReader.read(f);
        assertArrayEquals(back.vis().uniqueTimes(), info.uniqueTimes(), 0.0);
    }

    @Test
    void rewriteAppliesTheOperationAndKeepsEverythingElse() throws Exception {
        checkRewrite(UvfitsBlocks.BLOCK_BYTES);
    }

    @Test
    void rewriteWorksAcrossManySmallBlocks() throws Exception {
        checkRewrite(300); // 2 groups of 128 bytes per block: 6 blocks
    }

    private void checkRewrite(int blockBytes) throws Exception {
        UvfitsData d = UvfitsRoundTripTest.sample();
        Path f = tmp.resolve("g.uvfits");
        Path out = tmp.resolve("g.corrected.uvfits");
        UvfitsWriter.write(d, f);
        UvfitsBlocks.Result r = UvfitsBlocks.rewrite(f, out, Map.of("DATACOL", "CORRECTED_DATA", "CALSTAT", "x"),
            block -> {
                for (int i = 0; i < block.re().length; i++) {
                    block.re()[i] *= 2;
                    block.weight()[i] *= 0.5f;
                }
                // flag every sample of antenna 3's baselines
                for (int b = 0; b < block.nBlt(); b++) {
                    if (block.ant2()[b] == 3) {
                        int per = block.nChan() * block.nPol();
                        for (int i = b * per; i < (b + 1) * per; i++) {
                            block.flag()[i] = true;
                        }
                    }
                }
            }, blockBytes);
        UvfitsData a = UvfitsReader.read(f);
        UvfitsData b = UvfitsReader.read(out);
        Visibilities va = a.vis(), vb = b.vis();
        assertArrayEquals(va.timeJd(), vb.timeJd(), 0.0);
        assertArrayEquals(va.uvw(), vb.uvw(), 0.0);
        assertArrayEquals(va.ant1(), vb.ant1());
        assertArrayEquals(a.bltField(), b.bltField());
        assertArrayEquals(a.fieldNames(), b.fieldNames());
        assertArrayEquals(a.antennaXyz(), b.antennaXyz(), 0.0);
        assertArrayEquals(va.im(), vb.im());
        long flagged = 0;
        int per = va.nChan() * va.nPol();
        for (int i = 0; i < va.re().length; i++) {
            assertEquals(2 * va.re()[i], vb.re()[i], 0f);
            assertEquals(0.5f * va.weight()[i], vb.weight()[i], 0f);
            boolean want = va.flag()[i] || va.ant2()[i / per] == 3;
            assertEquals(want, vb.flag()[i], "flag of sample " + i);
            flagged += want ? 1 : 0;
        }
        assertEquals(va.re().length, r.samples());
        assertEquals(flagged, r.flagged());
        assertEquals("CORRECTED_DATA", b.keywords().get("DATACOL"));
        assertEquals("x", b.keywords().get("CALSTAT"));
        assertEquals("2025-10-24T01:02:03", b.keywords().get("GROUPID"));
    }

    @Test
    void groupChannelRoundTripsAcrossManyBatches() throws Exception {
        Path f = tmp.resolve("rows.bin");
        int nRows = 1001, rowFloats = 7;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            GroupChannel.write(ch, nRows, rowFloats, (i, row) -> {
                for (int k = 0; k < rowFloats; k++) {
                    row[k] = i * 10f + k;
                }
            }, 100);
        }
        assertEquals(4L * nRows * rowFloats, f.toFile().length());
        float[] back = new float[nRows * rowFloats];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            GroupChannel.read(ch, 0, nRows, rowFloats, (i, row) -> System.arraycopy(row, 0, back, i * rowFloats,
                rowFloats), 100);
        }
        for (int i = 0; i < nRows; i++) {
            for (int k = 0; k < rowFloats; k++) {
                assertEquals(i * 10f + k, back[i * rowFloats + k], 0f);
            }
        }
        assertTrue(back[back.length - 1] > 0);
    }
}
