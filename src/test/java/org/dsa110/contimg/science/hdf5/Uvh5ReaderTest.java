package org.dsa110.contimg.science.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Uvh5ReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsBackWhatTheWriterWrote() throws Exception {
        Uvh5Data d = Uvh5Fixtures.synthetic(4, 3, 5, 42);
        Path f = tmp.resolve("x.hdf5");
        Uvh5Writer.write(d, f);
        Uvh5Data r = Uvh5Reader.read(f);
        assertArrayEquals(d.visibilities(), r.visibilities());
        assertArrayEquals(d.flags(), r.flags());
        assertArrayEquals(d.nsamples(), r.nsamples());
        assertArrayEquals(d.freqHz(), r.freqHz());
        assertArrayEquals(d.channelWidthHz(), r.channelWidthHz());
        assertArrayEquals(d.polarizations(), r.polarizations());
        assertArrayEquals(d.blts().ant1(), r.blts().ant1());
        assertArrayEquals(d.blts().ant2(), r.blts().ant2());
        assertArrayEquals(d.blts().timeJd(), r.blts().timeJd());
        assertArrayEquals(d.blts().lstRad(), r.blts().lstRad());
        assertArrayEquals(d.blts().uvwM(), r.blts().uvwM());
        assertArrayEquals(d.telescope().antennaNumbers(), r.telescope().antennaNumbers());
        assertArrayEquals(d.telescope().antennaNames(), r.telescope().antennaNames());
        assertArrayEquals(d.telescope().antennaPositionsM(), r.telescope().antennaPositionsM());
        assertEquals(d.telescope().latitudeDeg(), r.telescope().latitudeDeg());
        assertEquals(0.6457718232379019, ((Number) r.extraKeywords().get("phase_center_dec")).doubleValue());
        assertEquals("2024-01-01T00:00:00", r.extraKeywords().get("fs_table_id"));
        // the generic decoders (chunked or unusual layouts) of nested jhdf arrays
        assertArrayEquals(new boolean[] {true, false, false, true},
                Uvh5Reader.booleans(new String[][] {{"TRUE", "FALSE"}, {"FALSE", "TRUE"}}, 4));
        assertArrayEquals(new float[] {1, 2, 3, 4}, Uvh5Reader.floats(new float[][] {{1, 2}, {3, 4}}));
    }
}
