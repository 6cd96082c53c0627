package org.dsa110.contimg.dashboard;

import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;

class DemoProbeTest {
    @Test
    void probe() throws Exception {
        long t0 = System.nanoTime();
        TestHub hub = DemoHub.get();
        System.out.println("DEMO READY in " + (System.nanoTime() - t0) / 1e9);
        Db db = hub.bean("db", Db.class);
        for (String t : new String[] {"ingest_groups", "ms_index", "images", "photometry", "mosaics", "data_registry",
                "data_relationships", "events", "dlq_items", "caltables", "stage_runs", "catalog_validation",
                "variability_stats", "ese_candidates", "hdf5_file_index", "stage_log_lines"}) {
            System.out.println(t + " " + db.scalarLong("SELECT COUNT(*) FROM " + t));
        }
        System.out.println(db.query("SELECT group_id, state, error FROM ingest_groups"));
        System.out.println(db.query("SELECT stage_name, status, COUNT(*) AS n FROM stage_runs GROUP BY stage_name, status"));
        System.out.println(db.query("SELECT path, group_id, format FROM ms_index"));
        System.out.println(db.query("SELECT data_id, data_type, stage_path, published_path, status FROM data_registry"));
        System.out.println(db.query("SELECT * FROM data_relationships"));
        System.out.println(db.query("SELECT id, path FROM images"));
        System.out.println(db.query("SELECT path, table_type, ms_path FROM caltables"));
        System.out.println(db.query("SELECT event_type, COUNT(*) FROM events GROUP BY event_type"));
        System.out.println(hub.get("/api/pipeline/workflow-status").body());
    }
}
