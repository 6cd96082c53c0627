package org.dsa110.contimg.pipeline;

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

    /** DependencyGraphResponse: {@code nodes} [{id, label, type, ...}] and {@code edges} [{from, to, type}]. */
    public Map<String, Object> graph() {
        List<Map<String, Object>> edges = new ArrayList<>();
        List<String> order = flowOrder(edges);
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        for (String stage : order) {
            nodes.put(stage, node(stage, true));
        }
        for (String stage : stageRoutes().keySet()) {
            nodes.computeIfAbsent(stage, s -> node(s, false));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", new ArrayList<>(nodes.values()));
        out.put("edges", edges);
        return out;
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

    private List<String> flowOrder(List<Map<String, Object>> edges) {
        List<String> order = new ArrayList<>();
        RouteDefinition flow = model().getRouteDefinition(FLOW_ROUTE);
        if (flow != null) {
            walk(flow.getOutputs(), new LinkedHashSet<>(), null, edges, order);
        }
        return order;
    }

    /** Follows the steps; returns the stages the flow may have just run (the frontier). */
    private static Set<String> walk(List<ProcessorDefinition<?>> steps, Set<String> frontier, String condition,
            List<Map<String, Object>> edges, List<String> order) {
        Set<String> current = frontier;
        String pending = condition;
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof ToDefinition to && to.getUri() != null && to.getUri().startsWith(STAGE_PREFIX)) {
                String stage = to.getUri().substring(STAGE_PREFIX.length());
                for (String from : current) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("from", from);
                    e.put("to", stage);
                    e.put("type", pending == null ? "depends_on" : "conditional");
                    if (pending != null) {
                        e.put("condition", pending);
                    }
                    edges.add(e);
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

    private Map<String, Object> node(String stage, boolean inFlow) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", stage);
        n.put("label", label(stage));
        n.put("type", "stage");
        n.put("route_id", "stage." + stage);
        RouteDefinition def = stageRoutes().get(stage);
        n.put("breaker", def == null ? null : breakerOf(def.getOutputs()));
        Route route = context.getRoute("stage." + stage);
        n.put("source", route == null ? null : route.getSourceLocationShort());
        n.put("executor", executors.configuredKind(stage));
        n.put("in_flow", inFlow);
        return n;
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
