package org.dsa110.contimg.orchestration;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow's tasks as a directed acyclic graph: each node's upstream ({@code depends_on}) and downstream
 * ({@code dependents}) tasks and its depth (0 for roots, else one more than its deepest upstream task).
 */
public final class WorkflowDag {
    /** A node as the API shows it. */
    public record Node(String taskId, String taskName, String status, List<String> dependsOn, List<String> dependents,
            int depth) {
    }

    private WorkflowDag() {
    }

    /**
     * Orders {@code edges} (node → its upstream nodes) so every node follows its upstream nodes (Kahn's
     * algorithm); a cycle yields the nodes on it instead. Upstream ids outside the graph are ignored.
     */
    public static <K> Result<K> order(Map<K, List<K>> edges) {
        Map<K, Integer> indegree = new LinkedHashMap<>();
        Map<K, List<K>> down = new LinkedHashMap<>();
        edges.keySet().forEach(k -> {
            indegree.put(k, 0);
            down.put(k, new ArrayList<>());
        });
        edges.forEach((k, ups) -> ups.stream().filter(edges::containsKey).forEach(u -> {
            indegree.merge(k, 1, Integer::sum);
            down.get(u).add(k);
        }));
        Deque<K> ready = new ArrayDeque<>();
        indegree.forEach((k, d) -> {
            if (d == 0) {
                ready.add(k);
            }
        });
        List<K> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            K k = ready.poll();
            order.add(k);
            for (K d : down.get(k)) {
                if (indegree.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() == edges.size()) {
            return new Result<>(order, Optional.empty());
        }
        List<K> cyclic = indegree.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        return new Result<>(order, Optional.of(cyclic));
    }

    /** A topological order, or the nodes left on (or behind) a cycle. */
    public record Result<K>(List<K> order, Optional<List<K>> cycle) {
    }

    /** The DAG view of a workflow's tasks: nodes, roots, leaves and total depth (levels). */
    /** GET /api/workflows/{id}/dag: the nodes, the tasks without dependencies/dependents, and the number of levels. */
    public record Graph(String workflowId, String name, int totalDepth, List<String> rootTasks, List<String> leafTasks,
            List<Node> nodes) {
    }

    public static Graph of(String workflowId, String name, List<Task> tasks) {
        Map<String, List<String>> ups = new LinkedHashMap<>();
        Map<String, List<String>> downs = new LinkedHashMap<>();
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task t : tasks) {
            byId.put(t.taskId(), t);
            ups.put(t.taskId(), t.dependsOn());
            downs.put(t.taskId(), new ArrayList<>());
        }
        ups.forEach((id, us) -> us.stream().filter(downs::containsKey).forEach(u -> downs.get(u).add(id)));
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (String id : order(ups).order()) {
            int d = ups.get(id).stream().filter(depth::containsKey).mapToInt(u -> depth.get(u) + 1).max().orElse(0);
            depth.put(id, d);
        }
        List<Node> nodes = new ArrayList<>();
        for (Task t : tasks) {
            nodes.add(new Node(t.taskId(), t.taskName(), t.status(), ups.get(t.taskId()), downs.get(t.taskId()),
                    depth.getOrDefault(t.taskId(), 0)));
        }
        return new Graph(workflowId, name, depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1,
                nodes.stream().filter(n -> n.dependsOn().isEmpty()).map(Node::taskId).toList(),
                nodes.stream().filter(n -> n.dependents().isEmpty()).map(Node::taskId).toList(), nodes);
    }
}
