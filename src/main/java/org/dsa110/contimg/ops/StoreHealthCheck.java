package org.dsa110.contimg.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.dsa110.contimg.store.Db;

/** Readiness: the store answers a query within its pool's connection timeout. */
public final class StoreHealthCheck extends AbstractHealthCheck {
    private final Db db;

    public StoreHealthCheck(Db db) {
        super("hub", "store");
        this.db = db;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            db.scalarLong("SELECT 1");
            builder.detail("dialect", db.dialect().name().toLowerCase()).up();
        } catch (RuntimeException e) {
            builder.message("store unavailable: " + e.getMessage()).error(e).down();
        }
    }
}
