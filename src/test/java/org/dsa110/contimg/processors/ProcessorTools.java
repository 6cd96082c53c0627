package org.dsa110.contimg.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.dsa110.contimg.DebianPython;
import org.dsa110.contimg.core.Json;

/**
 * What the processors/ adapter tests need: the Debian tools (detected, never assumed), the scripts' location, a
 * way to run make_test_ms.py, and a FITS image plane read with nom-tam-fits.
 */
final class ProcessorTools {
    /** The interpreter Debian's python3-casacore installs into (a pyenv/conda python3 on PATH may lack it). */
    static final String PYTHON = DebianPython.PYTHON;
    static final Path PROCESSORS = Path.of(System.getProperty("user.dir")).resolve("processors").toAbsolutePath();

    private ProcessorTools() {
    }

    static boolean pythonHas(String imports) {
        return DebianPython.has(imports);
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    /** Why the WSClean adapter cannot run here, or null when it can. */
    static String wscleanMissing() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        if (!pythonHas("numpy, casacore.tables")) {
            return PYTHON + " cannot import casacore.tables (Debian package python3-casacore)";
        }
        if (!onPath("wsclean")) {
            return "wsclean is not on PATH (Debian package wsclean)";
        }
        return null;
    }

    /** Runs make_test_ms.py into {@code ms} with extra args; returns its truth JSON. */
    static JsonNode makeTestMs(Path ms, String... extra) throws Exception {
        Path truth = ms.resolveSibling(ms.getFileName() + ".truth.json");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, PROCESSORS.resolve("make_test_ms.py").toString(),
                ms.toString(), "--truth", truth.toString()));
        cmd.addAll(List.of(extra));
        Path log = ms.resolveSibling(ms.getFileName() + ".log");
        int rc = run(cmd, log);
        assertEquals(0, rc, "make_test_ms.py failed: " + (Files.exists(log) ? Files.readString(log) : ""));
        return Json.MAPPER.readTree(truth.toFile());
    }

    /** Exit code of a command (stdout+stderr to {@code log} or discarded), -1 if it cannot start or hangs. */
    static int run(List<String> cmd, Path log) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (Exception e) {
            return -1;
        }
    }

    static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The first plane of a FITS image (WSClean writes NAXIS=4: x, y, freq, stokes) and its header. */
    record Plane(Header header, float[][] pixels) {
        int width() {
            return pixels[0].length;
        }

        int height() {
            return pixels.length;
        }

        /** 1-based FITS pixel (x, y) of the largest finite value, and the value. */
        double[] peak() {
            double best = Double.NEGATIVE_INFINITY;
            int bx = -1;
            int by = -1;
            for (int y = 0; y < height(); y++) {
                for (int x = 0; x < width(); x++) {
                    float v = pixels[y][x];
                    if (Float.isFinite(v) && v > best) {
                        best = v;
                        bx = x;
                        by = y;
                    }
                }
            }
            return new double[] {bx + 1, by + 1, best};
        }

        /**
         * SIN projection about CRVAL (the only one WSClean writes): the 1-based pixel of (ra, dec), computed here
         * from the header so the test does not trust the code under test.
         */
        double[] pixelOf(double raDeg, double decDeg) {
            double ra0 = Math.toRadians(header.getDoubleValue("CRVAL1"));
            double dec0 = Math.toRadians(header.getDoubleValue("CRVAL2"));
            double ra = Math.toRadians(raDeg);
            double dec = Math.toRadians(decDeg);
            double l = Math.cos(dec) * Math.sin(ra - ra0);
            double m = Math.sin(dec) * Math.cos(dec0) - Math.cos(dec) * Math.sin(dec0) * Math.cos(ra - ra0);
            return new double[] {
                header.getDoubleValue("CRPIX1") + Math.toDegrees(l) / header.getDoubleValue("CDELT1"),
                header.getDoubleValue("CRPIX2") + Math.toDegrees(m) / header.getDoubleValue("CDELT2")};
        }
    }

    static Plane readPlane(Path fits) throws Exception {
        try (Fits f = new Fits(fits.toFile())) {
            ImageHDU hdu = (ImageHDU) f.readHDU();
            Object kernel = hdu.getKernel();
            while (kernel instanceof Object[] arr && !(kernel instanceof float[][])) {
                kernel = arr[0];
            }
            return new Plane(hdu.getHeader(), (float[][]) kernel);
        }
    }
}
