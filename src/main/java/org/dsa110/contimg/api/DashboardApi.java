package org.dsa110.contimg.api;

import org.dsa110.contimg.monitoring.DashboardSummary;
import org.dsa110.contimg.monitoring.EventLog;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.monitoring.RateLimiter;

/** /api/dashboard/summary and the combined /api/stats. */
public class DashboardApi extends ApiRoutes {

    @Override
    public void configure() {
        DashboardSummary dashboard = lookup("dashboardSummary", DashboardSummary.class);
        HubCache cache = lookup("hubCache", HubCache.class);
        EventLog events = lookup("eventLog", EventLog.class);
        RateLimiter limiter = lookup("rateLimiter", RateLimiter.class);

        get("/dashboard/summary", "dashboard.summary",
                "Landing page: queue, last group and image, ESE, DLQ, breakers, disk free, recent activity",
                req -> dashboard.summary(req.intQuery("hours", 24, 1, 24 * 365)))
                .queryInt("hours", 24, 1, 24 * 365)
                .returns(DashboardSummary.LandingSummary.class)
                .example("""
                        {"timestamp": "2026-01-16T10:00:02Z",
                         "queue": {"total": 412, "collecting": 1, "pending": 0, "in_progress": 1, "completed": 405,
                                   "failed": 5},
                         "last_group": {"group_id": "2026-01-16T09:55:12", "state": "collecting",
                                        "received_at": "2026-01-16T09:55:14Z", "last_update": "2026-01-16T09:59:40Z",
                                        "subbands_present": 11, "expected_subbands": 16, "has_calibrator": false,
                                        "error": null},
                         "last_image": {"id": 1837, "name": "2026-01-16T09:45:03.img-image-pb.fits",
                                        "path": "/data/dsa110-contimg/images/2026-01-16T09:45:03.img-image-pb.fits",
                                        "type": "pbcor", "group_id": "2026-01-16T09:45:03",
                                        "created_at": "2026-01-16T09:53:21Z", "noise_jy": 0.00042,
                                        "peak_flux_jy": 0.512, "dynamic_range": 1219.0},
                         "ese_candidates": {"active": 2},
                         "dlq": {"pending": 1, "retrying": 0},
                         "breakers": {"total": 1, "open": 0, "breakers": [{"name": "calibration_solve",
                                      "state": "closed", "failure_count": 0, "success_count": 12,
                                      "failure_rate": null, "failure_threshold": 3, "failure_rate_threshold": 100.0,
                                      "not_permitted_calls": 0, "last_failure_time": null,
                                      "recovery_timeout": 300}]},
                         "disk": {"path": "/data/dsa110-contimg", "mount_point": "/data",
                                  "free_bytes": 1325598842880, "total_bytes": 3936100732928, "free_gb": 1325.6,
                                  "percent_used": 66.3},
                         "recent": {"hours": 24, "groups_received": 288, "groups_completed": 285,
                                    "groups_failed": 1, "images_created": 570, "events": 1322}}
                        """);
        get("/stats", "stats", "Queue, DLQ, task, cache, event and rate-limit figures in one body",
                req -> dashboard.stats(cache, events, limiter))
                .returns(DashboardSummary.HubStats.class)
                .example("""
                        {"timestamp": "2026-01-16T10:00:02Z",
                         "queue": {"total": 412, "collecting": 1, "pending": 0, "in_progress": 1, "completed": 405,
                                   "failed": 5},
                         "dlq": {"total": 3, "pending": 1, "retrying": 0, "resolved": 2, "failed": 0},
                         "tasks": {"total": 96, "pending": 2, "claimed": 0, "running": 1, "completed": 90,
                                   "failed": 2, "cancelled": 1, "retrying": 0, "blocked": 0},
                         "cache": {"entries": 41, "weight_bytes": 3276800, "max_weight_bytes": 67108864,
                                   "ttl_seconds": 60, "requests": 1200, "hits": 930, "misses": 270, "hit_rate": 0.775,
                                   "miss_rate": 0.225, "loads": 270, "load_failures": 0, "average_load_ms": 84.2,
                                   "total_load_ms": 22734.0, "evictions": 229, "backend_type": "in-memory (Caffeine)",
                                   "total_keys": 41, "active_keys": 41, "sets": 270, "deletes": 229,
                                   "total_requests": 1200},
                         "events": {"total": 1322, "last_hour": 55, "last_24h": 1322,
                                    "by_type": {"group_state_changed": 1140, "ese_update": 180, "dlq_update": 2},
                                    "oldest": "2026-01-09T10:04:11Z", "newest": "2026-01-16T09:59:40Z",
                                    "retention_days": 7.0, "retention_max_rows": 100000},
                         "rate_limiting": {"enabled": true, "rate_per_second": 20.0, "burst": 100,
                                           "exempt_loopback": false,
                                           "exempt_paths": ["/api/health", "/api/metrics/prometheus", "/api/ws"],
                                           "requests_checked": 5230, "requests_allowed": 5228,
                                           "requests_limited": 2, "requests_exempt": 880, "limited_rate": 0.0004,
                                           "clients_tracked": 3, "top_clients": []}}
                        """);
    }
}
