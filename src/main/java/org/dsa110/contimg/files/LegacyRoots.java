package org.dsa110.contimg.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.HubSettings;

/**
 * The earlier deployment's directories, which the operators' dashboard shows and sends by default
 * ({@code /stage/dsa110-contimg}, {@code /data/dsa110-contimg}, {@code /data/incoming}), as aliases of the hub's
 * own data directories ({@code hub.compat.legacy-roots}). A path under an alias is read as the same relative path
 * under its target; every other path is left as it is. Translating does not grant anything: the result is confined
 * to the data roots like any path a client sends.
 */
public final class LegacyRoots {

    /** {@code legacy} (absolute, normalised) stands for {@code target}. */
    public record Alias(Path legacy, Path target) {
    }

    private final List<Alias> aliases;

    public LegacyRoots(List<Alias> aliases) {
        List<Alias> sorted = new ArrayList<>(aliases);
        // the longest alias first, so /data/dsa110-contimg/x never matches a shorter /data alias
        sorted.sort(Comparator.comparingInt((Alias a) -> a.legacy().getNameCount()).reversed());
        this.aliases = List.copyOf(sorted);
    }

    /**
     * Parses {@code legacy=target} entries (comma-separated). A target is one of the hub's directories by name
     * ({@code data, incoming, staging, products, qa, scratch}) or an absolute path.
     */
    public static LegacyRoots parse(String spec, HubSettings settings) {
        Map<String, Path> named = Map.of("data", settings.dataDir(), "incoming", settings.incomingDir(), "staging",
                settings.stagingDir(), "products", settings.productsDir(), "qa", settings.qaDir(), "scratch",
                settings.scratchDir());
        List<Alias> out = new ArrayList<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException("hub.compat.legacy-roots: '" + entry.trim()
                            + "' is not legacy=target");
                }
                Path legacy = Path.of(entry.substring(0, eq).trim());
                String t = entry.substring(eq + 1).trim();
                Path target = named.containsKey(t) ? named.get(t) : Path.of(t);
                if (!legacy.isAbsolute() || !target.isAbsolute()) {
                    throw new IllegalArgumentException("hub.compat.legacy-roots: '" + entry.trim()
                            + "' needs an absolute legacy path and a named or absolute target");
                }
                out.add(new Alias(legacy.normalize(), target.normalize()));
            }
        }
        return new LegacyRoots(out);
    }

    public List<Alias> aliases() {
        return aliases;
    }

    /** {@code path} (absolute, normalised) with a legacy prefix replaced by its target; else unchanged. */
    public Path translate(Path path) {
        for (Alias a : aliases) {
            if (path.startsWith(a.legacy())) {
                return a.target().resolve(a.legacy().relativize(path).toString()).normalize();
            }
        }
        return path;
    }
}
