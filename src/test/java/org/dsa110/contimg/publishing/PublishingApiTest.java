package org.dsa110.contimg.publishing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.transients.TestSky;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The builtin publishing stage on a staged group (an MS directory, two caltables, a FITS image and a file outside
 * the staging roots) over a real hub, then /api/data* and /api/monitoring/publish/*: verified moves, lineage,
 * QA-gated auto-publish, toggles, a corrupted copy that fails and is retried, traversal attempts.
 */
class PublishingApiTest {
    static final String G = "2025-06-01T10:00:00";
    static TestHub hub;
    static Path staging;
    static StageResult result;
    static String imageSha;
    static byte[] msTable;
    static Path outside;

    @BeforeAll
    static void stageAGroup() throws Exception {
        hub = TestHub.shared();
        staging = hub.dataDir().resolve("staging/pipeline/" + G);
        Path ms = Files.createDirectories(staging.resolve("conversion/" + G + ".ms/SUB"));
        msTable = bytes(5000, 1);
        Files.write(ms.getParent().resolve("table.f0"), msTable);
        Files.write(ms.resolve("table.f1"), bytes(3000, 2));
        Path bcal = Files.createDirectories(staging.resolve("calibration_solve/" + G + ".bcal"));
        Files.write(bcal.resolve("table.f0"), bytes(800, 3));
        Path gcal = Files.createDirectories(staging.resolve("calibration_solve/" + G + ".gcal"));
        Files.write(gcal.resolve("table.f0"), bytes(700, 4));
        Path image = new TestSky(150.0, 55.0).add(0, 0, 0.5, 500)
                .writeImage(staging.resolve("imaging/" + G + "-image.fits"), 3L, Instant.parse("2025-06-01T10:02:30Z"));
        imageSha = sha(Files.readAllBytes(image));
        Path log = Files.writeString(staging.resolve("imaging/wsclean.log"), "log");
        outside = Files.createDirectories(hub.dataDir().resolve("elsewhere")).resolve("secret.ms");
        Files.writeString(outside, "not staged");

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("upstream.conversion", List.of(ms.getParent().toString(), outside.toString()));
        params.put("upstream.calibration_solve", List.of(bcal.toString(), gcal.toString()));
        params.put("upstream.imaging", List.of(image.toString(), log.toString()));
        params.put("pointing_dec_deg", 55.0);
        result = runStage(G, params);
    }

