package org.dsa110.contimg.monitoring;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.dsa110.contimg.store.Db;

/** Once the context runs: sets the slow-query threshold (the rate limiter is put on the router by {@code HubStartup}). */
final class MonitoringStartup implements ExtendedStartupListener {
    private final long slowQueryMillis;
    private boolean installed;

    MonitoringStartup(long slowQueryMillis) {
        this.slowQueryMillis = slowQueryMillis;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        // nothing before start
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the store is ready once the context has fully started
    }

    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (installed) {
            return;
        }
        Db db = context.getRegistry().lookupByNameAndType("db", Db.class);
        if (db != null) {
            db.queryStats().setSlowThresholdMillis(slowQueryMillis);
        }
        installed = true;
    }
}
