package org.dsa110.contimg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec executor against tiny shell scripts, and executor resolution from config. */
class ExecStageExecutorTest {
    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private StageRequest request(List<String> inputs) {
        return new StageRequest("imaging", "2025-10-24T13:28:03", 7, 2, inputs, dir.resolve("out"),
                Map.of("niter", 1000), (stream, line) -> log.add(stream + ":" + line));
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        return p;
    }

    @Test
    void anInputThatLooksLikeAnOptionNeverReachesTheCommand() {
        CommandTemplate t = new CommandTemplate("tool --out {output_dir} {inputs}");
        PermanentStageException e = assertThrows(PermanentStageException.class,
                () -> t.render(Map.of("output_dir", "/o"), List.of("/data/a.ms", "--output-dir=/x")));
        assertEquals(PermanentStageException.INVALID_INPUT, e.reason());
        assertEquals(List.of("tool", "--out", "/o", "/data/a.ms"), t.render(Map.of("output_dir", "/o"),
                List.of("/data/a.ms")));
    }

    @Test
    void runsTheCommandWithPlaceholdersAndReadsTheManifest() throws Exception {
        Path s = script("ok.sh", """
                echo "out=$1 group=$2 attempt=$3 niter=$4"
                shift 4
                echo "inputs: $*"
                echo "warning: something" >&2
                echo data > "$CONTIMG_OUTPUT_DIR/img.fits"
                echo '{"outputs": ["img.fits", "/abs/x.fits"], "metrics": {"rms_jy": 0.0012}}' > manifest.json
                """);
        ExecStageExecutor ex = new ExecStageExecutor(new CommandTemplate(
                "sh " + s + " {output_dir} {group_id} {attempt} {param.niter} {inputs}"), Duration.ofSeconds(20), null);
        StageResult r = ex.run(request(List.of("/data/a b.ms", "/data/c.ms")));

        Path out = dir.resolve("out");
        assertEquals(List.of(out.resolve("img.fits").toString(), "/abs/x.fits"), r.outputs());
        assertEquals(0.0012, ((Number) r.metrics().get("rms_jy")).doubleValue(), 1e-12);
        assertEquals(0, r.metrics().get("exit_code"));
        assertTrue(log.contains("stdout:out=" + out + " group=2025-10-24T13:28:03 attempt=2 niter=1000"), log.toString());
        // {inputs} expands to one argument per path: the space inside the first path survives
        assertTrue(log.contains("stdout:inputs: /data/a b.ms /data/c.ms"), log.toString());
        assertTrue(log.contains("stderr:warning: something"), log.toString());
        assertEquals("data\n", Files.readString(out.resolve("img.fits")));
    }

    @Test
    void withoutManifestOutputsComeFromTheGlob() throws Exception {
        Path s = script("glob.sh", "touch b.fits a.fits notes.txt\n");
        StageResult r = new ExecStageExecutor(new CommandTemplate("sh " + s), Duration.ofSeconds(20), "*.fits")
                .run(request(List.of("/in.ms")));
        Path out = dir.resolve("out");
        assertEquals(List.of(out.resolve("a.fits").toString(), out.resolve("b.fits").toString()), r.outputs());
    }

    @Test
    void nonZeroExitFailsWithTheLastStderrLine() throws Exception {
        Path s = script("bad.sh", "echo starting\necho 'SEVERE: no valid data' >&2\nexit 4\n");
        StageException e = assertThrows(StageException.class, () -> new ExecStageExecutor(
                new CommandTemplate("sh " + s), Duration.ofSeconds(20), null).run(request(List.of("/in.ms"))));
        assertEquals("exec_failed", e.reason());
        assertFalse(e instanceof PermanentStageException);
        assertTrue(e.getMessage().contains("exited with code 4: SEVERE: no valid data"), e.getMessage());
    }

    @Test
    void timeoutKillsTheProcessTree() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        // the shell starts a long child; both must be gone after the timeout
        Path s = script("slow.sh", "sleep 60 &\necho $! > " + pidFile + "\nwait\n");
        StageException e = assertThrows(StageException.class, () -> new ExecStageExecutor(
                new CommandTemplate("sh " + s), Duration.ofSeconds(1), null).run(request(List.of("/in.ms"))));
        assertEquals("timeout", e.reason());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running(child) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(running(child), "child process " + child + " still running");
    }

    /** Alive and not a zombie (a killed child of a killed shell may wait for a reaper that never comes). */
    private static boolean running(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void missingProgramIsAPermanentFailure() {
        PermanentStageException e = assertThrows(PermanentStageException.class, () -> new ExecStageExecutor(
                new CommandTemplate(dir.resolve("nope") + " {input}"), Duration.ofSeconds(5), null)
                .run(request(List.of("/in.ms"))));
        assertEquals("exec_not_startable", e.reason());
    }

    @Test
    void commandTemplateSplitsQuotesAndRejectsUnknownPlaceholders() {
        CommandTemplate t = new CommandTemplate("wsclean -name '{output_dir}/img one' -weight briggs 0 {inputs}");
        assertEquals(List.of("wsclean", "-name", "/o/img one", "-weight", "briggs", "0", "/a.ms", "/b.ms"),
                t.render(Map.of("output_dir", "/o"), List.of("/a.ms", "/b.ms")));
        assertEquals(List.of("x", "in=/a.ms /b.ms"),
                new CommandTemplate("x \"in={inputs}\"").render(Map.of(), List.of("/a.ms", "/b.ms")));
        assertThrows(PermanentStageException.class,
                () -> new CommandTemplate("x {nope}").render(Map.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new CommandTemplate("x 'open"));
    }

    @Test
    void resolutionFromConfig() {
        Map<String, String> props = Map.of(
                "hub.stage.imaging.executor", "exec",
                "hub.stage.imaging.command", "wsclean {input}",
                "hub.stage.imaging.timeout", "120",
                "hub.stage.publishing.executor", "skip",
                "hub.stage.mosaic.executor", "none");
        StageExecutor builtin = req -> StageResult.of(List.of());
        StageExecutors ex = new StageExecutors(k -> Optional.ofNullable(props.get(k)),
                name -> name.equals("builtin.photometry") ? builtin : null, prefix -> Map.of());

        StageExecutors.Resolved imaging = ex.resolve("imaging");
        assertEquals("exec", imaging.kind());
        assertEquals("wsclean {input}", ((ExecStageExecutor) imaging.executor()).command().template());
        assertTrue(ex.resolve("publishing").skipped());
        assertEquals(builtin, ex.resolve("photometry").executor());

        PermanentStageException none = assertThrows(PermanentStageException.class, () -> ex.resolve("conversion"));
        assertEquals(PermanentStageException.NO_EXECUTOR, none.reason());
        assertTrue(none.getMessage().startsWith("no executor configured for stage conversion"), none.getMessage());
        assertEquals(PermanentStageException.NO_EXECUTOR,
                assertThrows(PermanentStageException.class, () -> ex.resolve("mosaic")).reason());
    }
}
