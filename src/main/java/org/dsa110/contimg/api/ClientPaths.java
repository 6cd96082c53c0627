package org.dsa110.contimg.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.core.ErrorKind;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.files.LegacyRoots;

/**
 * The dashboard's file views on top of the hub's one confinement ({@link DataRoots}): the earlier deployment's
 * directories are translated ({@link LegacyRoots}), the path must lie in a root as written (so "../" cannot climb
 * out) and then, links resolved, by {@link DataRoots#existing} (so a link cannot lead out); and the hub's own state
 * under the data directory (the database, backups, files such as a generated API key at its top level) is never
 * reachable. Outside the roots: 400 {@code PATH_NOT_ALLOWED}; inside but missing or internal: 404 (a viewer asking
 * for a file that went away is not a client mistake to flag).
 */
final class ClientPaths {
    private final HubSettings settings;
    private final DataRoots dataRoots;
    private final LegacyRoots legacy;

    ClientPaths(HubSettings settings, DataRoots dataRoots, LegacyRoots legacy) {
        this.settings = settings;
        this.dataRoots = dataRoots;
        this.legacy = legacy;
    }

    /** The directories client paths may lie under, as configured (absolute, normalised). */
    List<Path> roots() {
        return dataRoots.roots();
    }

    /** An existing file or directory named by a client: its real path, inside the roots and not internal. */
    Path existing(String param, String clientPath) {
        return snapshot().existing(param, clientPath);
    }

    /** A directory a listing may scan: its real path, or why not (then {@code dir} is null). */
    record Directory(Path dir, String problem) {
    }

    /**
     * A directory to scan or filter by (the legacy {@code scan_dir}/{@code input_dir}): its confined real path, or
     * why it cannot be used (outside the roots, missing, not a directory); the caller then answers with what the
     * hub has indexed and a warning.
     */
    Directory directory(String clientPath) {
        try {
            Path real = existing("directory", clientPath);
            return Files.isDirectory(real) ? new Directory(real, null)
                    : new Directory(null, "is not a directory");
        } catch (HubException e) {
            return new Directory(null, e.isNotFound() ? "does not exist under the hub's data roots"
                    : "is outside the hub's data roots");
        }
    }

    /** The roots as they are now; one request checks all its paths (e.g. a listing's entries) against one. */
    Snapshot snapshot() {
        return new Snapshot(roots());
    }

    /** The roots at one moment, as configured and with their links resolved. */
    final class Snapshot {
        private final List<Path> roots;
        private final Path realData;
        private final Path realBackups;

        private Snapshot(List<Path> roots) {
            this.roots = roots;
            this.realData = realOrSelf(settings.dataDir());
            this.realBackups = realOrSelf(settings.backupsDir());
        }

        /** See {@link ClientPaths#existing}. */
        Path existing(String param, String clientPath) {
            Path p = lexical(param, clientPath);
            Path real;
            try {
                real = dataRoots.existing(param, p.toString(), DataRoots.Kind.ANY);
            } catch (HubException e) {
                if (DataRoots.PATH_NOT_FOUND.equals(e.code())) {
                    throw HubException.notFound("path", clientPath);
                }
                throw e;
            }
            if (internal(real)) {
                throw HubException.notFound("path", clientPath);
            }
            return real;
        }

        /** True when {@code p} may be shown: inside the roots after resolving links, and not internal. */
        boolean admits(Path p) {
            try {
                existing("path", p.toString());
                return true;
            } catch (HubException e) {
                return false;
            }
        }

        /** True for the hub's own state under the data directory, which is not data to browse or download. */
        private boolean internal(Path real) {
            if (!real.startsWith(realData) || real.equals(realData)) {
                return false;
            }
            Path first = realData.resolve(realData.relativize(real).getName(0));
            return first.equals(realData.resolve("db")) || first.equals(realBackups)
                    || (first.equals(real) && !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS));
        }

        /** The path as the client wrote it, translated and normalised, provided it lies under a root. */
        private Path lexical(String param, String clientPath) {
            if (clientPath == null || clientPath.isBlank()) {
                throw HubException.badRequest("missing path '" + param + "'", Map.of("parameter", param));
            }
            if (clientPath.indexOf('\0') >= 0) {
                throw notAllowed(param, clientPath);
            }
            Path p;
            try {
                p = Path.of(clientPath);
            } catch (InvalidPathException e) {
                throw notAllowed(param, clientPath);
            }
            if (!p.isAbsolute()) {
                // the dashboard strips the leading '/' of paths it puts in URLs; other relative paths are data-dir
                // ones
                Path rooted = legacy.translate(Path.of("/").resolve(p).normalize());
                p = insideRoots(rooted) ? rooted : settings.dataDir().resolve(p);
            }
            p = legacy.translate(p.normalize());
            if (!insideRoots(p)) {
                throw notAllowed(param, clientPath);
            }
            return p;
        }

        private boolean insideRoots(Path p) {
            return roots.stream().anyMatch(p::startsWith);
        }
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static HubException notAllowed(String param, String value) {
        return new HubException(ErrorKind.BAD_REQUEST, DataRoots.PATH_NOT_ALLOWED,
                "'" + param + "' must lie under the hub's data directories",
                Map.of("parameter", param, "value", value.replace('\0', '?')));
    }
}
