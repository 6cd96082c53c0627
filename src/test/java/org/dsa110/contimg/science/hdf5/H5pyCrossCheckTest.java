package org.dsa110.contimg.science.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.DebianPython;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads files from {@link Hdf5Writer} and {@link Uvh5Writer} with h5py (the reference HDF5
 * library, which also verifies our lookup3 checksums on open) through
 * {@code h5py_check.py}. Skipped when {@code /usr/bin/python3} lacks h5py/numpy
 * (Debian package python3-h5py).
 */
class H5pyCrossCheckTest {

    private static final String PYTHON = DebianPython.PYTHON;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireH5py() {
        Assumptions.assumeTrue(DebianPython.has("h5py, numpy"),
                "skipping h5py cross-check: '" + PYTHON + " -c \"import h5py, numpy\"' failed (install python3-h5py)");
    }

    @Test
    void everySupportedTypeReadsBackInH5py() throws Exception {
        Hdf5Writer w = new Hdf5Writer();
        Hdf5Group root = w.root();
        Map<String, Object> datasets = new LinkedHashMap<>();
        root.dataset("f64", new double[] {1.5, -2.25, 1e300, 0.1, 0, 6}, 2, 3);
        datasets.put("f64", expect("float64", List.of(2, 3), List.of(1.5, -2.25, 1e300, 0.1, 0.0, 6.0)));
        root.dataset("f32", new float[] {0.1f, -3e-30f, 7f});
        datasets.put("f32", expect("float32", List.of(3), List.of(0.1f, -3e-30f, 7f)));
        root.dataset("i64", new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        datasets.put("i64", expect("int64", List.of(2), List.of(Long.MIN_VALUE, Long.MAX_VALUE)));
        root.dataset("i32", new int[] {-5, 6, 7, 8}, 2, 2);
        datasets.put("i32", expect("int32", List.of(2, 2), List.of(-5, 6, 7, 8)));
        root.dataset("i16", new short[] {-300});
        datasets.put("i16", expect("int16", List.of(1), List.of(-300)));
        root.dataset("i8", new byte[] {-128, 127});
        datasets.put("i8", expect("int8", List.of(2), List.of(-128, 127)));
        root.dataset("u8", Hdf5Type.UINT8, new long[] {2}, Hdf5Data.of(new byte[] {(byte) 200, 3}));
        datasets.put("u8", expect("uint8", List.of(2), List.of(200, 3)));
        root.dataset("u16", Hdf5Type.UINT16, new long[] {1}, Hdf5Data.of(new short[] {(short) 65535}));
        datasets.put("u16", expect("uint16", List.of(1), List.of(65535)));
        root.dataset("u32", Hdf5Type.UINT32, new long[] {1}, Hdf5Data.of(new int[] {-1}));
        datasets.put("u32", expect("uint32", List.of(1), List.of(4294967295L)));
        root.dataset("u64", Hdf5Type.UINT64, new long[] {1}, Hdf5Data.of(new long[] {Long.MAX_VALUE}));
        datasets.put("u64", expect("uint64", List.of(1), List.of(Long.MAX_VALUE)));
        root.dataset("flags", new boolean[] {true, false, true});
        datasets.put("flags", expect("bool", List.of(3), List.of(true, false, true)));
        root.complexDataset("vis", new float[] {1f, -1f, 0.3f, 2f}, 1, 2);
        datasets.put("vis", expect("complex64", List.of(1, 2), List.of(1f, -1f, 0.3f, 2f)));
        Hdf5Group header = root.group("Header");
        header.dataset("antenna_names", new String[] {"pad1", "pad110"});
        datasets.put("Header/antenna_names", expect("|S6", List.of(2), List.of("pad1", "pad110")));
        header.scalar("telescope_name", "DSA-110");
        datasets.put("Header/telescope_name", expect("|S7", List.of(), List.of("DSA-110")));
        header.group("extra_keywords").scalar("phase_center_dec", 0.6457718232379019);
        datasets.put("Header/extra_keywords/phase_center_dec",
                expect("float64", List.of(), List.of(0.6457718232379019)));
        for (int i = 0; i < 12; i++) { // beyond the default 8 compact links
            header.scalar("n" + i, (long) i);
            datasets.put("Header/n" + i, expect("int64", List.of(), List.of(i)));
        }
        root.attribute("note", "written by contimg-hub");
        header.attribute("count", 3L);
        header.attribute("scale", new double[] {0.5, 2.0});
        header.attribute("ok", true);
        Map<String, Object> attributes = Map.of(
                "/", Map.of("note", "written by contimg-hub"),
                "Header", Map.of("count", 3, "scale", List.of(0.5, 2.0), "ok", true));

        Path file = tmp.resolve("types.h5");
        w.write(file);
        runCheck(file, Map.of("datasets", datasets, "attributes", attributes, "uvh5", false));
    }

    @Test
    void uvh5FileReadsLikePyuvdataExpects() throws Exception {
        Uvh5Data d = Uvh5Fixtures.synthetic(5, 2, 4, 11);
        Path file = tmp.resolve("sim.uvh5");
        Uvh5Writer.write(d, file);
        int nBlts = d.nBlts();
        Map<String, Object> datasets = new LinkedHashMap<>();
        datasets.put("Header/time_array", expect("float64", List.of(nBlts), toList(d.blts().timeJd())));
        datasets.put("Header/Nbls", expect("int64", List.of(), List.of(15)));
        datasets.put("Header/Ntimes", expect("int64", List.of(), List.of(2)));
        datasets.put("Header/polarization_array", expect("int64", List.of(2), List.of(-5, -6)));
        datasets.put("Header/extra_keywords/applied_delays_ns", expect("int64", List.of(3), List.of(0, 1, 2)));
        datasets.put("Data/visdata", expect("complex64", List.of(nBlts, 4, 2), toList(d.visibilities())));
        datasets.put("Data/flags", expect("bool", List.of(nBlts, 4, 2), toList(d.flags())));
        datasets.put("Data/nsamples", expect("float32", List.of(nBlts, 4, 2), toList(d.nsamples())));
        runCheck(file, Map.of("datasets", datasets, "uvh5", true));
    }

    /**
     * Issue 14 point 4: a file of the simulator states its phase centre in the UVH5 1.x catalog (a driftscan entry
     * at the meridian) and its uvw are that centre's, recomputed in numpy from the antenna positions as pyuvdata's
     * check does (before, the file said "drift", i.e. the zenith, and the uvw were 661 m from it).
     */
    @Test
    void simulatedFileStatesThePhaseCentreItsUvwBelongTo() throws Exception {
        org.dsa110.contimg.science.sim.SimConfig cfg = org.dsa110.contimg.science.sim.SimConfig.defaults(tmp)
                .withAntennas(6).withSubbands(1).withChannelsPerSubband(2).withIntegrations(2).withSefdJy(0)
                .withGains(false).withFixedSky(List.of());
        Path file = new org.dsa110.contimg.science.sim.GroupSimulator(cfg).writeGroup(0).get(0);
        Map<String, Object> datasets = new LinkedHashMap<>();
        datasets.put("Header/phase_center_catalog/0/cat_type", expect("|S9", List.of(), List.of("driftscan")));
        datasets.put("Header/phase_center_catalog/0/cat_frame", expect("|S5", List.of(), List.of("altaz")));
        datasets.put("Header/Nphase", expect("int64", List.of(), List.of(1)));
        runCheck(file, Map.of("datasets", datasets, "uvh5", true, "uvw_tolerance_m", 0.001));
    }

    private static Map<String, Object> expect(String dtype, List<Integer> shape, List<?> values) {
        return Map.of("dtype", dtype, "shape", shape, "values", values);
    }

    private static List<Object> toList(double[] a) {
        List<Object> out = new ArrayList<>(a.length);
        for (double v : a) {
            out.add(v);
        }
        return out;
    }

    private static List<Object> toList(float[] a) {
        List<Object> out = new ArrayList<>(a.length);
        for (float v : a) {
            out.add(v);
        }
        return out;
    }

    private static List<Object> toList(boolean[] a) {
        List<Object> out = new ArrayList<>(a.length);
        for (boolean v : a) {
            out.add(v);
        }
        return out;
    }

    private void runCheck(Path file, Map<String, Object> spec) throws Exception {
        Path specFile = tmp.resolve(file.getFileName() + ".json");
        JSON.writeValue(specFile.toFile(), spec);
        Process p = new ProcessBuilder(PYTHON, script().toString(), file.toString(), specFile.toString())
                .redirectErrorStream(true).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, "h5py check timed out");
        assertEquals(0, p.exitValue(), "h5py check failed:\n" + output);
        assertEquals("OK", output.strip());
    }

    private Path script() throws URISyntaxException {
        return Path.of(getClass().getResource("h5py_check.py").toURI());
    }
}
