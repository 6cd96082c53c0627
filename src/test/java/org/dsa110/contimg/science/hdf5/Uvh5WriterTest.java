package org.dsa110.contimg.science.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Uvh5WriterTest {

    @TempDir
    Path tmp;

    @Test
    void headerAndDataReadBackWithJhdf() throws IOException {
        Uvh5Data d = Uvh5Fixtures.synthetic(4, 3, 5, 42);
        Path file = tmp.resolve("small.uvh5");
        Uvh5Writer.write(d, file);

        int nBls = 4 * 5 / 2;
        int nBlts = nBls * 3;
        try (HdfFile f = new HdfFile(file)) {
            assertEquals((long) nBlts, f.getDatasetByPath("Header/Nblts").getData());
            assertEquals((long) nBls, f.getDatasetByPath("Header/Nbls").getData());
            assertEquals(3L, f.getDatasetByPath("Header/Ntimes").getData());
            assertEquals(5L, f.getDatasetByPath("Header/Nfreqs").getData());
            assertEquals(2L, f.getDatasetByPath("Header/Npols").getData());
            assertEquals(1L, f.getDatasetByPath("Header/Nspws").getData());
            assertEquals(4L, f.getDatasetByPath("Header/Nants_data").getData());
            assertEquals(4L, f.getDatasetByPath("Header/Nants_telescope").getData());
            assertEquals("DSA-110", f.getDatasetByPath("Header/telescope_name").getData());
            // the DSA-110 meridian statement as a UVH5 1.x driftscan entry (no legacy phase_type)
            assertEquals("driftscan", f.getDatasetByPath("Header/phase_center_catalog/0/cat_type").getData());
            assertEquals("altaz", f.getDatasetByPath("Header/phase_center_catalog/0/cat_frame").getData());
            assertEquals(Math.PI / 2 - Math.abs(0.6457718232379019 - Math.toRadians(37.2314)),
                    (double) f.getDatasetByPath("Header/phase_center_catalog/0/cat_lat").getData(), 1e-15);
            assertEquals(Math.PI, (double) f.getDatasetByPath("Header/phase_center_catalog/0/cat_lon").getData(),
                    "south of the zenith");
            assertEquals(1L, f.getDatasetByPath("Header/Nphase").getData());
            assertFalse(f.getChildren().get("Header") instanceof io.jhdf.api.Group g
                    && g.getChildren().containsKey("phase_type"));
            assertEquals("uncalib", f.getDatasetByPath("Header/vis_units").getData());
            assertEquals(37.2314, (double) f.getDatasetByPath("Header/latitude").getData());
            assertArrayEquals(new String[] {"pad1", "pad2", "pad3", "pad4"},
                    (String[]) f.getDatasetByPath("Header/antenna_names").getData());
            assertArrayEquals(new long[] {-5, -6}, (long[]) f.getDatasetByPath("Header/polarization_array").getData());

            double[] times = (double[]) f.getDatasetByPath("Header/time_array").getData();
            assertEquals(nBlts, times.length);
            assertArrayEquals(d.blts().timeJd(), times);
            assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1}, java.util.Arrays.copyOf(
                    (long[]) f.getDatasetByPath("Header/ant_1_array").getData(), 6));
            double[][] uvw = (double[][]) f.getDatasetByPath("Header/uvw_array").getData();
            assertEquals(nBlts, uvw.length);
            assertArrayEquals(new double[] {15.0, -6.0, 0.75}, uvw[3]); // baseline (0, 3)
            double[][] antpos = (double[][]) f.getDatasetByPath("Header/antenna_positions").getData();
            assertArrayEquals(new double[] {10.0, -4.0, 0.5}, antpos[2]);
            assertArrayEquals(d.freqHz(), (double[]) f.getDatasetByPath("Header/freq_array").getData());
            assertArrayEquals(d.channelWidthHz(), (double[]) f.getDatasetByPath("Header/channel_width").getData());
            assertArrayEquals(new long[5], (long[]) f.getDatasetByPath("Header/flex_spw_id_array").getData());
            assertEquals(0.6457718232379019,
                    (double) f.getDatasetByPath("Header/extra_keywords/phase_center_dec").getData());
            assertEquals("2024-01-01T00:00:00", f.getDatasetByPath("Header/extra_keywords/fs_table_id").getData());

            Dataset vis = f.getDatasetByPath("Data/visdata");
            assertArrayEquals(new int[] {nBlts, 5, 2}, vis.getDimensions());
            Map<?, ?> members = (Map<?, ?>) vis.getData();
            float[][][] re = (float[][][]) members.get("r");
            float[][][] im = (float[][][]) members.get("i");
            String[][][] flags = (String[][][]) f.getDatasetByPath("Data/flags").getData();
            float[][][] nsamples = (float[][][]) f.getDatasetByPath("Data/nsamples").getData();
            for (int b = 0; b < nBlts; b++) {
                for (int ch = 0; ch < 5; ch++) {
                    for (int p = 0; p < 2; p++) {
                        int c = (b * 5 + ch) * 2 + p;
                        assertEquals(d.visibilities()[2 * c], re[b][ch][p]);
                        assertEquals(d.visibilities()[2 * c + 1], im[b][ch][p]);
                        assertEquals(d.flags()[c] ? "TRUE" : "FALSE", flags[b][ch][p]);
                        assertEquals(d.nsamples()[c], nsamples[b][ch][p]);
                    }
                }
            }
        }
    }

    @Test
    void fullDsa110BaselineSetStreamsThroughTheWriteBuffer() throws IOException {
        // 96 antennas incl. autos = 4656 baselines, 48 channels, 2 pols: 3.6 MB of visibilities,
        // several times the 1 MiB stream buffer, so buffer refills land mid-array
        Uvh5Data d = Uvh5Fixtures.synthetic(96, 1, 48, 7);
        Path file = tmp.resolve("dsa.uvh5");
        Uvh5Writer.write(d, file);
        try (HdfFile f = new HdfFile(file)) {
            assertEquals(4656L, f.getDatasetByPath("Header/Nbls").getData());
            Dataset vis = f.getDatasetByPath("Data/visdata");
            assertArrayEquals(new int[] {4656, 48, 2}, vis.getDimensions());
            float[][][] im = (float[][][]) ((Map<?, ?>) vis.getData()).get("i");
            int last = (4655 * 48 + 47) * 2 + 1;
            assertEquals(d.visibilities()[2 * last + 1], im[4655][47][1]);
            int mid = (2000 * 48 + 13) * 2;
            assertEquals(d.visibilities()[2 * mid + 1], im[2000][13][0]);
            assertTrue(((double[]) f.getDatasetByPath("Header/time_array").getData()).length > 0);
        }
    }

    @Test
    void rejectsInconsistentModel() {
        Uvh5Data ok = Uvh5Fixtures.synthetic(2, 1, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> new Uvh5Data(ok.telescope(), "x", "h", "uncalib",
                ok.blts(), ok.freqHz(), ok.channelWidthHz(), ok.polarizations(),
                new float[3], ok.flags(), ok.nsamples(), Map.of()));
        int[] badAnt = ok.blts().ant2().clone();
        badAnt[0] = 99; // not in the antenna table
        Uvh5Data.BaselineTimes blts = new Uvh5Data.BaselineTimes(ok.blts().ant1(), badAnt,
                ok.blts().timeJd(), ok.blts().lstRad(), ok.blts().integrationTimeS(), ok.blts().uvwM());
        assertThrows(IllegalArgumentException.class, () -> new Uvh5Data(ok.telescope(), "x", "h", "uncalib",
                blts, ok.freqHz(), ok.channelWidthHz(), ok.polarizations(),
                ok.visibilities(), ok.flags(), ok.nsamples(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Uvh5Data(ok.telescope(), "x", "h", "uncalib",
                ok.blts(), ok.freqHz(), ok.channelWidthHz(), ok.polarizations(),
                ok.visibilities(), ok.flags(), ok.nsamples(), Map.of("bad", new Object())));
    }
}
