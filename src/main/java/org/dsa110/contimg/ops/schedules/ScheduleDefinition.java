package org.dsa110.contimg.ops.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import org.dsa110.contimg.core.Json;

/**
 * What a schedule is: a name, the task it starts, a Quartz cron expression in a time zone, the task's params
 * (a JSON object) and priority, and its state ({@code active | paused | disabled}).
 */
public record ScheduleDefinition(String name, String taskName, String queueName, String cronExpression,
        String timezone, String paramsJson, int priority, String state, String description) {
    public static final String DEFAULT_QUEUE = "dsa110-pipeline";

    public ScheduleDefinition {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("name must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
        if (taskName == null || taskName.isBlank() || taskName.length() > 128) {
            throw new IllegalArgumentException("task_name must be 1-128 characters");
        }
        queueName = queueName == null || queueName.isBlank() ? DEFAULT_QUEUE : queueName;
        CronSyntax.toQuartz(cronExpression); // throws with the reason when invalid
        timezone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timezone '" + timezone + "' is not a known time zone id");
        }
        paramsJson = paramsJson == null ? "{}" : paramsJson;
        if (priority < 0 || priority > 100) {
            throw new IllegalArgumentException("priority must be in [0, 100]");
        }
        state = state == null ? "active" : state;
        if (!state.matches("active|paused|disabled")) {
            throw new IllegalArgumentException("state must be one of active, paused, disabled");
        }
    }

    /** The params as a JSON object (the store keeps the text). */
    public JsonNode params() {
        try {
            return Json.MAPPER.readTree(paramsJson);
        } catch (Exception e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    public static ScheduleDefinition fromRow(Map<String, Object> r) {
        return new ScheduleDefinition((String) r.get("name"), (String) r.get("task_name"),
                (String) r.get("queue_name"), (String) r.get("cron_expression"), (String) r.get("timezone"),
                (String) r.get("params"), ((Number) r.get("priority")).intValue(), (String) r.get("state"),
                (String) r.get("description"));
    }

    public ScheduleDefinition withParamsJson(String json) {
        return new ScheduleDefinition(name, taskName, queueName, cronExpression, timezone, json, priority, state,
                description);
    }

    public ScheduleDefinition withState(String s) {
        return new ScheduleDefinition(name, taskName, queueName, cronExpression, timezone, paramsJson, priority, s,
                description);
    }
}
