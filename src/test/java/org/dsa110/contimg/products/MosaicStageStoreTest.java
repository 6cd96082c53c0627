package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.dsa110.contimg.ops.HeavyWork;
import org.dsa110.contimg.pipeline.StageLogSink;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.Projection;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.dsa110.contimg.core.DataRoots;

/**
 * The mosaic trigger and the mosaic store on H2 and on PostgreSQL: groups of 3 images overlapping by 1, "not due"
 * in between, the time-range image choice (a group's pbcor image preferred) and the query.
 */
class MosaicStageStoreTest {
    static final Instant T0 = Instant.parse("2025-05-05T05:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void h2() throws Exception {
        DataSource ds = TestDatabases.h2Memory();
        TestDatabases.migrate(ds);
        exercise(new Db(ds, Db.Dialect.H2));
    }

    @Test
    void postgres() throws Exception {
        DataSource ds = TestDatabases.postgres();
        TestDatabases.migrate(ds);
        exercise(new Db(ds, Db.Dialect.POSTGRESQL));
    }

    void exercise(Db db) throws Exception {
        ImageRegistry images = new ImageRegistry(db, new DataRoots(tmp, List.of()));
        Mosaics mosaics = new Mosaics(db, images, new ReferenceCatalog(db, "NVSS"),
                new MosaicBuilder(Projection.SIN), new HeavyWork(1, 0, 0, 0), tmp.resolve("mosaics"));
        MosaicStage stage = new MosaicStage(db, images, mosaics, new MosaicPlanner(mosaics),
                new MosaicStage.Settings(3, 1, 1.0, "quicklook"));
        SyntheticSky sky = new SyntheticSky(40.0, 60.0);
        sky.add("A", 0, 0, 50, 20);
        boolean[] due = new boolean[5];
        for (int e = 0; e < 5; e++) {
            Path dir = Files.createDirectories(tmp.resolve("g" + e));
            Path img = sky.writeImage(dir.resolve("g" + e + "-image.fits"), new double[] {0.05},
                    T0.plus(Duration.ofMinutes(5L * e)), 10L + e);
            Path res = sky.writeImage(dir.resolve("g" + e + "-residual.fits"), new double[] {0}, T0, 20L + e);
            StageRequest req = new StageRequest("mosaic", "group" + e, e + 1, 1, List.of(img.toString(),
                    res.toString()), dir, Map.of(), StageLogSink.DISCARD);
            StageResult r = stage.run(req);
            due[e] = Boolean.TRUE.equals(r.metrics().get("due"));
            assertEquals(due[e] ? 2 : 0, r.outputs().size());
        }
        // size 3, overlap 1: mosaics after images 3 and 5
        assertFalse(due[0] || due[1] || due[3]);
        assertTrue(due[2] && due[4]);
        List<Map<String, Object>> rows = db.query("SELECT * FROM mosaics ORDER BY id");
        assertEquals(2, rows.size());
        for (Map<String, Object> m : rows) {
            assertEquals("completed", m.get("status"));
            assertEquals(3, ((Number) m.get("image_count")).intValue());
        }
        assertEquals(SkyCoords.instantToMjd(T0.plus(Duration.ofMinutes(10))),
                ((Number) rows.get(1).get("start_mjd")).doubleValue(), 1e-9, "the second starts at the shared image");
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM images WHERE name LIKE '%residual%'"));
        assertEquals(2, db.scalarLong("SELECT COUNT(*) FROM images WHERE type = 'mosaic'"));

        // Time-range choice: all five images (mosaics excluded); a group's pbcor image replaces its plain one.
        double from = SkyCoords.instantToMjd(T0.minus(Duration.ofMinutes(1)));
        double to = SkyCoords.instantToMjd(T0.plus(Duration.ofMinutes(30)));
        assertEquals(5, mosaics.imagesInRange(from, to, false).size());
        assertEquals(0, mosaics.imagesInRange(from, to, true).size(), "nothing is published");
        Path pb = sky.writeImage(tmp.resolve("g0/g0-image.pbcor.fits"), new double[] {0.05}, T0, 30L);
        long pbId = images.register(pb.toString(), new ImageRegistry.Registration(null, "group-x", "pbcor", true));
        long plainId = images.register(tmp.resolve("g0/g0-image.fits").toString(),
                new ImageRegistry.Registration(null, "group-x", "image", false));
        List<Long> chosen = mosaics.imagesInRange(from, to, false);
        assertTrue(chosen.contains(pbId) && !chosen.contains(plainId), chosen.toString());

        Mosaics.MosaicList q = mosaics.query(from, to, "completed", "quicklook", 10, 0);
        assertEquals(2L, q.total());
        assertEquals(q.mosaics(), q.items());
        assertEquals(0L, mosaics.query(from - 10, from - 9, null, null, 10, 0).total());

        // An operator's run of the stage without images (create-mosaic task on the stage route): a time range.
        StageRequest onRequest = new StageRequest("mosaic", "operator", 99, 1, List.of(), tmp.resolve("op"),
                Map.of("start_time", T0.minus(Duration.ofMinutes(1)).toString(),
                        "end_time", T0.plus(Duration.ofMinutes(12)).toString(), "name", "operator_range"),
                StageLogSink.DISCARD);
        StageResult r = stage.run(onRequest);
        assertEquals(Boolean.TRUE, r.metrics().get("due"));
        assertEquals(3, ((Number) r.metrics().get("images_in_mosaic")).intValue(), "g0 (its pbcor), g1, g2");
        assertTrue(Files.isRegularFile(Path.of(r.outputs().get(0))));
        assertEquals("completed", db.one("SELECT status FROM mosaics WHERE name = 'operator_range'").orElseThrow()
                .get("status"));
        StageRequest nothing = new StageRequest("mosaic", "operator", 100, 1, List.of(), tmp.resolve("op"),
                Map.of(), StageLogSink.DISCARD);
        assertThrows(org.dsa110.contimg.pipeline.PermanentStageException.class, () -> stage.run(nothing));
    }
}
