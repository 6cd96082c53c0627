package org.dsa110.contimg.api;

import org.dsa110.contimg.monitoring.RateLimiter;

/** /api/rate-limiting/stats. */
public class RateLimitApi extends ApiRoutes {

    @Override
    public void configure() {
        RateLimiter limiter = lookup("rateLimiter", RateLimiter.class);
        get("/rate-limiting/stats", "rate-limiting.stats",
                "Rate-limit configuration, totals and the busiest clients", req -> limiter.stats(20))
                .returns(RateLimiter.RateLimitStats.class);
    }
}
