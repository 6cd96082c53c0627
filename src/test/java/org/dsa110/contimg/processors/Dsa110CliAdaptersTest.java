package org.dsa110.contimg.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.pipeline.CommandTemplate;
import org.dsa110.contimg.pipeline.ExecStageExecutor;
import org.dsa110.contimg.pipeline.StageException;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapters for the DSA-110 conversion and calibration CLIs (processors/dsa110-convert.py,
 * processors/dsa110-calibrate.py) through the exec executor. The real CLIs cannot be installed here, so a test
 * double stands in for the {@code dsa110_contimg} package: it accepts the legacy argument layout, records the
 * arguments it got and writes CASA-table-shaped directories where the legacy tools write theirs. What is tested is
 * the adapters' side of the contract: the arguments they build, the products they find and declare in the
 * manifest, and their exit codes.
 */
class Dsa110CliAdaptersTest {
    @TempDir
    Path dir;
    Path python;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void fakeCli() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ProcessorTools.PYTHON)), "skipped: " + ProcessorTools.PYTHON
                + " not found");
        Path pkg = Files.createDirectories(dir.resolve("fake/dsa110_contimg"));
        Files.writeString(pkg.resolve("__init__.py"), "");
        Files.createDirectories(pkg.resolve("conversion"));
        Files.writeString(pkg.resolve("conversion/__init__.py"), "");
        Files.writeString(pkg.resolve("conversion/cli.py"), """
                import os, sys, glob
                def table(path, ms=False):
                    os.makedirs(os.path.join(path, "SPECTRAL_WINDOW") if ms else path, exist_ok=True)
                    open(os.path.join(path, "table.dat"), "w").close()
                a = sys.argv[1:]
                print("fake conversion cli:", " ".join(a))
                assert a[0] == "groups"
                files = sorted(glob.glob(os.path.join(a[1], "*_sb??.hdf5")))
                if len(files) == 16:  # like the legacy CLI: complete groups only
                    table(os.path.join(a[2], os.path.basename(files[0]).split("_sb")[0] + ".ms"), ms=True)
                """);
        Files.createDirectories(pkg.resolve("calibration"));
        Files.writeString(pkg.resolve("calibration/__init__.py"), "");
        Files.writeString(pkg.resolve("calibration/cli.py"), """
                import os, sys
                a = sys.argv[1:]
                print("fake calibration cli:", " ".join(a))
                ms = a[a.index("--ms") + 1]
                if a[0] == "calibrate":
                    for kind in ("gpcal", "bpcal"):
                        t = ms[:-3] + "_0_" + kind
                        os.makedirs(t, exist_ok=True)
                        open(os.path.join(t, "table.dat"), "w").close()
                elif a[0] == "apply":
                    if not all(os.path.isfile(os.path.join(t, "table.dat")) for t in a[a.index("--tables") + 1:]):
                        print("SEVERE: missing table", file=sys.stderr)
                        sys.exit(1)
                    with open(os.path.join(ms, "applied.txt"), "w") as f:
                        f.write(" ".join(a[a.index("--tables") + 1:]))
                """);
        python = dir.resolve("fakepy");
        Files.writeString(python, "#!/bin/sh\nPYTHONPATH='" + dir.resolve("fake") + "' exec "
                + ProcessorTools.PYTHON + " \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
    }

    private StageResult run(String stage, String template, List<String> inputs, Map<String, Object> params)
            throws Exception {
        StageRequest req = new StageRequest(stage, "2025-10-24T13:28:03", 1, 1, inputs, dir.resolve(stage), params,
                (stream, line) -> log.add(stream + ":" + line));
        return new ExecStageExecutor(new CommandTemplate(template), Duration.ofSeconds(60), null).run(req);
    }

    private String adapter(String script) {
        return ProcessorTools.PYTHON + " " + ProcessorTools.PROCESSORS.resolve(script) + " --python " + python;
    }

    private List<String> subbands(int n) throws Exception {
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        List<String> files = new ArrayList<>();
        for (int sb = 0; sb < n; sb++) {
            // timestamps jitter across subbands, as the correlator writes them
            String t = sb % 2 == 0 ? "2025-10-24T13:28:03" : "2025-10-24T13:28:05";
            files.add(Files.writeString(incoming.resolve(String.format("%s_sb%02d.hdf5", t, sb)), "uvh5").toString());
        }
        return files;
    }

    @Test
    void conversionRunsTheGroupsCommandOnTheGroupsFilesAndDeclaresTheMs() throws Exception {
        StageResult r = run("conversion", adapter("dsa110-convert.py") + " {inputs}", subbands(16),
                Map.of("max_workers", "2"));
        Path ms = dir.resolve("conversion/2025-10-24T13:28:03.ms");
        assertEquals(List.of(ms.toString()), r.outputs());
        assertEquals(16, ((Number) r.metrics().get("subbands")).intValue());
        String call = log.stream().filter(l -> l.startsWith("stdout:fake conversion cli:")).findFirst().orElse("");
        assertTrue(call.contains("groups " + dir.resolve("conversion/input") + " " + dir.resolve("conversion")
                + " 2025-10-24 13:28:02 2025-10-24 13:28:06 --writer parallel-subband --max-workers 2"), call);
        assertTrue(!Files.exists(dir.resolve("conversion/input")), "the staging links are removed");
    }

    @Test
    void conversionOfAnIncompleteGroupFailsWithNoOutput() {
        StageException e = assertThrows(StageException.class, () -> run("conversion",
                adapter("dsa110-convert.py") + " {inputs}", subbands(12), Map.of()));
        assertTrue(e.getMessage().contains("exited with code 6: error: dsa110_contimg.conversion.cli finished but "
                + "wrote no *.ms"), e.getMessage());
    }

    @Test
    void solveDeclaresTheNewTablesInApplicationOrderAndApplyUsesThem() throws Exception {
        StageResult conv = run("conversion", adapter("dsa110-convert.py") + " {inputs}", subbands(16), Map.of());
        String ms = conv.outputs().get(0);
        StageResult solved = run("calibration_solve", adapter("dsa110-calibrate.py") + " solve {inputs}",
                List.of(ms), Map.of("pointing_dec_deg", 54.57));
        String base = ms.substring(0, ms.length() - 3);
        assertEquals(List.of(base + "_0_bpcal", base + "_0_gpcal"), solved.outputs(), "bandpass before gains");
        assertTrue(log.stream().anyMatch(l -> l.contains("fake calibration cli: calibrate --ms " + ms
                + " --refant 103 --auto-fields --pt-dec-deg 54.57")), log.toString());

        StageResult applied = run("calibration_apply", adapter("dsa110-calibrate.py") + " apply {inputs}",
                List.of(ms), Map.of("upstream.calibration_solve", solved.outputs()));
        assertEquals(List.of(ms), applied.outputs());
        assertEquals(true, applied.metrics().get("calibrated"));
        assertEquals(base + "_0_bpcal " + base + "_0_gpcal", Files.readString(Path.of(ms, "applied.txt")));
    }

    @Test
    void applyWithoutTablesFailsUnlessToldToContinue() throws Exception {
        Path ms = Files.createDirectories(dir.resolve("x.ms/SPECTRAL_WINDOW")).getParent();
        Files.writeString(ms.resolve("table.dat"), "");
        String template = adapter("dsa110-calibrate.py") + " apply {inputs}";
        StageException e = assertThrows(StageException.class,
                () -> run("calibration_apply", template, List.of(ms.toString()), Map.of()));
        assertTrue(e.getMessage().contains("exited with code 3: error: no calibration tables to apply"),
                e.getMessage());

        StageResult r = run("calibration_apply", template, List.of(ms.toString()), Map.of("if_no_tables", "continue"));
        assertEquals(List.of(ms.toString()), r.outputs());
        assertEquals(false, r.metrics().get("calibrated"));

        StageException missing = assertThrows(StageException.class, () -> run("calibration_apply", template,
                List.of(ms.toString()), Map.of("tables", dir.resolve("nope.bpcal").toString())));
        assertTrue(missing.getMessage().contains("exited with code 3: error: calibration table(s) not found"),
                missing.getMessage());
    }

    @Test
    void aMissingPipelineInstallationIsExitCodeFour() {
        String template = ProcessorTools.PYTHON + " " + ProcessorTools.PROCESSORS.resolve("dsa110-calibrate.py")
                + " --python " + ProcessorTools.PYTHON + " solve {inputs}";
        StageException e = assertThrows(StageException.class, () -> run("calibration_solve", template,
                List.of(dir.toString()), Map.of()));
        // dir is no MS: the input check comes first
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        Path ms = dir.resolve("y.ms");
        StageException tool = assertThrows(StageException.class, () -> {
            Files.createDirectories(ms.resolve("SPECTRAL_WINDOW"));
            Files.writeString(ms.resolve("table.dat"), "");
            run("calibration_solve", template, List.of(ms.toString()), Map.of());
        });
        assertTrue(tool.getMessage().contains("exited with code 4: error: " + ProcessorTools.PYTHON
                + " cannot find the module dsa110_contimg.calibration.cli"), tool.getMessage());
    }
}
