package org.dsa110.contimg.ops.schedules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.store.Db;

/** SQL for the {@code schedules} table: the truth about every schedule, Quartz only carries out what it says. */
public final class ScheduleStore {
    private final Db db;

    public ScheduleStore(Db db) {
        this.db = db;
    }

    public Db db() {
        return db;
    }

    public List<Map<String, Object>> list(String queueName, String state) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM schedules WHERE 1 = 1");
        if (queueName != null) {
            sql.append(" AND queue_name = ?");
            args.add(queueName);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        sql.append(" ORDER BY name");
        return db.query(sql.toString(), args.toArray());
    }

    public Optional<Map<String, Object>> get(String name) {
        return db.one("SELECT * FROM schedules WHERE name = ?", name);
    }

    public boolean exists(String name) {
        return db.scalarLong("SELECT COUNT(*) FROM schedules WHERE name = ?", name) > 0;
    }

    public void insert(ScheduleDefinition d) {
        Instant now = Instant.now();
        db.update("INSERT INTO schedules (name, task_name, queue_name, cron_expression, timezone, params, priority, "
                + "state, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.name(), d.taskName(), d.queueName(), d.cronExpression(), d.timezone(), d.paramsJson(), d.priority(),
                d.state(), d.description(), now, now);
    }

    public void update(ScheduleDefinition d) {
        db.update("UPDATE schedules SET task_name = ?, queue_name = ?, cron_expression = ?, timezone = ?, params = ?, "
                + "priority = ?, state = ?, description = ?, updated_at = ? WHERE name = ?", d.taskName(),
                d.queueName(), d.cronExpression(), d.timezone(), d.paramsJson(), d.priority(), d.state(),
                d.description(), Instant.now(), d.name());
    }

    public void setNextRun(String name, Instant next) {
        db.update("UPDATE schedules SET next_run_at = ? WHERE name = ?", next, name);
    }

    public void recordRun(String name, Instant at, String taskId, Instant next) {
        db.update("UPDATE schedules SET last_run_at = ?, last_task_id = ?, run_count = run_count + 1, "
                + "next_run_at = ? WHERE name = ?", at, taskId, next, name);
    }

    public boolean delete(String name) {
        return db.update("DELETE FROM schedules WHERE name = ?", name) > 0;
    }
}
