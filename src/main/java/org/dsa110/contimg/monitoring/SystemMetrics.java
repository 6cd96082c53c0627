package org.dsa110.contimg.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * SystemMetrics, in the seed's field order: host CPU and memory (percent, bytes), the data directory's volume
     * (bytes), the volumes of the data, incoming and root directories, load averages and the sample time. Fields
     * the host does not report are null.
     */
    public record Sample(Double cpuPercent, Double memPercent, Long memTotal, Long memUsed, Long diskTotal,
            Long diskUsed, Long diskFree, List<Volumes.DiskInfo> disks, @JsonProperty("load_1") Double load1,
            @JsonProperty("load_5") Double load5, @JsonProperty("load_15") Double load15, Instant ts) {
    }

    /** The current SystemMetrics. */
    public Sample snapshot() {
        Map<String, Object> p = probe.snapshot();
        Volumes.DiskInfo data = volumes.volumeOf(settings.dataDir());
        return new Sample(number(p.get("cpu_percent")), number(p.get("mem_percent")), whole(p.get("mem_total")),
                whole(p.get("mem_used")), data == null ? null : data.total(), data == null ? null : data.used(),
                data == null ? null : data.free(),
                volumes.disks(List.of(settings.dataDir(), settings.incomingDir(), Path.of("/"))),
                number(p.get("load_1")), number(p.get("load_5")), number(p.get("load_15")), (Instant) p.get("ts"));
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private static Long whole(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    /** Stores one snapshot and prunes samples past the retention; returns the stored snapshot. */
    public Sample sample() {
        Sample s = snapshot();
        db.update("INSERT INTO system_metrics_history (ts, cpu_percent, mem_percent, mem_total, mem_used, "
                + "disk_total, disk_used, load_1, load_5, load_15) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.ts(), s.cpuPercent(), s.memPercent(), s.memTotal(), s.memUsed(), s.diskTotal(), s.diskUsed(),
                s.load1(), s.load5(), s.load15());
        db.update("DELETE FROM system_metrics_history WHERE ts < ?", Instant.now().minus(retention));
        return s;
    }

    /**
     * The newest {@code limit} samples in time order. disk_free is total minus used (the store keeps those two;
     * it includes any space reserved for root), and the per-disk list is not kept per sample.
     */
    public List<Sample> history(int limit) {
        List<Map<String, Object>> rows = db.query("SELECT ts, cpu_percent, mem_percent, mem_total, mem_used, "
                + "disk_total, disk_used, load_1, load_5, load_15 FROM system_metrics_history "
                + "ORDER BY ts DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY");
        List<Sample> out = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Map<String, Object> r = rows.get(i);
            Long total = whole(r.get("disk_total"));
            Long used = whole(r.get("disk_used"));
            out.add(new Sample(number(r.get("cpu_percent")), number(r.get("mem_percent")), whole(r.get("mem_total")),
                    whole(r.get("mem_used")), total, used, total != null && used != null ? total - used : null,
                    List.of(), number(r.get("load_1")), number(r.get("load_5")), number(r.get("load_15")),
                    (Instant) r.get("ts")));
        }
        return out;
    }

    public Duration retention() {
        return retention;
    }
}
