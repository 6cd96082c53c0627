package org.dsa110.contimg.orchestration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;

/**
 * Workflow templates, persisted in {@code workflow_templates} (the earlier backend kept them in memory and lost
 * them on restart). Running one creates a workflow whose steps each depend on the previous one. The standard
 * templates are inserted at start-up when missing (an operator's edits to them are kept).
 */
public final class TemplateStore {
    /** WorkflowTemplateStep. */
    public record TemplateStep(String taskName, Map<String, Object> params, Integer priority, Integer timeoutSec,
            Integer maxRetries, String queueName) {
        public TemplateStep {
            JobRequests.requireText(taskName, "steps[].task_name");
            params = params == null ? Map.of() : params;
            priority = priority == null ? 5 : priority;
        }
    }

    /** WorkflowTemplate (request and response; created_at/updated_at/builtin are ignored on input). */
    public record WorkflowTemplate(String name, String description, String queueName, List<TemplateStep> steps,
            Map<String, Object> defaultParams, Boolean builtin, Instant createdAt, Instant updatedAt) {
        public WorkflowTemplate {
            description = description == null ? "" : description;
            queueName = queueName == null ? TaskCatalog.DEFAULT_QUEUE : queueName;
            steps = steps == null ? List.of() : List.copyOf(steps);
            defaultParams = defaultParams == null ? Map.of() : defaultParams;
        }
    }

    private final Db db;
    private final TaskCatalog catalog;
    private final WorkflowService workflows;

    public TemplateStore(Db db, TaskCatalog catalog, WorkflowService workflows) {
        this.db = db;
        this.catalog = catalog;
        this.workflows = workflows;
    }

    /** The standard templates shipped with the hub. */
    static List<WorkflowTemplate> standard() {
        return List.of(
                template("standard-pipeline", "Convert, calibrate (solve and apply), image and measure one observation",
                        Map.of(), "convert-uvh5-to-ms", "calibration-solve", "calibration-apply", "imaging",
                        "photometry"),
                template("quick-imaging", "Convert, apply the calibration in force and make a quick-look image",
                        Map.of("quality_tier", "quick"), "convert-uvh5-to-ms", "calibration-apply", "imaging"),
                template("calibrator", "Convert a calibrator transit, solve its tables and apply them",
                        Map.of("refant", "103"), "convert-uvh5-to-ms", "calibration-solve", "calibration-apply"),
                template("target", "Convert a target field, apply the calibration in force, image, measure and score"
                        + " ESE candidates", Map.of(), "convert-uvh5-to-ms", "calibration-apply", "imaging",
                        "photometry", "ese-detect"));
    }

    private static WorkflowTemplate template(String name, String description, Map<String, Object> defaults,
            String... tasks) {
        List<TemplateStep> steps = new ArrayList<>();
        for (String t : tasks) {
            steps.add(new TemplateStep(t, Map.of(), 5, null, null, null));
        }
        return new WorkflowTemplate(name, description, TaskCatalog.DEFAULT_QUEUE, steps, defaults, true, null, null);
    }

    /** Inserts the standard templates that are missing. */
    public void seedStandard() {
        for (WorkflowTemplate t : standard()) {
            if (find(t.name()).isEmpty()) {
                try {
                    insert(t, true);
                } catch (RuntimeException e) {
                    // another hub process seeded it at the same moment
                }
            }
        }
    }

    public List<WorkflowTemplate> list() {
        return db.query("SELECT * FROM workflow_templates ORDER BY template_name").stream().map(this::toTemplate)
                .toList();
    }

    public Optional<WorkflowTemplate> find(String name) {
        return db.one("SELECT * FROM workflow_templates WHERE template_name = ?", name).map(this::toTemplate);
    }

    /** Validates steps: known task names and queues, at least one step. */
    public void validate(WorkflowTemplate t) {
        JobRequests.require(t.name() != null && t.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
                "name must be 1-128 characters of letters, digits, '.', '_' or '-'");
        JobRequests.require(!t.steps().isEmpty(), "a template needs at least one step");
        JobRequests.require(catalog.knowsQueue(t.queueName()), "unknown queue_name '" + t.queueName() + "'");
        for (TemplateStep s : t.steps()) {
            JobRequests.require(catalog.knows(s.taskName()), "unknown task_name '" + s.taskName() + "'");
            JobRequests.require(s.queueName() == null || catalog.knowsQueue(s.queueName()),
                    "unknown queue_name '" + s.queueName() + "'");
        }
    }

