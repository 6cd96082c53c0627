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

/**
 * The exec executor's log capture and failure rules as the processors/ adapters rely on them: every stdout and
 * stderr line reaches the stage log in order per stream (including a last line without a newline, and UTF-8 text);
 * a non-zero exit fails the attempt even when a manifest was written, permanently for the exit codes configured as
 * permanent; a timeout fails it with the log kept.
 */
class ExecStageLogCaptureTest {
    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private StageResult run(String script, Duration timeout) throws Exception {
        Path s = dir.resolve("s.sh");
        Files.writeString(s, "#!/bin/sh\n" + script);
        StageRequest req = new StageRequest("imaging", "2025-10-24T13:28:03", 3, 1, List.of("/in.ms"),
                dir.resolve("out"), Map.of(), (stream, line) -> log.add(stream + ":" + line));
        return new ExecStageExecutor(new CommandTemplate("sh " + s), timeout, "*.fits").run(req);
    }

    private List<String> stream(String name) {
        List<String> out = new ArrayList<>();
        synchronized (log) {
            for (String l : log) {
                if (l.startsWith(name + ":") && !l.startsWith("stdout:$ ")) {
                    out.add(l.substring(name.length() + 1));
                }
            }
        }
        return out;
    }

    @Test
    void everyLineOfBothStreamsIsCapturedInOrder() throws Exception {
        StageResult r = run("""
                i=1
                while [ $i -le 300 ]; do echo "out $i"; echo "err $i" >&2; i=$((i + 1)); done
                printf 'Högbom: 0.5 µJy\\n'
                printf 'last line without newline'
                """, Duration.ofSeconds(30));
        List<String> out = stream("stdout");
        List<String> err = stream("stderr");
        assertEquals(302, out.size(), out.toString());
        assertEquals(300, err.size());
        for (int i = 1; i <= 300; i++) {
            assertEquals("out " + i, out.get(i - 1));
            assertEquals("err " + i, err.get(i - 1));
        }
        assertEquals("Högbom: 0.5 µJy", out.get(300));
        assertEquals("last line without newline", out.get(301));
        assertTrue(log.get(0).startsWith("stdout:$ sh "), "the command line is logged first: " + log.get(0));
        assertEquals(List.of(), r.outputs());
    }

    @Test
    void aNonZeroExitFailsEvenWithAManifest() {
        StageException e = assertThrows(StageException.class, () -> run("""
                echo x > img.fits
                echo '{"outputs": ["img.fits"]}' > manifest.json
                echo "wsclean: out of memory" >&2
                exit 5
                """, Duration.ofSeconds(30)));
        assertEquals("exec_failed", e.reason());
        assertTrue(e.getMessage().endsWith("exited with code 5: wsclean: out of memory"), e.getMessage());
        assertEquals(List.of("wsclean: out of memory"), stream("stderr"));
    }

    @Test
    void exitCodesConfiguredAsPermanentAreNotRedelivered() throws Exception {
        Map<String, String> props = Map.of(
                "hub.stage.imaging.executor", "exec",
                "hub.stage.imaging.command", "sh " + dir.resolve("s.sh"),
                "hub.stage.imaging.permanent-exit-codes", "2, 3,4",
                "hub.stage.mosaic.executor", "exec",
                "hub.stage.mosaic.command", "true",
                "hub.stage.mosaic.permanent-exit-codes", "three");
        StageExecutors executors = new StageExecutors(k -> Optional.ofNullable(props.get(k)), name -> null,
                prefix -> Map.of());
        StageExecutor exec = executors.resolve("imaging").executor();
        StageRequest req = new StageRequest("imaging", "g", 1, 1, List.of("/in.ms"), dir.resolve("out"), Map.of(),
                (stream, line) -> log.add(stream + ":" + line));

        Files.writeString(dir.resolve("s.sh"), "echo 'error: no Measurement Set among the inputs' >&2\nexit 3\n");
        StageException permanent = assertThrows(StageException.class, () -> exec.run(req));
        assertTrue(permanent instanceof PermanentStageException, permanent.toString());
        assertEquals("exec_rejected", permanent.reason());
        assertTrue(permanent.getMessage().endsWith("exited with code 3: error: no Measurement Set among the inputs"));

        Files.writeString(dir.resolve("s.sh"), "echo 'error: wsclean exited with code 1' >&2\nexit 5\n");
        StageException transientFailure = assertThrows(StageException.class, () -> exec.run(req));
        assertFalse(transientFailure instanceof PermanentStageException, "exit 5 is retried");
        assertEquals("exec_failed", transientFailure.reason());

        PermanentStageException bad = assertThrows(PermanentStageException.class, () -> executors.resolve("mosaic"));
        assertTrue(bad.getMessage().contains("'three' is not an exit code"), bad.getMessage());
    }

    @Test
    void aTimeoutFailsTheAttemptAndKeepsWhatWasLogged() {
        StageException e = assertThrows(StageException.class,
                () -> run("echo started\nexec sleep 30\n", Duration.ofSeconds(1)));
        assertEquals("timeout", e.reason());
        assertEquals(List.of("started"), stream("stdout"));
        assertTrue(stream("stderr").contains("killed after the stage timeout of 1 s"), log.toString());
    }
}
