package org.dsa110.contimg.cluster;

import static org.dsa110.contimg.Beans.bean;

import java.util.List;
import java.util.Optional;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.LifecycleStrategySupport;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.orchestration.TaskStore;
import org.dsa110.contimg.pipeline.PipelineRuns;
import org.dsa110.contimg.pipeline.PipelineStore;
import org.dsa110.contimg.pipeline.ingest.GroupStore;
import org.dsa110.contimg.pipeline.ingest.StreamingConfigStore;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;
import org.dsa110.contimg.store.StoreDataSource;

/**
 * Several hubs on one database (keys {@code hub.cluster.*}): the lease terms every claim uses, the cluster's node
 * table and the shared-storage check a hub passes before it joins, and this hub's {@link LeaseKeeper}.
 */
@Configuration
public class ClusterConfiguration implements CamelConfiguration {
    @PropertyInject(value = "hub.cluster.heartbeat-seconds", defaultValue = "10")
    int heartbeatSeconds;
    @PropertyInject(value = "hub.cluster.lease-seconds", defaultValue = "60")
    int leaseSeconds;
    @PropertyInject(value = "hub.worker.id", defaultValue = "")
    String workerId;

    private LeaseTerms terms;
    private HubNodes nodes;
    private LeaseKeeper keeper;

    @BindToRegistry(value = "leaseTerms", lazy = true)
    public synchronized LeaseTerms leaseTerms() {
        if (terms == null) {
            terms = new LeaseTerms(heartbeatSeconds, leaseSeconds);
        }
        return terms;
    }

    @BindToRegistry(value = "hubNodes", lazy = true)
    public synchronized HubNodes hubNodes(CamelContext context) {
        if (nodes == null) {
            nodes = new HubNodes(bean(context, "db", Db.class), leaseTerms());
        }
        return nodes;
    }

    @BindToRegistry(value = "leaseKeeper", lazy = true)
    public synchronized LeaseKeeper leaseKeeper(CamelContext context) {
        if (keeper == null) {
            String me = HubSettings.workerId(workerId);
            StreamingConfigStore streaming = bean(context, "streamingConfigStore", StreamingConfigStore.class);
            GroupStore groups = bean(context, "groupStore", GroupStore.class);
            keeper = new LeaseKeeper(bean(context, "db", Db.class), me, leaseTerms(), hubNodes(context),
                    bean(context, "pipelineStore", PipelineStore.class), bean(context, "pipelineRuns",
                            PipelineRuns.class), bean(context, "taskStore", TaskStore.class),
                    () -> streaming.current().maxWorkers() - groups.inProgressClaimedBy(me),
                    (type, data) -> Optional.ofNullable(context.getRegistry().lookupByNameAndType("eventBroadcaster",
                            EventBroadcaster.class)).ifPresent(b -> b.publish(type, data)));
        }
        return keeper;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext ctx, boolean alreadyStarted) throws Exception {
                join(ctx);
            }

            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the keeper renews from the start on; it takes over once every route runs
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                leaseKeeper(ctx).enableTakeOver();
            }
        });
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext ctx) {
                if (keeper != null) {
                    keeper.stop();
                }
            }
        });
    }

    /** Joins the cluster: on a shared database, refuses to start from storage the live peers do not share. */
    private void join(CamelContext context) throws Exception {
        StoreDataSource store = context.getRegistry().lookupByNameAndType("dataSource", StoreDataSource.class);
        if (store != null) {
            store.awaitReady();
        }
        Db db = bean(context, "db", Db.class);
        HubSettings settings = bean(context, "hubSettings", HubSettings.class);
        String me = HubSettings.workerId(workerId);
        List<java.nio.file.Path> shared = List.of(settings.stagingDir(), settings.productsDir());
        if (db.dialect() == Db.Dialect.POSTGRESQL) {
            String problem = hubNodes(context).storageProblem(me, settings.dataDir(), shared);
            if (problem != null) {
                StartupChecks.refuse(problem);
            }
        }
        ProcessHandle self = ProcessHandle.current();
        String host = hostname();
        hubNodes(context).writeMarkers(me, shared, host, self.pid());
        hubNodes(context).started(me, host, self.pid(), settings.dataDir());
        // renewing starts now: a start slower than a lease must not make the peers think this hub is lost
        leaseKeeper(context).start();
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
