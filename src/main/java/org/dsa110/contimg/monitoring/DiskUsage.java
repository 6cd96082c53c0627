package org.dsa110.contimg.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.store.Db;

/**
 * Disk usage of the pipeline's data roots (incoming, staging, products, scratch): bytes under each (a bounded
 * walk, cached) and the volume each sits on. {@link #sample()} stores one disk_usage_history row per root, whose
 * {@code used} is the bytes under the root and {@code total}/{@code free} those of its volume; the projection
 * fits the volume's used space (total - free) over time.
 */
public final class DiskUsage {
    /** Bytes under a root, from one walk. {@code truncated} when the walk stopped at the file limit. */
    public record Walk(long bytes, long files, boolean truncated, Instant measuredAt) {
    }

    /** A volume's sampled use and its straight-line trend. */
    public record Projection(String mountPoint, List<String> roots, long total, List<Instant> times,
            List<Double> usedBytes, LinearTrend trend, Double daysUntilFull) {
    }

    private final Db db;
    private final Map<String, Path> roots = new LinkedHashMap<>();
    private final Volumes volumes;
    private final long maxFiles;
    private final Duration walkCache;
    private final Duration retention;
    private final Map<String, Walk> walks = new ConcurrentHashMap<>();

    public DiskUsage(Db db, HubSettings settings, Volumes volumes, long maxFiles, Duration walkCache,
            Duration retention) {
        this.db = db;
        this.volumes = volumes;
        this.maxFiles = maxFiles;
        this.walkCache = walkCache;
        this.retention = retention;
        roots.put("incoming", settings.incomingDir());
        roots.put("staging", settings.stagingDir());
        roots.put("products", settings.productsDir());
        roots.put("scratch", settings.scratchDir());
    }

    public Map<String, Path> roots() {
        return roots;
    }

    /** Bytes under {@code root}, from the cache when the last walk is recent enough. */
    public Walk walk(String name, boolean fresh) {
        Walk w = walks.get(name);
        if (!fresh && w != null && w.measuredAt().plus(walkCache).isAfter(Instant.now())) {
            return w;
        }
        synchronized (this) {
            Walk computed = measure(roots.get(name), maxFiles);
            walks.put(name, computed);
            return computed;
        }
    }

    /** Sums regular-file sizes under {@code root} without following links, stopping after {@code maxFiles}. */
    static Walk measure(Path root, long maxFiles) {
        long[] acc = new long[2];
        boolean[] truncated = {false};
        if (root != null && Files.isDirectory(root)) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            acc[0] += attrs.size();
                            acc[1]++;
                        }
                        if (acc[1] >= maxFiles) {
                            truncated[0] = true;
                            return FileVisitResult.TERMINATE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // unreadable or vanished while walking: skip it
                    }
                });
            } catch (IOException e) {
                truncated[0] = true;
            }
        }
        return new Walk(acc[0], acc[1], truncated[0], Instant.now());
    }

    /** One data root: bytes and files under it (a walk cut short says {@code truncated}) and its volume. */
    public record RootUse(String name, String path, boolean exists, long usedBytes, long files, boolean truncated,
            Instant measuredAt, Volumes.DiskInfo volume) {
    }

    /**
     * One volume holding data roots, with its sampled growth and projected days until full; the volume fields
     * (mount_point ... percent) are absent when the volume cannot be read.
     */
    public record VolumeUse(@JsonInclude(JsonInclude.Include.NON_NULL) String mountPoint,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long total,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long used,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long free,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double percent, List<String> roots, int samples,
            Double growthBytesPerDay, Double daysUntilFull) {
    }

    /** GET /api/disk-usage/current. */
    public record Current(Instant timestamp, List<RootUse> roots, List<VolumeUse> volumes) {
    }

    /** The current view: each root with its bytes and volume, each volume once with its projection. */
    public Current current() {
        List<RootUse> rootList = new ArrayList<>();
        for (Map.Entry<String, Path> e : roots.entrySet()) {
            Walk w = walk(e.getKey(), false);
            rootList.add(new RootUse(e.getKey(), e.getValue().toString(), Files.isDirectory(e.getValue()), w.bytes(),
                    w.files(), w.truncated(), w.measuredAt(), volumes.volumeOf(e.getValue())));
        }
        List<VolumeUse> vols = new ArrayList<>();
        for (Projection p : projections()) {
            Volumes.DiskInfo v = volumes.volumeOf(roots.get(p.roots().get(0)));
            vols.add(new VolumeUse(v == null ? null : v.mountPoint(), v == null ? null : v.total(),
                    v == null ? null : v.used(), v == null ? null : v.free(), v == null ? null : v.percent(),
                    p.roots(), p.times().size(), p.trend() == null ? null : p.trend().slope() * 86400.0,
                    p.daysUntilFull()));
        }
        return new Current(Instant.now(), rootList, vols);
    }

    /** Walks every root afresh and stores one history row per root; prunes rows past the retention. */
    public int sample() {
        Instant now = Instant.now();
        int n = 0;
        for (Map.Entry<String, Path> e : roots.entrySet()) {
            Walk w = walk(e.getKey(), true);
            Volumes.DiskInfo v = volumes.volumeOf(e.getValue());
            if (v == null) {
                continue;
            }
            db.update("INSERT INTO disk_usage_history (ts, root_name, path, total, used, free) VALUES (?, ?, ?, ?, ?, ?)",
                    now, e.getKey(), e.getValue().toString(), v.total(), w.bytes(), v.free());
            n++;
        }
        db.update("DELETE FROM disk_usage_history WHERE ts < ?", now.minus(retention));
        return n;
    }

    /** Number of history rows and the newest sample time: a cheap version stamp of the history. */
    public String historyVersion() {
        return db.one("SELECT COUNT(*) AS n, MAX(ts) AS last_ts FROM disk_usage_history")
                .map(r -> r.get("n") + "@" + r.get("last_ts")).orElse("0");
    }

    /** One projection per volume holding a root (roots sharing a volume share one line). */
    public List<Projection> projections() {
        Map<String, List<String>> byVolume = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : roots.entrySet()) {
            Volumes.DiskInfo v = volumes.volumeOf(e.getValue());
            String key = v == null ? e.getValue().toString() : v.mountPoint();
            byVolume.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
            totals.putIfAbsent(key, v == null ? 0L : v.total());
        }
        List<Projection> out = new ArrayList<>();
        Instant now = Instant.now();
        for (Map.Entry<String, List<String>> e : byVolume.entrySet()) {
            List<Map<String, Object>> rows = db.query("SELECT ts, total, free FROM disk_usage_history "
                    + "WHERE root_name = ? ORDER BY ts", e.getValue().get(0));
            List<Instant> times = new ArrayList<>();
            List<Double> used = new ArrayList<>();
            long total = totals.get(e.getKey());
            for (Map<String, Object> r : rows) {
                long t = ((Number) r.get("total")).longValue();
                times.add((Instant) r.get("ts"));
                used.add((double) (t - ((Number) r.get("free")).longValue()));
                total = t;
            }
            LinearTrend trend = LinearTrend.fit(times.stream().mapToDouble(DiskUsage::seconds).toArray(),
                    used.stream().mapToDouble(Double::doubleValue).toArray());
            Double days = null;
            if (trend != null && trend.slope() > 0) {
                double full = trend.reaches(total);
                days = Math.max(0.0, (full - seconds(now)) / 86400.0);
            }
            out.add(new Projection(e.getKey(), e.getValue(), total, times, used, trend, days));
        }
        return out;
    }

    static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
