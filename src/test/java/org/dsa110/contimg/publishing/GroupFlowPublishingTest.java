package org.dsa110.contimg.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.dsa110.contimg.transients.TestSky;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One group through the real group flow: conversion, calibration_apply and imaging are exec stand-ins (a shell
 * script writing a visibility file, a calibrated copy and a synthetic FITS image), photometry, ese_detection and
 * mosaic are skipped, transient_search and publishing are the builtin executors. The group completes with its
 * transient candidates and alerts stored and its products published with lineage.
 */
class GroupFlowPublishingTest {
    static final String G = "2025-07-04T08:00:00";
    @TempDir
    static Path tmp;
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        // the steady source makes the dynamic range ~200 (QA good: the image auto-publishes)
        TestSky sky = new TestSky(100.0, 30.0).add(-30, 20, 0.200, 200).add(40, -25, 0.025, 0);
        Path fixture = sky.writeImage(tmp.resolve("fixture.fits"), 21L, Instant.parse("2025-07-04T08:02:30Z"));
        Path script = tmp.resolve("stage.sh");
        Files.writeString(script, """
                #!/bin/sh
                stage="$1"; out="$2"; group="$3"; shift 3
                case "$stage" in
                  conversion) name="$group.uvfits"; printf 'visibilities of %s\\n' "$group" > "$out/$name" ;;
                  calibration_apply) name="${group}_cal.uvfits"; cat "$1" > "$out/$name"; echo calibrated >> "$out/$name" ;;
                  imaging) name="$group-image.fits"; cp 'FIXTURE' "$out/$name" ;;
                esac
                printf '{"outputs": ["%s"]}' "$name" > "$out/manifest.json"
                """.replace("FIXTURE", fixture.toString()));
        Map<String, String> props = new HashMap<>();
        for (String s : new String[] {"conversion", "calibration_apply", "imaging"}) {
            props.put("hub.stage." + s + ".executor", "exec");
            props.put("hub.stage." + s + ".command", "sh '" + script + "' {stage} {output_dir} {group_id} {inputs}");
        }
        for (String s : new String[] {"photometry", "ese_detection", "mosaic"}) {
            props.put("hub.stage." + s + ".executor", "skip");
        }
        props.put("hub.stage.redelivery.max-redeliveries", "0");
        hub = TestHub.start(props);
        hub.bean("referenceCatalog", ReferenceCatalog.class).load(sky.writeCatalog(tmp.resolve("catalog.csv")));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aGroupEndsWithCandidatesAlertsAndPublishedProducts() throws Exception {
        Db db = hub.bean("db", Db.class);
        GroupStates groups = hub.bean("groupStates", GroupStates.class);
        db.update("INSERT INTO ingest_groups (group_id, group_time, state, expected_subbands, subbands_present, "
                + "has_calibrator) VALUES (?, ?, 'pending', 1, 1, FALSE)", G, Instant.parse(G + "Z"));
        groups.created(G, GroupStates.PENDING);
        Path sb = Files.writeString(tmp.resolve(G + "_sb00.hdf5"), "uvh5");
        db.update("INSERT INTO subband_files (group_id, subband, path, filename, flagged) VALUES (?, 0, ?, ?, FALSE)",
                G, sb.toString(), sb.getFileName().toString());
        assertTrue(groups.transition(G, GroupStates.PENDING, GroupStates.IN_PROGRESS, null));
        hub.context().createProducerTemplate().sendBody("seda:pipeline.group", G);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = (String) db.one("SELECT state FROM ingest_groups WHERE group_id = ?", G).get().get("state");
            if ("completed".equals(state) || "failed".equals(state)) {
                break;
            }
            Thread.sleep(100);
        }
        long ex = db.scalarLong("SELECT MAX(id) FROM pipeline_executions WHERE group_id = ?", G);
        JsonNode execution = get("/api/pipeline/executions/" + ex);
        assertEquals("completed", state, execution.toString());
        Map<String, JsonNode> stages = new LinkedHashMap<>();
        execution.path("stages").forEach(s -> stages.put(s.path("name").asText(), s));
        JsonNode search = stages.get("transient_search");
        assertEquals("builtin", search.path("executor").asText());
        assertEquals(1, search.path("metrics").path("candidates_new").asInt(), search.toString());
        assertEquals("builtin", stages.get("publishing").path("executor").asText());

        long imageId = db.scalarLong("SELECT id FROM images WHERE group_id = ?", G);
        JsonNode candidates = get("/api/candidates?image_id=" + imageId);
        assertEquals(1, candidates.size(), candidates.toString());
        JsonNode c = candidates.get(0);
        assertEquals("new", c.path("candidate_type").asText());
        assertEquals("CRITICAL", c.path("alert_level").asText());
        assertTrue(c.path("image_path").asText().contains("/products/images/"), "the image moved: " + c);
        boolean alerted = false;
        for (JsonNode a : get("/api/alerts?alert_level=CRITICAL&limit=1000")) {
            alerted |= a.path("candidate_id").asLong() == c.path("id").asLong();
        }
        assertTrue(alerted);

        String image = G + "/image/" + G + "-image.fits";
        JsonNode img = get("/api/data/" + image);
        assertEquals("published", img.path("status").asText(), img.toString());
        JsonNode lineage = get("/api/data/" + image + "/lineage");
        Map<String, Integer> depth = new LinkedHashMap<>();
        lineage.path("dependencies").forEach(d -> depth.put(d.path("data_id").asText(), d.path("depth").asInt()));
        assertEquals(Map.of(G + "/calib_ms/" + G + "_cal.uvfits", 1, G + "/ms/" + G + ".uvfits", 2, G, 3), depth);
        assertEquals("staging", get("/api/data/" + G + "/calib_ms/" + G + "_cal.uvfits").path("status").asText(),
                "a calibrated MS waits for calibration QA");
        assertEquals("published", get("/api/data/" + G + "/ms/" + G + ".uvfits").path("status").asText());
        assertEquals("published", get("/api/data/" + G).path("status").asText());
    }
}
