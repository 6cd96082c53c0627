package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories the hub may read science files from (the data directory plus any configured extra roots). Every
 * path a client names, and every registered image served back, goes through {@link #resolve}: relative paths are
 * taken against the data directory, symbolic links are followed, and anything that does not end up inside a root
 * is refused, so "../" tricks and links pointing elsewhere read nothing.
 */
public final class DataRoots {
    private final Path dataDir;
    private final List<Path> roots;

    public DataRoots(Path dataDir, List<Path> extraRoots) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        List<Path> all = new ArrayList<>();
        all.add(this.dataDir);
        for (Path p : extraRoots) {
            all.add(p.toAbsolutePath().normalize());
        }
        this.roots = List.copyOf(all);
    }

    /** Parses a comma-separated root list (blank entries ignored). */
    public static List<Path> parseList(String commaSeparated) {
        List<Path> out = new ArrayList<>();
        if (commaSeparated != null) {
            for (String s : commaSeparated.split(",")) {
                if (!s.isBlank()) {
                    out.add(Path.of(s.trim()));
                }
            }
        }
        return out;
    }

    public Path dataDir() {
        return dataDir;
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The real path of an existing regular file inside one of the roots, or empty when the name is malformed, the
     * file does not exist, or it lies (after resolving links) outside every root.
     */
    public Optional<Path> resolve(String name) {
        if (name == null || name.isBlank() || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(name);
            Path abs = (p.isAbsolute() ? p : dataDir.resolve(p)).normalize();
            if (!Files.isRegularFile(abs)) {
                return Optional.empty();
            }
            Path real = abs.toRealPath();
            for (Path root : roots) {
                Path realRoot = Files.exists(root) ? root.toRealPath() : root;
                if (real.startsWith(realRoot)) {
                    return Optional.of(real);
                }
            }
            return Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }
}
