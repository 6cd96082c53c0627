package org.dsa110.contimg.ops.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;

/** The Quartz properties of the clustered job store: engine-specific delegate, the hub's pool, validated settings. */
class ClusteredQuartzTest {
    static final ClusteredQuartz.Settings SETTINGS = new ClusteredQuartz.Settings("contimg-hub", null, 5, 7500,
            60000);

    @Test
    void postgresqlGetsItsDelegateAndAClusteredJdbcStore() {
        Properties p = ClusteredQuartz.properties(SETTINGS, Db.Dialect.POSTGRESQL, "pool-1");
        assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", p.getProperty(
                "org.quartz.jobStore.driverDelegateClass"));
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.getProperty("org.quartz.jobStore.class"));
        assertEquals("true", p.getProperty("org.quartz.jobStore.isClustered"));
        assertEquals("AUTO", p.getProperty("org.quartz.scheduler.instanceId"));
        assertEquals("pool-1", p.getProperty("org.quartz.jobStore.dataSource"));
        assertEquals("QRTZ_", p.getProperty("org.quartz.jobStore.tablePrefix"));
        assertEquals("7500", p.getProperty("org.quartz.jobStore.clusterCheckinInterval"));
        // no Quartz-managed pool: connections come from the provider registered under the data source name
        assertEquals(null, p.getProperty("org.quartz.dataSource.pool-1.URL"));
    }

    @Test
    void h2GetsTheStandardDelegate() {
        Properties p = ClusteredQuartz.properties(SETTINGS, Db.Dialect.H2, "pool-2");
        assertEquals("org.quartz.impl.jdbcjobstore.StdJDBCDelegate", p.getProperty(
                "org.quartz.jobStore.driverDelegateClass"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClusteredQuartz.Settings(" ", "AUTO", 5, 7500, 60000));
        assertThrows(IllegalArgumentException.class, () -> new ClusteredQuartz.Settings("x", "AUTO", 0, 7500, 60000));
        assertThrows(IllegalArgumentException.class, () -> new ClusteredQuartz.Settings("x", "AUTO", 5, 100, 60000));
    }
}
