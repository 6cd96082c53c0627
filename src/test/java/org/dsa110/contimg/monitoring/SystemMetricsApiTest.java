package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/metrics/system, its history and /api/metrics/database over HTTP. */
class SystemMetricsApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    @Test
    void systemMetricsHaveTheSeedShapeAndTheDataVolume() throws Exception {
        JsonNode m = getJson(hub, "/api/metrics/system");
        for (String f : List.of("cpu_percent", "mem_percent", "mem_total", "mem_used", "disk_total", "disk_used",
                "disk_free", "disks", "load_1", "load_5", "load_15", "ts")) {
            assertTrue(m.has(f), "field " + f + " in " + m);
        }
        Instant.parse(m.path("ts").asText());
        // disk_* describe the volume holding the data directory, as the JDK reports it
        FileStore fs = Files.getFileStore(hub.dataDir());
        assertEquals(fs.getTotalSpace(), m.path("disk_total").asLong());
        long memTotal = m.path("mem_total").asLong();
        assertTrue(memTotal > 0 && m.path("mem_used").asLong() <= memTotal);
        double memPercent = m.path("mem_percent").asDouble();
        assertEquals(100.0 * m.path("mem_used").asLong() / memTotal, memPercent, 0.11);
        assertTrue(m.path("disks").size() >= 1, "at least one real file system: " + m.path("disks"));
        JsonNode d = m.path("disks").get(0);
        assertTrue(d.path("mount_point").asText().startsWith("/"));
        assertTrue(d.path("used").asLong() + d.path("free").asLong() <= d.path("total").asLong());
        assertTrue(d.path("percent").asDouble() >= 0 && d.path("percent").asDouble() <= 100);
    }

    @Test
    void historyReturnsTheSampledSnapshotsOldestFirst() throws Exception {
        SystemMetrics sampler = hub.bean("systemMetrics", SystemMetrics.class);
        long before = hub.bean("db", Db.class).scalarLong("SELECT COUNT(*) FROM system_metrics_history");
        sampler.sample();
        sampler.sample();
        sampler.sample();
        JsonNode all = getJson(hub, "/api/metrics/system/history?limit=1000");
        assertEquals(before + 3, all.size());
        JsonNode two = getJson(hub, "/api/metrics/system/history?limit=2");
        assertEquals(2, two.size());
        // the two newest, in time order
        assertEquals(all.get(all.size() - 1).path("ts").asText(), two.get(1).path("ts").asText());
        assertFalse(Instant.parse(two.get(0).path("ts").asText()).isAfter(Instant.parse(two.get(1).path("ts").asText())));
        JsonNode s = two.get(1);
        assertEquals(s.path("disk_total").asLong() - s.path("disk_used").asLong(), s.path("disk_free").asLong());
        assertEquals(400, hub.get("/api/metrics/system/history?limit=0").statusCode());
    }

    @Test
    void databaseMetricsCountRowsAndStatements() throws Exception {
        Db db = hub.bean("db", Db.class);
        long events = db.scalarLong("SELECT COUNT(*) FROM events");
        JsonNode m = getJson(hub, "/api/metrics/database");
        assertEquals("h2", m.path("dialect").asText());
        assertEquals(events, m.path("tables").path("events").asLong());
        assertTrue(m.path("tables").has("ingest_groups"));
        assertFalse(m.path("tables").has("flyway_schema_history"));
        assertTrue(m.path("size_bytes").asLong() > 0, "H2 file size");
        assertTrue(m.path("connection_pool").path("max").asInt() > 0);
        assertTrue(m.path("queries").path("statements").asLong() > 0);
        assertEquals(500, m.path("queries").path("slow_query_threshold_ms").asLong());
        assertTrue(m.path("queries").path("slow_queries").asLong() >= 0);
    }
}
