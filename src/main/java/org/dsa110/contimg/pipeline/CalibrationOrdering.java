package org.dsa110.contimg.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration ordering (issue 15 point 7), bean {@code calibrationOrdering}: in the group flow, just before
 * calibration_apply, a group waits while a <em>concurrently running</em> group that may be a calibrator group has
 * not finished solving, when the set that solve would register covers this group's time. Without the wait, a target
 * imaged in parallel with its calibrator group applies the set in force a moment before the calibrator's new set
 * replaces it (the newest covering set wins; science.md "Calibrator matching").
 *
 * <p>A group H blocks group G when H ≠ G, H is {@code in_progress} with a running pipeline execution, H's group
 * time is within the solve's set half-window of G's ({@code max(bandpass, gain validity)/2}, the window a set is
 * registered with, centred on the calibrator observation; plus one group length), and either H's conversion has not
 * completed (whether it holds a calibrator is not known yet) or H may hold one ({@code has_calibrator} not false)
 * and its calibration_solve has neither completed nor been skipped while its calibration_apply has not started. A
 * waiting group never blocks another (its own solve, if any, is done), so waits cannot form a cycle.
 *
 * <p>Settings: {@code hub.calibration.ordering.enabled} (false = never wait: apply what is in force),
 * {@code .timeout.seconds}, {@code .poll.ms}, {@code .on-timeout} = {@code fail} (default: the group is
 * dead-lettered with reason {@value #PENDING}, and a DLQ retry resumes it at calibration_apply) or {@code proceed}
 * (apply what is in force, with a warning). Disabled when calibration_solve is configured {@code skip}.
 */
public final class CalibrationOrdering {
    /** DLQ reason when the wait timed out with {@code on-timeout = fail}. */
    public static final String PENDING = "calibration_pending";
    /** Exchange header: seconds the group waited (absent when it did not). */
    public static final String WAITED_HEADER = "PipelineCalibrationWaitSec";
    private static final Logger LOG = LoggerFactory.getLogger(CalibrationOrdering.class);
    /** Slack for the difference between group times and the observation mid-times the windows are centred on. */
    private static final Duration GROUP_LENGTH = Duration.ofMinutes(10);

    /** The configuration of the wait. */
    public record Settings(boolean enabled, Duration timeout, Duration poll, boolean failOnTimeout) {
        public Settings {
            if (timeout.isNegative() || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("hub.calibration.ordering: timeout must be >= 0 and poll > 0");
            }
        }

        public static Settings parse(boolean enabled, long timeoutSeconds, long pollMs, String onTimeout) {
            String mode = onTimeout == null ? "fail" : onTimeout.trim().toLowerCase();
            if (!mode.equals("fail") && !mode.equals("proceed")) {
                throw new IllegalArgumentException("hub.calibration.ordering.on-timeout must be fail or proceed, not "
                        + onTimeout);
            }
            return new Settings(enabled, Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(pollMs),
                    mode.equals("fail"));
        }
    }

    private final Db db;
    private final StageExecutors executors;
    private final Settings settings;

    public CalibrationOrdering(Db db, StageExecutors executors, Settings settings) {
        this.db = db;
        this.executors = executors;
        this.settings = settings;
    }

    /** The group-flow step (body = group id): returns once no running group's solve can replace this group's set. */
    public void awaitPendingSolves(Exchange ex) throws InterruptedException {
        String groupId = ex.getMessage().getBody(String.class);
        if (!settings.enabled() || groupId == null || StageExecutors.SKIP.equals(
                executors.configuredKind("calibration_solve"))) {
            return;
        }
        groupId = groupId.trim();
        List<String> blocking = blocking(groupId);
        if (blocking.isEmpty()) {
            return;
        }
        Instant start = Instant.now();
        Instant deadline = start.plus(settings.timeout());
        LOG.info("group {}: calibration_apply waits for group(s) {} to finish conversion/calibration_solve (their "
                + "calibration set would replace the one in force; up to {} s)", groupId, blocking,
                settings.timeout().toSeconds());
        while (!blocking.isEmpty()) {
            if (!Instant.now().isBefore(deadline)) {
                String why = "group " + groupId + ": calibrator group(s) " + blocking + " still converting or solving"
                        + " after " + settings.timeout().toSeconds() + " s";
                if (settings.failOnTimeout()) {
                    throw new PermanentStageException(PENDING, why
                            + " (hub.calibration.ordering.on-timeout = fail; retry the DLQ item once they finished)");
                }
                LOG.warn("{}: applying the calibration in force (hub.calibration.ordering.on-timeout = proceed)", why);
                break;
            }
            Thread.sleep(settings.poll().toMillis());
            blocking = blocking(groupId);
        }
        double waited = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        ex.getMessage().setHeader(WAITED_HEADER, waited);
        if (blocking.isEmpty()) {
            LOG.info("group {}: calibrator groups done after {} s; calibration_apply goes on", groupId, waited);
        }
    }

    /** The running groups whose pending solve would register a set covering {@code groupId}'s time. */
    public List<String> blocking(String groupId) {
        Optional<Instant> time = db.one("SELECT group_time FROM ingest_groups WHERE group_id = ?", groupId)
                .map(r -> (Instant) r.get("group_time"));
        if (time.isEmpty()) {
            return List.of();
        }
        Duration half = setHalfWindow().plus(GROUP_LENGTH);
        List<String> out = new ArrayList<>();
        for (Map<String, Object> g : db.query("SELECT g.group_id, g.has_calibrator, e.id AS execution_id "
                + "FROM ingest_groups g JOIN pipeline_executions e ON e.group_id = g.group_id AND e.status = 'running' "
                + "WHERE g.state = 'in_progress' AND g.group_id <> ? AND g.group_time >= ? AND g.group_time <= ? "
                + "ORDER BY g.group_time", groupId, time.get().minus(half), time.get().plus(half))) {
            long execution = ((Number) g.get("execution_id")).longValue();
            String conversion = stageStatus(execution, "conversion");
            // NULL after a completed conversion: the flow has not stored its decision yet (PipelineRuns
            // .afterConversion always does, so a group waiting here never counts as a possible calibrator)
            boolean mayHoldCalibrator = !Boolean.FALSE.equals(g.get("has_calibrator"));
            String solve = stageStatus(execution, "calibration_solve");
            boolean solveOver = "completed".equals(solve) || "skipped".equals(solve);
            boolean applyStarted = stageStatus(execution, "calibration_apply") != null;
            if (!"completed".equals(conversion) || (mayHoldCalibrator && !solveOver && !applyStarted)) {
                if (!out.contains((String) g.get("group_id"))) {
                    out.add((String) g.get("group_id"));
                }
            }
        }
        return out;
    }

    private String stageStatus(long execution, String stage) {
        return db.one("SELECT status FROM stage_runs WHERE execution_id = ? AND stage_name = ? ORDER BY id DESC",
                execution, stage).map(r -> (String) r.get("status")).orElse(null);
    }

    /** Half the widest validity window a calibration_solve registers its set with (StageParams of the solve). */
    Duration setHalfWindow() {
        Map<String, String> p = executors.params("calibration_solve");
        double bpHours = number(p.get("bandpass-validity-hours"), 24);
        double gpMinutes = number(p.get("gain-validity-minutes"), 30);
        return Duration.ofSeconds(Math.round(Math.max(bpHours * 3600, gpMinutes * 60) / 2));
    }

    private static double number(String v, double def) {
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
