package org.dsa110.contimg.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.breakers.Breakers;
import org.dsa110.contimg.pipeline.PipelineGraph;
import org.dsa110.contimg.pipeline.PipelineReports;

/** /api/pipeline/*: executions and their stages, stage metrics, the dependency graph and the workflow status. */
public class PipelineApi extends ApiRoutes {

    /** The log lines of a stage run, oldest first, across attempts. */
    public record StageLog(long executionId, String stage,
            List<org.dsa110.contimg.pipeline.PipelineStore.LogLine> lines) {
    }

    @Override
    public void configure() {
        PipelineReports reports = lookup("pipelineReports", PipelineReports.class);
        Breakers breakers = lookup("breakers", Breakers.class);
        int workers = Integer.parseInt(getCamelContext().resolvePropertyPlaceholders("{{hub.pipeline.workers}}"));

        get("/pipeline/executions", "pipeline.executions", "Pipeline executions, newest first", req -> {
            String status = req.oneOf("status", null, "pending", "running", "completed", "failed", "cancelled");
            return reports.executions(status, req.query("job_type"), req.intQuery("limit", 100, 1, 1000),
                    req.intQuery("offset", 0, 0, Integer.MAX_VALUE));
        })
                .queryEnum("status", null, "pending", "running", "completed", "failed", "cancelled")
                .queryString("job_type", null)
                .page(100, 1000)
                .returnsList(PipelineReports.Execution.class);
        get("/pipeline/executions/active", "pipeline.executions.active", "Running executions",
                req -> reports.executions("running", null, req.intQuery("limit", 50, 1, 1000), 0))
                .queryInt("limit", 50, 1, 1000).returnsList(PipelineReports.Execution.class);
        get("/pipeline/executions/{execution_id}", "pipeline.execution", "One execution with its stage runs", req -> {
            long id = req.pathLong("execution_id");
            return reports.execution(id).orElseThrow(() -> HubException.notFound("pipeline execution", id));
        }).returns(PipelineReports.Execution.class);
        get("/pipeline/executions/{execution_id}/stages", "pipeline.execution.stages", "Stage runs of an execution",
                req -> {
                    long id = req.pathLong("execution_id");
                    reports.execution(id).orElseThrow(() -> HubException.notFound("pipeline execution", id));
                    return reports.stages(id);
                }).returnsList(PipelineReports.StageRun.class);
        get("/pipeline/executions/{execution_id}/stages/{stage_name}/logs", "pipeline.execution.stage.logs",
                "stdout/stderr lines of a stage run (all attempts)", req -> {
                    long id = req.pathLong("execution_id");
                    reports.execution(id).orElseThrow(() -> HubException.notFound("pipeline execution", id));
                    return new StageLog(id, req.path("stage_name"),
                            reports.stageLog(id, req.path("stage_name"), req.intQuery("limit", 1000, 1, 100000)));
                })
                .queryInt("limit", 1000, 1, 100000).returns(StageLog.class);
        get("/pipeline/stages/metrics", "pipeline.stages.metrics", "Aggregated metrics per stage",
                req -> reports.stageMetrics(req.query("stage_name"), req.intQuery("limit", 100, 1, 1000)))
                .queryString("stage_name", null)
                .queryInt("limit", 100, 1, 1000).returnsList(PipelineReports.StageMetrics.class);
        get("/pipeline/stages/{stage_name}/metrics", "pipeline.stage.metrics", "Metrics of one stage", req -> {
            String stage = req.path("stage_name");
            return reports.stageMetrics(stage).orElseThrow(() -> HubException.notFound("stage", stage));
        }).returns(PipelineReports.StageMetrics.class);
        get("/pipeline/metrics/summary", "pipeline.metrics.summary", "Execution counts, success rate, durations",
                req -> reports.summary()).returns(PipelineReports.Summary.class);
        get("/pipeline/dependency-graph", "pipeline.dependency-graph", "Stage graph derived from the loaded routes",
                req -> {
                    PipelineGraph.DependencyGraph graph = reports.graph().graph();
                    return reports.withStatus(graph, openStages(graph, breakers), workers);
                })
                .returns(PipelineGraph.DependencyGraph.class);
        get("/pipeline/workflow-status", "pipeline.workflow-status",
                "Per stage: pending, processing, completed/failed today; bottleneck and health",
                req -> reports.workflowStatus(openStages(reports.graph().graph(), breakers), workers))
                .returns(org.dsa110.contimg.pipeline.WorkflowStatus.class);
    }

    /** Stages whose breaker is open (the graph knows each stage route's breaker id). */
    private static Set<String> openStages(PipelineGraph.DependencyGraph graph, Breakers breakers) {
        Set<String> open = new HashSet<>();
        for (PipelineGraph.StageNode node : graph.nodes()) {
            if (node.breaker() != null && breakers.state(node.breaker())
                    .map(s -> "open".equals(s.state())).orElse(false)) {
                open.add(node.id());
            }
        }
        return open;
    }
}
