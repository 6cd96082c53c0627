package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.orchestration.TemplateStore;
import org.dsa110.contimg.orchestration.Validated;
import org.dsa110.contimg.security.Role;

/** /api/templates: persisted workflow templates; running one creates a workflow of chained steps. */
public class TemplatesApi extends ApiRoutes {

    @Override
    public void configure() {
        TemplateStore templates = lookup("templateStore", TemplateStore.class);

        get("/templates", "templates.list", "List workflow templates", req -> {
            List<TemplateStore.WorkflowTemplate> all = templates.list();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("templates", all);
            out.put("total", all.size());
            return out;
        });
        post("/templates", "templates.create", "Create a workflow template", Role.ADMIN, req -> {
            TemplateStore.WorkflowTemplate t = req.body(TemplateStore.WorkflowTemplate.class);
            if (t.name() != null && templates.find(t.name()).isPresent()) {
                throw HubException.conflict("template '" + t.name() + "' already exists", Map.of("name", t.name()));
            }
            return ApiResponse.created(Validated.call(() -> templates.insert(t, false)));
        })
                .body(TemplateStore.WorkflowTemplate.class);
        get("/templates/{template_name}", "templates.detail", "One workflow template",
                req -> template(templates, req.path("template_name")));
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
                .body(TemplateStore.WorkflowTemplate.class);
        delete("/templates/{template_name}", "templates.delete", "Delete a workflow template (not a standard one)", Role.ADMIN,
                req -> {
                    String name = req.path("template_name");
                    TemplateStore.WorkflowTemplate t = template(templates, name);
                    if (Boolean.TRUE.equals(t.builtin())) {
                        throw HubException.conflict("standard template '" + name + "' cannot be deleted; edit it"
                                + " with PUT instead", Map.of("name", name));
                    }
                    templates.delete(name);
                    return Map.of("message", "Template '" + name + "' deleted");
                });
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
                });
    }

    static TemplateStore.WorkflowTemplate template(TemplateStore templates, String name) {
        return templates.find(name).orElseThrow(() -> HubException.notFound("template", name));
    }
}
