package org.dsa110.contimg.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Days until full from the sampled history: a volume filling at a known rate. */
class DiskUsageProjectionTest {
    static final long GB = 1_000_000_000L;

    @Test
    void linearFillGivesTheDaysLeft(@TempDir Path dir) throws Exception {
        var ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        Db db = new Db(ds, Db.Dialect.H2);
        HubSettings settings = HubSettings.of("t", dir.toString(), "", 0);
        settings.createDirectories();
        DiskUsage disk = new DiskUsage(db, settings, new Volumes(), 1000, Duration.ofMinutes(5), Duration.ofDays(90));
        assertNull(disk.projections().get(0).trend(), "no samples, no trend");
        // 100 GB volume, used 40, 41, 42, 43, 44 GB on five consecutive days ending now: 1 GB/day
        Instant now = Instant.now();
        for (int d = 0; d < 5; d++) {
            long used = (40 + d) * GB;
            for (String root : List.of("incoming", "staging", "products", "scratch")) {
                db.update("INSERT INTO disk_usage_history (ts, root_name, path, total, used, free) VALUES (?, ?, ?, ?, ?, ?)",
                        now.minus(Duration.ofDays(4 - d)), root, dir.resolve(root).toString(), 100 * GB, 0L,
                        100 * GB - used);
            }
        }
        List<DiskUsage.Projection> p = disk.projections();
        assertEquals(1, p.size(), "all roots share the temp directory's volume");
        assertEquals(4, p.get(0).roots().size());
        assertEquals(GB / 86400.0, p.get(0).trend().slope(), 1e-3);
        // 56 GB left at 1 GB/day
        assertEquals(56.0, p.get(0).daysUntilFull(), 1e-3);
        assertEquals(5, p.get(0).times().size());
        Files.writeString(dir.resolve("products/x"), "12345");
        assertEquals(5L, DiskUsage.measure(dir.resolve("products"), 10).bytes());
        DiskUsage.Walk capped = DiskUsage.measure(dir, 1);
        assertEquals(1L, capped.files());
        assertEquals(true, capped.truncated());
    }
}
