package org.dsa110.contimg.ops.schedules;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.dsa110.contimg.store.Db;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler factory of Camel's quartz component when {@code hub.quartz.clustered} is on: Quartz's JDBC job
 * store ({@code JobStoreTX}, clustered) on the hub's own connection pool, in the {@code QRTZ_*} tables that our
 * Flyway migration creates. Every hub that shares the database and the instance name joins one cluster: a trigger
 * fires on one hub per fire time, and the triggers of a hub that stops are taken over by the others.
 *
 * <p>The scheduler is built once, on the first {@link #getScheduler()} (when the component starts), so the
 * store is open by then.
 */
public final class ClusteredQuartz implements SchedulerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredQuartz.class);
    /** Quartz keeps schedulers in a JVM-wide repository by name; building one is serialised across hubs. */
    private static final Object BUILD_LOCK = new Object();

    /** Settings of the clustered store ({@code hub.quartz.*}). */
    public record Settings(String instanceName, String instanceId, int threadCount, long checkinIntervalMillis,
            long misfireThresholdMillis) {
        public Settings {
            if (instanceName == null || instanceName.isBlank()) {
                throw new IllegalArgumentException("hub.quartz.instance-name must not be empty");
            }
            if (threadCount < 1) {
                throw new IllegalArgumentException("hub.quartz.thread-count must be at least 1");
            }
            if (checkinIntervalMillis < 500) {
                throw new IllegalArgumentException("hub.quartz.cluster-checkin-interval-ms must be at least 500");
            }
            instanceId = instanceId == null || instanceId.isBlank() ? "AUTO" : instanceId.trim();
        }
    }

    private final Settings settings;
    private final Supplier<Db> db;
    private Scheduler scheduler;

    public ClusteredQuartz(Settings settings, Supplier<Db> db) {
        this.settings = settings;
        this.db = db;
    }

    /** The Quartz driver delegate for the engine behind the store. */
    static String delegateFor(Db.Dialect dialect) {
        return dialect == Db.Dialect.POSTGRESQL ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
    }

    /** The Quartz properties of the clustered store reading connections from {@code dataSourceName}. */
    static Properties properties(Settings s, Db.Dialect dialect, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, s.instanceName());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, s.instanceId());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "false");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(s.threadCount()));
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", delegateFor(dialect));
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(s.checkinIntervalMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(s.misfireThresholdMillis()));
        // job data holds only strings (schedules keep theirs in the schedules table)
        p.setProperty("org.quartz.jobStore.useProperties", "false");
        return p;
    }

    @Override
    public synchronized Scheduler getScheduler() throws SchedulerException {
        if (scheduler != null && !scheduler.isShutdown()) {
            return scheduler;
        }
        Db store = db.get();
        // the name is JVM-wide in Quartz: unique per hub, so two hubs in one JVM (tests) keep their own pool
        String dataSourceName = "contimg-hub-store-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new HubConnections(store));
        Properties props = properties(settings, store.dialect(), dataSourceName);
        synchronized (BUILD_LOCK) {
            scheduler = new StdSchedulerFactory(props).getScheduler();
            // Quartz hands out one scheduler per name and JVM; the hub keeps its own reference instead, so that
            // further hubs in the same JVM (tests) build their own cluster member under the shared name
            SchedulerRepository.getInstance().remove(settings.instanceName());
        }
        LOG.info("clustered Quartz scheduler {} (instance {}) on the hub store, {}", settings.instanceName(),
                scheduler.getSchedulerInstanceId(), delegateFor(store.dialect()));
        return scheduler;
    }

    @Override
    public synchronized Scheduler getScheduler(String schedName) throws SchedulerException {
        return scheduler != null && scheduler.getSchedulerName().equals(schedName) ? scheduler : null;
    }

    @Override
    public synchronized Collection<Scheduler> getAllSchedulers() {
        return scheduler == null ? List.of() : List.of(scheduler);
    }

    /** Connections of the hub's pool for Quartz; the pool belongs to the hub, so Quartz never closes it. */
    private record HubConnections(Db store) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return store.dataSource().getConnection();
        }

        @Override
        public void shutdown() {
            // the hub closes its pool when it stops
        }

        @Override
        public void initialize() {
            // nothing to open: the pool is already running
        }
    }
}
