package org.dsa110.contimg.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure pieces: topological order and cycles, percentiles, the task catalog's overrides. */
class WorkflowDagTest {

    @Test
    void ordersUpstreamFirstAndReportsCycles() {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        edges.put("d", List.of("b", "c"));
        edges.put("b", List.of("a"));
        edges.put("c", List.of("a"));
        edges.put("a", List.of());
        List<String> order = WorkflowDag.order(edges).order();
        assertEquals(List.of("a", "b", "c", "d"), order);
        assertTrue(WorkflowDag.order(edges).cycle().isEmpty());

        edges.put("a", List.of("d"));
        WorkflowDag.Result<String> cyclic = WorkflowDag.order(edges);
        assertEquals(List.of("d", "b", "c", "a"), cyclic.cycle().orElseThrow());
        assertTrue(cyclic.order().isEmpty());
    }

    @Test
    void percentilesInterpolateBetweenRanks() {
        double[] v = {1, 2, 3, 4};
        // numpy.percentile([1, 2, 3, 4], q) with linear interpolation: 2.5, 3.85, 3.97
        assertEquals(2.5, TaskMetrics.percentile(v, 50), 1e-12);
        assertEquals(3.85, TaskMetrics.percentile(v, 95), 1e-12);
        assertEquals(3.97, TaskMetrics.percentile(v, 99), 1e-12);
        assertEquals(7.0, TaskMetrics.percentile(new double[] {7}, 95), 1e-12);
        assertNull(TaskMetrics.percentile(new double[0], 50));
        assertNull(TaskMetrics.mean(new double[0]));
    }

    @Test
    void catalogMapsStageTasksToStageRoutesAndTakesOverrides() {
        TaskCatalog defaults = new TaskCatalog(Map.of(), List.of("extra"));
        assertEquals("direct:stage.imaging", defaults.find("imaging").orElseThrow().endpointUri());
        assertEquals("direct:stage.calibration_solve", defaults.find("calibration-solve").orElseThrow().endpointUri());
        assertTrue(defaults.knowsQueue("extra") && defaults.knowsQueue("maintenance"));
        TaskCatalog over = new TaskCatalog(TaskCatalog.parseOverrides("imaging = direct:other?block=false"), List.of());
        assertEquals("direct:other?block=false", over.find("imaging").orElseThrow().endpointUri());
        try {
            new TaskCatalog(TaskCatalog.parseOverrides("nope=direct:x"), List.of());
            throw new AssertionError("unknown task names in overrides must be rejected");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("nope"));
        }
    }
}
