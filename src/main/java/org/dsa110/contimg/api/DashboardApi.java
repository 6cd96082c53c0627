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
                .queryInt("hours", 24, 1, 24 * 365);
        get("/stats", "stats", "Queue, DLQ, task, cache, event and rate-limit figures in one body",
                req -> dashboard.stats(cache, events, limiter));
    }
}
