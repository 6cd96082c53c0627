package org.dsa110.contimg.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.CircuitBreakerDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.WhenDefinition;

/**
 * The stage dependency graph as the loaded routes define it: nodes are the {@code stage.*} routes (with their
 * breaker id and source file), edges follow the group flow route {@code pipeline.run} step by step, a
 * {@code choice} making conditional edges. An operator's edited route files change the graph.
 */
public final class PipelineGraph {
    public static final String FLOW_ROUTE = "pipeline.run";
    private static final String STAGE_PREFIX = "direct:stage.";

    private final CamelContext context;
    private final StageExecutors executors;

    public PipelineGraph(CamelContext context, StageExecutors executors) {
        this.context = context;
        this.executors = executors;
    }

    /** DependencyGraphResponse: the stages (flow order first, then stage routes the flow does not call) and edges. */
    public record DependencyGraph(List<StageNode> nodes, List<StageEdge> edges) {
    }

    /**
     * A stage route: {@code breaker} the id of its circuit breaker, {@code source} the route file (each null when
     * there is none), {@code executor} its configured kind, {@code in_flow} whether {@code pipeline.run} calls it,
     * {@code status} its health now (healthy | degraded | unhealthy,
     * {@link WorkflowStatus#health(WorkflowStatus.Stage)}; absent where not known).
     */
    public record StageNode(String id, String label, String type, String routeId, String breaker, String source,
            String executor, boolean inFlow, @JsonInclude(JsonInclude.Include.NON_NULL) String status) {

        public StageNode withStatus(String s) {
            return new StageNode(id, label, type, routeId, breaker, source, executor, inFlow, s);
        }
    }

    /** {@code from} runs before {@code to}: {@code depends_on}, or {@code conditional} with its {@code condition}. */
    public record StageEdge(String from, String to, String type,
            @JsonInclude(JsonInclude.Include.NON_NULL) String condition) {
    }

    /** The graph as the loaded routes define it now. */
    public DependencyGraph graph() {
        List<StageEdge> edges = new ArrayList<>();
        List<String> order = flowOrder(edges);
        Map<String, StageNode> nodes = new LinkedHashMap<>();
        for (String stage : order) {
            nodes.put(stage, node(stage, true));
        }
        for (String stage : stageRoutes().keySet()) {
            nodes.computeIfAbsent(stage, s -> node(s, false));
        }
        return new DependencyGraph(new ArrayList<>(nodes.values()), edges);
    }

    /** The stages in the order the group flow calls them (conditional ones included). */
    public List<String> stageOrder() {
        List<String> order = flowOrder(new ArrayList<>());
        for (String s : stageRoutes().keySet()) {
            if (!order.contains(s)) {
                order.add(s);
            }
        }
        return order;
    }

    public boolean isStage(String name) {
        return stageRoutes().containsKey(name);
    }

    private List<String> flowOrder(List<StageEdge> edges) {
        List<String> order = new ArrayList<>();
        RouteDefinition flow = model().getRouteDefinition(FLOW_ROUTE);
        if (flow != null) {
            walk(flow.getOutputs(), new LinkedHashSet<>(), null, edges, order);
        }
        return order;
    }

    /** Follows the steps; returns the stages the flow may have just run (the frontier). */
    private static Set<String> walk(List<ProcessorDefinition<?>> steps, Set<String> frontier, String condition,
            List<StageEdge> edges, List<String> order) {
        Set<String> current = frontier;
        String pending = condition;
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof ToDefinition to && to.getUri() != null && to.getUri().startsWith(STAGE_PREFIX)) {
                String stage = to.getUri().substring(STAGE_PREFIX.length());
                for (String from : current) {
                    edges.add(new StageEdge(from, stage, pending == null ? "depends_on" : "conditional", pending));
                }
                if (!order.contains(stage)) {
                    order.add(stage);
                }
                current = new LinkedHashSet<>(Set.of(stage));
                pending = null;
            } else if (step instanceof ChoiceDefinition choice) {
                Set<String> after = new LinkedHashSet<>();
                for (WhenDefinition when : choice.getWhenClauses()) {
                    String expr = when.getExpression() == null ? "when" : when.getExpression().getExpression();
                    after.addAll(walk(when.getOutputs(), current, expr, edges, order));
                }
                if (choice.getOtherwise() != null) {
                    after.addAll(walk(choice.getOtherwise().getOutputs(), current, "otherwise", edges, order));
                } else {
                    after.addAll(current);
                }
                current = after;
            } else if (!step.getOutputs().isEmpty()) {
                current = walk(step.getOutputs(), current, pending, edges, order);
            }
        }
        return current;
    }

    private StageNode node(String stage, boolean inFlow) {
        RouteDefinition def = stageRoutes().get(stage);
        Route route = context.getRoute("stage." + stage);
        return new StageNode(stage, label(stage), "stage", "stage." + stage,
                def == null ? null : breakerOf(def.getOutputs()), route == null ? null : route.getSourceLocationShort(),
                executors.configuredKind(stage), inFlow, null);
    }

    private Map<String, RouteDefinition> stageRoutes() {
        Map<String, RouteDefinition> out = new LinkedHashMap<>();
        for (RouteDefinition r : model().getRouteDefinitions()) {
            if (r.getRouteId() != null && r.getRouteId().startsWith("stage.")) {
                out.put(r.getRouteId().substring("stage.".length()), r);
            }
        }
        return out;
    }

    private static String breakerOf(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> p : steps) {
            if (p instanceof CircuitBreakerDefinition cb) {
                return cb.getId();
            }
            String inner = breakerOf(p.getOutputs());
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private ModelCamelContext model() {
        return (ModelCamelContext) context;
    }

    static String label(String stage) {
        StringBuilder b = new StringBuilder();
        for (String w : stage.split("_")) {
            if (!w.isEmpty()) {
                b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return b.toString();
    }
}
