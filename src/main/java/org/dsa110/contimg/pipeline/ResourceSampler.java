package org.dsa110.contimg.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cheap resource figures of a running command, sampled while it runs: CPU seconds (sum over the process tree, as
 * the OS reports them) and peak resident memory (sum of VmRSS over the tree, from /proc on Linux). Sampled values
 * are lower bounds: work done between the last sample and exit is not seen.
 */
final class ResourceSampler {
    private final ProcessHandle root;
    private double cpuSeconds = -1;
    private double peakRssMb = -1;

    ResourceSampler(ProcessHandle root) {
        this.root = root;
    }

    void sample() {
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
        double cpu = 0;
        boolean any = false;
        long rssKb = 0;
        boolean anyRss = false;
        for (ProcessHandle h : tree) {
            Optional<Duration> d = h.info().totalCpuDuration();
            if (d.isPresent()) {
                cpu += d.get().toNanos() / 1e9;
                any = true;
            }
            long kb = rssKb(h.pid());
            if (kb >= 0) {
                rssKb += kb;
                anyRss = true;
            }
        }
        if (any) {
            cpuSeconds = Math.max(cpuSeconds, cpu);
        }
        if (anyRss) {
            peakRssMb = Math.max(peakRssMb, rssKb / 1024.0);
        }
    }

    Optional<Double> cpuSeconds() {
        return cpuSeconds < 0 ? Optional.empty() : Optional.of(cpuSeconds);
    }

    Optional<Double> peakMemoryMb() {
        return peakRssMb < 0 ? Optional.empty() : Optional.of(peakRssMb);
    }

    private static long rssKb(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process just exited
        }
        return -1;
    }
}
