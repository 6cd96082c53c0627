package org.dsa110.contimg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The store opened in the background: connections only once the schema is current; a failure fails every use. */
class StoreDataSourceTest {
    @Test
    void connectionsWaitForTheMigratedSchema() throws Exception {
        Path dir = Files.createTempDirectory("store-bg");
        try (StoreDataSource ds = Database.openInBackground("", "sa", "", 2, dir)) {
            // no waiting here: the first connection itself must see every table
            try (Connection c = ds.getConnection();
                    ResultSet rs = c.createStatement().executeQuery(
                            "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\"")) {
                assertTrue(rs.next());
                assertTrue(rs.getInt(1) >= 10, "applied migrations: " + rs.getInt(1));
            }
            assertTrue(ds.isReady());
            ds.awaitReady();
        }
    }

    @Test
    void aStoreThatCannotOpenFailsEveryUse() throws Exception {
        Path dir = Files.createTempDirectory("store-bad");
        try (StoreDataSource ds = Database.openInBackground("jdbc:nosuchdriver://nowhere", "sa", "", 1, dir)) {
            SQLException e = assertThrows(SQLException.class, ds::awaitReady);
            assertTrue(e.getMessage().startsWith("the store could not be opened"), e.getMessage());
            assertThrows(SQLException.class, ds::getConnection);
            assertFalse(ds.isReady());
        }
    }

    @Test
    void theSynchronousOpenStillMigrates() throws Exception {
        Path dir = Files.createTempDirectory("store-sync");
        try (var ds = Database.open("", "sa", "", 2, dir); Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ingest_groups")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1));
        }
    }
}
