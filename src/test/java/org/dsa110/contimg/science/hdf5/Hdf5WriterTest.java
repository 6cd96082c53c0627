package org.dsa110.contimg.science.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.object.datatype.CompoundDataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5WriterTest {

    @TempDir
    Path tmp;

    @Test
    void numericDatasetsRoundTripWithShapes() throws IOException {
        Hdf5Writer w = new Hdf5Writer();
        Hdf5Group g = w.root();
        g.dataset("f64", new double[] {1.5, -2.25, 1e300, Double.MIN_VALUE, 0, 6}, 2, 3);
        g.dataset("f32", new float[] {3.5f, -1e-30f, Float.MAX_VALUE, 7f});
        g.dataset("i64", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 2, 1, 2);
        g.dataset("i32", new int[] {Integer.MIN_VALUE, 42, Integer.MAX_VALUE});
        g.dataset("i16", new short[] {-32768, 12345});
        g.dataset("i8", new byte[] {-128, 0, 127});
        g.dataset("u8", Hdf5Type.UINT8, new long[] {2}, Hdf5Data.of(new byte[] {(byte) 200, 3}));
        g.dataset("u16", Hdf5Type.UINT16, new long[] {1}, Hdf5Data.of(new short[] {(short) 60000}));
        g.dataset("u32", Hdf5Type.UINT32, new long[] {1}, Hdf5Data.of(new int[] {(int) 4_000_000_000L}));
        g.dataset("u64", Hdf5Type.UINT64, new long[] {1}, Hdf5Data.of(new long[] {1L << 62}));
        g.scalar("sd", Math.PI);
        g.scalar("sl", 1234567890123L);
        g.scalar("si", -7);
        Path file = tmp.resolve("numeric.h5");
        w.write(file);

        try (HdfFile f = new HdfFile(file)) {
            Dataset f64 = f.getDatasetByPath("f64");
            assertArrayEquals(new int[] {2, 3}, f64.getDimensions());
            double[][] d = (double[][]) f64.getData();
            assertArrayEquals(new double[] {1.5, -2.25, 1e300}, d[0]);
            assertArrayEquals(new double[] {Double.MIN_VALUE, 0, 6}, d[1]);
            assertArrayEquals(new float[] {3.5f, -1e-30f, Float.MAX_VALUE, 7f}, (float[]) f.getDatasetByPath("f32").getData());
            long[][][] l = (long[][][]) f.getDatasetByPath("i64").getData();
            assertArrayEquals(new long[] {Long.MIN_VALUE, -1}, l[0][0]);
            assertArrayEquals(new long[] {0, Long.MAX_VALUE}, l[1][0]);
            assertArrayEquals(new int[] {Integer.MIN_VALUE, 42, Integer.MAX_VALUE}, (int[]) f.getDatasetByPath("i32").getData());
            assertArrayEquals(new short[] {-32768, 12345}, (short[]) f.getDatasetByPath("i16").getData());
            assertArrayEquals(new byte[] {-128, 0, 127}, (byte[]) f.getDatasetByPath("i8").getData());
            // jhdf widens unsigned types (uint8 and uint16 both to int)
            assertArrayEquals(new int[] {200, 3}, (int[]) f.getDatasetByPath("u8").getData());
            assertArrayEquals(new int[] {60000}, (int[]) f.getDatasetByPath("u16").getData());
            assertArrayEquals(new long[] {4_000_000_000L}, (long[]) f.getDatasetByPath("u32").getData());
            assertEquals(java.math.BigInteger.ONE.shiftLeft(62),
                    ((java.math.BigInteger[]) f.getDatasetByPath("u64").getData())[0]);
            Dataset sd = f.getDatasetByPath("sd");
            assertTrue(sd.isScalar());
            assertEquals(Math.PI, (double) sd.getData());
            assertEquals(1234567890123L, (long) f.getDatasetByPath("sl").getData());
            assertEquals(-7, (int) f.getDatasetByPath("si").getData());
        }
    }

    @Test
    void stringsBooleansAndCompoundsRoundTrip() throws IOException {
        Hdf5Writer w = new Hdf5Writer();
        Hdf5Group g = w.root();
        g.scalar("name", "DSA-110");
        g.scalar("empty", "");
        g.dataset("names", new String[] {"pad1", "pad103", "x"});
        g.dataset("flags", new boolean[] {true, false, false, true}, 2, 2);
        g.scalar("flag", true);
        float[] vis = {1f, -1f, 2.5f, 0f, -3f, 4f};
        g.complexDataset("vis", vis, 3);
        // general compound with mixed members: {id: int32 @0, w: float64 @4}
        Hdf5Type.Compound mixed = new Hdf5Type.Compound(12, List.of(
                new Hdf5Type.Compound.Member("id", 0, Hdf5Type.INT32),
                new Hdf5Type.Compound.Member("w", 4, Hdf5Type.FLOAT64)));
        ByteBuffer raw = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        raw.putInt(7).putDouble(0.25).putInt(-9).putDouble(1e10);
        g.dataset("mixed", mixed, new long[] {2}, Hdf5Data.raw(raw.array(), 12));
        Path file = tmp.resolve("strings.h5");
        w.write(file);

        try (HdfFile f = new HdfFile(file)) {
            assertEquals("DSA-110", f.getDatasetByPath("name").getData());
            assertEquals("", f.getDatasetByPath("empty").getData());
            assertArrayEquals(new String[] {"pad1", "pad103", "x"}, (String[]) f.getDatasetByPath("names").getData());

            // jhdf reads enumerations as their member names
            String[][] flags = (String[][]) f.getDatasetByPath("flags").getData();
            assertArrayEquals(new String[] {"TRUE", "FALSE"}, flags[0]);
            assertArrayEquals(new String[] {"FALSE", "TRUE"}, flags[1]);
            assertEquals("TRUE", f.getDatasetByPath("flag").getData());

            Dataset visDs = f.getDatasetByPath("vis");
            assertTrue(visDs.isCompound());
            CompoundDataType ct = assertInstanceOf(CompoundDataType.class, visDs.getDataType());
            assertEquals(List.of("r", "i"), ct.getMembers().stream().map(CompoundDataType.CompoundDataMember::getName).toList());
            assertEquals(4, ct.getMembers().get(1).getOffset());
            Map<?, ?> members = (Map<?, ?>) visDs.getData();
            assertArrayEquals(new float[] {1f, 2.5f, -3f}, (float[]) members.get("r"));
            assertArrayEquals(new float[] {-1f, 0f, 4f}, (float[]) members.get("i"));

            Map<?, ?> mixedData = (Map<?, ?>) f.getDatasetByPath("mixed").getData();
            assertArrayEquals(new int[] {7, -9}, (int[]) mixedData.get("id"));
            assertArrayEquals(new double[] {0.25, 1e10}, (double[]) mixedData.get("w"));
        }
    }

    @Test
    void nestedGroupsAndAttributesRoundTrip() throws IOException {
        Hdf5Writer w = new Hdf5Writer();
        w.root().attribute("file_note", "written by contimg-hub");
        Hdf5Group header = w.root().group("Header");
        header.attribute("count", 3L);
        header.attribute("scale", 0.5);
        header.attribute("axes", new double[] {1, 2, 3});
        header.attribute("idx", new long[] {-4, 5});
        header.attribute("ok", true);
        header.attribute("small", 11);
        Hdf5Group extra = header.group("extra_keywords");
        assertTrue(extra == header.group("extra_keywords"), "group() returns the existing group");
        extra.scalar("phase_center_dec", 0.7);
        Hdf5Dataset ds = header.dataset("time_array", new double[] {2460000.5, 2460000.6});
        ds.attribute("units", "JD");
        for (int i = 0; i < 20; i++) { // more links than the default compact limit of 8
            w.root().group("Data").scalar("v" + i, (long) i * i);
        }
        Path file = tmp.resolve("groups.h5");
        w.write(file);

        try (HdfFile f = new HdfFile(file)) {
            assertEquals("written by contimg-hub", f.getAttribute("file_note").getData());
            Group h = (Group) f.getChild("Header");
            assertEquals(3L, h.getAttribute("count").getData());
            assertEquals(0.5, h.getAttribute("scale").getData());
            assertArrayEquals(new double[] {1, 2, 3}, (double[]) h.getAttribute("axes").getData());
            assertArrayEquals(new long[] {-4, 5}, (long[]) h.getAttribute("idx").getData());
            assertEquals("TRUE", h.getAttribute("ok").getData());
            assertEquals(11, h.getAttribute("small").getData());
            assertEquals(0.7, (double) f.getDatasetByPath("Header/extra_keywords/phase_center_dec").getData());
            Dataset t = f.getDatasetByPath("/Header/time_array");
            assertArrayEquals(new double[] {2460000.5, 2460000.6}, (double[]) t.getData());
            assertEquals("JD", t.getAttribute("units").getData());
            Group data = (Group) f.getChild("Data");
            assertEquals(20, data.getChildren().size());
            for (int i = 0; i < 20; i++) {
                assertEquals((long) i * i, (long) f.getDatasetByPath("Data/v" + i).getData());
            }
        }
        // superblock end-of-file address equals the real file length
        ByteBuffer sb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Files.size(file), sb.getLong(28));
        assertEquals(sb.getInt(44), Lookup3.hashLittle(Files.readAllBytes(file), 0, 44, 0));
    }

    @Test
    void rejectsInconsistentShapesAndDuplicateNames() {
        Hdf5Group root = new Hdf5Writer().root();
        assertThrows(IllegalArgumentException.class, () -> root.dataset("x", new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> root.dataset("y", Hdf5Type.FLOAT32, new long[] {2}, Hdf5Data.of(new double[2])));
        root.scalar("z", 1.0);
        assertThrows(IllegalArgumentException.class, () -> root.scalar("z", 2.0));
        assertThrows(IllegalArgumentException.class, () -> root.group("z"));
        assertThrows(IllegalArgumentException.class, () -> root.group("a/b"));
        assertThrows(IllegalArgumentException.class, () -> root.attribute("big", new double[10_000]));
    }
}
