package org.dsa110.contimg.products;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.store.Db;

/**
 * The builtin mosaic stage ({@code builtin.mosaic}): the streaming mosaic trigger (science.md "Group mosaics").
 * Each group's image (the pbcor image when imaging made one, as for photometry) joins the collecting mosaic group
 * of its pointing declination (within {@code decToleranceDeg}); when that group holds {@code groupSize} images it is
 * claimed (collecting → building, one winner even across hubs), its mosaic is built and the group completed, and a
 * new collecting group starts with the group's last {@code overlap} images, so {@code groupSize − overlap} new
 * images trigger the next mosaic. Otherwise the stage completes with no outputs and metrics saying the mosaic is
 * not due ({@code due=false}, images collected, group size). A redelivered run whose group is still building
 * rebuilds that group's mosaic.
 */
public final class MosaicStage implements StageExecutor {

    /** Trigger settings: images per mosaic, overlap with the next one, declination tolerance, tier. */
    public record Settings(int groupSize, int overlap, double decToleranceDeg, String tier) {
        public Settings {
            if (groupSize < 1 || overlap < 0 || overlap >= groupSize) {
                throw new IllegalArgumentException("mosaic group size must be >= 1 and overlap in [0, size): "
                        + groupSize + ", " + overlap);
            }
            if (!Mosaics.TIERS.contains(tier)) {
                throw new IllegalArgumentException("mosaic tier must be one of " + Mosaics.TIERS);
            }
        }
    }

    private final Db db;
    private final ImageRegistry images;
    private final Mosaics mosaics;
    private final MosaicPlanner planner;
    private final Settings settings;

