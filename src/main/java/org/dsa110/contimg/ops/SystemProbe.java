package org.dsa110.contimg.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the host's CPU, memory and load from the operating system (/proc on Linux, the JMX OS bean elsewhere). */
public final class SystemProbe {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** A snapshot: cpu_percent, mem_percent, mem_total, mem_used, load_1/5/15, ts. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", Instant.now());
        double cpu = os.getCpuLoad();
        m.put("cpu_percent", cpu < 0 ? null : round(cpu * 100.0));
        long total = os.getTotalMemorySize();
        long free = os.getFreeMemorySize();
        long available = memAvailable();
        long used = total - (available > 0 ? available : free);
        m.put("mem_total", total);
        m.put("mem_used", used);
        m.put("mem_percent", total > 0 ? round(100.0 * used / total) : null);
        double[] load = loadAverages();
        m.put("load_1", load == null ? null : load[0]);
        m.put("load_5", load == null ? null : load[1]);
        m.put("load_15", load == null ? null : load[2]);
        return m;
    }

    /** MemAvailable from /proc/meminfo (free + reclaimable cache), in bytes; -1 when unavailable. */
    static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static double[] loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                Double.parseDouble(parts[2])};
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? null : new double[] {one, one, one};
        }
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
