package org.dsa110.contimg.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.dsa110.contimg.science.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling of the {@code simulate} command and one small real run. */
class SimulateCommandTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEveryOptionWhateverTheOrder() throws Exception {
        SimConfig c = SimulateCommand.parse(new String[] {"--calibrator-groups", "0,2", "--out", "x", "--groups", "3",
            "--antennas", "12", "--channels", "4", "--subbands", "8", "--integrations", "5", "--dec", "16.3",
            "--sefd", "0", "--seed", "42", "--start", "2026-03-01T10:00:00", "--ese", "auto", "--ese-start", "1",
            "--ese-duration", "2", "--ese-depth", "0.3", "--no-gains", "--catalog-min-flux", "10",
            "--model-min-flux", "2", "--catalog", "c.csv", "--truth", "t.json", "--calibrator", "3C286"});
        assertEquals(Path.of("x"), c.outputDir());
        assertEquals(3, c.groups());
        assertEquals(12, c.antennas());
        assertEquals(4, c.channelsPerSubband());
        assertEquals(8, c.subbands());
        assertEquals(5, c.integrations());
        assertEquals(16.3, c.pointingDecDeg());
        assertEquals(0.0, c.sefdJy());
        assertEquals(42L, c.seed());
        assertEquals(Instant.parse("2026-03-01T10:00:00Z"), c.start());
        assertEquals(Set.of(0, 2), c.calibratorGroups());
        assertEquals("3C286", c.calibratorName());
        assertEquals(1, c.ese().size());
        assertTrue(c.ese().get(0).isAuto());
        assertEquals(1, c.ese().get(0).startGroup());
        assertEquals(2, c.ese().get(0).durationGroups());
        assertEquals(0.3, c.ese().get(0).depth());
        assertFalse(c.gains());
        assertEquals(10.0, c.catalogMinFluxMjy());
        assertEquals(2.0, c.modelMinApparentMjy());
        assertEquals(Path.of("c.csv"), c.catalogPath());
        assertEquals(Path.of("t.json"), c.truthPath());
    }

    @Test
    void defaultsAreAFullSizeGroup() throws Exception {
        SimConfig c = SimulateCommand.parse(new String[] {"--out", "d"});
        assertEquals(1, c.groups());
        assertEquals(96, c.antennas());
        assertEquals(48, c.channelsPerSubband());
        assertEquals(16, c.subbands());
        assertEquals(24, c.integrations());
        assertEquals(12.88, c.integrationSec(), 0.01);
        assertTrue(c.gains());
        assertTrue(c.ese().isEmpty());
        assertEquals(Path.of("d", "sim_truth.json"), c.truthPath());
    }

    @Test
    void badArgumentsPrintTheUsageAndExitWithTwo() {
        String[][] bad = {
            {},
            {"--groups", "3"},
            {"--out"},
            {"--out", "d", "--groups", "three"},
            {"--out", "d", "--groups", "0"},
            {"--out", "d", "--antennas", "1"},
            {"--out", "d", "--bogus"},
            {"--out", "d", "--calibrator-groups", "5"},
            {"--out", "d", "--calibrator-groups", "a,b"},
            {"--out", "d", "--ese-depth", "NaN", "--ese", "auto"},
            {"--out", "d", "--ese", "auto", "--ese-depth", "1.5"},
            {"--out", "d", "--ese-start", "2"},
            {"--out", "d", "--start", "yesterday"},
            {"--out", "d", "--sefd", "-1"},
        };
        for (String[] args : bad) {
            err.reset();
            assertEquals(SimulateCommand.EXIT_USAGE, run(args), String.join(" ", args));
            assertTrue(stderr().startsWith("simulate: "), stderr());
            assertTrue(stderr().contains("usage: contimg-hub simulate"), stderr());
        }
        assertThrows(SimulateCommand.UsageException.class, () -> SimulateCommand.parse(new String[] {"--x"}));
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(SimulateCommand.EXIT_OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--calibrator-groups"));
    }

    @Test
    void aSmallRunWritesFilesCatalogAndTruth() throws Exception {
        Path dir = tmp.resolve("sim");
        int code = run("--out", dir.toString(), "--groups", "2", "--antennas", "5", "--channels", "1",
                "--subbands", "3", "--integrations", "1", "--catalog-min-flux", "50", "--seed", "7");
        assertEquals(SimulateCommand.EXIT_OK, code, stderr());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(6, s.filter(p -> p.getFileName().toString().matches(
                    "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}_sb0[0-2]\\.hdf5")).count());
        }
        assertTrue(Files.size(dir.resolve("sim_catalog.csv")) > 0);
        assertTrue(Files.size(dir.resolve("sim_truth.json")) > 0);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("simulated 2 group(s)"));
        // an unknown ESE source is a usage error, reported without a stack trace
        err.reset();
        assertEquals(SimulateCommand.EXIT_USAGE, run("--out", dir.toString(), "--antennas", "3", "--channels", "1",
                "--subbands", "1", "--integrations", "1", "--ese", "NVSS J000000.0+000000"));
        assertTrue(stderr().contains("not in the simulated sky"), stderr());
    }
}
