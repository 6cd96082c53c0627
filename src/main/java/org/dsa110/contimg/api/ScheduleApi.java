package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.schedules.BuiltinTasks;
import org.dsa110.contimg.ops.schedules.ScheduleDefinition;
import org.dsa110.contimg.ops.schedules.ScheduleService;
import org.dsa110.contimg.security.Role;

/** /api/schedules*: cron schedules persisted in the store and run by Quartz (legacy /api/absurd/schedules). */
public class ScheduleApi extends ApiRoutes {

    /** ScheduleCreateRequest. */
    public record CreateRequest(String name, String taskName, String cronExpression, JsonNode params, Integer priority,
            String timezone, String description, String queueName) {
    }

    /** ScheduleUpdateRequest: the fields given change, the others stay. */
    public record UpdateRequest(String state, String cronExpression, JsonNode params, Integer priority,
            String timezone, String description) {
    }

    public record ScheduleList(List<ScheduleService.Schedule> schedules, int total) {
    }

    public record Deleted(boolean deleted, String name) {
    }

    @Override
    public void configure() {
        ScheduleService schedules = lookup("scheduleService", ScheduleService.class);

        get("/schedules", "schedules.list", "Schedules, optionally filtered by queue_name and state", req -> {
            String state = req.oneOf("state", null, "active", "paused", "disabled");
            List<ScheduleService.Schedule> items = schedules.list(req.query("queue_name"), state);
            return new ScheduleList(items, items.size());
        })
                .queryEnum("state", null, "active", "paused", "disabled")
                .queryString("queue_name", null).returns(ScheduleList.class);
        post("/schedules", "schedules.create", "Create a schedule (cron validated; returns next_run_at)", Role.ADMIN,
                req -> {
            CreateRequest r = req.body(CreateRequest.class);
            ScheduleDefinition d = valid(() -> new ScheduleDefinition(r.name(), r.taskName(), r.queueName(),
                    r.cronExpression(), r.timezone(), paramsJson(r.params()),
                    r.priority() == null ? 5 : r.priority(), "active", r.description()));
            try {
                return ApiResponse.created(schedules.create(d));
            } catch (IllegalStateException e) {
                throw HubException.conflict(e.getMessage(), Map.of("name", d.name()));
            }
        })
                .body(CreateRequest.class).returns(201, ScheduleService.Schedule.class);
        get("/schedules/{name}", "schedules.detail", "One schedule", req -> found(schedules, req.path("name")))
                .returns(ScheduleService.Schedule.class);
        patch("/schedules/{name}", "schedules.update", "Change state (active|paused|disabled), cron, params, ...", Role.ADMIN,
                req -> {
                    String name = req.path("name");
                    found(schedules, name);
                    ScheduleDefinition cur = schedules.definition(name);
                    UpdateRequest u = req.body(UpdateRequest.class);
                    ScheduleDefinition d = valid(() -> new ScheduleDefinition(name, cur.taskName(), cur.queueName(),
                            or(u.cronExpression(), cur.cronExpression()), or(u.timezone(), cur.timezone()),
                            u.params() == null ? cur.paramsJson() : paramsJson(u.params()),
                            or(u.priority(), cur.priority()), or(u.state(), cur.state()),
                            or(u.description(), cur.description())));
                    return schedules.update(d);
                })
                .body(UpdateRequest.class).returns(ScheduleService.Schedule.class);
        delete("/schedules/{name}", "schedules.delete", "Delete a schedule (built-ins can only be disabled)", Role.ADMIN,
                req -> {
            String name = req.path("name");
            ScheduleService.Schedule s = found(schedules, name);
            if (BuiltinTasks.isBuiltin(s.taskName()) && name.equals(s.taskName())) {
                throw HubException.conflict("built-in schedule '" + name + "' cannot be deleted; "
                        + "PATCH its state to disabled instead", Map.of("name", name));
            }
            schedules.delete(name);
            return new Deleted(true, name);
        }).returns(Deleted.class);
        post("/schedules/{name}/trigger", "schedules.trigger", "Run a schedule now; returns what it started",
                req -> {
                    String name = req.path("name");
                    found(schedules, name);
                    return schedules.trigger(name);
                }).returns(ScheduleService.Run.class);
    }

    private static ScheduleService.Schedule found(ScheduleService schedules, String name) {
        ScheduleService.Schedule s = schedules.get(name);
        if (s == null) {
            throw HubException.notFound("schedule", name);
        }
        return s;
    }

    private static ScheduleDefinition valid(Supplier<ScheduleDefinition> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw HubException.unprocessable(e.getMessage(), Map.of());
        }
    }

    private static String paramsJson(JsonNode params) {
        if (params == null || params.isNull()) {
            return "{}";
        }
        if (!params.isObject()) {
            throw HubException.unprocessable("params must be a JSON object", Map.of("field", "params"));
        }
        return params.toString();
    }

    private static <T> T or(T v, T current) {
        return v != null ? v : current;
    }
}
