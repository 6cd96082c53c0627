package org.dsa110.contimg.api;

import org.dsa110.contimg.monitoring.DatabaseMetrics;
import org.dsa110.contimg.monitoring.SystemMetrics;

/** /api/metrics/system, /api/metrics/system/history, /api/metrics/database. */
public class SystemMetricsApi extends ApiRoutes {

    @Override
    public void configure() {
        SystemMetrics system = lookup("systemMetrics", SystemMetrics.class);
        DatabaseMetrics database = lookup("databaseMetrics", DatabaseMetrics.class);

        get("/metrics/system", "metrics.system", "Host CPU, memory, disks and load (SystemMetrics)",
                req -> system.snapshot())
                .returns(SystemMetrics.Sample.class);
        get("/metrics/system/history", "metrics.system.history",
                "Sampled SystemMetrics, oldest first (newest `limit` samples, one a minute)",
                req -> system.history(req.intQuery("limit", 60, 1, 10_000)))
                .queryInt("limit", 60, 1, 10_000)
                .returnsList(SystemMetrics.Sample.class);
        get("/metrics/database", "metrics.database",
                "Row counts per table, database size, connection pool and slow-query count",
                req -> database.snapshot())
                .returns(DatabaseMetrics.Snapshot.class);
    }
}
