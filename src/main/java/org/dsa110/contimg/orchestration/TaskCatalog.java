package org.dsa110.contimg.orchestration;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of task names: which Camel endpoint runs each task, in which queue it goes by default and which
 * parameters it takes (a JSON-schema-like map for {@code GET /api/available}). Stage tasks go to the engine's
 * {@code direct:stage.<stage>} routes, so work started by an operator runs exactly like streaming work.
 * Endpoints can be re-pointed by configuration ({@code hub.tasks.endpoints = name=uri,...}).
 */
public final class TaskCatalog {
    public static final String DEFAULT_QUEUE = "dsa110-pipeline";
    public static final String MAINTENANCE_QUEUE = "maintenance";
    public static final String HOUSEKEEPING_ENDPOINT = "direct:orchestration.housekeeping";

    /** One runnable task: its name, the endpoint it is sent to, default queue, description and parameters. */
    public record TaskDefinition(String name, String endpointUri, String queue, String description,
            Map<String, Object> parameters) {
    }

    private final Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
    private final Set<String> queues = new LinkedHashSet<>();

    public TaskCatalog(Map<String, String> endpointOverrides, Collection<String> extraQueues) {
        Map<String, Object> ms = prop("string", "Measurement Set path");
        Map<String, Object> window = Map.of(
                "start_time", prop("string", "ISO-8601 start of the time window (UTC)"),
                "end_time", prop("string", "ISO-8601 end of the time window (UTC)"),
                "input_dir", prop("string", "directory holding the UVH5 subband files"),
                "output_dir", prop("string", "directory for the Measurement Sets"),
                "writer", prop("string", "MS writer (auto, direct-subband, pyuvdata)"),
                "group_id", prop("string", "an ingest group id instead of a time window"));
        define("convert-uvh5-to-ms", "direct:stage.conversion", DEFAULT_QUEUE,
                "Convert a group or time window of UVH5 subband files to a Measurement Set", window);
        define("calibration-solve", "direct:stage.calibration_solve", DEFAULT_QUEUE,
                "Solve delay, bandpass and gain tables on a calibrator Measurement Set",
                Map.of("ms_path", ms, "refant", prop("string", "reference antenna (default 103)"),
                        "field", prop("string", "field selection"),
                        "solve_delay", prop("boolean", "solve K (delay) table"),
                        "solve_bandpass", prop("boolean", "solve bandpass table"),
                        "solve_gains", prop("boolean", "solve gain table")));
        define("calibration-apply", "direct:stage.calibration_apply", DEFAULT_QUEUE,
                "Apply calibration tables to a Measurement Set",
                Map.of("ms_path", ms, "gaintables", prop("array", "calibration tables to apply (default: in force)")));
        define("imaging", "direct:stage.imaging", DEFAULT_QUEUE, "Image a calibrated Measurement Set",
                Map.of("ms_path", ms, "datacolumn", prop("string", "data column (default corrected)"),
                        "quality_tier", prop("string", "quick | standard | high"),
                        "gridder", prop("string", "gridder (default wproject)"),
                        "wprojplanes", prop("integer", "w-projection planes (-1 = auto)")));
        define("photometry", "direct:stage.photometry", DEFAULT_QUEUE,
                "Forced photometry of catalog sources on an image",
                Map.of("fits_path", prop("string", "image FITS path"), "image_id", prop("integer", "image id"),
                        "coordinates", prop("array", "[{ra_deg, dec_deg}] positions (default: catalog)")));
        define("ese-detect", "direct:stage.ese_detection", DEFAULT_QUEUE,
                "Score sources for extreme scattering events",
                Map.of("min_sigma", prop("number", "detection threshold"),
                        "source_id", prop("string", "one source (default: all)"),
                        "recompute", prop("boolean", "recompute variability metrics first")));
        define("create-mosaic", "direct:task.create-mosaic", DEFAULT_QUEUE,
                "Build a mosaic of images over a time span or around a calibrator",
                Map.of("start_time", prop("string", "ISO-8601 start"), "end_time", prop("string", "ISO-8601 end"),
                        "calibrator_name", prop("string", "centre on the newest image holding this calibrator"),
                        "timespan_minutes", prop("integer", "span when one end or a calibrator is given (50)"),
                        "name", prop("string", "mosaic name"), "tier", prop("string", "quicklook | science | deep"),
                        "mosaic_id", prop("integer", "build this pending mosaic")));
        define("publish", "direct:stage.publishing", DEFAULT_QUEUE, "Publish a finished data product",
                Map.of("data_id", prop("string", "data registry id"),
                        "products_base", prop("string", "destination directory")));
        define("housekeeping", HOUSEKEEPING_ENDPOINT, MAINTENANCE_QUEUE,
                "Prune old events, finished tasks' job log lines and stale worker rows",
                Map.of("retention_days", prop("integer", "keep this many days (default hub.housekeeping.retention-days)")));
        endpointOverrides.forEach((name, uri) -> {
            TaskDefinition d = tasks.get(name);
            if (d == null) {
                throw new IllegalArgumentException("hub.tasks.endpoints names unknown task '" + name + "'");
            }
            tasks.put(name, new TaskDefinition(name, uri, d.queue(), d.description(), d.parameters()));
        });
        tasks.values().forEach(d -> queues.add(d.queue()));
        queues.addAll(extraQueues);
    }

    private void define(String name, String uri, String queue, String description, Map<String, Object> props) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new java.util.TreeMap<>(props));
        tasks.put(name, new TaskDefinition(name, uri, queue, description, schema));
    }

    private static Map<String, Object> prop(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    public Optional<TaskDefinition> find(String taskName) {
        return Optional.ofNullable(tasks.get(taskName));
    }

    public boolean knows(String taskName) {
        return tasks.containsKey(taskName);
    }

    public List<TaskDefinition> all() {
        return List.copyOf(tasks.values());
    }

    /** Configured queue names (those of the catalog plus {@code hub.tasks.queues}). */
    public Set<String> queues() {
        return Set.copyOf(queues);
    }

    public boolean knowsQueue(String queue) {
        return queues.contains(queue);
    }

    /** Parses {@code name=uri,name=uri} (blank = no overrides). */
    public static Map<String, String> parseOverrides(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("hub.tasks.endpoints entry '" + pair + "' is not name=uri");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }
}
