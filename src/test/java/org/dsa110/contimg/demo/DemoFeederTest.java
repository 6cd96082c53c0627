package org.dsa110.contimg.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsa110.contimg.science.sim.EseInjection;
import org.dsa110.contimg.science.sim.SimConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feeder without a hub: delivery order, resume after a restart, the end of the plan, ESE fallback. */
class DemoFeederTest {

    @TempDir
    Path tmp;

    @Test
    void deliversGroupsInOrderResumesAfterARestartAndStopsAtTheEnd() throws Exception {
        Path incoming = tmp.resolve("incoming");
        Files.createDirectories(incoming);
        SimConfig cfg = SimConfig.defaults(tmp.resolve("demo")).withGroups(2).withAntennas(4).withSubbands(3)
                .withChannelsPerSubband(1).withIntegrations(1).withCatalogMinFluxMjy(50)
                .withEse(List.of(new EseInjection("NVSS J000000.0+000000", 0, 2, 0.5)));
        DemoFeeder first = new DemoFeeder(cfg, incoming);
        Path catalog = first.prepare();
        assertTrue(Files.isRegularFile(catalog));
        assertTrue(Files.isRegularFile(cfg.truthPath()));
        // the requested ESE source is not in the sky: the demo carries on without it
        assertTrue(first.config().ese().isEmpty());
        List<Path> g0 = first.feedNext().orElseThrow();
        assertEquals(3, g0.size());
        assertTrue(g0.get(0).getFileName().toString().endsWith("_sb00.hdf5"));
        assertEquals(1, first.nextGroup());

        DemoFeeder restarted = new DemoFeeder(cfg, incoming);
        restarted.prepare();
        assertEquals(1, restarted.nextGroup());
        List<Path> g1 = restarted.feedNext().orElseThrow();
        assertEquals(restarted.simulator().groups().get(1).fileName(0), g1.get(0).getFileName().toString());
        assertTrue(restarted.feedNext().isEmpty());
        try (var s = Files.list(incoming)) {
            assertEquals(6, s.count());
        }
    }
}
