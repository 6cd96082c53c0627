package org.dsa110.contimg.science.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole small simulation: files, the catalog CSV the hub loads, the truth JSON, an automatic ESE. */
class SimulationRunTest {

    @TempDir
    Path tmp;

    @Test
    void threeSmallGroupsWithACalibratorAndAnEse() throws Exception {
        SimConfig cfg = SimConfig.defaults(tmp).withGroups(3).withAntennas(8).withChannelsPerSubband(2)
                .withIntegrations(2).withCalibratorGroups(Set.of(1)).withCatalogMinFluxMjy(15)
                .withModelMinApparentMjy(3).withEse(List.of(new EseInjection(EseInjection.AUTO, 0, 3, 0.5)));
        GroupSimulator.SimulationResult r = new GroupSimulator(cfg).run();
        GroupSimulator sim = r.simulator();
        assertEquals(3, r.files().size());
        for (List<Path> group : r.files()) {
            assertEquals(16, group.size());
            for (Path p : group) {
                assertTrue(Files.size(p) > 0);
            }
        }
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial files left");
        }

        // catalog: NVSS-like density in the simulated area, ids as the hub computes them from the CSV
        List<String> lines = Files.readAllLines(r.catalogFile());
        assertEquals(SyntheticCatalog.CSV_HEADER, lines.get(0));
        double area = sim.regions().stream().mapToDouble(SyntheticCatalog.Region::areaDeg2).sum();
        double expected = area * SyntheticCatalog.densityPerDeg2(cfg.catalogMinFluxMjy());
        long synthetic = sim.sky().stream().filter(x -> !x.calibrator()).count();
        assertEquals(expected, synthetic, 5 * Math.sqrt(expected), "area " + area);
        assertEquals(sim.sky().size() + 1, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double ra = Double.parseDouble(f[1]);
            double dec = Double.parseDouble(f[2]);
            String id = SkyCoords.iauName("NVSS", ra / 15.0, dec);
            assertTrue(sim.findSource(id).isPresent(), id);
            assertTrue(Double.parseDouble(f[3]) >= cfg.catalogMinFluxMjy() || sim.findSource(id).get().calibrator());
            ids.add(id);
        }
        assertEquals(sim.sky().size(), ids.size());

        // truth
        JsonNode truth = new ObjectMapper().readTree(r.truthFile().toFile());
        assertEquals(3, truth.get("groups").size());
        JsonNode g1 = truth.get("groups").get(1);
        assertTrue(g1.get("calibrator_transit").asBoolean());
        assertTrue(g1.get("calibrator_pb_response").asDouble() > 0.5, g1.toString());
        assertEquals(16, g1.get("files").size());
        assertEquals(8, g1.get("gains_at_centre").size());
        assertEquals(sim.calibrator().orElseThrow().sourceId(), truth.get("calibrator").get("source_id").asText());
        assertEquals(8, truth.get("gains").get("antennas").size());
        JsonNode ese = truth.get("ese").get(0);
        String eseId = ese.get("source_id").asText();
        JsonNode eseSource = null;
        for (JsonNode s : truth.get("sources")) {
            if (s.get("source_id").asText().equals(eseId)) {
                eseSource = s;
            }
        }
        assertTrue(eseSource != null && eseSource.has("flux_jy_per_group"), eseId);
        double steady = eseSource.get("flux_jy").asDouble();
        assertTrue(steady >= 0.02);
        assertEquals(steady * (1 - 0.5 * 0.75), eseSource.get("flux_jy_per_group").get(1).asDouble(), 1e-9);
        assertEquals(steady, eseSource.get("flux_jy_per_group").get(0).asDouble(), 1e-12);
        // the ESE source is listed in the field of the first group without a calibrator
        boolean listed = false;
        for (JsonNode s : truth.get("groups").get(0).get("sources_in_field")) {
            listed |= s.get("source_id").asText().equals(eseId);
        }
        assertTrue(listed);
    }
}
