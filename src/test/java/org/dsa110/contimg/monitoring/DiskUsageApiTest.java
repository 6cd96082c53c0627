package org.dsa110.contimg.monitoring;

import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getJson;
import static org.dsa110.contimg.monitoring.MonitoringTestSupport.getPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Disk usage of the data roots over HTTP; the sampler is driven directly instead of waiting for Quartz. */
class DiskUsageApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.shared();
    }

    static long bytesUnder(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void currentReportsBytesUnderEachRootAndItsVolume() throws Exception {
        Path products = hub.dataDir().resolve("products");
        Files.createDirectories(products.resolve("mon-test"));
        Files.write(products.resolve("mon-test/a.fits"), new byte[123_456]);
        Files.write(products.resolve("mon-test/b.fits"), new byte[1_000]);
        DiskUsage disk = hub.bean("diskUsage", DiskUsage.class);
        Db db = hub.bean("db", Db.class);
        long rows = db.scalarLong("SELECT COUNT(*) FROM disk_usage_history");
        assertEquals(4, disk.sample(), "one row per root");
        assertEquals(rows + 4, db.scalarLong("SELECT COUNT(*) FROM disk_usage_history"));
        JsonNode c = getJson(hub, "/api/disk-usage/current");
        JsonNode prod = null;
        for (JsonNode r : c.path("roots")) {
            if ("products".equals(r.path("name").asText())) {
                prod = r;
            }
        }
        assertEquals(bytesUnder(products), prod.path("used_bytes").asLong());
        assertTrue(prod.path("used_bytes").asLong() >= 124_456);
        assertEquals(Files.getFileStore(products).getTotalSpace(), prod.path("volume").path("total").asLong());
        assertEquals(4, c.path("roots").size());
        assertTrue(c.path("volumes").size() >= 1);
        assertTrue(c.path("volumes").get(0).path("samples").asInt() >= 1);
    }

    @Test
    void plotsRenderAndTheProjectionNeedsTwoSamples() throws Exception {
        assertFalse(getPng(hub, "/api/disk-usage/plots/current"));
        DiskUsage disk = hub.bean("diskUsage", DiskUsage.class);
        disk.sample();
        Files.write(hub.dataDir().resolve("staging/mon-test-grow.bin"), new byte[50_000]);
        disk.sample();
        assertFalse(getPng(hub, "/api/disk-usage/plots/projection?days=30"), "two or more samples");
        assertFalse(getPng(hub, "/api/disk-usage/plots/projection?days=7"));
        assertEquals(400, hub.get("/api/disk-usage/plots/projection?days=0").statusCode());
    }
}
