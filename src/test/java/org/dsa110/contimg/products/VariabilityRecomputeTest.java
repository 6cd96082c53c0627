package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import javax.sql.DataSource;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A store written by the legacy metrics (schema before V3.3.1, values computed with ddof 0 and consecutive pairs)
 * is migrated, and {@link VariabilityUpdater#recomputeOutdated} (run once at start by the variability.recompute
 * route) brings every row to the VAST definitions computed from its light curve.
 */
class VariabilityRecomputeTest {

    @Test
    void legacyRowsAreRecomputedWithTheVastDefinitions() {
        DataSource ds = TestDatabases.h2Memory();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2.9").load().migrate();
        Db db = new Db(ds, Db.Dialect.H2);
        // a light curve f = {10, 20, 30, 20} mJy, σ = {5, 10, 10, 5} mJy at MJD 60000..60003, and the row the
        // legacy code stored for it (v = std(ddof 0)/mean = 0.35355339, max |Vs| over consecutive pairs)
        db.update("INSERT INTO sources (source_id, ra_deg, dec_deg, dec_zone) VALUES ('S1', 10, 20, 40)");
        double[] f = {0.010, 0.020, 0.030, 0.020};
        double[] e = {0.005, 0.010, 0.010, 0.005};
        for (int i = 0; i < 4; i++) { // one image per epoch (photometry is unique per source and image)
            long image = db.insert("INSERT INTO images (path) VALUES (?)", "id", "/img" + i + ".fits");
            db.update("INSERT INTO photometry (source_id, image_id, image_path, ra_deg, dec_deg, mjd, peak_jyb, "
                    + "peak_err_jyb) VALUES ('S1', ?, ?, 10, 20, ?, ?, ?)", image, "/img" + i + ".fits",
                    60000.0 + i, f[i], e[i]);
        }
        db.update("INSERT INTO variability_stats (source_id, n_epochs, mean_mjy, std_mjy, v, eta, vs_mean, m_mean, "
                + "vs_max_abs, m_max_abs, chi2_nu, sigma_deviation, is_variable, last_mjd) "
                + "VALUES ('S1', 4, 20, 7.0710678, 0.35355339, 0.0136666, -0.2357, -0.2222, 0.8944, 0.6667, 1.6667, "
                + "1.4142, TRUE, 60003)");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        assertEquals(1, ((Number) db.one("SELECT metrics_version FROM variability_stats").orElseThrow()
                .get("metrics_version")).intValue(), "rows before the migration are marked legacy");

        VariabilityUpdater updater = new VariabilityUpdater(db, 5.0);
        assertEquals(1, updater.recomputeOutdated());
        assertEquals(0, updater.recomputeOutdated(), "nothing left to recompute");
        Map<String, Object> r = db.one("SELECT * FROM variability_stats WHERE source_id = 'S1'").orElseThrow();
        assertEquals(VariabilityUpdater.METRICS_VERSION, ((Number) r.get("metrics_version")).intValue());
        // hand values (VariabilityMetricsTest, scaled by 1e-2): v = √(2/3)/2 with ddof 1; η = 1.3666667 × 1e-2²/1e-2²
        // is scale-free in f/σ: w = 1/σ² scales by 1e4, f² by 1e-4 → η = 1.3666667
        assertEquals(Math.sqrt(2.0 / 3.0) / 2, ((Number) r.get("v")).doubleValue(), 1e-12);
        assertEquals(1.3666666666666667, ((Number) r.get("eta")).doubleValue(), 1e-9);
        assertEquals(7.0710678118654755, ((Number) r.get("std_mjy")).doubleValue(), 1e-9, "std stays ddof 0");
        assertEquals(6L, ((Number) r.get("n_pairs")).longValue());
        assertEquals(2 / Math.sqrt(1.25), ((Number) r.get("vs_max_abs")).doubleValue(), 1e-9, "over all pairs");
        assertEquals(1.0, ((Number) r.get("m_max_abs")).doubleValue(), 1e-12);
        assertEquals(0, ((Number) r.get("n_significant_pairs")).intValue());
        assertEquals(0.0, ((Number) r.get("vs_abs_significant_max")).doubleValue());
        assertNull(r.get("significant_pair_mjd_a"));
        assertEquals(-0.23570226039551584, ((Number) r.get("vs_mean")).doubleValue(), 1e-12, "legacy field kept");
        assertFalse((Boolean) r.get("normalized"));
        assertTrue((Boolean) r.get("is_variable"), "v = 0.408 > 0.1");
    }
}
