package org.dsa110.contimg.science.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.DebianPython;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated subband file read with Debian's {@code /usr/bin/python3} + h5py (libhdf5 verifies the checksums on
 * open) through the project's {@code h5py_check.py}: the reads pyuvdata's UVH5 reader performs, and the header
 * arrays and visibilities equal to what jhdf reads. Skipped when h5py is not installed (package python3-h5py).
 */
class H5pySimulatedFileTest {

    private static final String PYTHON = DebianPython.PYTHON;
    private static final String SCRIPT = "/org/dsa110/contimg/science/hdf5/h5py_check.py";

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireH5py() {
        Assumptions.assumeTrue(DebianPython.has("h5py, numpy"), "skipping: '" + PYTHON
                + " -c \"import h5py\"' failed; install the Debian package python3-h5py to run this test");
    }

    @Test
    void h5pyReadsASimulatedSubbandFileLikePyuvdata() throws Exception {
        SimConfig cfg = SimConfig.defaults(tmp).withAntennas(7).withSubbands(2).withChannelsPerSubband(3)
                .withIntegrations(2).withCatalogMinFluxMjy(30).withCalibratorGroups(Set.of(0));
        Path file = new GroupSimulator(cfg).writeGroup(0).get(1);
        Map<String, Object> datasets = new LinkedHashMap<>();
        try (HdfFile f = new HdfFile(file)) {
            double[] freq = (double[]) f.getDatasetByPath("Header/freq_array").getData();
            double[] time = (double[]) f.getDatasetByPath("Header/time_array").getData();
            long[] ant1 = (long[]) f.getDatasetByPath("Header/ant_1_array").getData();
            int nBlts = time.length;
            datasets.put("Header/freq_array", expect("float64", List.of(3), toList(freq)));
            datasets.put("Header/time_array", expect("float64", List.of(nBlts), toList(time)));
            datasets.put("Header/ant_1_array", expect("int64", List.of(nBlts), toList(ant1)));
            datasets.put("Header/Nbls", expect("int64", List.of(), List.of(21)));
            datasets.put("Header/extra_keywords/phase_center_dec",
                    expect("float64", List.of(), List.of(Math.toRadians(cfg.pointingDecDeg()))));
            Map<?, ?> vis = (Map<?, ?>) f.getDatasetByPath("Data/visdata").getData();
            float[][][] re = (float[][][]) vis.get("r");
            float[][][] im = (float[][][]) vis.get("i");
            List<Object> flat = new ArrayList<>();
            double power = 0;
            for (int b = 0; b < nBlts; b++) {
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 2; p++) {
                        flat.add(re[b][c][p]);
                        flat.add(im[b][c][p]);
                        power += re[b][c][p] * re[b][c][p];
                    }
                }
            }
            assertTrue(power > 0, "non-zero visibilities");
            datasets.put("Data/visdata", expect("complex64", List.of(nBlts, 3, 2), flat));
        }
        Path spec = tmp.resolve("spec.json");
        new ObjectMapper().writeValue(spec.toFile(), Map.of("datasets", datasets, "uvh5", true));
        Path script = tmp.resolve("h5py_check.py");
        try (var in = getClass().getResourceAsStream(SCRIPT)) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), file.toString(), spec.toString())
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

    private static Map<String, Object> expect(String dtype, List<Integer> shape, List<?> values) {
        return Map.of("dtype", dtype, "shape", shape, "values", values);
    }

    private static List<Object> toList(double[] a) {
        List<Object> out = new ArrayList<>();
        for (double v : a) {
            out.add(v);
        }
        return out;
    }

    private static List<Object> toList(long[] a) {
        List<Object> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
