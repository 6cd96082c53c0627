package org.dsa110.contimg.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub whose imaging stage is configured {@code exec} with the WSClean adapter's documented template. The
 * conversion stage stands in for the DSA-110 conversion CLI (not installable here) by writing a Measurement Set
 * with make_test_ms.py (outputs found by the {@code *.ms} glob); calibration_apply passes it on through a manifest;
 * the stages after imaging are skipped. The group must complete with the adapter's image as the imaging output,
 * its metrics on the stage run and WSClean's output in the stage log.
 */
class WscleanHubStageTest {
    @TempDir
    Path tmp;

    @Test
    void aGroupIsImagedByWscleanThroughTheExecExecutor() throws Exception {
        String missing = ProcessorTools.wscleanMissing();
        assumeTrue(missing == null, "WSClean hub stage test skipped: " + missing);
        Path passOn = tmp.resolve("pass-on.sh");
        Files.writeString(passOn, "#!/bin/sh\nprintf '{\"outputs\": [\"%s\"]}\\n' \"$1\" > manifest.json\n");

        Map<String, String> props = new HashMap<>();
        props.put("hub.stage.conversion.executor", "exec");
        props.put("hub.stage.conversion.command", ProcessorTools.PYTHON + " '"
                + ProcessorTools.PROCESSORS.resolve("make_test_ms.py") + "' {output_dir}/{group_id}.ms --radius-m 80 --truth {output_dir}/truth.json");
        props.put("hub.stage.conversion.outputs", "*.ms");
        props.put("hub.stage.calibration_apply.executor", "exec");
        props.put("hub.stage.calibration_apply.command", "sh '" + passOn + "' {input}");
        props.put("hub.stage.imaging.executor", "exec");
        // the template as documented: the script found through hub.processors.dir ({{sys:user.dir}}/processors)
        props.put("hub.stage.imaging.command", ProcessorTools.PYTHON
                + " '{{hub.processors.dir}}/wsclean-image.py' --threads 2 {inputs}");
        props.put("hub.stage.imaging.timeout", "300");
        props.put("hub.stage.imaging.param.niter", "500");
        for (String s : new String[] {"photometry", "ese_detection", "transient_search", "mosaic", "publishing"}) {
            props.put("hub.stage." + s + ".executor", "skip");
        }
        props.put("hub.stage.redelivery.max-redeliveries", "0");

        try (TestHub hub = TestHub.start(props)) {
            Db db = hub.bean("db", Db.class);
            GroupStates groups = hub.bean("groupStates", GroupStates.class);
            String g = "2025-10-24T13:28:03";
            db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                    + "has_calibrator) VALUES (?, ?, 'pending', 1, 1, ?)", g, Instant.parse(g + "Z"), false);
            groups.created(g, GroupStates.PENDING);
            Path sb = Files.writeString(tmp.resolve(g + "_sb00.hdf5"), "stand-in subband");
            db.update("INSERT INTO subband_files (group_id, subband, path, filename, flagged) VALUES (?, ?, ?, ?, ?)",
                    g, 0, sb.toString(), sb.getFileName().toString(), false);
            assertTrue(groups.transition(g, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
            hub.context().createProducerTemplate().sendBody("seda:pipeline.group", g);

            String state = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                state = (String) db.one("SELECT state FROM ingest_groups WHERE group_id = ?", g)
                        .map(r -> r.get("state")).orElse(null);
                if ("completed".equals(state) || "failed".equals(state)) {
                    break;
                }
                Thread.sleep(200);
            }
            long executionId = db.scalarLong("SELECT MAX(id) FROM pipeline_executions WHERE group_id = ?", g);
            JsonNode ex = json(hub, "/api/pipeline/executions/" + executionId);
            assertEquals("completed", state, ex.toString());

            JsonNode imaging = null;
            for (JsonNode s : ex.path("stages")) {
                if ("imaging".equals(s.path("name").asText())) {
                    imaging = s;
                }
            }
            assertTrue(imaging != null, ex.toString());
            assertEquals("exec", imaging.path("executor").asText());
            Path image = Path.of(imaging.path("outputs").get(0).asText());
            assertEquals(g + "-image-pb.fits", image.getFileName().toString());
            assertTrue(Files.isRegularFile(image));
            assertEquals("DATA", imaging.path("metrics").path("data_column").asText());
            assertEquals(500, imaging.path("metrics").path("niter").asInt());
            assertTrue(imaging.path("metrics").path("peak_jyb").asDouble() > 0.5, imaging.toString());

            // the image holds the conversion stage's 1 Jy test source where make_test_ms.py put it
            ProcessorTools.Plane plane = ProcessorTools.readPlane(image);
            JsonNode truth = Json.MAPPER.readTree(image.getParent().resolveSibling("conversion")
                    .resolve("truth.json").toFile());
            JsonNode source = truth.path("sources").get(0);
            double[] peak = plane.peak();
            double[] expected = plane.pixelOf(source.path("ra_deg").asDouble(), source.path("dec_deg").asDouble());
            assertTrue(Math.hypot(peak[0] - expected[0], peak[1] - expected[1]) < 2, "peak " + peak[0] + ","
                    + peak[1] + " expected " + expected[0] + "," + expected[1]);
            assertEquals(source.path("flux_jy").asDouble(), peak[2], 0.1, "pb-corrected peak of the 1 Jy source");

            JsonNode log = json(hub, "/api/pipeline/executions/" + executionId + "/stages/imaging/logs");
            boolean command = false;
            boolean wsclean = false;
            for (JsonNode l : log.path("lines")) {
                String line = l.path("line").asText();
                command |= line.startsWith("$ wsclean ") && line.contains("-data-column DATA");
                wsclean |= line.contains("WSClean version");
            }
            assertTrue(command && wsclean, log.toString());
        }
    }

    private static JsonNode json(TestHub hub, String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return Json.MAPPER.readTree(r.body());
    }
}
