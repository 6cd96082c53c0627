package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;

/**
 * The dashboard's error analytics over a time range: dead-lettered items (by their error type), failed stage runs
 * (type {@code stage_<name>}) and HTTP error responses ({@code http_client_error} / {@code http_server_error}, and
 * by status code). Each dead-lettered item, failed stage attempt and error response counts once (a stage failure
 * that exhausted its retries is both a failed attempt and a dead letter: two events). Rates are errors per hour;
 * the trend compares the range with the range before it (±10 % is stable). HTTP figures cover the time since the
 * hub started ({@link HttpErrorLog}).
 */
public final class ErrorAnalytics {
    /** How many recent errors the answer lists. */
    static final int RECENT = 50;
    static final double STABLE_BAND = 0.10;

    public record RecentError(String id, String type, String message, Instant timestamp, Integer statusCode,
            boolean retryable) {
    }

    public record ErrorRate(double current, double previous, String trend) {
    }

    /** GET /api/operations/error-analytics; {@code errors_by_status} keys are HTTP status codes. */
    public record Analytics(String timeRange, Instant from, Instant to, long totalErrors, Map<String, Long> errorsByType,
            Map<String, Long> errorsByStatus, List<RecentError> recentErrors, ErrorRate errorRate) {
    }

    private final Db db;
    private final HttpErrorLog http;

    public ErrorAnalytics(Db db, HttpErrorLog http) {
        this.db = db;
        this.http = http;
    }

    /** {@code 24h}, {@code 7d} or {@code 30d}. */
    public static Duration range(String timeRange) {
        return switch (timeRange) {
            case "7d" -> Duration.ofDays(7);
            case "30d" -> Duration.ofDays(30);
            default -> Duration.ofHours(24);
        };
    }

    public Analytics analytics(String timeRange) {
        Duration d = range(timeRange);
        Instant to = Instant.now();
        Instant from = to.minus(d);
        Map<String, Long> byType = new LinkedHashMap<>();
        for (Map<String, Object> r : db.query("SELECT error_type, COUNT(*) AS n FROM dlq_items WHERE created_at >= ? "
                + "GROUP BY error_type", from)) {
            byType.merge((String) r.get("error_type"), ((Number) r.get("n")).longValue(), Long::sum);
        }
        for (Map<String, Object> r : db.query("SELECT stage_name, COUNT(*) AS n FROM stage_runs WHERE status = 'failed' "
                + "AND finished_at >= ? GROUP BY stage_name", from)) {
            byType.merge("stage_" + r.get("stage_name"), ((Number) r.get("n")).longValue(), Long::sum);
        }
        Map<String, Long> byStatus = new LinkedHashMap<>();
        http.countsByStatus(from, to).forEach((status, n) -> {
            byStatus.put(String.valueOf(status), n);
            byType.merge(status >= 500 ? "http_server_error" : "http_client_error", n, Long::sum);
        });
        long total = byType.values().stream().mapToLong(Long::longValue).sum();
        long previous = count(from.minus(d), from);
        double hours = d.toMinutes() / 60.0;
        double current = total / hours;
        double before = previous / hours;
        String trend = Math.abs(current - before) <= STABLE_BAND * Math.max(current, before) ? "stable"
                : current > before ? "up" : "down";
        return new Analytics(timeRange, from, to, total, sorted(byType), byStatus, recent(from),
                new ErrorRate(round(current), round(before), trend));
    }

    /** All errors in [from, to). */
    private long count(Instant from, Instant to) {
        long n = db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE created_at >= ? AND created_at < ?", from, to)
                + db.scalarLong("SELECT COUNT(*) FROM stage_runs WHERE status = 'failed' AND finished_at >= ? "
                        + "AND finished_at < ?", from, to);
        return n + http.countsByStatus(from, to).values().stream().mapToLong(Long::longValue).sum();
    }

    private List<RecentError> recent(Instant from) {
        List<RecentError> all = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id, component, operation, error_type, error_message, status, "
                + "created_at FROM dlq_items WHERE created_at >= ? ORDER BY created_at DESC, id DESC FETCH FIRST "
                + RECENT + " ROWS ONLY", from)) {
            String status = (String) r.get("status");
            all.add(new RecentError("dlq-" + r.get("id"), (String) r.get("error_type"),
                    r.get("component") + "/" + r.get("operation") + ": " + r.get("error_message"),
                    (Instant) r.get("created_at"), null, "pending".equals(status) || "retrying".equals(status)));
        }
        for (Map<String, Object> r : db.query("SELECT id, execution_id, stage_name, attempt, error, finished_at "
                + "FROM stage_runs WHERE status = 'failed' AND finished_at >= ? ORDER BY finished_at DESC, id DESC "
                + "FETCH FIRST " + RECENT + " ROWS ONLY", from)) {
            // a failed stage can be run again (reprocess the group, or retry its dead letter)
            all.add(new RecentError("stage-" + r.get("id"), "stage_" + r.get("stage_name"), "execution "
                    + r.get("execution_id") + ", " + r.get("stage_name") + " attempt " + r.get("attempt") + ": "
                    + r.get("error"), (Instant) r.get("finished_at"), null, true));
        }
        for (HttpErrorLog.HttpError e : http.recent(from, RECENT)) {
            all.add(new RecentError("http-" + e.id(), e.status() >= 500 ? "http_server_error" : "http_client_error",
                    e.method() + " " + e.path() + " -> " + e.status(), e.timestamp(), e.status(),
                    e.status() >= 500 || e.status() == 429));
        }
        all.sort(Comparator.comparing(RecentError::timestamp, Comparator.nullsLast(Comparator.reverseOrder())));
        return all.size() > RECENT ? List.copyOf(all.subList(0, RECENT)) : all;
    }

    private static Map<String, Long> sorted(Map<String, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
