package org.dsa110.contimg.api;

import java.util.List;

/**
 * The legacy dashboard's own paths, which differ from the seed surface, as aliases of the canonical routes. A
 * request whose path starts with an alias prefix is rerouted (same handler, same shape) to the canonical prefix
 * plus the rest of the path. Exact entries match the whole path only. One table, listed in docs/api.md.
 */
public final class LegacyAliases {

    /** {@code alias} → {@code canonical}; {@code exact} entries rewrite only that exact path. */
    public record Alias(String alias, String canonical, boolean exact) {
        String rewrite(String path) {
            if (exact) {
                return path.equals(alias) || path.equals(alias + "/") ? canonical : null;
            }
            if (path.equals(alias)) {
                return canonical;
            }
            return path.startsWith(alias + "/") ? canonical + path.substring(alias.length()) : null;
        }
    }

    // More specific entries come first: the first alias that matches wins.
    public static final List<Alias> TABLE = List.of(
            // some dashboard calls pass a path that already starts with /api/ to a client whose base is /api
            new Alias("/api/api", "/api", false),
            new Alias("/api/absurd", "/api", false),
            new Alias("/api/transients/alerts", "/api/alerts", false),
            new Alias("/api/transients/candidates", "/api/candidates", false),
            new Alias("/api/monitoring/antenna-health", "/api/antenna-health", false),
            new Alias("/api/monitoring/calibration-quality", "/api/calibration-quality", false),
            new Alias("/api/monitoring/mosaic-quality", "/api/mosaic-quality", false),
            new Alias("/api/monitoring/performance", "/api/performance", false),
            new Alias("/api/monitoring/queue-health", "/api/queue-health", false),
            new Alias("/api/monitoring/disk-usage", "/api/disk-usage", false),
            new Alias("/api/monitoring/ese-candidates", "/api/ese-candidates", false),
            new Alias("/api/monitoring/dashboard", "/api/dashboard", false),
            new Alias("/api/dlq", "/api/operations/dlq", false),
            new Alias("/api/tasks/queues", "/api/queues", false),
            new Alias("/api/tasks/jobs", "/api/jobs", false),
            new Alias("/api/tasks/available", "/api/available", true),
            new Alias("/api/cache/keys", "/api/keys", false),
            new Alias("/api/cache/clear", "/api/clear", true),
            new Alias("/api/cache/performance", "/api/performance", true),
            new Alias("/api/performance/cache/stats", "/api/cache/stats", true),
            new Alias("/api/performance/rate-limiting/stats", "/api/rate-limiting/stats", true),
            new Alias("/health/liveness", "/api/health/live", true),
            new Alias("/health/startup", "/api/health/live", true),
            new Alias("/health/readiness", "/api/health/ready", true),
            new Alias("/health/detailed", "/api/health/detailed", true));

    private LegacyAliases() {
    }

    /** The canonical path for {@code path}, or null when it is not an alias. */
    public static String canonical(String path) {
        for (Alias a : TABLE) {
            String c = a.rewrite(path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
