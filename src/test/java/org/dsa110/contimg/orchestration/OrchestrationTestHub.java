package org.dsa110.contimg.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;

/**
 * One hub for the orchestration tests (started once per JVM). Its task catalog points the stage tasks at
 * {@code direct:test.stage.*}, served by stand-in stage routes, so the tests do not depend on (or collide with)
 * the real engine's {@code direct:stage.*} routes. {@code create-mosaic} is deliberately left without a route.
 *
 * <p>Stand-in behaviour, driven by the task params: {@code ms_path}/{@code fits_path} containing "bad" or
 * {@code fail=true} fails; {@code fail_while} = a file path fails while that file exists; {@code fail_first} = N
 * fails the first N runs of the task's {@code key}; {@code ms_path}
 * containing "sleep" runs a real shell process (registered in RunningProcesses, its output written to the job
 * log) until it is cancelled.
 */
final class OrchestrationTestHub {
    static final List<String> STAGES = List.of("conversion", "calibration_solve", "calibration_apply", "imaging",
            "photometry", "ese_detection", "publishing");
    private static TestHub hub;

    /** Order of run starts and ends: key (params.key or task id) → sequence numbers. */
    static final Map<String, Integer> STARTED = new ConcurrentHashMap<>();
    static final Map<String, Integer> ENDED = new ConcurrentHashMap<>();
    /** Runs so far per key, for {@code fail_first}. */
    private static final Map<String, Integer> RUNS = new ConcurrentHashMap<>();
    static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final Queue<Integer> CONCURRENCY = new ConcurrentLinkedQueue<>();

    private OrchestrationTestHub() {
    }

    static synchronized TestHub get() throws Exception {
        if (hub == null) {
            StringBuilder endpoints = new StringBuilder();
            Map<String, String> taskToStage = Map.of("convert-uvh5-to-ms", "conversion",
                    "calibration-solve", "calibration_solve", "calibration-apply", "calibration_apply",
                    "imaging", "imaging", "photometry", "photometry", "ese-detect", "ese_detection",
                    "create-mosaic", "mosaic", "publish", "publishing");
            taskToStage.forEach((task, stage) -> endpoints.append(endpoints.isEmpty() ? "" : ",").append(task)
                    .append("=direct:test.stage.").append(stage));
            hub = TestHub.start(Map.of("hub.tasks.endpoints", endpoints.toString(),
                    "hub.tasks.poll-interval-ms", "200",
                    "hub.tasks.retry-backoff-seconds", "0",
                    "hub.tasks.max-concurrent", "8",
                    "hub.batch.max-concurrent", "2",
                    "hub.workers.heartbeat-seconds", "1",
                    "hub.worker.id", "test-hub-worker"));
            TestHub h = hub;
            Runtime.getRuntime().addShutdownHook(new Thread(h::close));
            JobLog jobLog = h.bean("jobLog", JobLog.class);
            RunningProcesses processes = h.bean("runningProcesses", RunningProcesses.class);
            for (String stage : STAGES) {
                RouteBuilder.addRoutes(h.context(), rb -> rb.from("direct:test.stage." + stage)
                        .routeId("test.stage." + stage).errorHandler(rb.noErrorHandler()).process(ex -> stage(ex, stage, jobLog, processes)));
            }
        }
        return hub;
    }

    private static void stage(Exchange ex, String stage, JobLog jobLog, RunningProcesses processes) throws Exception {
        String taskId = ex.getMessage().getHeader(TaskRunner.TASK_ID, String.class);
        Long jobId = ex.getMessage().getHeader(TaskRunner.JOB_ID, Long.class);
        Map<String, Object> params = TaskStore.jsonMap(ex.getMessage().getHeader(TaskRunner.TASK_PARAMS, String.class));
        String key = params.get("key") != null ? params.get("key").toString() : taskId;
        String target = String.valueOf(params.getOrDefault("ms_path", params.getOrDefault("fits_path", "")));
        CONCURRENCY.add(RUNNING.incrementAndGet());
        STARTED.put(key, SEQUENCE.incrementAndGet());
        try {
            LogSink log = jobId == null ? LogSink.DISCARD : jobLog.sink(jobId);
            log.line("stdout", stage + " starting on " + target);
            if (Boolean.TRUE.equals(params.get("fail")) || target.contains("bad")) {
                throw new IllegalStateException("simulated " + stage + " failure on " + target);
            }
            if (params.get("fail_first") instanceof Number n && RUNS.merge(key, 1, Integer::sum) <= n.intValue()) {
                throw new IllegalStateException("simulated " + stage + " failure (run " + RUNS.get(key) + " of the "
                        + n + " that fail)");
            }
            Object marker = params.get("fail_while");
            if (marker != null && Files.exists(Path.of(marker.toString()))) {
                throw new IllegalStateException("simulated " + stage + " failure while " + marker + " exists");
            }
            if (target.contains("sleep")) {
                runProcess(taskId, jobId, log, processes);
            }
            ex.getMessage().setBody(Map.of("artifacts", List.of("/products/" + stage + "/" + key + ".out")));
        } finally {
            ENDED.put(key, SEQUENCE.incrementAndGet());
            RUNNING.decrementAndGet();
        }
    }

    /** A real external process printing a tick every 0.2 s until it is stopped. */
    private static void runProcess(String taskId, Long jobId, LogSink log, RunningProcesses processes)
            throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo started; i=0; while true; do echo tick $i; i=$((i+1));"
                + " sleep 0.2; done").redirectErrorStream(true).start();
        processes.register(taskId, p);
        if (jobId != null) {
            processes.register(RunningProcesses.jobKey(jobId), p);
        }
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.line("stdout", line);
            }
        }
        int exit = p.waitFor();
        processes.unregister(taskId, p);
        throw new IllegalStateException("process ended with exit code " + exit);
    }

    // ------------------------------------------------------------------------------------------- HTTP helpers

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get().get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    static JsonNode post(String path, Object body, int expectedStatus) throws Exception {
        HttpResponse<String> r = get().post(path, body instanceof String s ? s : Json.write(body));
        if (r.statusCode() != expectedStatus) {
            throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    /** Polls {@code path} until {@code done} holds (20 s at most). */
    static JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = getJson(path);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
