package org.dsa110.contimg.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * GET /api/pipeline/workflow-status: per stage (flow order) the work waiting and running and today's outcomes, the
 * bottleneck and a health verdict. The dashboard's fields ({@code name}, {@code display_name}, {@code bottleneck} as
 * a stage name, {@code overall_health}, the totals, {@code estimated_completion}, {@code updated_at}) sit beside
 * the hub's own ({@code stage}, {@code bottleneck_detail}, {@code health}, {@code timestamp}, ...).
 *
 * @param bottleneck          the bottleneck's stage name, or null when nothing ran today
 * @param estimatedCompletion when the work now waiting or running should be done: for each stage, its load times
 *                            today's mean duration, summed and shared among the pipeline workers; null when there is
 *                            no load or a loaded stage has no duration today
 * @param overallHealth       healthy | degraded | stalled (the hub's {@code unhealthy})
 * @param health              healthy | degraded | unhealthy
 */
public record WorkflowStatus(List<Stage> stages, String bottleneck, Bottleneck bottleneckDetail,
        Instant estimatedCompletion, String overallHealth, long totalPending, long totalCompletedToday,
        long totalFailedToday, Instant updatedAt, long dlqPending, List<String> openBreakers, String health,
        Instant timestamp) {

    /** One stage; {@code name} = {@code stage}. */
    public record Stage(String name, String displayName, String stage, long pending, long processing,
            long completedToday, long failedToday, Double averageDurationSecondsToday, boolean breakerOpen) {

        long load() {
            return pending + processing;
        }
    }

    /** Why a stage is the bottleneck: most work waiting or running ({@code load}), else the slowest today. */
    public record Bottleneck(String stage, String reason, Long load, Double averageDurationSeconds) {
    }

    /**
     * A stage's health: unhealthy when its breaker is open or it failed today without completing anything, degraded
     * when it failed today, else healthy. The workflow's {@code health} is the worst over the stages (degraded also
     * with DLQ items pending).
     */
    public static String health(Stage s) {
        if (s.breakerOpen() || (s.failedToday() > 0 && s.completedToday() == 0)) {
            return "unhealthy";
        }
        return s.failedToday() > 0 ? "degraded" : "healthy";
    }

    /** "calibration_solve" → "Calibration solve". */
    public static String displayName(String stage) {
        String s = stage.replace('_', ' ');
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** The busiest stage (most work waiting or running), else the slowest today, else null. */
    static Bottleneck bottleneck(List<Stage> stages) {
        Stage busiest = null;
        for (Stage s : stages) {
            if (s.load() > 0 && (busiest == null || s.load() > busiest.load())) {
                busiest = s;
            }
        }
        if (busiest != null) {
            return new Bottleneck(busiest.stage(), "most work waiting or running", busiest.load(), null);
        }
        Stage slowest = null;
        for (Stage s : stages) {
            Double d = s.averageDurationSecondsToday();
            if (d != null && (slowest == null || d > slowest.averageDurationSecondsToday())) {
                slowest = s;
            }
        }
        return slowest == null ? null : new Bottleneck(slowest.stage(), "longest mean duration today", null,
                slowest.averageDurationSecondsToday());
    }

    /** See {@link WorkflowStatus#estimatedCompletion}. */
    static Instant estimate(List<Stage> stages, int workers, Instant now) {
        double seconds = 0;
        boolean any = false;
        for (Stage s : stages) {
            if (s.load() == 0) {
                continue;
            }
            if (s.averageDurationSecondsToday() == null) {
                return null;
            }
            any = true;
            seconds += s.load() * s.averageDurationSecondsToday();
        }
        return any ? now.plusMillis(Math.round(1000 * seconds / Math.max(1, workers))) : null;
    }
}
