package org.dsa110.contimg.orchestration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.core.ErrorKind;
import org.dsa110.contimg.core.HubException;

/**
 * Checks a task's parameters when it is submitted (tasks, jobs, batches, workflows, templates, schedules), so a
 * bad input is a 400 at once rather than a failed run, a dead letter and a tripped breaker later:
 * <ul>
 * <li>paths ({@code ms_path}, {@code fits_path}, {@code inputs}, {@code gaintables}, {@code input_dir}) must exist,
 * be of the right type and lie inside the data roots ({@link DataRoots}); output locations ({@code output_dir},
 * {@code products_base}) must lie inside them. Each is replaced by its absolute real path, which is what the
 * stages then receive;</li>
 * <li>no text value may start with '-' (unless it is a number): such values reach external commands' argument
 * lists, where they would be taken as options ({@code --output-dir=/x});</li>
 * <li>{@code group_id} must look like a group id.</li>
 * </ul>
 */
public final class TaskInputs {
    /** Parameters naming existing files or directories, with what they must be. */
    static final Map<String, DataRoots.Kind> EXISTING = Map.of("ms_path", DataRoots.Kind.ANY,
            "fits_path", DataRoots.Kind.FILE, "inputs", DataRoots.Kind.ANY, "gaintables", DataRoots.Kind.ANY,
            "input_dir", DataRoots.Kind.DIRECTORY);
    /** Parameters naming places the stage will create. */
    static final Set<String> CREATABLE = Set.of("output_dir", "products_base");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._+-]{0,127}");

    private final DataRoots roots;

    public TaskInputs(DataRoots roots) {
        this.roots = roots;
    }

    /** The parameters with their paths resolved; a 400 naming the first bad one. */
    public Map<String, Object> check(Map<String, Object> params) {
        if (params == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            out.put(e.getKey(), checkValue(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** One path parameter checked on its own (a job's {@code ms_path}); null stays null. */
    public String path(String name, String value) {
        return value == null ? null : (String) checkValue(name, value);
    }

    private Object checkValue(String name, Object value) {
        DataRoots.Kind kind = EXISTING.get(name);
        if (kind != null || CREATABLE.contains(name)) {
            if (value instanceof List<?> list) {
                List<Object> resolved = new ArrayList<>();
                for (Object v : list) {
                    resolved.add(resolve(name, v, kind));
                }
                return resolved;
            }
            return resolve(name, value, kind);
        }
        if (name.equals("group_id") && value != null && !GROUP_ID.matcher(value.toString()).matches()) {
            throw HubException.invalidParameter(name, value, "a group id (letters, digits, ':', '.', '_', '+', '-')");
        }
        noOption(name, value);
        return value;
    }

    private Object resolve(String name, Object value, DataRoots.Kind kind) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw HubException.invalidParameter(name, value, "a path");
        }
        return (kind == null ? roots.creatable(name, s) : roots.existing(name, s, kind)).toString();
    }

    /** Refuses text values that an external command would read as an option. */
    private static void noOption(String name, Object value) {
        if (value instanceof String s) {
            if (s.strip().startsWith("-") && !NUMBER.matcher(s.strip()).matches()) {
                throw new HubException(ErrorKind.BAD_REQUEST, "OPTION_LIKE_VALUE", "parameter '" + name
                        + "' may not start with '-' (it would reach a command line as an option)",
                        Map.of("parameter", name, "value", s.length() > 200 ? s.substring(0, 200) : s));
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                noOption(name, v);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> noOption(name + "." + k, v));
        }
    }
}
