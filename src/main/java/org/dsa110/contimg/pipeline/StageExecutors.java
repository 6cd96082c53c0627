package org.dsa110.contimg.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Resolves, per stage and from config, who does the stage's work:
 * <ul>
 * <li>{@code hub.stage.<stage>.executor} = {@code builtin} (default): the registry bean {@code builtin.<stage>}
 * (provided by the science code); when none is installed the stage fails permanently with "no executor
 * configured" (no faked outputs);</li>
 * <li>{@code exec}: {@code hub.stage.<stage>.command} (a {@link CommandTemplate}), {@code .timeout} (seconds,
 * default {@code hub.stage.timeout}), {@code .outputs} (a glob used when the command writes no manifest),
 * {@code .permanent-exit-codes} (comma-separated exit codes that are not redelivered);</li>
 * <li>{@code skip}: the stage is recorded as skipped (operator's choice, e.g. no publishing on a test system);</li>
 * <li>{@code none}: explicitly not configured, fails like a missing builtin.</li>
 * </ul>
 * Resolution happens at every run, so a retry after a config reload picks up the fix.
 */
public final class StageExecutors {
    public static final String BUILTIN = "builtin";
    public static final String EXEC = "exec";
    public static final String SKIP = "skip";
    public static final String NONE = "none";

    /** A stage's executor; {@code executor} is null when {@code kind} is skip. */
    public record Resolved(String stage, String kind, StageExecutor executor) {
        public boolean skipped() {
            return SKIP.equals(kind);
        }
    }

    private final Function<String, Optional<String>> properties;
    private final Function<String, StageExecutor> registry;
    private final Function<String, Map<String, String>> prefixed;

    /**
     * @param properties a config lookup (property placeholders resolved)
     * @param registry   a bean lookup by name (null when absent)
     * @param prefixed   every config key under a prefix, prefix removed (for stage params)
     */
    public StageExecutors(Function<String, Optional<String>> properties, Function<String, StageExecutor> registry,
            Function<String, Map<String, String>> prefixed) {
        this.properties = properties;
        this.registry = registry;
        this.prefixed = prefixed;
    }

    public Resolved resolve(String stage) {
        String kind = setting(stage, "executor").orElse(BUILTIN).trim().toLowerCase();
        switch (kind) {
            case BUILTIN -> {
                StageExecutor builtin = registry.apply("builtin." + stage);
                if (builtin == null) {
                    throw noExecutor(stage, "hub.stage." + stage + ".executor=builtin but no builtin "
                            + "implementation is installed (registry bean builtin." + stage + ")");
                }
                return new Resolved(stage, BUILTIN, builtin);
            }
            case EXEC -> {
                String command = setting(stage, "command").filter(s -> !s.isBlank())
                        .orElseThrow(() -> noExecutor(stage, "hub.stage." + stage + ".command is empty"));
                long seconds = setting(stage, "timeout").map(String::trim).map(Long::parseLong)
                        .orElseGet(() -> properties.apply("hub.stage.timeout").map(String::trim)
                                .map(Long::parseLong).orElse(3600L));
                CommandTemplate template;
                try {
                    template = new CommandTemplate(command);
                } catch (IllegalArgumentException e) {
                    throw noExecutor(stage, e.getMessage());
                }
                return new Resolved(stage, EXEC, new ExecStageExecutor(template, Duration.ofSeconds(seconds),
                        setting(stage, "outputs").orElse(null), exitCodes(stage)));
            }
            case SKIP -> {
                return new Resolved(stage, SKIP, null);
            }
            case NONE -> throw noExecutor(stage, "hub.stage." + stage + ".executor=none");
            default -> throw noExecutor(stage, "unknown executor '" + kind + "' (builtin, exec, skip or none)");
        }
    }

    /** Stage parameters from {@code hub.stage.<stage>.param.<name>}. */
    public Map<String, String> params(String stage) {
        return new TreeMap<>(prefixed.apply("hub.stage." + stage + ".param."));
    }

    /** What the config says (for docs and the dependency graph), without failing on a missing builtin. */
    public String configuredKind(String stage) {
        return setting(stage, "executor").orElse(BUILTIN).trim().toLowerCase();
    }

    /** {@code permanent-exit-codes}: comma-separated exit codes of an exec command that are not redelivered. */
    private Set<Integer> exitCodes(String stage) {
        Set<Integer> codes = new TreeSet<>();
        for (String part : setting(stage, "permanent-exit-codes").orElse("").split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                codes.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw noExecutor(stage, "hub.stage." + stage + ".permanent-exit-codes: '" + part.trim()
                        + "' is not an exit code");
            }
        }
        return codes;
    }

    /** {@code hub.stage.<stage>.<key>}, else the default for every stage, {@code hub.stage.<key>}. */
    private Optional<String> setting(String stage, String key) {
        Optional<String> own = properties.apply("hub.stage." + stage + "." + key).filter(v -> !v.isBlank());
        return own.isPresent() ? own : properties.apply("hub.stage." + key).filter(v -> !v.isBlank());
    }

    private static PermanentStageException noExecutor(String stage, String why) {
        return new PermanentStageException(PermanentStageException.NO_EXECUTOR,
                "no executor configured for stage " + stage + ": " + why);
    }
}
