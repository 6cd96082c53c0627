package org.dsa110.contimg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's SQL helper behaves the same on H2 and PostgreSQL: keys, types, transactions, group states. */
class DbTest {

    static Stream<Arguments> engines() {
        return Stream.of(Arguments.of("h2", Db.Dialect.H2), Arguments.of("postgresql", Db.Dialect.POSTGRESQL));
    }

    static Db open(String engine, Db.Dialect dialect) {
        DataSource ds = "h2".equals(engine) ? TestDatabases.h2Memory() : TestDatabases.postgres();
        TestDatabases.migrate(ds);
        return new Db(ds, dialect);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void rowsHaveLowerCaseKeysInstantsAndGeneratedIds(String engine, Db.Dialect dialect) {
        Db db = open(engine, dialect);
        Instant t = Instant.parse("2025-10-24T14:00:00.123456Z");
        long id1 = db.insert("INSERT INTO events (event_type, payload, created_at) VALUES (?, ?, ?)", "id",
                "group_update", "{\"a\":1}", t);
        long id2 = db.insert("INSERT INTO events (event_type, payload, created_at) VALUES (?, ?, ?)", "id",
                "group_update", "{}", t.plusSeconds(1));
        assertTrue(id2 > id1);
        List<Map<String, Object>> rows = db.query(
                "SELECT id, event_type, payload, created_at FROM events WHERE event_type = ? ORDER BY id",
                "group_update");
        assertEquals(2, rows.size());
        Map<String, Object> first = rows.get(0);
        assertEquals(List.of("id", "event_type", "payload", "created_at"), List.copyOf(first.keySet()));
        assertInstanceOf(Instant.class, first.get("created_at"));
        assertEquals(t.truncatedTo(ChronoUnit.MICROS), first.get("created_at"));
        assertEquals("{\"a\":1}", first.get("payload"));
        db.update("INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?)", "nothing", null);
        assertTrue(db.one("SELECT setting_value FROM app_settings WHERE setting_key = 'nothing'").orElseThrow()
                .containsKey("setting_value"));
        assertEquals(null, db.one("SELECT setting_value FROM app_settings WHERE setting_key = 'nothing'")
                .orElseThrow().get("setting_value"));
        assertEquals(2L, db.scalarLong("SELECT COUNT(*) FROM events WHERE event_type = ?", "group_update"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void transactionsCommitOrRollBackAsOneUnit(String engine, Db.Dialect dialect) {
        Db db = open(engine, dialect);
        assertThrows(IllegalStateException.class, () -> db.inTransaction(() -> {
            db.update("INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?)", "a", "1");
            db.inTransaction(() -> db.update(
                    "INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?)", "b", "2"));
            throw new IllegalStateException("abort");
        }));
        assertEquals(0L, db.scalarLong("SELECT COUNT(*) FROM app_settings WHERE setting_key IN ('a', 'b')"));
        db.inTransaction(() -> db.update(
                "INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?)", "c", "3"));
        assertEquals("3", db.one("SELECT setting_value FROM app_settings WHERE setting_key = 'c'")
                .orElseThrow().get("setting_value"));
        // a constraint violation surfaces as StoreException and leaves nothing behind
        assertThrows(StoreException.class, () -> db.update(
                "INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?)", "c", "4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void groupTransitionsAreGuardedAndRecorded(String engine, Db.Dialect dialect) {
        Db db = open(engine, dialect);
        GroupStates states = new GroupStates(db);
        Instant t = Instant.parse("2025-10-24T14:00:00Z");
        db.update("INSERT INTO ingest_groups (group_id, group_time, state) VALUES (?, ?, 'pending')",
                "2025-10-24T14:00:00", t);
        states.created("2025-10-24T14:00:00", "pending");
        assertTrue(states.transition("2025-10-24T14:00:00", "pending", "in_progress", null));
        // a second claimer loses
        assertFalse(states.transition("2025-10-24T14:00:00", "pending", "in_progress", null));
        assertTrue(states.transition("2025-10-24T14:00:00", "in_progress", "failed", "stage imaging failed"));
        Map<String, Object> g = db.one("SELECT state, error, started_at, completed_at FROM ingest_groups")
                .orElseThrow();
        assertEquals("failed", g.get("state"));
        assertEquals("stage imaging failed", g.get("error"));
        assertInstanceOf(Instant.class, g.get("started_at"));
        assertInstanceOf(Instant.class, g.get("completed_at"));
        List<Map<String, Object>> history = db.query(
                "SELECT from_state, to_state FROM group_state_history ORDER BY id");
        assertEquals(3, history.size());
        assertEquals("in_progress", history.get(2).get("from_state"));
        assertEquals("failed", history.get(2).get("to_state"));
    }
}
