package org.dsa110.contimg.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directories clients may name files in: the data directory plus the configured extra roots (incoming,
 * streaming output, mosaics, staging and image roots, {@code hub.data.roots}). This is the one place a path a
 * client supplies becomes a file the hub touches (task inputs, {@code ms_path}, {@code fits_path}, the streaming
 * directories, registered images, browsing). The rules, the same everywhere:
 * <ul>
 * <li>a relative path is taken against the data directory; {@code ..} segments are resolved first;</li>
 * <li>an existing path is resolved with symbolic links followed ({@link Path#toRealPath}) and must end up inside
 * a root (whose own real path is used), so a link cannot lead out;</li>
 * <li>a path that does not exist yet ({@link #creatable}) is judged by its nearest existing ancestor, resolved
 * the same way: no link in the existing part can lead out, and {@code ..} cannot climb above a root;</li>
 * <li>the result is always absolute, so it can never be mistaken for a command-line option.</li>
 * </ul>
 * Refusals are {@link HubException}s with {@link ErrorKind#BAD_REQUEST} (400) and the codes
 * {@value #PATH_NOT_ALLOWED} (outside the roots, or not a usable path), {@value #PATH_NOT_FOUND} and
 * {@value #PATH_WRONG_TYPE}, naming the parameter.
 */
public final class DataRoots {
    public static final String PATH_NOT_ALLOWED = "PATH_NOT_ALLOWED";
    public static final String PATH_NOT_FOUND = "PATH_NOT_FOUND";
    public static final String PATH_WRONG_TYPE = "PATH_WRONG_TYPE";

    /** What an existing path must be. */
    public enum Kind { FILE, DIRECTORY, ANY }

    private final Path dataDir;
    private final List<Path> roots;

    public DataRoots(Path dataDir, List<Path> extraRoots) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        List<Path> all = new ArrayList<>();
        all.add(this.dataDir);
        for (Path p : extraRoots) {
            Path abs = p.toAbsolutePath().normalize();
            if (!all.contains(abs)) {
                all.add(abs);
            }
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
        try {
            return Optional.of(existing("path", name, Kind.FILE));
        } catch (HubException e) {
            return Optional.empty();
        }
    }

    /**
     * The real path of an existing file or directory named by a client (parameter {@code parameter}), which
     * must be of {@code kind} and inside a root; otherwise a 400 naming the parameter.
     */
    public Path existing(String parameter, String value, Kind kind) {
        Path abs = absolute(parameter, value);
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.exists(abs)) {
            throw refusal(PATH_NOT_FOUND, "'" + parameter + "' does not exist: " + value, parameter, value);
        }
        Path real;
        try {
            real = abs.toRealPath();
        } catch (IOException e) {
            // a dangling link, or no permission to follow it
            throw refusal(PATH_NOT_FOUND, "'" + parameter + "' cannot be resolved: " + value, parameter, value);
        }
        if (!inside(real)) {
            throw outside(parameter, value);
        }
        if (kind == Kind.FILE && !Files.isRegularFile(real)) {
            throw refusal(PATH_WRONG_TYPE, "'" + parameter + "' is not a file: " + value, parameter, value);
        }
        if (kind == Kind.DIRECTORY && !Files.isDirectory(real)) {
            throw refusal(PATH_WRONG_TYPE, "'" + parameter + "' is not a directory: " + value, parameter, value);
        }
        return real;
    }

    /**
     * A path a client names for something the hub will create (an output directory): it may not exist yet, but
     * its nearest existing ancestor, links followed, must lie inside a root; an existing path is checked as by
     * {@link #existing} with {@link Kind#ANY}. Returns the absolute path with the ancestor's real path.
     */
    public Path creatable(String parameter, String value) {
        Path abs = absolute(parameter, value);
        if (Files.exists(abs)) {
            return existing(parameter, value, Kind.ANY);
        }
        Path ancestor = abs.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw outside(parameter, value);
        }
        try {
            Path real = ancestor.toRealPath();
            if (!inside(real)) {
                throw outside(parameter, value);
            }
            return real.resolve(ancestor.relativize(abs)).normalize();
        } catch (IOException e) {
            throw refusal(PATH_NOT_FOUND, "'" + parameter + "' cannot be resolved: " + value, parameter, value);
        }
    }

    /** True when {@code path} (absolute; links resolved by the caller) lies in a root. */
    public boolean contains(Path path) {
        return inside(path.toAbsolutePath().normalize());
    }

    private boolean inside(Path real) {
        for (Path root : roots) {
            Path r;
            try {
                r = Files.exists(root) ? root.toRealPath() : root;
            } catch (IOException e) {
                r = root;
            }
            if (real.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    private Path absolute(String parameter, String value) {
        if (value == null || value.isBlank() || value.indexOf('\0') >= 0 || value.length() > 4096) {
            throw refusal(PATH_NOT_ALLOWED, "'" + parameter + "' is not a usable path", parameter,
                    value == null ? "" : value);
        }
        try {
            Path p = Path.of(value.strip());
            return (p.isAbsolute() ? p : dataDir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            throw refusal(PATH_NOT_ALLOWED, "'" + parameter + "' is not a usable path", parameter, value);
        }
    }

    private HubException outside(String parameter, String value) {
        return refusal(PATH_NOT_ALLOWED, "'" + parameter + "' must lie inside the hub's data directories", parameter,
                value);
    }

    private static HubException refusal(String code, String message, String parameter, String value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("parameter", parameter);
        details.put("value", value.length() > 512 ? value.substring(0, 512) : value);
        return new HubException(ErrorKind.BAD_REQUEST, code, message, details);
    }
}
