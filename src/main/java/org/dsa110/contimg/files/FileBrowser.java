package org.dsa110.contimg.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.dsa110.contimg.core.HubException;

/**
 * Directory listings for the dashboard's file browser. The caller confines the directory to the data roots and
 * passes a predicate that admits an entry only when its real path is inside them too, so a symbolic link leading
 * out is neither listed nor followed. Recursive listings go breadth first, at most {@value #MAX_DEPTH} levels and
 * {@code maxEntries} entries (then {@code truncated}); CASA tables are listed as one entry, never descended into.
 */
public final class FileBrowser {
    static final int MAX_DEPTH = 8;

    /**
     * One entry. {@code size} is human-readable text (the earlier backend's form; null for directories),
     * {@code size_bytes} the number; {@code modified_at} = {@code modified_time}.
     */
    public record Entry(String name, String path, String type, String size, Long sizeBytes, Instant modifiedAt,
            Instant modifiedTime, boolean isDir) {
    }

    /** A listing and its counts (of the listed entries). */
    public record Listing(String path, String parent, List<Entry> entries, int totalFiles, int totalDirs,
            int fitsCount, int casatableCount, boolean truncated) {
    }

    /** What to list: glob patterns (on the file name; null = all) and whether to show dot-files. */
    public record Options(boolean recursive, boolean showHidden, String includePattern, String excludePattern) {
    }

    private final int maxEntries;

    public FileBrowser(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * Lists {@code dir} (a real directory path). {@code admitted} decides for each entry whether it may be shown
     * (inside the roots after resolving links, not internal); {@code parent} is the parent to offer, or null.
     */
    public Listing list(Path dir, String parent, Options o, Predicate<Path> admitted) throws IOException {
        PathMatcher include = matcher("include_pattern", o.includePattern());
        PathMatcher exclude = matcher("exclude_pattern", o.excludePattern());
        List<Entry> entries = new ArrayList<>();
        Deque<Path> queue = new ArrayDeque<>(List.of(dir));
        boolean truncated = false;
        while (!queue.isEmpty() && !truncated) {
            Path d = queue.poll();
            List<Path> children;
            try (Stream<Path> s = Files.list(d)) {
                children = s.sorted(Comparator.comparing(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)))
                        .toList();
            } catch (IOException e) {
                if (d.equals(dir)) {
                    throw e;
                }
                continue; // an unreadable subdirectory of a recursive listing is skipped
            }
            for (Path p : children) {
                String name = p.getFileName().toString();
                if ((!o.showHidden() && name.startsWith(".")) || !admitted.test(p)) {
                    continue;
                }
                String kind = FileKinds.of(p);
                boolean isDir = FileKinds.DIRECTORY.equals(kind);
                if (o.recursive() && isDir && dir.relativize(p).getNameCount() < MAX_DEPTH) {
                    queue.add(p);
                }
                Path fileName = p.getFileName();
                if ((include != null && !isDir && !include.matches(fileName))
                        || (exclude != null && exclude.matches(fileName))) {
                    continue;
                }
                if (entries.size() >= maxEntries) {
                    truncated = true;
                    break;
                }
                entries.add(entry(p, kind));
            }
        }
        int dirs = (int) entries.stream().filter(Entry::isDir).count();
        return new Listing(dir.toString(), parent, entries, entries.size() - dirs, dirs,
                (int) entries.stream().filter(e -> FileKinds.FITS.equals(e.type())).count(),
                (int) entries.stream().filter(e -> FileKinds.CASATABLE.equals(e.type())).count(), truncated);
    }

    private static Entry entry(Path p, String kind) {
        boolean dir = FileKinds.DIRECTORY.equals(kind) || FileKinds.CASATABLE.equals(kind);
        Long bytes = null;
        Instant modified = null;
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            modified = a.lastModifiedTime().toInstant();
            bytes = a.isDirectory() ? null : a.size();
        } catch (IOException e) {
            // listed without size and time
        }
        return new Entry(p.getFileName().toString(), p.toString(), kind, bytes == null ? null : humanSize(bytes),
                bytes, modified, modified, dir);
    }

    /** "532 B", "1.2 KB", "3.4 MB", ... (powers of 1024). */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static PathMatcher matcher(String param, String glob) {
        if (glob == null || glob.isBlank()) {
            return null;
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob.trim());
        } catch (IllegalArgumentException e) {
            throw HubException.invalidParameter(param, glob, "a glob pattern such as *.fits");
        }
    }
}
