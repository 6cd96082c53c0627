package org.dsa110.contimg.pipeline.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.dsa110.contimg.ops.StatusReport;
import org.dsa110.contimg.ops.schedules.LocalQuartz;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.dsa110.contimg.core.DataRoots;

/**
 * The streaming service as the dashboard controls it: the Quartz-driven poll of the incoming directory and the
 * claim loop. Start and stop suspend and resume those two routes; a configuration change is saved in the store
 * and applied at once (a new poll or worker interval rebuilds the two routes with the new trigger).
 */
public final class StreamingService {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingService.class);
    public static final String POLL_ROUTE = "ingest.poll";
    public static final String CLAIM_ROUTE = "ingest.claim";
    public static final String CLAIM_NOW = "direct:ingest.claim";

    private final IngestService ingest;
    private final StreamingConfigStore configs;
    private final String workerId;
    private CamelContext context;
    private volatile boolean running;
    private volatile Instant startedAt;
    private int generation;
    private long installedPollMillis = -1;
    private long installedWorkerMillis = -1;

    private final DataRoots roots;

    public StreamingService(IngestService ingest, StreamingConfigStore configs, String workerId, boolean autoStart,
            DataRoots roots) {
        this.roots = roots;
        this.ingest = ingest;
        this.configs = configs;
        this.workerId = workerId;
        this.running = autoStart;
    }

    public StreamingConfig config() {
        return configs.current();
    }

    public String workerId() {
        return workerId;
    }

    public boolean isRunning() {
        return running;
    }

    /** Running and both timed routes started: the input directory is being polled. */
    public boolean polling() {
        return running && context != null && routesStarted();
    }

    /**
     * Declares the two timed routes for {@code cfg} (at start-up from a RouteBuilder, later when an interval
     * changes). The triggers are stateful: a slow poll is never overlapped by the next one.
     */
    public synchronized void defineTimedRoutes(RouteBuilder rb, StreamingConfig cfg) {
        context = rb.getCamelContext();
        generation++;
        installedPollMillis = cfg.pollIntervalMillis();
        installedWorkerMillis = cfg.workerPollIntervalMillis();
        rb.from(trigger("poll", installedPollMillis)).routeId(POLL_ROUTE).autoStartup(running)
                .description("Polls the incoming directory for subband files")
                .bean(ingest, "pollOnce")
                .to(CLAIM_NOW);
        rb.from(trigger("claim", installedWorkerMillis)).routeId(CLAIM_ROUTE).autoStartup(running)
                .description("Claims pending groups up to max_workers")
                .to(CLAIM_NOW);
        if (running && startedAt == null) {
            startedAt = Instant.now();
        }
    }

    private String trigger(String name, long millis) {
        // a new trigger name per rebuild: Quartz refuses two live triggers with the same key
        return LocalQuartz.COMPONENT + "://ingest/" + name + "-" + generation + "?trigger.repeatInterval=" + millis
                + "&trigger.repeatCount=-1&stateful=true";
    }

    public synchronized Control start() throws Exception {
        if (running && routesStarted()) {
            return control(true, "running", "Streaming service is already running");
        }
        for (String id : List.of(POLL_ROUTE, CLAIM_ROUTE)) {
            ServiceStatus s = context.getRouteController().getRouteStatus(id);
            if (s == ServiceStatus.Suspended) {
                context.getRouteController().resumeRoute(id);
            } else if (s != ServiceStatus.Started) {
                context.getRouteController().startRoute(id);
            }
        }
        running = true;
        startedAt = Instant.now();
        LOG.info("streaming service started (poll every {} ms)", installedPollMillis);
        return control(true, "started", "Streaming service started successfully");
    }

    public synchronized Control stop() throws Exception {
        if (!running) {
            return control(true, "stopped", "Streaming service is already stopped");
        }
        for (String id : List.of(POLL_ROUTE, CLAIM_ROUTE)) {
            if (context.getRouteController().getRouteStatus(id) == ServiceStatus.Started) {
                context.getRouteController().suspendRoute(id);
            }
        }
        running = false;
        startedAt = null;
        LOG.info("streaming service stopped");
        return control(true, "stopped", "Streaming service stopped successfully");
    }

    public synchronized Control restart(StreamingConfig.Update update) throws Exception {
        stop();
        StreamingConfig cfg = update == null || update.changesNothing() ? config() : save(update);
        rebuild(cfg, false);
        start();
        return control(true, "restarted", "Streaming service restarted successfully");
    }

    /** Saves a configuration change and applies it without a restart. */
    public synchronized StreamingConfig updateConfig(StreamingConfig.Update update) throws Exception {
        StreamingConfig cfg = save(update);
        rebuild(cfg, true);
        return cfg;
    }

    private StreamingConfig save(StreamingConfig.Update update) {
        StreamingConfig cfg = confined(update).applyTo(config());
        configs.save(cfg);
        return cfg;
    }

    /**
     * The directories of a change, each resolved inside the data roots (400 {@code PATH_NOT_ALLOWED} otherwise):
     * the input directory must be an existing directory, the output and scratch directories may be created.
     * Changing them must not open the rest of the file system to the ingest or to {@code /api/ms/discover}.
     */
    private StreamingConfig.Update confined(StreamingConfig.Update u) {
        String input = u.inputDir() == null ? null
                : roots.existing("input_dir", u.inputDir(), DataRoots.Kind.DIRECTORY).toString();
        String output = u.outputDir() == null ? null : roots.creatable("output_dir", u.outputDir()).toString();
        String scratch = u.scratchDir() == null ? null : roots.creatable("scratch_dir", u.scratchDir()).toString();
        return new StreamingConfig.Update(input, output, u.queueDb(), u.registryDb(), scratch, u.expectedSubbands(),
                u.chunkDuration(), u.logLevel(), u.useSubprocess(), u.monitoring(), u.monitorInterval(),
                u.pollInterval(), u.workerPollInterval(), u.maxWorkers(), u.stageToTmpfs(), u.tmpfsPath());
    }

    /** Re-creates the timed routes when an interval changed (or always when {@code onlyIfChanged} is false). */
    private void rebuild(StreamingConfig cfg, boolean onlyIfChanged) throws Exception {
        if (onlyIfChanged && cfg.pollIntervalMillis() == installedPollMillis
                && cfg.workerPollIntervalMillis() == installedWorkerMillis) {
            return;
        }
        for (String id : List.of(POLL_ROUTE, CLAIM_ROUTE)) {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
        RouteBuilder.addRoutes(context, rb -> defineTimedRoutes(rb, cfg));
        LOG.info("streaming routes rebuilt: poll {} ms, workers {} ms", installedPollMillis, installedWorkerMillis);
    }

    private boolean routesStarted() {
        return context.getRouteController().getRouteStatus(POLL_ROUTE) == ServiceStatus.Started
                && context.getRouteController().getRouteStatus(CLAIM_ROUTE) == ServiceStatus.Started;
    }

    /** The answer of start/stop/restart: the state reached and this process's id. */
    public record Control(boolean success, String status, String message, long pid) {
    }

    /** StreamingHealthResponse (uptime only while running; cpu/memory of this process, null where unknown). */
    public record Health(boolean healthy, boolean running, Double uptimeSeconds, Double cpuPercent, Double memoryMb,
            String error, Instant lastPoll) {
    }

    static Control control(boolean success, String status, String message) {
        return new Control(success, status, message, ProcessHandle.current().pid());
    }

    /**
     * StreamingStatusResponse plus the ingest counters (inline) and the queue by state: {@code started_at} and
     * {@code uptime_seconds} only while running; cpu/memory of this process, null where unknown;
     * {@code last_heartbeat} the last poll of the input directory; {@code error} (absent when none) what keeps a
     * running service from ingesting, as {@code /streaming/health} reports it (a stopped service is not an error).
     */
    public record StreamingStatus(boolean running, long pid, String workerId, Instant startedAt,
            Double uptimeSeconds, Double cpuPercent, Double memoryMb, Instant lastHeartbeat, StreamingConfig config,
            StatusReport.QueueCounts queueStats, @JsonUnwrapped IngestService.IngestCounters counters,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

    /** The status with {@code queueStats} (total and one count per group state). */
    public StreamingStatus status(StatusReport.QueueCounts queueStats) {
        boolean up = polling();
        StreamingConfig cfg = config();
        return new StreamingStatus(up, ProcessHandle.current().pid(), workerId, up ? startedAt : null,
                up && startedAt != null ? uptimeSeconds() : null, processCpuPercent(), processMemoryMb(),
                ingest.lastPollAt(), cfg, queueStats, ingest.stats(), up ? problem(true, cfg) : null);
    }

    /** StreamingHealthResponse: healthy when running, the input directory is readable and polls are on time. */
    public Health health() {
        boolean up = polling();
        String error = problem(up, config());
        return new Health(error == null, up, up && startedAt != null ? uptimeSeconds() : null, processCpuPercent(),
                processMemoryMb(), error, ingest.lastPollAt());
    }

    /** Why the service is not ingesting (stopped, input directory unreadable, polls late or failing), or null. */
    private String problem(boolean up, StreamingConfig cfg) {
        Path dir = Path.of(cfg.inputDir());
        Instant last = ingest.lastPollAt();
        long lateAfter = Math.max(30_000L, 3 * cfg.pollIntervalMillis());
        if (!up) {
            return "streaming service is stopped";
        } else if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return "input_dir is not a readable directory: " + dir;
        } else if (last == null ? startedAt != null && Duration.between(startedAt, Instant.now()).toMillis() > lateAfter
                : Duration.between(last, Instant.now()).toMillis() > lateAfter) {
            return "no poll of the input directory for more than " + lateAfter / 1000 + " s";
        } else if (ingest.lastErrorAt() != null && last != null && !ingest.lastErrorAt().isBefore(last)) {
            return "last poll failed: " + ingest.lastError();
        }
        return null;
    }

    private double uptimeSeconds() {
        return Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
    }

    static Double processCpuPercent() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? null : Math.round(load * 1000.0) / 10.0;
        }
        return null;
    }

    /** Resident set size of this process (VmRSS) in MB; heap in use where /proc is not available. */
    static Double processMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 102.4) / 10.0;
                }
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        Runtime rt = Runtime.getRuntime();
        return Math.round((rt.totalMemory() - rt.freeMemory()) / 104857.6) / 10.0;
    }
}
