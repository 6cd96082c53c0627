package org.dsa110.contimg.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.dsa110.contimg.core.Json;

/**
 * Runs a stage as an external command (a DSA-110 Python CLI, WSClean, a site script). The command comes from a
 * {@link CommandTemplate}; it runs in the stage's output directory with the CONTIMG_* environment set; stdout and
 * stderr go line by line to the stage log. A non-zero exit code or the timeout (process tree killed) fails the
 * stage. Outputs are read from {@code <output_dir>/manifest.json} ({@code {"outputs": [...], "metrics": {...}}})
 * when the command writes one, else found with the configured glob. Exit codes listed as permanent (an adapter's
 * "bad input" or "tool missing" codes) fail without redelivery, straight to the dead-letter queue.
 */
public final class ExecStageExecutor implements StageExecutor {
    public static final String MANIFEST = "manifest.json";
    public static final String EXEC_FAILED = "exec_failed";
    /** The error type of an exit code configured as permanent (the command rejected its input or setup). */
    public static final String EXEC_REJECTED = "exec_rejected";
    private static final long SAMPLE_MILLIS = 250;

    private final CommandTemplate command;
    private final Duration timeout;
    private final String outputsGlob;
    private final Set<Integer> permanentExitCodes;

    /** @param outputsGlob file-name glob in the output directory used when no manifest is written; may be null */
    public ExecStageExecutor(CommandTemplate command, Duration timeout, String outputsGlob) {
        this(command, timeout, outputsGlob, Set.of());
    }

    /** @param permanentExitCodes exit codes that mean retrying cannot help (not redelivered) */
    public ExecStageExecutor(CommandTemplate command, Duration timeout, String outputsGlob,
            Set<Integer> permanentExitCodes) {
        this.command = command;
        this.timeout = timeout;
        this.outputsGlob = outputsGlob == null || outputsGlob.isBlank() ? null : outputsGlob.trim();
        this.permanentExitCodes = Set.copyOf(permanentExitCodes);
    }

    @Override
    public String kind() {
        return "exec";
    }

    public CommandTemplate command() {
        return command;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        Path outDir = req.outputDir();
        Files.createDirectories(outDir);
        Path manifest = outDir.resolve(MANIFEST);
        Files.deleteIfExists(manifest); // a manifest left by an earlier attempt must not count as this one's

        Map<String, String> values = new LinkedHashMap<>();
        values.put("output_dir", outDir.toString());
        values.put("group_id", req.groupId());
        values.put("stage", req.stage());
        values.put("execution_id", Long.toString(req.executionId()));
        values.put("attempt", Integer.toString(req.attempt()));
        values.put("params_json", Json.write(req.params()));
        req.params().forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                values.put("param." + k, v.toString());
            }
        });
        List<String> args = command.render(values, req.inputs());

        ProcessBuilder pb = new ProcessBuilder(args).directory(outDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("CONTIMG_STAGE", req.stage());
        env.put("CONTIMG_GROUP_ID", req.groupId());
        env.put("CONTIMG_EXECUTION_ID", Long.toString(req.executionId()));
        env.put("CONTIMG_ATTEMPT", Integer.toString(req.attempt()));
        env.put("CONTIMG_OUTPUT_DIR", outDir.toString());
        env.put("CONTIMG_INPUTS", String.join("\n", req.inputs()));
        env.put("CONTIMG_PARAMS_JSON", values.get("params_json"));

        req.log().info("$ " + String.join(" ", args));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            // the program is missing or not executable: a configuration error, retrying cannot help
            throw new PermanentStageException("exec_not_startable",
                    "cannot start " + args.get(0) + ": " + e.getMessage());
        }
        req.log().started(process);
        AtomicReference<String> lastStderr = new AtomicReference<>();
        Thread out = pump(process.getInputStream(), "stdout", req, null);
        Thread err = pump(process.getErrorStream(), "stderr", req, lastStderr);

        ResourceSampler sampler = new ResourceSampler(process.toHandle());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean exited = false;
        while (!exited) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                exited = process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS)),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // the hub is shutting down: leave no orphan behind; restart recovery requeues the stage
                destroyTree(process);
                throw e;
            }
            if (!exited) {
                sampler.sample();
            }
        }
        if (!exited) {
            destroyTree(process);
            out.join(2000);
            err.join(2000);
            req.log().line("stderr", "killed after the stage timeout of " + timeout.toSeconds() + " s");
            throw new StageException("timeout", req.stage() + " timed out after " + timeout.toSeconds() + " s");
        }
        out.join(5000);
        err.join(5000);
        int exit = process.exitValue();
        if (exit != 0) {
            String last = lastStderr.get();
            String message = args.get(0) + " exited with code " + exit + (last == null ? "" : ": " + last);
            if (permanentExitCodes.contains(exit)) {
                throw new PermanentStageException(EXEC_REJECTED, message);
            }
            throw new StageException(EXEC_FAILED, message);
        }

        Map<String, Object> metrics = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        if (Files.isRegularFile(manifest)) {
            readManifest(manifest, outDir, outputs, metrics);
        } else if (outputsGlob != null) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir, outputsGlob)) {
                for (Path p : ds) {
                    outputs.add(p.toString());
                }
            }
            outputs.sort(null);
        }
        metrics.put("exit_code", exit);
        sampler.cpuSeconds().ifPresent(v -> metrics.putIfAbsent("cpu_sec", v));
        sampler.peakMemoryMb().ifPresent(v -> metrics.putIfAbsent("peak_memory_mb", v));
        return new StageResult(outputs, metrics);
    }

    private static void readManifest(Path manifest, Path outDir, List<String> outputs, Map<String, Object> metrics) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "unreadable " + MANIFEST + ": " + e.getMessage());
        }
        JsonNode list = root.path("outputs");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    MANIFEST + ": 'outputs' must be an array of paths");
        }
        for (JsonNode n : list) {
            Path p = Path.of(n.asText());
            outputs.add((p.isAbsolute() ? p : outDir.resolve(p)).normalize().toString());
        }
        root.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().numberValue()
                        : e.getValue().isBoolean() ? e.getValue().booleanValue() : e.getValue().asText()));
    }

    private static Thread pump(InputStream in, String stream, StageRequest req, AtomicReference<String> last) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    req.log().line(stream, line);
                    if (last != null && !line.isBlank()) {
                        last.set(line);
                    }
                }
            } catch (IOException e) {
                // the stream closes when the process is killed
            }
        }, "stage-" + req.stage() + "-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Kills the command and everything it started (a shell's children would otherwise keep running). */
    static void destroyTree(Process process) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
