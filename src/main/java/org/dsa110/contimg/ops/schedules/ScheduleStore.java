package org.dsa110.contimg.ops.schedules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/** SQL for the {@code schedules} table: the truth about every schedule, Quartz only carries out what it says. */
public final class ScheduleStore {
    /** SQLSTATE of a unique-key violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

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

    /**
     * Claims the scheduled fire time {@code fireTime} of schedule {@code name}: true for its first claim, false when
     * that fire time has already run (a duplicate fire: another hub's scheduler, or a re-fire after a fail-over).
     * Claims older than a day are pruned.
     */
    public boolean claimFireTime(String name, Instant fireTime) {
        try {
            db.update("INSERT INTO schedule_fires (name, fire_time) VALUES (?, ?)", name, fireTime);
        } catch (StoreException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlException().getSQLState())) {
                return false;
            }
            throw e;
        }
        db.update("DELETE FROM schedule_fires WHERE name = ? AND fire_time < ?", name,
                fireTime.minus(java.time.Duration.ofDays(1)));
        return true;
    }

    public void recordRun(String name, Instant at, String taskId, Instant next) {
        db.update("UPDATE schedules SET last_run_at = ?, last_task_id = ?, run_count = run_count + 1, "
                + "next_run_at = ? WHERE name = ?", at, taskId, next, name);
    }

    public boolean delete(String name) {
        db.update("DELETE FROM schedule_fires WHERE name = ?", name);
        return db.update("DELETE FROM schedules WHERE name = ?", name) > 0;
    }
}