    public MosaicStage(Db db, ImageRegistry images, Mosaics mosaics, MosaicPlanner planner, Settings settings) {
        this.db = db;
        this.images = images;
        this.mosaics = mosaics;
        this.planner = planner;
        this.settings = settings;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        List<String> fits = req.inputs().stream().filter(PhotometryStage::isFits).toList();
        List<String> pbcor = fits.stream().filter(p -> "pbcor".equals(kind(p))).toList();
        List<String> chosen = !pbcor.isEmpty() ? pbcor : fits.stream().filter(p -> "image".equals(kind(p))).toList();
        if (chosen.isEmpty() && fits.isEmpty()) {
            StageResult requested = onRequest(req);
            if (requested != null) {
                return requested;
            }
        }
        if (chosen.isEmpty()) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                    "mosaic trigger found no image among the imaging outputs " + req.inputs());
        }
        StageInputs.check(chosen);
        List<String> outputs = new ArrayList<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("due", false);
        for (String path : chosen) {
            long imageId;
            try {
                imageId = registeredOrRegister(path, req);
            } catch (HubException e) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, path + ": " + e.getMessage());
            }
            // A redelivery after a failed build: the group this image completed is still building or failed.
            Long unfinished = db.one("SELECT g.id FROM mosaic_groups g JOIN mosaic_group_images m ON "
                    + "m.mosaic_group_id = g.id WHERE m.image_id = ? AND g.status IN ('building', 'failed') "
                    + "ORDER BY g.id DESC LIMIT 1", imageId).map(r -> Rows.lng(r, "id")).orElse(null);
            long groupId = unfinished != null ? unfinished : join(imageId);
            Map<String, Object> group = db.one("SELECT * FROM mosaic_groups WHERE id = ?", groupId).orElseThrow();
            int count = Rows.integer(group, "image_count");
            String status = Rows.str(group, "status");
            boolean claimed = "collecting".equals(status) && count >= settings.groupSize()
                    && db.update("UPDATE mosaic_groups SET status = 'building', updated_at = CURRENT_TIMESTAMP "
                            + "WHERE id = ? AND status = 'collecting'", groupId) == 1;
            if (claimed) {
                startNextGroup(groupId, group);
            }
            if (claimed || unfinished != null) {
                Mosaics.Mosaic built = buildGroup(groupId, req);
                outputs.add(String.valueOf(built.path()));
                outputs.add(String.valueOf(built.noiseMapPath()));
                metrics.put("due", true);
                metrics.put("mosaic_id", built.id());
                metrics.put("mosaic_group_id", groupId);
                metrics.put("images_in_mosaic", built.imageCount());
            } else {
                metrics.put("mosaic_group_id", groupId);
                metrics.put("images_in_group", count);
                metrics.put("group_size", settings.groupSize());
                req.log().info("mosaic not due: group " + groupId + " holds " + count + " of "
                        + settings.groupSize() + " images");
            }
        }
        return new StageResult(outputs, metrics);
    }

    /**
     * An operator's run of the stage without images (a create-mosaic task sent to the stage route): builds the
     * pending mosaic {@code mosaic_id}, or plans one from the range parameters (as POST /api/mosaics/create);
     * null when the params name neither.
     */
    private StageResult onRequest(StageRequest req) throws Exception {
        long mosaicId;
        try {
            if (req.params().get("mosaic_id") != null) {
                mosaicId = Long.parseLong(req.params().get("mosaic_id").toString());
            } else {
                MosaicPlanner.Request r = MosaicPlanner.fromParams(req.params());
                if (r == null) {
                    return null;
                }
                mosaicId = planner.plan(r, null).mosaicId();
            }
        } catch (HubException | NumberFormatException e) {
            throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "mosaic request: "
                    + e.getMessage());
        }
        Mosaics.Mosaic built = mosaics.build(mosaicId).mosaic();
        req.log().info("mosaic " + mosaicId + " built on request: " + built.path());
        return new StageResult(List.of(String.valueOf(built.path()), String.valueOf(built.noiseMapPath())),
                Map.of("due", true, "mosaic_id", mosaicId, "images_in_mosaic", built.imageCount()));
    }

    private static String kind(String path) {
        return PhotometryStage.kindOf(Path.of(path).getFileName().toString());
    }

    private long registeredOrRegister(String path, StageRequest req) {
        return images.roots().resolve(path).flatMap(real -> db.one("SELECT id FROM images WHERE path = ?",
                real.toString())).map(r -> Rows.lng(r, "id")).orElseGet(() -> {
                    String k = kind(path);
                    return images.register(path, new ImageRegistry.Registration(
                            PhotometryStage.firstUpstream(req, "calibration_apply", "conversion"), req.groupId(), k,
                            "pbcor".equals(k)));
                });
    }

    /**
     * The mosaic group the image belongs to: the newest group already holding it (a retry), else the collecting
     * group of its declination, created when there is none.
     */
    private synchronized long join(long imageId) {
        return db.inTransaction(() -> {
            Long existing = db.one("SELECT g.id FROM mosaic_groups g JOIN mosaic_group_images m ON "
                    + "m.mosaic_group_id = g.id WHERE m.image_id = ? ORDER BY g.id DESC LIMIT 1", imageId)
                    .map(r -> Rows.lng(r, "id")).orElse(null);
            if (existing != null) {
                return existing;
            }
            Map<String, Object> img = images.row(imageId);
            Double dec = Rows.dbl(img, "center_dec_deg");
            Double mjd = Rows.dbl(img, "mjd_obs");
            if (dec == null || mjd == null) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT, "image " + imageId
                        + " has no centre or observation time, so it cannot join a mosaic group");
            }
            Long groupId = db.one("SELECT id FROM mosaic_groups WHERE status = 'collecting' AND dec_deg BETWEEN ? "
                    + "AND ? ORDER BY ABS(dec_deg - ?), id LIMIT 1", dec - settings.decToleranceDeg(),
                    dec + settings.decToleranceDeg(), dec).map(r -> Rows.lng(r, "id")).orElse(null);
            if (groupId == null) {
                groupId = db.insert("INSERT INTO mosaic_groups (status, tier, image_count, dec_deg) VALUES "
                        + "('collecting', ?, 0, ?)", "id", settings.tier(), dec);
            }
            addToGroup(groupId, imageId, mjd);
            return groupId;
        });
    }

    private void addToGroup(long groupId, long imageId, double mjd) {
        db.update("INSERT INTO mosaic_group_images (mosaic_group_id, image_id) VALUES (?, ?)", groupId, imageId);
        db.update("UPDATE mosaic_groups SET image_count = image_count + 1, first_mjd = LEAST(COALESCE(first_mjd, ?), "
                + "?), last_mjd = GREATEST(COALESCE(last_mjd, ?), ?), updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                mjd, mjd, mjd, mjd, groupId);
    }

    /** A new collecting group seeded with the claimed group's last {@code overlap} images. */
    private synchronized void startNextGroup(long claimedId, Map<String, Object> claimed) {
        db.inTransaction(() -> {
            long next = db.insert("INSERT INTO mosaic_groups (status, tier, image_count, dec_deg) VALUES "
                    + "('collecting', ?, 0, ?)", "id", settings.tier(), claimed.get("dec_deg"));
            if (settings.overlap() > 0) {
                List<Map<String, Object>> last = db.query("SELECT i.id, i.mjd_obs FROM mosaic_group_images m JOIN "
                        + "images i ON i.id = m.image_id WHERE m.mosaic_group_id = ? ORDER BY i.mjd_obs DESC, i.id "
                        + "DESC LIMIT ?", claimedId, settings.overlap());
                for (Map<String, Object> r : last) {
                    addToGroup(next, Rows.lng(r, "id"), Rows.dblOr(r, "mjd_obs", Double.NaN));
                }
            }
        });
    }

    /** Builds (or, after a failure, rebuilds) the group's mosaic and marks the group completed or failed. */
    private Mosaics.Mosaic buildGroup(long groupId, StageRequest req) throws Exception {
        Long mosaicId = db.one("SELECT id FROM mosaics WHERE mosaic_group_id = ? ORDER BY id DESC LIMIT 1", groupId)
                .map(r -> Rows.lng(r, "id")).orElse(null);
        if (mosaicId == null) {
            List<Long> ids = db.query("SELECT m.image_id FROM mosaic_group_images m JOIN images i ON i.id = "
                    + "m.image_id WHERE m.mosaic_group_id = ? ORDER BY i.mjd_obs, i.id", groupId).stream()
                    .map(r -> Rows.lng(r, "image_id")).toList();
            Map<String, Object> g = db.one("SELECT first_mjd, last_mjd FROM mosaic_groups WHERE id = ?", groupId)
                    .orElseThrow();
            mosaicId = mosaics.createPending(ids, Mosaics.defaultName("mosaic_group" + groupId,
                    Rows.dblOr(g, "first_mjd", 0), Rows.dblOr(g, "last_mjd", 0)), false, settings.tier(), groupId,
                    null);
        }
        db.update("UPDATE mosaic_groups SET status = 'building', updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                groupId);
        try {
            Mosaics.Mosaic built = mosaics.build(mosaicId).mosaic();
            db.update("UPDATE mosaic_groups SET status = 'completed', updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                    groupId);
            req.log().info("mosaic " + mosaicId + " of group " + groupId + " built: " + built.path());
            return built;
        } catch (Exception e) {
            db.update("UPDATE mosaic_groups SET status = 'failed', updated_at = CURRENT_TIMESTAMP WHERE id = ?",
                    groupId);
            throw e;
        }
    }
}