    public WorkflowTemplate insert(WorkflowTemplate t, boolean builtin) {
        validate(t);
        Instant now = Instant.now();
        db.update("INSERT INTO workflow_templates (template_name, description, steps, default_params, builtin,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", t.name(), t.description(),
                Json.write(storedSteps(t)), Json.write(t.defaultParams()), builtin, now, now);
        return find(t.name()).orElseThrow();
    }

    public Optional<WorkflowTemplate> update(String name, WorkflowTemplate t) {
        WorkflowTemplate named = new WorkflowTemplate(name, t.description(), t.queueName(), t.steps(),
                t.defaultParams(), null, null, null);
        validate(named);
        int n = db.update("UPDATE workflow_templates SET description = ?, steps = ?, default_params = ?, updated_at = ?"
                + " WHERE template_name = ?", named.description(), Json.write(storedSteps(named)),
                Json.write(named.defaultParams()), Instant.now(), name);
        return n == 0 ? Optional.empty() : find(name);
    }

    public boolean delete(String name) {
        return db.update("DELETE FROM workflow_templates WHERE template_name = ?", name) == 1;
    }

    /**
     * Runs a template: one workflow, one task per step, each step depending on the one before; a step's params are
     * the template defaults, overridden by the step's own, overridden by {@code override}.
     */
    /** A started template run: the workflow and its tasks' ids in step order. */
    public record TemplateRun(String workflowId, String templateName, List<String> taskIds, String message) {
    }

    public TemplateRun run(WorkflowTemplate t, Map<String, Object> override) {
        List<WorkflowService.Step> steps = new ArrayList<>();
        String previous = null;
        int i = 0;
        for (TemplateStep s : t.steps()) {
            Map<String, Object> params = new LinkedHashMap<>(t.defaultParams());
            params.putAll(s.params());
            if (override != null) {
                params.putAll(override);
            }
            String key = (++i) + ":" + s.taskName();
            steps.add(new WorkflowService.Step(key, s.taskName(), s.queueName() != null ? s.queueName() : t.queueName(),
                    params, s.priority(), s.timeoutSec(), s.maxRetries(), previous == null ? List.of()
                            : List.of(previous)));
            previous = key;
        }
        Map<String, Object> wfParams = new LinkedHashMap<>();
        wfParams.put("description", t.description());
        wfParams.put("metadata", override == null ? Map.of() : Map.of("params_override", override));
        WorkflowService.WorkflowCreated created = workflows.create(t.name() + " " + Instant.now(), t.name(), wfParams,
                steps);
        return new TemplateRun(created.workflowId(), t.name(), List.copyOf(created.taskIds().values()),
                "Template '" + t.name() + "' started as workflow " + created.workflowId());
    }

    /** Steps as stored: each with its queue (the template's unless the step names its own). */
    private static List<Map<String, Object>> storedSteps(WorkflowTemplate t) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TemplateStep s : t.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task_name", s.taskName());
            m.put("params", s.params());
            m.put("priority", s.priority());
            m.put("timeout_sec", s.timeoutSec());
            m.put("max_retries", s.maxRetries());
            m.put("queue_name", s.queueName() != null ? s.queueName() : t.queueName());
            out.add(m);
        }
        return out;
    }

    private WorkflowTemplate toTemplate(Map<String, Object> r) {
        List<TemplateStep> steps = new ArrayList<>();
        Object parsed = TaskStore.jsonValue((String) r.get("steps"));
        String queue = TaskCatalog.DEFAULT_QUEUE;
        if (parsed instanceof List<?> list) {
            for (Object o : list) {
                TemplateStep s = Json.MAPPER.convertValue(o, TemplateStep.class);
                if (steps.isEmpty() && s.queueName() != null) {
                    queue = s.queueName();
                }
                steps.add(s);
            }
        }
        return new WorkflowTemplate((String) r.get("template_name"), (String) r.get("description"), queue, steps,
                TaskStore.jsonMap((String) r.get("default_params")), (Boolean) r.get("builtin"),
                (Instant) r.get("created_at"), (Instant) r.get("updated_at"));
    }
}
