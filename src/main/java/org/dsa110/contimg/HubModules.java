package org.dsa110.contimg;

import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.RoutesBuilder;
import org.dsa110.contimg.api.AuditApi;
import org.dsa110.contimg.api.BatchApi;
import org.dsa110.contimg.api.BreakerApi;
import org.dsa110.contimg.api.CacheApi;
import org.dsa110.contimg.api.CalibrationApi;
import org.dsa110.contimg.api.CalibrationQaApi;
import org.dsa110.contimg.api.CalibrationQualityApi;
import org.dsa110.contimg.api.CatalogApi;
import org.dsa110.contimg.api.DashboardApi;
import org.dsa110.contimg.api.DataApi;
import org.dsa110.contimg.api.DiskUsageApi;
import org.dsa110.contimg.api.DlqApi;
import org.dsa110.contimg.api.EseApi;
import org.dsa110.contimg.api.EventsApi;
import org.dsa110.contimg.api.HealthApi;
import org.dsa110.contimg.api.ImagesApi;
import org.dsa110.contimg.api.JobsApi;
import org.dsa110.contimg.api.LiveApi;
import org.dsa110.contimg.api.MosaicsApi;
import org.dsa110.contimg.api.MsApi;
import org.dsa110.contimg.api.PerformanceApi;
import org.dsa110.contimg.api.PhotometryApi;
import org.dsa110.contimg.api.PipelineApi;
import org.dsa110.contimg.api.PointingApi;
import org.dsa110.contimg.api.QaApi;
import org.dsa110.contimg.api.QualityPlotsApi;
import org.dsa110.contimg.api.QueueHealthApi;
import org.dsa110.contimg.api.QueuesApi;
import org.dsa110.contimg.api.RateLimitApi;
import org.dsa110.contimg.api.RegionsApi;
import org.dsa110.contimg.api.ScheduleApi;
import org.dsa110.contimg.api.SourcesApi;
import org.dsa110.contimg.api.StatusApi;
import org.dsa110.contimg.api.StreamingApi;
import org.dsa110.contimg.api.SystemMetricsApi;
import org.dsa110.contimg.api.TasksApi;
import org.dsa110.contimg.api.TemplatesApi;
import org.dsa110.contimg.api.TransientsApi;
import org.dsa110.contimg.api.VisualizationApi;
import org.dsa110.contimg.api.WorkersApi;
import org.dsa110.contimg.api.WorkflowsApi;
import org.dsa110.contimg.cluster.ClusterConfiguration;
import org.dsa110.contimg.demo.DemoRoutes;
import org.dsa110.contimg.files.FilesConfiguration;
import org.dsa110.contimg.monitoring.MonitoringConfiguration;
import org.dsa110.contimg.monitoring.MonitoringRoutes;
import org.dsa110.contimg.observing.ViewsConfiguration;
import org.dsa110.contimg.ops.LiveRoutes;
import org.dsa110.contimg.ops.breakers.BreakerConfiguration;
import org.dsa110.contimg.ops.dlq.DlqConfiguration;
import org.dsa110.contimg.ops.schedules.ScheduleConfiguration;
import org.dsa110.contimg.orchestration.OrchestrationConfiguration;
import org.dsa110.contimg.orchestration.OrchestrationRoutes;
import org.dsa110.contimg.pipeline.PipelineConfiguration;
import org.dsa110.contimg.pipeline.builtin.RadioStagesConfiguration;
import org.dsa110.contimg.pipeline.ingest.IngestConfiguration;
import org.dsa110.contimg.pipeline.ingest.IngestRoutes;
import org.dsa110.contimg.products.MosaicTaskRoutes;
import org.dsa110.contimg.products.ProductsConfiguration;
import org.dsa110.contimg.products.ScienceStagesConfiguration;
import org.dsa110.contimg.publishing.PublishingConfiguration;
import org.dsa110.contimg.qa.QaConfiguration;
import org.dsa110.contimg.qa.QaRoutes;
import org.dsa110.contimg.security.AuthConfiguration;
import org.dsa110.contimg.transients.TransientsConfiguration;

/**
 * What the hub is made of: its configuration classes (beans and wiring) and its Java route builders, listed
 * rather than found by scanning the package at start-up (scanning reads and loads every class of the jar, about
 * 0.7 s of a cold start on two cores). {@code HubModulesTest} fails when a configuration class or route builder
 * of the package is missing here. The YAML routes in {@code routes/} are found by their file pattern.
 */
final class HubModules {
    static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
            HubConfiguration.class,
            AuthConfiguration.class,
            ClusterConfiguration.class,
            ScheduleConfiguration.class,
            DlqConfiguration.class,
            BreakerConfiguration.class,
            ViewsConfiguration.class,
            MonitoringConfiguration.class,
            OrchestrationConfiguration.class,
            RadioStagesConfiguration.class,
            IngestConfiguration.class,
            PipelineConfiguration.class,
            QaConfiguration.class,
            PublishingConfiguration.class,
            ScienceStagesConfiguration.class,
            ProductsConfiguration.class,
            TransientsConfiguration.class,
            FilesConfiguration.class);

    static final List<Class<? extends RoutesBuilder>> ROUTES = List.of(
            LiveRoutes.class,
            MonitoringRoutes.class,
            OrchestrationRoutes.class,
            IngestRoutes.class,
            SystemMetricsApi.class,
            DataApi.class,
            DlqApi.class,
            SourcesApi.class,
            QaApi.class,
            TemplatesApi.class,
            DashboardApi.class,
            MsApi.class,
            QualityPlotsApi.class,
            ScheduleApi.class,
            TasksApi.class,
            WorkersApi.class,
            StreamingApi.class,
            MosaicsApi.class,
            PipelineApi.class,
            RegionsApi.class,
            WorkflowsApi.class,
            PhotometryApi.class,
            CalibrationQualityApi.class,
            EseApi.class,
            QueueHealthApi.class,
            CalibrationApi.class,
            CatalogApi.class,
            RateLimitApi.class,
            ImagesApi.class,
            CalibrationQaApi.class,
            StatusApi.class,
            LiveApi.class,
            DiskUsageApi.class,
            EventsApi.class,
            TransientsApi.class,
            QueuesApi.class,
            BreakerApi.class,
            HealthApi.class,
            PointingApi.class,
            BatchApi.class,
            PerformanceApi.class,
            JobsApi.class,
            CacheApi.class,
            AuditApi.class,
            VisualizationApi.class,
            QaRoutes.class,
            MosaicTaskRoutes.class,
            DemoRoutes.class);

    private HubModules() {
    }
}
