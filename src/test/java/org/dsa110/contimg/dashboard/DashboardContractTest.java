package org.dsa110.contimg.dashboard;

import static org.dsa110.contimg.dashboard.Shapes.Kind.ARRAY;
import static org.dsa110.contimg.dashboard.Shapes.Kind.BOOL;
import static org.dsa110.contimg.dashboard.Shapes.Kind.INT;
import static org.dsa110.contimg.dashboard.Shapes.Kind.ISO;
import static org.dsa110.contimg.dashboard.Shapes.Kind.NUMBER;
import static org.dsa110.contimg.dashboard.Shapes.Kind.OBJECT;
import static org.dsa110.contimg.dashboard.Shapes.Kind.STRING;
import static org.dsa110.contimg.dashboard.Shapes.Kind.TS;
import static org.dsa110.contimg.dashboard.Shapes.field;
import static org.dsa110.contimg.dashboard.Shapes.metric;
import static org.dsa110.contimg.dashboard.Shapes.must;
import static org.dsa110.contimg.dashboard.Shapes.nonEmpty;
import static org.dsa110.contimg.dashboard.Shapes.oneOf;
import static org.dsa110.contimg.dashboard.Shapes.optional;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.monitoring.LegacyEvents;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard's contract (shared/spec/dashboard.md, section 1), row by row, on a hub in demo mode: each
 * call as the dashboard sends it, the fields it reads with their types, the {@code !} ones present and not null.
 * The data are the demo pipeline's own (simulated groups through the builtin stages).
 */
class DashboardContractTest {
    static TestHub hub;
    static Db db;

