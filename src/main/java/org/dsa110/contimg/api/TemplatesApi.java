package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.orchestration.TemplateStore;
import org.dsa110.contimg.orchestration.Validated;
import org.dsa110.contimg.security.Role;

/** /api/templates: persisted workflow templates; running one creates a workflow of chained steps. */
public class TemplatesApi extends ApiRoutes {

    /** GET /api/templates. */
    public record TemplateList(List<TemplateStore.WorkflowTemplate> templates, int total) {
    }

    @Override
    public void configure() {
        TemplateStore templates = lookup("templateStore", TemplateStore.class);

        get("/templates", "templates.list", "List workflow templates", req -> {
            List<TemplateStore.WorkflowTemplate> all = templates.list();
            return new TemplateList(all, all.size());
        })
                .returns(TemplateList.class)
                .example("{\"templates\": [{\"name\": \"calibrate-and-image\", \"description\": \"Solve, apply and image one MS\", "
                        + "\"queue_name\": \"default\", \"steps\": [{\"task_name\": \"calibrate\", \"params\": {}, "
                        + "\"priority\": 5, \"timeout_sec\": null, \"max_retries\": null, \"queue_name\": \"default\"}, "
                        + "{\"task_name\": \"image\", \"params\": {\"imsize\": 2048}, \"priority\": 5, "
                        + "\"timeout_sec\": null, \"max_retries\": null, \"queue_name\": \"default\"}], "
                        + "\"default_params\": {\"ms_path\": \"/data/ms/2026-01-16T08:46:11.ms\"}, \"builtin\": false, "
                        + "\"created_at\": \"2026-01-16T10:00:00Z\", \"updated_at\": \"2026-01-16T10:00:00Z\"}], \"total\": 1}");
        post("/templates", "templates.create", "Create a workflow template", Role.ADMIN, req -> {
            TemplateStore.WorkflowTemplate t = req.body(TemplateStore.WorkflowTemplate.class);
            if (t.name() != null && templates.find(t.name()).isPresent()) {
                throw HubException.conflict("template '" + t.name() + "' already exists", Map.of("name", t.name()));
            }
            return ApiResponse.created(Validated.call(() -> templates.insert(t, false)));
        })
                .body(TemplateStore.WorkflowTemplate.class).returns(201, TemplateStore.WorkflowTemplate.class);
        get("/templates/{template_name}", "templates.detail", "One workflow template",
                req -> template(templates, req.path("template_name")))
                .returns(TemplateStore.WorkflowTemplate.class);
        put("/templates/{template_name}", "templates.update", "Replace a workflow template's steps and defaults", Role.ADMIN,
                req -> {
                    String name = req.path("template_name");
                    TemplateStore.WorkflowTemplate t = req.body(TemplateStore.WorkflowTemplate.class);
                    if (t.name() != null && !t.name().equals(name)) {
                        throw HubException.unprocessable("name in the body differs from the path", Map.of("name", name));
                    }
                    return Validated.call(() -> templates.update(name, t))
                            .orElseThrow(() -> HubException.notFound("template", name));
                })
                .body(TemplateStore.WorkflowTemplate.class).returns(TemplateStore.WorkflowTemplate.class);
        delete("/templates/{template_name}", "templates.delete", "Delete a workflow template (not a standard one)", Role.ADMIN,
                req -> {
                    String name = req.path("template_name");
                    TemplateStore.WorkflowTemplate t = template(templates, name);
                    if (Boolean.TRUE.equals(t.builtin())) {
                        throw HubException.conflict("standard template '" + name + "' cannot be deleted; edit it"
                                + " with PUT instead", Map.of("name", name));
                    }
                    templates.delete(name);
                    return new OutcomeMessage("Template '" + name + "' deleted");
                }).returns(OutcomeMessage.class);
        post("/templates/{template_name}/run", "templates.run", "Run a template as a workflow of chained steps",
                req -> {
                    TemplateStore.WorkflowTemplate t = template(templates, req.path("template_name"));
                    // {"params_override": {...}} or, as the earlier backend took it, the override map itself
                    JsonNode tree = req.bodyTree();
                    Map<String, Object> override = null;
                    if (tree.size() > 0) {
                        JsonNode o = tree.has("params_override") && tree.size() == 1 ? tree.get("params_override") : tree;
                        if (!o.isObject()) {
                            throw HubException.unprocessable("params_override must be an object", Map.of());
                        }
                        override = Json.MAPPER.convertValue(o, Map.class);
                    }
                    Map<String, Object> o = override;
                    return ApiResponse.created(Validated.call(() -> templates.run(t, o)));
                })
                .optionalBody(Map.class).returns(201, TemplateStore.TemplateRun.class);
    }

    static TemplateStore.WorkflowTemplate template(TemplateStore templates, String name) {
        return templates.find(name).orElseThrow(() -> HubException.notFound("template", name));
    }
}
