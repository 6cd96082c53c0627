package org.dsa110.contimg.monitoring;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's file systems as {@code df} shows them: mount point, total, used, free (available to the hub) and
 * percent used = used / (used + free), read from /proc/mounts and each mount's {@link FileStore}. Kernel pseudo
 * file systems (proc, sysfs, cgroup, ...) are left out, as are mounts of single files and repeated devices.
 */
public final class Volumes {
    /** DiskInfo of endpoints.md (bytes). */
    public record DiskInfo(String mountPoint, long total, long used, long free, double percent) {
    }

    record Mount(String device, String mountPoint, String type) {
    }

    static final Set<String> PSEUDO = Set.of("proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "devtmpfs",
            "securityfs", "pstore", "debugfs", "tracefs", "bpf", "autofs", "hugetlbfs", "configfs", "fusectl",
            "binfmt_misc", "nsfs", "rpc_pipefs", "nfsd", "selinuxfs", "efivarfs", "ramfs", "squashfs",
            "fuse.gvfsd-fuse", "fuse.portal", "tmpfs");

    private final Path mountsFile;

    public Volumes() {
        this(Path.of("/proc/mounts"));
    }

    Volumes(Path mountsFile) {
        this.mountsFile = mountsFile;
    }

    List<Mount> mounts() {
        List<Mount> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(mountsFile)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3) {
                    out.add(new Mount(f[0], unescape(f[1]), f[2]));
                }
            }
        } catch (IOException e) {
            // not Linux: callers fall back to the file stores of the paths they care about
        }
        return out;
    }

    /** Every real file system of the host, one per device. */
    public List<DiskInfo> disks(List<Path> fallbackPaths) {
        List<DiskInfo> out = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        for (Mount m : mounts()) {
            if (PSEUDO.contains(m.type()) || !Files.isDirectory(Path.of(m.mountPoint()))
                    || !devices.add(m.device())) {
                continue;
            }
            DiskInfo d = diskOf(Path.of(m.mountPoint()), m.mountPoint());
            if (d != null && d.total() > 0) {
                out.add(d);
            }
        }
        if (out.isEmpty()) {
            Set<String> seen = new HashSet<>();
            for (Path p : fallbackPaths) {
                DiskInfo d = volumeOf(p);
                if (d != null && seen.add(d.mountPoint())) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The volume {@code path} lies on, named by its mount point (longest /proc/mounts prefix). */
    public DiskInfo volumeOf(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        String best = null;
        for (Mount m : mounts()) {
            Path mp = Path.of(m.mountPoint());
            if (abs.startsWith(mp) && (best == null || m.mountPoint().length() > best.length())) {
                best = m.mountPoint();
            }
        }
        if (best == null) {
            try {
                best = Files.getFileStore(abs).name();
            } catch (IOException e) {
                best = abs.toString();
            }
        }
        return diskOf(abs, best);
    }

    static DiskInfo diskOf(Path path, String mountPoint) {
        try {
            FileStore fs = Files.getFileStore(path);
            long total = fs.getTotalSpace();
            long free = fs.getUsableSpace();
            long used = Math.max(0, total - fs.getUnallocatedSpace());
            double percent = used + free > 0 ? Math.round(1000.0 * used / (used + free)) / 10.0 : 0.0;
            return new DiskInfo(mountPoint, total, used, free, percent);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** /proc/mounts writes spaces and tabs in paths as octal escapes (\040). */
    static String unescape(String s) {
        if (!s.contains("\\")) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