    @BeforeAll
    static void demo() throws Exception {
        hub = DemoHub.get();
        db = hub.bean("db", Db.class);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = hub.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static JsonNode send(String method, String path, String body) throws Exception {
        HttpResponse<String> r = hub.send(method, path, body);
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String scalar(String sql, Object... args) {
        return String.valueOf(db.one(sql, args).orElseThrow().values().iterator().next());
    }

    @Test
    void row01HealthSummary() throws Exception {
        JsonNode h = get("/api/health/summary");
        oneOf(h, "status", Set.of("healthy", "degraded", "unhealthy", "unknown"));
        must(h, "timestamp", TS);
        JsonNode checks = must(h, "checks", OBJECT);
        assertTrue(checks.has("database") && checks.has("disk"), checks.toString());
        checks.fields().forEachRemaining(c -> {
            must(c.getValue(), "healthy", BOOL);
            optional(c.getValue(), "error", STRING);
            optional(c.getValue(), "message", STRING);
            optional(c.getValue(), "timestamp", TS);
        });
        assertTrue(checks.get("database").get("healthy").asBoolean());
    }

    @Test
    void row02WorkflowStatus() throws Exception {
        JsonNode w = get("/api/pipeline/workflow-status");
        JsonNode stages = must(w, "stages", ARRAY);
        nonEmpty(stages, "stages");
        long completed = 0;
        for (JsonNode s : stages) {
            must(s, "name", STRING);
            must(s, "display_name", STRING);
            for (String f : List.of("pending", "processing", "completed_today", "failed_today")) {
                must(s, f, INT);
            }
            completed += s.get("completed_today").asLong();
        }
        JsonNode bottleneck = field(w, "bottleneck", STRING, true);
        if (!bottleneck.isNull()) {
            assertEquals(bottleneck.asText(), w.get("bottleneck_detail").get("stage").asText());
        }
        field(w, "estimated_completion", ISO, true);
        oneOf(w, "overall_health", Set.of("healthy", "degraded", "stalled"));
        must(w, "total_pending", INT);
        assertEquals(completed, must(w, "total_completed_today", INT).asLong());
        must(w, "total_failed_today", INT);
        must(w, "updated_at", ISO);
        assertTrue(completed >= DemoHub.GROUPS, "the demo's stage runs are counted: " + completed);
    }

    @Test
    void row03EventStats() throws Exception {
        JsonNode s = get("/api/events/stats");
        for (String f : List.of("total_events", "events_in_history", "events_last_minute", "events_last_hour")) {
            must(s, f, INT);
        }
        JsonNode perType = must(s, "events_per_type", OBJECT);
        perType.fields().forEachRemaining(e -> must(perType, e.getKey(), INT));
        JsonNode subscribers = must(s, "subscribers", OBJECT);
        subscribers.fields().forEachRemaining(e -> must(subscribers, e.getKey(), INT));
        optional(s, "event_types", ARRAY);
        assertEquals(Long.parseLong(scalar("SELECT COUNT(*) FROM events")), s.get("events_in_history").asLong());
        assertTrue(perType.path("pipeline_stage_completed").asLong() > 0, perType.toString());
    }

    @Test
    void row04EventTypes() throws Exception {
        JsonNode types = must(get("/api/events/types"), "event_types", ARRAY);
        Set<String> values = new HashSet<>();
        for (JsonNode t : types) {
            values.add(must(t, "value", STRING).asText());
            must(t, "name", STRING);
        }
        assertTrue(values.containsAll(LegacyEvents.LEGACY_TYPES), values.toString());
    }

    @Test
    void row05EventStreamIsABareArray() throws Exception {
        JsonNode all = get("/api/events/stream?event_type=&limit=100&since_minutes=");
        assertTrue(all.isArray(), "a bare array");
        nonEmpty(all, "events");
        for (JsonNode e : all) {
            must(e, "event_type", STRING);
            must(e, "timestamp", TS);
            must(e, "timestamp_iso", ISO);
        }
        JsonNode completed = get("/api/events/stream?event_type=pipeline_stage_completed&limit=100&since_minutes=60");
        nonEmpty(completed, "completed stage events");
        for (JsonNode e : completed) {
            assertEquals("pipeline_stage_completed", e.get("event_type").asText());
            assertEquals("stage_update", e.get("hub_type").asText());
            assertEquals("completed", e.path("data").path("status").asText(), e.toString());
        }
    }

    @Test
    void row06QueueHealthFields() throws Exception {
        for (String path : List.of("/api/absurd/health/detailed", "/api/health/detailed")) {
            JsonNode h = get(path);
            oneOf(h, "status", Set.of("healthy", "degraded", "critical", "down", "disabled", "error"));
            must(h, "message", STRING);
            must(h, "queue_depth", INT);
            must(h, "database_available", BOOL);
            must(h, "worker_pool_healthy", BOOL);
            for (String list : List.of("alerts", "warnings")) {
                for (JsonNode a : must(h, list, ARRAY)) {
                    oneOf(a, "level", Set.of("alert", "warning"));
                    must(a, "message", STRING);
                    field(a, "timestamp", ISO, true);
                }
            }
            assertTrue(h.get("database_available").asBoolean());
            assertTrue(h.get("worker_pool_healthy").asBoolean(), "the hub's own task runner is a live worker");
        }
        HttpResponse<String> r = hub.get("/api/absurd/health");
        JsonNode h = Json.MAPPER.readTree(r.body());
        oneOf(h, "status", Set.of("healthy", "disabled", "error", "degraded", "critical", "down"));
        must(h, "message", STRING);
    }

    @Test
    void row07CatalogValidationSections() throws Exception {
        long image = Long.parseLong(scalar("SELECT MIN(id) FROM images WHERE type <> 'mosaic'"));
        for (String catalog : List.of("nvss", "vlass")) {
            JsonNode v = get("/api/qa/images/" + image + "/catalog-validation?catalog=" + catalog
                    + "&validation_type=all");
            for (String section : List.of("astrometry", "flux_scale", "source_counts")) {
                JsonNode s = must(v, section, OBJECT);
                assertEquals(section, must(s, "validation_type", STRING).asText());
                assertEquals(catalog, must(s, "catalog_used", STRING).asText());
                for (String n : List.of("n_matched", "n_detected", "n_catalog")) {
                    must(s, n, INT);
                }
                assertEquals(!s.get("issues").isEmpty(), must(s, "has_issues", BOOL).asBoolean());
                assertEquals(!s.get("warnings").isEmpty(), must(s, "has_warnings", BOOL).asBoolean());
                for (String list : List.of("issues", "warnings")) {
                    for (JsonNode m : must(s, list, ARRAY)) {
                        assertTrue(m.isTextual());
                    }
                }
            }
            for (String m : List.of("mean_offset_arcsec", "rms_offset_arcsec", "max_offset_arcsec",
                    "offset_ra_arcsec", "offset_dec_arcsec")) {
                metric(v.get("astrometry"), m);
            }
            for (String m : List.of("mean_flux_ratio", "rms_flux_ratio", "flux_scale_error")) {
                metric(v.get("flux_scale"), m);
            }
            metric(v.get("source_counts"), "completeness");
        }
        JsonNode one = get("/api/qa/images/" + image + "/catalog-validation?catalog=nvss&validation_type=astrometry");
        assertTrue(one.has("astrometry") && !one.has("flux_scale") && !one.has("source_counts"), one.toString());
    }

    @Test
    void row08LineageAsMaps() throws Exception {
        String imageId = scalar("SELECT MIN(data_id) FROM data_registry WHERE data_type = 'image'");
        JsonNode l = get("/api/data/" + imageId + "/lineage");
        JsonNode parents = must(l, "parents", OBJECT);
        JsonNode children = must(l, "children", OBJECT);
        assertTrue(parents.size() > 0, "an image derives from its calibrated visibilities: " + l);
        List<String> related = new ArrayList<>();
        for (JsonNode map : List.of(parents, children)) {
            map.fields().forEachRemaining(e -> e.getValue().forEach(id -> {
                assertTrue(id.isTextual());
                related.add(id.asText());
            }));
        }
        for (JsonNode d : must(l, "dependencies", ARRAY)) {
            must(d, "data_id", STRING);
            must(d, "relationship_type", STRING);
        }
        optional(l, "instance_id", STRING);
        for (String id : related) {
            // the lineage page then fetches every node
            must(get("/api/data/" + enc(id)), "id", STRING);
        }
    }

    @Test
    void row09CacheStats() throws Exception {
        JsonNode s = get("/api/cache/stats");
        must(s, "backend_type", STRING);
        for (String f : List.of("total_keys", "active_keys", "hits", "misses", "sets", "deletes",
                "total_requests")) {
            must(s, f, INT);
        }
        must(s, "hit_rate", NUMBER);
        must(s, "miss_rate", NUMBER);
    }

    @Test
    void row10CachePerformanceTopLevel() throws Exception {
        JsonNode p = get("/api/cache/performance");
        must(p, "hit_rate", NUMBER);
        must(p, "miss_rate", NUMBER);
        must(p, "total_requests", INT);
        must(p, "hits", INT);
        must(p, "misses", INT);
        must(p, "backend_type", STRING);
    }

    @Test
    void row11CacheKeys() throws Exception {
        // the queue-health plot is cached under a key
        assertEquals(200, hub.getBytes("/api/queue-health/plots/state-transitions?hours=5").statusCode());
        JsonNode k = get("/api/cache/keys?pattern=plot:queue-health/*hours=5*&limit=10");
        must(k, "total", INT);
        JsonNode keys = must(k, "keys", ARRAY);
        nonEmpty(keys, "cached keys");
        for (JsonNode e : keys) {
            must(e, "key", STRING);
            must(e, "exists", BOOL);
            must(e, "has_value", BOOL);
        }
        String key = keys.get(0).get("key").asText();
        JsonNode one = get("/api/cache/keys/" + key);
        assertEquals(key, must(one, "key", STRING).asText());
        assertTrue(one.has("value"));
        must(one, "value_type", STRING);
        assertTrue(must(one, "value_size", INT).asLong() > 0);
        send("DELETE", "/api/cache/keys/" + key, null);
        assertEquals(404, hub.get("/api/cache/keys/" + key).statusCode());
        send("DELETE", "/api/cache/clear", null);
    }

    @Test
    void row12DataProducts() throws Exception {
        JsonNode list = get("/api/data?data_type=&status=&limit=50&offset=0");
        must(list, "total", INT);
        nonEmpty(must(list, "items", ARRAY), "data products");
        for (JsonNode item : list.get("items")) {
            dataProduct(item);
        }
        String id = list.get("items").get(0).get("id").asText();
        JsonNode d = get("/api/data/" + enc(id));
        dataProduct(d);
        // Unix seconds, as the earlier backend stored them; the ISO form beside
        assertEquals(java.time.Instant.parse(d.get("created_at_iso").asText()).getEpochSecond(),
                d.get("created_at").asLong());
    }

    private static void dataProduct(JsonNode d) {
        must(d, "id", STRING);
        assertEquals(d.get("id").asText(), d.get("data_id").asText());
        must(d, "data_type", STRING);
        must(d, "status", STRING);
        must(d, "stage_path", STRING);
        field(d, "published_path", STRING, true);
        must(d, "created_at", TS);
        must(d, "created_at_iso", ISO);
        optional(d, "published_at", TS);
        optional(d, "qa_status", STRING);
        optional(d, "validation_status", STRING);
        optional(d, "finalization_status", STRING);
        must(d, "auto_publish_enabled", BOOL);
        field(d, "metadata", OBJECT, true);
    }

    @Test
    void row13SourceSearchWithLegacyFilters() throws Exception {
        String measured = scalar("SELECT MIN(source_id) FROM photometry");
        JsonNode src = get("/api/sources/" + enc(measured));
        double ra = src.get("ra_deg").asDouble();
        double dec = src.get("dec_deg").asDouble();
        String body = String.format(java.util.Locale.ROOT, "{\"limit\":50,\"variability_threshold\":0,"
                + "\"ese_only\":false,\"dec_min\":%.4f,\"dec_max\":%.4f,\"ra_min\":%.4f,\"ra_max\":%.4f}",
                dec - 0.01, dec + 0.01, ra - 0.01, ra + 0.01);
        JsonNode r = send("POST", "/api/sources/search", body);
        must(r, "total", INT);
        JsonNode rows = must(r, "sources", ARRAY);
        JsonNode row = null;
        for (JsonNode s : rows) {
            must(s, "source_id", STRING);
            must(s, "ra_deg", NUMBER);
            must(s, "dec_deg", NUMBER);
            must(s, "catalog", STRING);
            field(s, "mean_flux_jy", NUMBER, true);
            field(s, "std_flux_jy", NUMBER, true);
            field(s, "chi_sq_nu", NUMBER, true);
            must(s, "is_variable", BOOL);
            for (JsonNode p : must(s, "flux_points", ARRAY)) {
                must(p, "mjd", NUMBER);
                must(p, "time", ISO);
                must(p, "flux_jy", NUMBER);
                field(p, "flux_err_jy", NUMBER, true);
                field(p, "image_id", STRING, true);
            }
            optional(s, "variability_index", NUMBER);
            optional(s, "ese_candidate", BOOL);
            if (s.get("source_id").asText().equals(measured)) {
                row = s;
            }
        }
        assertTrue(row != null, "the measured source is inside its own RA/Dec box: " + rows);
        assertEquals(Long.parseLong(scalar("SELECT COUNT(*) FROM photometry WHERE source_id = ?", measured)),
                row.get("flux_points").size());
        // a box that excludes it, and the ESE-only filter (no candidate in this short demo)
        JsonNode away = send("POST", "/api/sources/search", String.format(java.util.Locale.ROOT,
                "{\"ra_min\":%.4f,\"ra_max\":%.4f}", (ra + 10) % 360, (ra + 11) % 360));
        away.get("sources").forEach(s -> assertFalse(s.get("source_id").asText().equals(measured)));
        assertEquals(0, send("POST", "/api/sources/search", "{\"ese_only\":true}").get("total").asInt());
    }

    @Test
    void row14MsListWithLegacyScanDir() throws Exception {
        long indexed = Long.parseLong(scalar("SELECT COUNT(*) FROM ms_index"));
        for (String dir : List.of("/stage/dsa110-contimg/ms", "/etc", "/data/dsa110-contimg/nowhere")) {
            JsonNode ms = get("/api/ms?scan=true&scan_dir=" + enc(dir) + "&limit=100&offset=0&sort_by=time_desc");
            assertEquals(indexed, must(ms, "total", INT).asLong());
            JsonNode items = must(ms, "items", ARRAY);
            assertEquals(indexed, items.size());
            for (JsonNode m : items) {
                must(m, "path", STRING);
                must(m, "has_calibrator", BOOL);
                must(m, "is_calibrated", BOOL);
                must(m, "is_imaged", BOOL);
                field(m, "start_time", ISO, true);
            }
            if (!dir.startsWith("/stage")) {
                assertTrue(must(ms, "warning", STRING).asText().contains(dir), ms.get("warning").asText());
            } else {
                assertFalse(ms.has("warning"), "the legacy MS directory is the hub's products/ms: " + ms);
                assertEquals(indexed, ms.get("scan").get("discovered").asLong());
            }
        }
    }

    @Test
    void row15Uvh5Items() throws Exception {
        long inIncoming = Long.parseLong(scalar("SELECT COUNT(*) FROM hdf5_file_index"));
        JsonNode u = get("/api/uvh5?input_dir=/data/incoming&limit=10000");
        assertFalse(u.has("warning"), u.toString().substring(0, 100));
        JsonNode items = must(u, "items", ARRAY);
        assertEquals(inIncoming, items.size());
        for (JsonNode f : items) {
            must(f, "path", STRING);
            optional(f, "size_mb", NUMBER);
            optional(f, "timestamp", STRING);
            optional(f, "subband", STRING);
            optional(f, "size", INT);
        }
        optional(u, "total", INT);
        JsonNode outside = get("/api/uvh5?input_dir=/etc");
        assertEquals(inIncoming, outside.get("total").asLong());
        must(outside, "warning", STRING);
    }

    @Test
    void row16Browse() throws Exception {
        JsonNode b = get("/api/visualization/browse?path=" + enc("/stage/dsa110-contimg")
                + "&recursive=true&show_hidden=false&include_pattern=" + enc("*.fits"));
        must(b, "path", STRING);
        for (String f : List.of("total_files", "total_dirs", "fits_count", "casatable_count")) {
            must(b, f, INT);
        }
        for (JsonNode e : must(b, "entries", ARRAY)) {
            must(e, "name", STRING);
            must(e, "path", STRING);
            must(e, "type", STRING);
            field(e, "size", STRING, true);
            optional(e, "modified_at", ISO);
            optional(e, "modified_time", ISO);
            must(e, "is_dir", BOOL);
        }
        assertTrue(b.get("fits_count").asInt() > 0, "the demo's mosaic: " + b);
    }

    @Test
    void row17Thumbnails() throws Exception {
        String mosaics = hub.dataDir().resolve("products/mosaics").toString();
        HttpResponse<String> r = hub.get("/api/visualization/directory/thumbnails?path=" + enc(mosaics)
                + "&recursive=false&mincol=0&maxcol=8&titles=true");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("<img src=\"data:image/png;base64,"), r.body());
    }

    @Test
    void row18FitsInfo() throws Exception {
        String fits = scalar("SELECT path FROM images WHERE type = 'mosaic'");
        JsonNode i = get("/api/visualization/fits/info?path=" + enc(fits));
        assertEquals(fits, must(i, "path", STRING).asText());
        assertTrue(must(i, "exists", BOOL).asBoolean());
        JsonNode shape = must(i, "shape", ARRAY);
        assertEquals(2, shape.size());
        must(i, "summary", STRING);
        nonEmpty(must(i, "header_keys", ARRAY), "header keys");
        assertEquals(2, must(i, "naxis", INT).asInt());
        assertFalse(get("/api/visualization/fits/info?path=" + enc(hub.dataDir().resolve("products/no.fits")
                .toString())).get("exists").asBoolean());
    }

    @Test
    void row19CasaTableInfo() throws Exception {
        String table = scalar("SELECT MIN(path) FROM caltables");
        JsonNode t = get("/api/visualization/casatable/info?path=" + enc(table));
        must(t, "path", STRING);
        assertTrue(must(t, "exists", BOOL).asBoolean());
        assertTrue(must(t, "nrows", INT).asLong() > 0);
        for (JsonNode c : must(t, "columns", ARRAY)) {
            assertTrue(c.isTextual(), "column names: " + t.get("columns"));
        }
        must(t, "keywords", OBJECT);
        must(t, "subtables", ARRAY);
        field(t, "is_writable", BOOL, true);
        optional(t, "error", STRING);
    }

    @Test
    void row20ErrorAnalytics() throws Exception {
        assertEquals(404, hub.get("/api/no/such/endpoint").statusCode());
        for (String range : List.of("24h", "7d", "30d")) {
            JsonNode a = get("/api/operations/error-analytics?time_range=" + range);
            assertTrue(must(a, "total_errors", INT).asLong() >= 1);
            JsonNode byType = must(a, "errors_by_type", OBJECT);
            byType.fields().forEachRemaining(e -> must(byType, e.getKey(), INT));
            JsonNode byStatus = must(a, "errors_by_status", OBJECT);
            assertTrue(byStatus.path("404").asLong() >= 1, byStatus.toString());
            for (JsonNode e : must(a, "recent_errors", ARRAY)) {
                must(e, "id", STRING);
                must(e, "type", STRING);
                must(e, "message", STRING);
                must(e, "timestamp", ISO);
                optional(e, "status_code", INT);
                must(e, "retryable", BOOL);
            }
            JsonNode rate = must(a, "error_rate", OBJECT);
            must(rate, "current", NUMBER);
            must(rate, "previous", NUMBER);
            oneOf(rate, "trend", Set.of("up", "down", "stable"));
        }
    }

    @Test
    void row21ListobsAndLogsUnderTheDoublePrefix() throws Exception {
        String ms = scalar("SELECT MIN(path) FROM ms_index");
        JsonNode listobs = get("/api/api/ms/" + enc(ms) + "/listobs");
        String text = must(listobs, "content", STRING).asText();
        for (String part : List.of("Scan", "Fields:", "Spectral Windows", "Antennas:", "Observed from")) {
            assertTrue(text.contains(part), part + " in " + text);
        }
        JsonNode logs = get("/api/api/ms/" + enc(ms) + "/logs");
        assertTrue(must(logs, "content", STRING).asText().contains("stage conversion"), logs.toString());
    }

    @Test
    void row22CalTables() throws Exception {
        String ms = scalar("SELECT MIN(path) FROM ms_index");
        JsonNode t = get("/api/api/ms/" + enc(ms) + "/cal_tables");
        JsonNode tables = must(t, "tables", ARRAY);
        nonEmpty(tables, "calibration tables of a demo MS");
        for (JsonNode c : tables) {
            optional(c, "name", STRING);
            must(c, "path", STRING);
            optional(c, "type", STRING);
        }
    }

    @Test
    void row23FilesViewsAndUnavailableFeatures() throws Exception {
        String fits = scalar("SELECT path FROM images WHERE type = 'mosaic'");
        HttpResponse<byte[]> file = hub.getBytes("/api/visualization/file?path=" + enc(fits));
        assertEquals(200, file.statusCode());
        assertArrayEquals(Files.readAllBytes(Path.of(fits)), file.body());
        HttpResponse<String> icon = hub.get("/api/visualization/file/icon?path=" + enc(fits) + "&size=32&format=svg");
        assertEquals(200, icon.statusCode());
        assertTrue(icon.body().startsWith("<svg") && icon.body().contains("FITS"), icon.body());
        HttpResponse<byte[]> png = hub.getBytes("/api/visualization/fits/view?path=" + enc(fits) + "&format=png");
        assertEquals(200, png.statusCode());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png.body(), 4));
        HttpResponse<String> page = hub.get("/api/visualization/fits/view?path=" + enc(fits));
        assertTrue(page.body().contains("data:image/png;base64,") && page.body().contains("PrimaryHDU"));
        String table = scalar("SELECT MIN(path) FROM caltables");
        HttpResponse<String> view = hub.get("/api/visualization/casatable/view?path=" + enc(table));
        assertEquals(200, view.statusCode());
        assertTrue(view.body().contains("ANTENNA"), view.body());
        for (JsonNode u : List.of(get("/api/visualization/carta/status"),
                send("POST", "/api/visualization/carta/start", "{}"),
                get("/api/visualization/notebook/" + enc(fits)),
                send("POST", "/api/visualization/notebook/generate", "{}"),
                send("POST", "/api/visualization/notebook/qa", "{}"),
                send("POST", "/api/api/visualization/js9/analysis", "{}"))) {
            assertFalse(must(u, "available", BOOL).asBoolean());
            must(u, "message", STRING);
        }
    }

    @Test
    void row24RoutineMistakesAreNot400s() throws Exception {
        assertEquals(404, hub.get("/api/qa/images/undefined/catalog-validation").statusCode());
        assertEquals(404, hub.get("/api/qa/images/undefined").statusCode());
        JsonNode overlay = get("/api/catalog/overlay?radius=1.5&catalog=all");
        assertEquals(0, must(overlay, "count", INT).asInt());
        assertEquals(0, must(overlay, "sources", ARRAY).size());
        JsonNode synthetic = get("/api/pointing/sky-map-data?frequency_mhz=1400&resolution=90&map_type=synthetic");
        assertFalse(must(synthetic, "available", BOOL).asBoolean());
        assertTrue(get("/api/pointing/sky-map-data").get("available").asBoolean());
        // an image is also found by its path, as the dashboard sometimes names it
        String image = scalar("SELECT path FROM images WHERE type <> 'mosaic' ORDER BY id FETCH FIRST 1 ROWS ONLY");
        assertEquals(200, hub.get("/api/qa/images/" + enc(image)).statusCode());
    }

    @Test
    void statusSaysThePipelineRuns() throws Exception {
        JsonNode s = get("/api/status");
        assertTrue(must(s, "running", BOOL).asBoolean());
        must(s, "queue", OBJECT);
        must(s, "recent_groups", ARRAY);
        must(s, "calibration_sets", ARRAY);
    }

    /** The three ways the dashboard puts a path into a URL, and the /api/api double prefix. */
    @Test
    void pathEncodingsAndTheDoublePrefix() throws Exception {
        String ms = scalar("SELECT MIN(path) FROM ms_index");
        String stripped = ms.substring(1);
        String[] forms = {"/api/ms/" + stripped + "/metadata", "/api/ms/" + enc(stripped) + "/metadata",
            "/api/ms/" + enc(ms) + "/metadata", "/api/api/ms/" + enc(ms) + "/metadata"};
        for (String path : forms) {
            assertEquals(ms, get(path).get("path").asText(), path);
        }
        assertEquals(200, hub.get("/api/qa/calibration/" + enc(stripped) + "/bandpass-plots").statusCode());
        assertEquals(200, hub.get("/api/api/qa/calibration/" + enc(ms) + "/spw-plot").statusCode());
        for (String list : List.of("/api/api/sources", "/api/api/mosaics", "/api/api/calibrator_matches")) {
            assertEquals(200, hub.get(list).statusCode(), list);
        }
        JsonNode mosaics = get("/api/api/mosaics");
        assertEquals(mosaics.get("mosaics"), must(mosaics, "items", ARRAY));
        String data = scalar("SELECT MIN(data_id) FROM data_registry WHERE data_type = 'image'");
        send("POST", "/api/api/data/" + enc(data) + "/auto-publish/disable", null);
        assertFalse(get("/api/data/" + enc(data)).get("auto_publish_enabled").asBoolean());
        send("POST", "/api/api/data/" + enc(data) + "/auto-publish/enable", null);
    }
}
