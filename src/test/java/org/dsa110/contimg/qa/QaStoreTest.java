package org.dsa110.contimg.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.dsa110.contimg.core.ErrorKind;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The QA store queries on H2 and PostgreSQL: empty store answers, calibration QA and completeness. */
class QaStoreTest {

    static Stream<Arguments> engines() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    static Db db(String engine) {
        DataSource ds = "h2".equals(engine) ? TestDatabases.h2Memory() : TestDatabases.postgres();
        TestDatabases.migrate(ds);
        return new Db(ds, "h2".equals(engine) ? Db.Dialect.H2 : Db.Dialect.POSTGRESQL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void emptyStoreAnswersEmptyOrNotFound(String engine, @TempDir Path dir) {
        Db db = db(engine);
        QaArtifacts artifacts = new QaArtifacts(db, dir.resolve("qa"));
        assertEquals(List.of(), artifacts.list(null, 100).items());
        assertEquals(List.of(), artifacts.list("thumbnail", 100).items());
        assertEquals(0, artifacts.scan(100), "no QA root yet");
        CalibrationQa qa = new CalibrationQa(db, 0.5, 0.2);
        assertTrue(qa.tablesOf("/data/ms/x.ms").isEmpty());
        assertNull(qa.stored("/data/ms/x.ms"));
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(HubException.class, () -> qa.evaluate("/data/ms/x.ms")).kind());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(HubException.class,
                () -> new CaltableCompleteness(db, qa).completeness("/data/ms/x.ms")).kind());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void calibrationQaAndCompletenessOnEachEngine(String engine, @TempDir Path dir) throws Exception {
        Db db = db(engine);
        String ms = "/data/ms/store-" + engine + ".ms";
        String set = "store-" + engine + "-" + System.nanoTime();
        QaFixtures.calibration(db, dir, ms, set);
        CalibrationQa qa = new CalibrationQa(db, 0.5, 0.2);
        CalibrationQa.Report q = qa.evaluate(ms);
        assertEquals("excellent", q.overallQuality());
        assertEquals(8.0 / 128 / 2, q.flagsTotal(), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> bp = (Map<String, Object>) q.bpMetrics();
        // unflagged only: 96 solutions over channels 0..15 (mean 1.075) and antenna 3's 24 over 4..15 (mean 1.095)
        assertEquals((96 * 1.075 + 24 * 1.095) / 120, ((Number) bp.get("amp_mean")).doubleValue(), 1e-9);
        qa.evaluate(ms);
        assertEquals(1L, db.scalarLong("SELECT COUNT(*) FROM calibration_qa WHERE ms_path = ?", ms));
        CaltableCompleteness.Completeness c = new CaltableCompleteness(db, qa).completeness(ms);
        assertEquals(158.0 / 210, c.completeness(), 1e-12);
        assertEquals(List.of(4), c.missingAntennas());
        // a table retired from the MS: applied tables are found through the MS index and validity window
        String other = "/data/ms/store-" + engine + "-target.ms";
        db.update("INSERT INTO ms_index (path, mid_mjd) VALUES (?, ?)", other, QaFixtures.T0);
        assertEquals(2, qa.tablesOf(other).size(), "the active tables whose window covers the MS");
    }
}
