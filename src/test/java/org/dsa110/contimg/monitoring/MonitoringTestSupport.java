package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/** Helpers shared by the monitoring HTTP tests. */
final class MonitoringTestSupport {
    private MonitoringTestSupport() {
    }

    static JsonNode getJson(TestHub hub, String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.uri() + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    /** GETs a plot, checks it is a PNG that decodes, and returns whether it is the "no data" image. */
    static boolean getPng(TestHub hub, String path) throws Exception {
        HttpResponse<byte[]> r = hub.getBytes(path);
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body()));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""), path);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, path + " is not a decodable image");
        assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, path + " size");
        return Boolean.parseBoolean(r.headers().firstValue(PlotCache.EMPTY_HEADER).orElseThrow());
    }

    /** A group row as the ingest code writes it, with its creation recorded in the state history. */
    static void newGroup(TestHub hub, String groupId, String state) {
        Db db = hub.bean("db", Db.class);
        Instant t = Instant.parse(groupId + "Z");
        db.update("INSERT INTO ingest_groups (group_id, group_time, state) VALUES (?, ?, ?)", groupId, t, state);
        hub.bean("groupStates", org.dsa110.contimg.store.GroupStates.class).created(groupId, state);
    }
}
