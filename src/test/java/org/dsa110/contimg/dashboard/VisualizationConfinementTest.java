package org.dsa110.contimg.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The file views of the dashboard (/api/visualization/*, the legacy scan directories) read only inside the data
 * roots: "../" climbs, absolute paths elsewhere and symbolic links leading out are refused (400 PATH_NOT_ALLOWED),
 * links out are not even listed, and the hub's own state under the data directory (database, backups, files at its
 * top level such as a generated key) is never listed or served.
 */
class VisualizationConfinementTest {
    static TestHub hub;
    static Path data;
    static Path outside;
    static Path area;

    @BeforeAll
    static void files() throws Exception {
        hub = TestHub.shared();
        data = hub.dataDir();
        outside = Files.createTempDirectory("not-a-data-root");
        Files.writeString(outside.resolve("secret.txt"), "outside the roots");
        area = Files.createDirectories(data.resolve("products/confinement"));
        Files.writeString(area.resolve("inside.txt"), "inside the roots");
        Files.createDirectories(area.resolve("real"));
        Files.writeString(area.resolve("real/note.txt"), "reached through a link inside the roots");
        Files.createSymbolicLink(area.resolve("link-out"), outside);
        Files.createSymbolicLink(area.resolve("file-out.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(area.resolve("link-in"), area.resolve("real"));
        Files.writeString(data.resolve("api-key"), "a key the hub generated");
        Files.createDirectories(data.resolve("db"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Files.deleteIfExists(outside.resolve("secret.txt"));
        Files.deleteIfExists(outside);
        Files.deleteIfExists(data.resolve("api-key"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode refused(int status, String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("error", body.get("status").asText());
        assertFalse(r.body().contains("outside the roots") || r.body().contains("a key the hub generated"));
        return body;
    }

    @Test
    void traversalAndForeignPathsAreRefused() throws Exception {
        for (String p : List.of(area + "/../../../etc/passwd", "../../etc/passwd", "/etc/passwd",
                outside.resolve("secret.txt").toString(), "products/%00x")) {
            for (String endpoint : List.of("file", "fits/info", "casatable/info", "fits/view", "casatable/view")) {
                JsonNode e = refused(400, "/api/visualization/" + endpoint + "?path=" + (p.contains("%00") ? p
                        : enc(p)));
                assertEquals("PATH_NOT_ALLOWED", e.get("code").asText(), endpoint + " " + p);
            }
        }
        refused(400, "/api/visualization/browse?path=" + enc("/etc"));
        refused(400, "/api/visualization/browse?path=" + enc(data.resolve("..").toString()));
        refused(400, "/api/visualization/directory/thumbnails?path=" + enc("/usr/share"));
    }

    @Test
    void linksLeadingOutAreNeitherListedNorFollowed() throws Exception {
        JsonNode listing = get("/api/visualization/browse?path=" + enc(area.toString()) + "&recursive=true");
        Set<String> names = new HashSet<>();
        listing.get("entries").forEach(e -> names.add(e.get("name").asText()));
        assertTrue(names.containsAll(Set.of("inside.txt", "real", "link-in", "note.txt")), names.toString());
        assertFalse(names.contains("link-out") || names.contains("file-out.txt") || names.contains("secret.txt"),
                names.toString());
        JsonNode e = refused(400, "/api/visualization/file?path=" + enc(area.resolve("file-out.txt").toString()));
        assertEquals("PATH_NOT_ALLOWED", e.get("code").asText());
        refused(400, "/api/visualization/file?path=" + enc(area.resolve("link-out/secret.txt").toString()));
        refused(400, "/api/visualization/browse?path=" + enc(area.resolve("link-out").toString()));
        // a link that stays inside the roots is followed
        HttpResponse<byte[]> ok = hub.getBytes("/api/visualization/file?path="
                + enc(area.resolve("link-in/note.txt").toString()));
        assertEquals(200, ok.statusCode());
        assertArrayEquals(Files.readAllBytes(area.resolve("real/note.txt")), ok.body());
        assertEquals("nosniff", ok.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void theHubsOwnStateIsNotData() throws Exception {
        JsonNode top = get("/api/visualization/browse");
        Set<String> names = new HashSet<>();
        top.get("entries").forEach(e -> names.add(e.get("name").asText()));
        assertTrue(names.contains("products"), names.toString());
        assertFalse(names.contains("db") || names.contains("backups") || names.contains("api-key"), names.toString());
        assertEquals(404, hub.get("/api/visualization/file?path=" + enc(data.resolve("api-key").toString()))
                .statusCode());
        assertEquals(404, hub.get("/api/visualization/browse?path=" + enc(data.resolve("db").toString()))
                .statusCode());
        assertFalse(get("/api/visualization/fits/info?path=" + enc(data.resolve("db/contimg.mv.db").toString()))
                .get("exists").asBoolean(), "internal files read as absent");
    }

    @Test
    void legacyRootsAreAliasesOfTheDataDirectories() throws Exception {
        HttpResponse<byte[]> r = hub.getBytes("/api/visualization/file?path="
                + enc("/stage/dsa110-contimg/confinement/inside.txt"));
        assertEquals(200, r.statusCode());
        assertEquals("inside the roots", new String(r.body(), StandardCharsets.UTF_8));
        JsonNode listing = get("/api/visualization/browse?path=" + enc("/data/dsa110-contimg/products/confinement"));
        assertEquals(area.toRealPath().toString(), listing.get("path").asText());
        // an alias does not widen the roots: climbing out of it is still refused
        refused(400, "/api/visualization/file?path=" + enc("/stage/dsa110-contimg/../../../etc/passwd"));
    }

    @Test
    void scanDirectoriesNeverLeaveTheRoots() throws Exception {
        JsonNode ms = get("/api/ms?scan=true&scan_dir=" + enc(area.resolve("link-out").toString()));
        assertTrue(ms.get("warning").asText().contains("outside"), ms.toString());
        assertFalse(ms.has("scan"), "nothing scanned");
        JsonNode uvh5 = get("/api/uvh5?input_dir=" + enc(outside.toString()));
        assertTrue(uvh5.get("warning").asText().contains("outside"), uvh5.toString());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }
}
