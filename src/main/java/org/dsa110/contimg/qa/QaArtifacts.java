package org.dsa110.contimg.qa;

import org.dsa110.contimg.products.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dsa110.contimg.store.Db;

/**
 * Files under the QA root ({@code <data>/qa/<group>/<name>}: plots, thumbnails, reports) and their registry in
 * {@code qa_artifacts}. A file is only ever served from inside the QA root: group and name are single path
 * segments of a safe alphabet, and the resolved real path must still lie under the root's real path.
 */
public final class QaArtifacts {
    /** One path segment: no separators, no leading dot (so no "..", no hidden files). */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+\\-:@=,][A-Za-z0-9_+\\-:@=,.]{0,254}");
    private static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "html", "text/html; charset=utf-8", "json", "application/json", "fits", "application/fits",
            "txt", "text/plain; charset=utf-8", "csv", "text/csv; charset=utf-8", "svg", "image/svg+xml",
            "pdf", "application/pdf");

    private final Db db;
    private final Path root;

    public QaArtifacts(Db db, Path root) {
        this.db = db;
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** A group or file name usable as one path segment (unsafe characters replaced by '_'). */
    public static String safeSegment(String s) {
        String out = s.replaceAll("[^A-Za-z0-9_+\\-:@=,.]", "_");
        while (out.startsWith(".")) {
            out = "_" + out.substring(1);
        }
        return out.isEmpty() ? "_" : out.length() > 200 ? out.substring(out.length() - 200) : out;
    }

    /** Where an artifact of {@code group} named {@code name} is written (directories created). */
    public Path target(String group, String name) {
        if (!SEGMENT.matcher(group).matches() || !SEGMENT.matcher(name).matches()) {
            throw new IllegalArgumentException("unsafe QA artifact name: " + group + "/" + name);
        }
        Path dir = root.resolve(group);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(name);
    }

    /** Writes bytes as an artifact and registers it (replacing an earlier file of the same name). */
    public Path write(String group, String name, String kind, byte[] content) {
        Path file = target(group, name);
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".part");
            Files.write(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        register(group, name, kind, file);
        return file;
    }

    /** Records (or refreshes) one artifact row. */
    public void register(String group, String name, String kind, Path file) {
        db.inTransaction(() -> {
            int n = db.update("UPDATE qa_artifacts SET path = ?, kind = ?, created_at = ? WHERE group_id = ? "
                    + "AND name = ?", file.toString(), kind, Instant.now(), group, name);
            if (n == 0) {
                db.update("DELETE FROM qa_artifacts WHERE path = ?", file.toString());
                db.update("INSERT INTO qa_artifacts (group_id, name, path, kind) VALUES (?, ?, ?, ?)", group, name,
                        file.toString(), kind);
            }
        });
    }

    /** QAList (endpoints.md). */
    public record QaList(List<Artifact> items, int total) {
    }

    /** One artifact: {@code timestamp} repeats {@code created_at} (seed 001's name), {@code url} serves it. */
    public record Artifact(String groupId, String name, String path, java.time.Instant createdAt,
            java.time.Instant timestamp, String artifactType, String url) {
    }

    /** QAList: newest artifacts first, optionally of one kind. */
    public QaList list(String kind, int limit) {
        List<Map<String, Object>> rows = kind == null
                ? db.query("SELECT * FROM qa_artifacts ORDER BY created_at DESC, id DESC LIMIT ?", limit)
                : db.query("SELECT * FROM qa_artifacts WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        kind, limit);
        List<Artifact> items = rows.stream().map(r -> new Artifact(Rows.str(r, "group_id"), Rows.str(r, "name"),
                Rows.str(r, "path"), (java.time.Instant) r.get("created_at"), (java.time.Instant) r.get("created_at"),
                Rows.str(r, "kind"), "/api/qa/file/" + r.get("group_id") + "/" + r.get("name"))).toList();
        return new QaList(items, items.size());
    }

    /** The real path of an existing file {@code <root>/<group>/<name>}, or empty for anything else. */
    public Optional<Path> resolve(String group, String name) {
        if (group == null || name == null || !SEGMENT.matcher(group).matches()
                || !SEGMENT.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            Path file = root.resolve(group).resolve(name).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file) || !Files.exists(root)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            return real.startsWith(root.toRealPath()) ? Optional.of(real) : Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }

    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /**
     * Registers files found on disk under {@code <root>/<group>/} that the store does not know (plots written by
     * external tools). Returns how many were added; stops after {@code maxFiles} files.
     */
    public int scan(int maxFiles) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int added = 0;
        int seen = 0;
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path g : groups) {
                String group = g.getFileName().toString();
                if (!SEGMENT.matcher(group).matches()) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(g, Files::isRegularFile)) {
                    for (Path f : files) {
                        if (++seen > maxFiles) {
                            return added;
                        }
                        String name = f.getFileName().toString();
                        if (!SEGMENT.matcher(name).matches() || db.one("SELECT id FROM qa_artifacts WHERE path = ?"
                                + " OR (group_id = ? AND name = ?)", f.toString(), group, name).isPresent()) {
                            continue;
                        }
                        FileTime mtime = Files.getLastModifiedTime(f);
                        db.update("INSERT INTO qa_artifacts (group_id, name, path, kind, created_at) VALUES "
                                + "(?, ?, ?, ?, ?)", group, name, f.toString(), kindOf(name), mtime.toInstant());
                        added++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added;
    }

    static String kindOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("thumb")) {
            return "thumbnail";
        } else if (n.endsWith(".html")) {
            return "report";
        } else if (n.contains("bandpass") || n.contains("caltable") || n.contains("gain")) {
            return "calibration";
        }
        return "plot";
    }
}