    static StageResult runStage(String group, Map<String, Object> params) throws Exception {
        return hub.bean("builtin.publishing", StageExecutor.class).run(new StageRequest("publishing", group, 0, 1,
                List.of(), hub.dataDir().resolve("staging/pipeline/" + group + "/publishing"), params, (s, t) -> { }));
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode post(String path, int expected) throws Exception {
        HttpResponse<String> r = hub.post(path, null);
        assertEquals(expected, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> ids(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(n -> out.add(n.path("data_id").asText()));
        return out;
    }

    @Test
    void theStageRegistersAndAutoPublishesVerifiedProducts() throws Exception {
        assertEquals(5, ((Number) result.metrics().get("registered")).intValue(), result.metrics().toString());
        assertEquals(3, ((Number) result.metrics().get("published")).intValue(), "ms, image, group manifest");
        assertEquals(1, ((Number) result.metrics().get("skipped")).intValue(), "the file outside staging");

        JsonNode img = get("/api/data/" + G + "/image/" + G + "-image.fits");
        assertEquals("published", img.path("status").asText(), img.toString());
        assertEquals("image", img.path("type").asText());
        assertEquals("validated", img.path("validation_status").asText());
        assertEquals("passed", img.path("qa_status").asText(), "DR ~500: good");
        Path published = Path.of(img.path("published_path").asText());
        assertEquals(hub.dataDir().resolve("products/images").toRealPath(), published.getParent());
        assertEquals(imageSha, img.path("checksum_sha256").asText());
        assertEquals(imageSha, sha(Files.readAllBytes(published)), "the published bytes are the staged bytes");
        assertFalse(Files.exists(staging.resolve("imaging/" + G + "-image.fits")), "moved, not copied");
        assertEquals(1, img.path("publish_attempts").asInt());
        assertTrue(img.path("tags").toString().contains("group:" + G));
        long imageId = hub.bean("db", Db.class).scalarLong("SELECT id FROM images WHERE path = ?",
                published.toString());
        assertTrue(imageId > 0, "the image registry follows the move");
        assertEquals(200, hub.get("/api/images/" + imageId + "/fits").statusCode());

        JsonNode ms = get("/api/data/" + G + "/ms/" + G + ".ms");
        assertEquals("published", ms.path("status").asText());
        Path msDir = Path.of(ms.path("published_path").asText());
        assertArrayEquals(msTable, Files.readAllBytes(msDir.resolve("table.f0")));
        assertTrue(Files.isRegularFile(msDir.resolve("SUB/table.f1")));
        assertEquals(8000, ms.path("size_bytes").asLong());

        JsonNode group = get("/api/data/" + G);
        assertEquals("metadata", group.path("type").asText());
        assertEquals("published", group.path("status").asText());
        assertTrue(Files.readString(Path.of(group.path("published_path").asText())).contains(G + "/image/"));

        assertEquals(404, hub.get("/api/data/" + G + "/ms/secret.ms").statusCode());
        assertEquals("not staged", Files.readString(outside), "never moved");

        JsonNode list = get("/api/data?data_type=image&status=published&limit=1000");
        assertTrue(ids(list.path("items")).contains(img.path("data_id").asText()));
        assertTrue(list.path("total").asLong() >= 1);
        assertEquals(1, get("/api/data?limit=1&offset=0").path("items").size());
        assertTrue(ids(get("/api/data?tag=group:" + G + "&limit=1000").path("items")).contains(G));
    }

    @Test
    void lineageRunsImageToMsToGroupWithTheCaltables() throws Exception {
        String image = G + "/image/" + G + "-image.fits";
        JsonNode l = get("/api/data/" + image + "/lineage");
        assertEquals(image, l.path("data_id").asText());
        // parents and children map each relationship type to ids (the earlier backend's form)
        assertEquals(List.of(G + "/ms/" + G + ".ms"), texts(l.path("parents").path("derived_from")));
        assertEquals(1, l.path("parents").size());
        Map<String, Integer> depth = new LinkedHashMap<>();
        l.path("dependencies").forEach(d -> depth.put(d.path("data_id").asText(), d.path("depth").asInt()));
        l.path("dependencies").forEach(d -> assertEquals("parent", d.path("direction").asText(), d.toString()));
        assertEquals(Map.of(G + "/ms/" + G + ".ms", 1, G, 2, G + "/caltable/" + G + ".bcal", 2,
                G + "/caltable/" + G + ".gcal", 2), depth);
        JsonNode group = get("/api/data/" + G + "/lineage");
        assertEquals(List.of(G + "/ms/" + G + ".ms"), texts(group.path("children").path("derived_from")));
        JsonNode child = group.path("dependencies").get(0);
        assertEquals("child", child.path("direction").asText());
        assertEquals(G, child.path("parent_id").asText());
        assertTrue(child.path("path").asText().endsWith(G + ".ms"), child.toString());
        JsonNode detail = get("/api/data/" + G + "/ms/" + G + ".ms");
        assertEquals(Set.of(image), ids(detail.path("lineage").path("children")));
        assertEquals(Set.of(G, G + "/caltable/" + G + ".bcal", G + "/caltable/" + G + ".gcal"),
                ids(detail.path("lineage").path("parents")));
    }

    @Test
    void aCaltableWaitsForQaThenFinalizePublishesIt() throws Exception {
        String id = G + "/caltable/" + G + ".bcal";
        JsonNode st = get("/api/data/" + id + "/auto-publish/status");
        assertTrue(st.path("auto_publish").asBoolean());
        assertFalse(st.path("ready").asBoolean(), "QA pending");
        assertTrue(st.path("qa_required").asBoolean());
        HttpResponse<String> bad = hub.post("/api/data/" + id + "/finalize", "{\"qa_status\":\"great\"}");
        assertEquals(422, bad.statusCode(), bad.body());
        assertEquals(400, hub.post("/api/data/" + id + "/finalize?qa_status=great", null).statusCode());

        JsonNode f = post("/api/data/" + id + "/finalize?qa_status=passed&validation_status=validated", 200);
        assertEquals("finalized", f.path("status").asText());
        assertTrue(f.path("auto_published").asBoolean(), f.toString());
        JsonNode d = get("/api/data/" + id);
        assertEquals("published", d.path("status").asText());
        assertEquals("finalized", d.path("finalization_status").asText());
        assertTrue(Files.isDirectory(hub.dataDir().resolve("products/caltables/" + G + ".bcal")));
        assertEquals(409, hub.post("/api/data/" + id + "/publish", null).statusCode(), "already published");
    }

    @Test
    void autoPublishTogglesGateThePublish() throws Exception {
        String id = G + "/caltable/" + G + ".gcal";
        JsonNode off = post("/api/data/" + id + "/auto-publish/disable", 200);
        assertEquals("disabled", off.path("status").asText());
        assertFalse(get("/api/data/" + id + "/auto-publish/status").path("auto_publish").asBoolean());
        JsonNode f = post("/api/data/" + id + "/finalize?qa_status=passed", 200);
        assertFalse(f.path("auto_published").asBoolean());
        assertEquals("staging", get("/api/data/" + id).path("status").asText(), "auto-publish is off");
        JsonNode on = post("/api/data/" + id + "/auto-publish/enable", 200);
        assertEquals("enabled", on.path("status").asText());
        assertTrue(on.path("auto_published").asBoolean(), "enabling a ready item publishes it");
        assertEquals("published", get("/api/data/" + id).path("status").asText());
        assertTrue(get("/api/data/" + id + "/auto-publish/status").path("auto_publish").asBoolean());
    }

    @Test
    void aCorruptedCopyFailsAndARetryPublishes() throws Exception {
        String g2 = "2025-06-01T10:05:00";
        Path file = Files.createDirectories(hub.dataDir().resolve("staging/pipeline/" + g2 + "/conversion"))
                .resolve(g2 + ".uvfits");
        byte[] data = bytes(4096, 9);
        Files.write(file, data);
        Publisher publisher = hub.bean("publisher", Publisher.class);
        publisher.transfer((source, target) -> { // a copy that flips one byte on the way
            byte[] b = Files.readAllBytes(source);
            b[100] ^= 1;
            Files.write(target, b);
        });
        StageResult r;
        try {
            r = runStage(g2, Map.of("upstream.conversion", List.of(file.toString())));
        } finally {
            publisher.transfer(null);
        }
        assertEquals(2, ((Number) r.metrics().get("publish_failed")).intValue(), r.metrics().toString());
        String id = g2 + "/ms/" + g2 + ".uvfits";
        JsonNode d = get("/api/data/" + id);
        assertEquals("failed", d.path("status").asText());
        assertTrue(d.path("publish_error").asText().contains("checksum mismatch after the move"), d.toString());
        assertEquals(1, d.path("publish_attempts").asInt());
        assertArrayEquals(data, Files.readAllBytes(file), "the staged file is untouched");
        assertFalse(Files.exists(hub.dataDir().resolve("products/ms/" + g2 + ".uvfits")), "the bad copy is gone");
        assertTrue(ids(get("/api/monitoring/publish/failed").path("items")).containsAll(Set.of(id, g2)));
        assertTrue(ids(get("/api/data?status=failed&limit=1000").path("items")).contains(id));
        assertTrue(get("/api/monitoring/publish/status").path("failed").asLong() >= 2);

        JsonNode ok = post("/api/monitoring/publish/retry/" + id, 200);
        assertEquals("published", ok.path("status").asText());
        assertEquals(2, ok.path("publish_attempts").asInt());
        assertArrayEquals(data, Files.readAllBytes(Path.of(ok.path("published_path").asText())));
        assertEquals(409, hub.post("/api/monitoring/publish/retry/" + id, null).statusCode(), "not failed now");

        JsonNode all = post("/api/monitoring/publish/retry-all?limit=100", 200);
        assertTrue(all.path("published").asInt() >= 1, all.toString());
        assertEquals("published", get("/api/data/" + g2).path("status").asText());
        assertFalse(ids(get("/api/monitoring/publish/failed").path("items")).contains(g2));
        JsonNode status = get("/api/monitoring/publish/status");
        assertTrue(status.path("by_status").path("published").asLong() >= 5);
        assertEquals(3, status.path("max_attempts").asInt());
    }

    @Test
    void aStagedFileChangedAfterRegistrationIsNotPublished() throws Exception {
        String g3 = "2025-06-01T10:10:00";
        Path file = Files.createDirectories(hub.dataDir().resolve("staging/pipeline/" + g3 + "/conversion"))
                .resolve(g3 + ".uvfits");
        Files.write(file, bytes(2048, 12));
        String id = g3 + "/ms/" + g3 + ".uvfits";
        Publisher publisher = hub.bean("publisher", Publisher.class);
        // the first (auto) publish fails on a full disk, then the staged file is changed before the retry
        publisher.transfer((source, target) -> {
            Files.writeString(target, "partial");
            throw new java.io.IOException("disk full");
        });
        try {
            runStage(g3, Map.of("upstream.conversion", List.of(file.toString())));
        } finally {
            publisher.transfer(null);
        }
        assertTrue(get("/api/data/" + id).path("publish_error").asText().contains("disk full"));
        assertFalse(Files.exists(hub.dataDir().resolve("products/ms/" + g3 + ".uvfits")), "partial copy removed");
        Files.write(file, bytes(2048, 13)); // changed behind the registry's back
        HttpResponse<String> r = hub.post("/api/data/" + id + "/publish", null);
        assertEquals(409, r.statusCode(), r.body());
        JsonNode err = Json.MAPPER.readTree(r.body());
        assertEquals("PUBLISH_FAILED", err.path("code").asText());
        assertTrue(err.path("error").asText().contains("changed since registration"), r.body());
        assertEquals(2, get("/api/data/" + id).path("publish_attempts").asInt());
        assertTrue(Files.exists(file));
    }

    @Test
    void traversalAndUnknownIdsAre404AndBadParameters400() throws Exception {
        assertEquals(404, hub.get("/api/data/..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(404, hub.get("/api/data/../../etc/passwd").statusCode());
        assertEquals(404, hub.post("/api/data/..%2F..%2Fetc%2Fpasswd/publish", null).statusCode());
        assertEquals(404, hub.post("/api/monitoring/publish/retry/../../etc/passwd", null).statusCode());
        HttpResponse<String> r = hub.get("/api/data/no/such/item/auto-publish/status");
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", Json.MAPPER.readTree(r.body()).path("code").asText(), "reached the operation");
        assertEquals("no/such/item", Json.MAPPER.readTree(r.body()).path("details").path("id").asText());
        assertEquals(404, hub.get("/api/data/nothing/lineage").statusCode());
        assertEquals(404, hub.post("/api/data/no/such/finalize", null).statusCode());
        assertEquals(405, hub.get("/api/data/" + G + "/ms/" + G + ".ms/publish").statusCode());
        assertEquals(400, hub.get("/api/data?status=bogus").statusCode());
        assertEquals(400, hub.get("/api/data?data_type=bogus").statusCode());
        assertEquals(400, hub.get("/api/data?limit=0").statusCode());
        assertEquals(400, hub.get("/api/monitoring/publish/failed?max_attempts=x").statusCode());
    }
}
