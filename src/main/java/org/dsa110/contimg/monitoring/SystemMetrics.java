package org.dsa110.contimg.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.SystemProbe;
import org.dsa110.contimg.store.Db;

/**
 * SystemMetrics (endpoints.md): CPU, memory and load from {@link SystemProbe}, the data volume's size as
 * disk_total/disk_used/disk_free, and every real file system as {@code disks}. {@link #sample()} stores one
 * snapshot in system_metrics_history (the minute sampler) and drops samples older than the retention.
 */
public final class SystemMetrics {
    private final Db db;
    private final SystemProbe probe;
    private final HubSettings settings;
    private final Volumes volumes;
    private final Duration retention;

    public SystemMetrics(Db db, SystemProbe probe, HubSettings settings, Volumes volumes, Duration retention) {
        this.db = db;
        this.probe = probe;
        this.settings = settings;
        this.volumes = volumes;
        this.retention = retention;
    }

    /** The current SystemMetrics, in the seed's field order. */
    public Map<String, Object> snapshot() {
        Map<String, Object> p = probe.snapshot();
        Volumes.DiskInfo data = volumes.volumeOf(settings.dataDir());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_percent", p.get("cpu_percent"));
        m.put("mem_percent", p.get("mem_percent"));
        m.put("mem_total", p.get("mem_total"));
        m.put("mem_used", p.get("mem_used"));
        m.put("disk_total", data == null ? null : data.total());
        m.put("disk_used", data == null ? null : data.used());
        m.put("disk_free", data == null ? null : data.free());
        m.put("disks", volumes.disks(List.of(settings.dataDir(), settings.incomingDir(), Path.of("/")))
                .stream().map(Volumes::toMap).toList());
        m.put("load_1", p.get("load_1"));
        m.put("load_5", p.get("load_5"));
        m.put("load_15", p.get("load_15"));
        m.put("ts", p.get("ts"));
        return m;
    }

    /** Stores one snapshot and prunes samples past the retention; returns the stored snapshot. */
    public Map<String, Object> sample() {
        Map<String, Object> s = snapshot();
        db.update("INSERT INTO system_metrics_history (ts, cpu_percent, mem_percent, mem_total, mem_used, "
                + "disk_total, disk_used, load_1, load_5, load_15) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.get("ts"), s.get("cpu_percent"), s.get("mem_percent"), s.get("mem_total"), s.get("mem_used"),
                s.get("disk_total"), s.get("disk_used"), s.get("load_1"), s.get("load_5"), s.get("load_15"));
        db.update("DELETE FROM system_metrics_history WHERE ts < ?", Instant.now().minus(retention));
        return s;
    }

    /**
     * The newest {@code limit} samples in time order. disk_free is total minus used (the store keeps those two;
     * it includes any space reserved for root), and the per-disk list is not kept per sample.
     */
    public List<Map<String, Object>> history(int limit) {
        List<Map<String, Object>> rows = db.query("SELECT ts, cpu_percent, mem_percent, mem_total, mem_used, "
                + "disk_total, disk_used, load_1, load_5, load_15 FROM system_metrics_history "
                + "ORDER BY ts DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Map<String, Object> r = rows.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpu_percent", r.get("cpu_percent"));
            m.put("mem_percent", r.get("mem_percent"));
            m.put("mem_total", r.get("mem_total"));
            m.put("mem_used", r.get("mem_used"));
            m.put("disk_total", r.get("disk_total"));
            m.put("disk_used", r.get("disk_used"));
            m.put("disk_free", r.get("disk_total") instanceof Number t && r.get("disk_used") instanceof Number u
                    ? t.longValue() - u.longValue() : null);
            m.put("disks", List.of());
            m.put("load_1", r.get("load_1"));
            m.put("load_5", r.get("load_5"));
            m.put("load_15", r.get("load_15"));
            m.put("ts", r.get("ts"));
            out.add(m);
        }
        return out;
    }

    public Duration retention() {
        return retention;
    }
}
