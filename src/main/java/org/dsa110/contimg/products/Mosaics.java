package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.ops.HeavyWork;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mosaics as stored products: a row in {@code mosaics} (pending → in_progress → completed | failed), the images
 * combined with their weights in {@code mosaic_images}, the FITS files under the mosaic directory, and the mosaic
 * registered in the image registry as an image of type {@code mosaic}. Building runs on the heavy-work bound.
 */
public final class Mosaics {
    private static final Logger LOG = LoggerFactory.getLogger(Mosaics.class);
    public static final List<String> TIERS = List.of("quicklook", "science", "deep");
    /** Catalog sources counted in {@code source_count} need a mosaic value ≥ this many times the local noise. */
    static final double DETECTION_SIGMA = 5.0;

    private final Db db;
    private final ImageRegistry images;
    private final ReferenceCatalog catalog;
    private final MosaicBuilder builder;
    private final HeavyWork heavy;
    private final Path dir;

    public Mosaics(Db db, ImageRegistry images, ReferenceCatalog catalog, MosaicBuilder builder, HeavyWork heavy,
                   Path dir) {
        this.db = db;
        this.images = images;
        this.catalog = catalog;
        this.builder = builder;
        this.heavy = heavy;
        this.dir = dir;
    }

    public HeavyWork heavy() {
        return heavy;
    }

    // ------------------------------------------------------------------ creating and building

    /**
     * Records a pending mosaic of the given images (all must have an observation time). A taken name gets a
     * numeric suffix unless {@code nameIsExplicit}, which makes it a 409 instead.
     */
    public long createPending(List<Long> imageIds, String name, boolean nameIsExplicit, String tier, Long groupId,
                              Long jobId) {
        if (imageIds.isEmpty()) {
            throw HubException.unprocessable("a mosaic needs at least one image", Map.of());
        }
        if (!TIERS.contains(tier)) {
            throw HubException.unprocessable("tier must be one of " + TIERS, Map.of("field", "tier"));
        }
        double start = Double.MAX_VALUE;
        double end = -Double.MAX_VALUE;
        for (long id : imageIds) {
            Double mjd = Rows.dbl(images.row(id), "mjd_obs");
            if (mjd == null) {
                throw HubException.unprocessable("image " + id + " has no observation time", Map.of("image_id", id));
            }
            start = Math.min(start, mjd);
            end = Math.max(end, mjd);
        }
        double s = start;
        double e = end;
        return db.inTransaction(() -> {
            String unique = name;
            for (int k = 2; db.one("SELECT id FROM mosaics WHERE name = ?", unique).isPresent(); k++) {
                if (nameIsExplicit) {
                    throw HubException.conflict("a mosaic named '" + name + "' exists", Map.of("name", name));
                }
                unique = name + "_" + k;
            }
            long id = db.insert("INSERT INTO mosaics (name, start_mjd, end_mjd, start_time, end_time, status, tier, "
                    + "image_count, mosaic_group_id, job_id) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)", "id",
                    unique, s, e, SkyCoords.mjdToInstant(s), SkyCoords.mjdToInstant(e), tier, imageIds.size(),
                    groupId, jobId);
            for (long img : imageIds) {
                db.update("INSERT INTO mosaic_images (mosaic_id, image_id) VALUES (?, ?)", id, img);
            }
            return id;
        });
    }

    public void attachJob(long mosaicId, long jobId) {
        db.update("UPDATE mosaics SET job_id = ? WHERE id = ?", jobId, mosaicId);
    }

    /**
     * Builds a pending (or failed, being retried) mosaic from its recorded images: in_progress, then completed
     * with its files and statistics, or failed with the error (which is rethrown).
     */
    public MosaicDetail build(long mosaicId) throws Exception {
        Map<String, Object> row = row(mosaicId);
        if ("completed".equals(row.get("status"))) {
            return detail(mosaicId);
        }
        String name = Rows.str(row, "name");
        db.update("UPDATE mosaics SET status = 'in_progress', error = NULL WHERE id = ?", mosaicId);
        try {
            List<MosaicBuilder.InputFile> files = new ArrayList<>();
            for (Map<String, Object> r : db.query("SELECT i.id, i.date_obs, i.frequency_hz FROM mosaic_images m "
                    + "JOIN images i ON i.id = m.image_id WHERE m.mosaic_id = ? ORDER BY i.mjd_obs, i.id", mosaicId)) {
                long id = Rows.lng(r, "id");
                files.add(new MosaicBuilder.InputFile(id, images.file(id), (Instant) r.get("date_obs"),
                        Rows.dblOr(r, "frequency_hz", Double.NaN)));
            }
            if (files.isEmpty()) {
                throw new IllegalStateException("mosaic " + mosaicId + " has no images (deleted since?)");
            }
            Files.createDirectories(dir);
            String base = name.replaceAll("[^A-Za-z0-9._+-]", "_");
            Path image = dir.resolve(base + ".fits");
            Path noise = dir.resolve(base + ".noise.fits");
            MosaicBuilder.Built b = heavy.background(() -> builder.build(files, image, noise, name));
            Integer sources = countSources(b);
            db.inTransaction(() -> {
                for (int i = 0; i < files.size(); i++) {
                    db.update("UPDATE mosaic_images SET weight = ? WHERE mosaic_id = ? AND image_id = ?",
                            num(b.result().weights()[i]), mosaicId, files.get(i).imageId());
                }
                db.update("UPDATE mosaics SET path = ?, status = 'completed', noise_jy = ?, peak_flux_jy = ?, "
                        + "dynamic_range = ?, source_count = ?, center_ra_deg = ?, center_dec_deg = ?, width = ?, "
                        + "height = ?, pixel_size_arcsec = ?, error = NULL WHERE id = ?", image.toString(),
                        num(b.noiseJy()), num(b.peakJy()), num(b.peakJy() / b.noiseJy()), sources, b.centre()[0],
                        b.centre()[1], b.result().grid().width(), b.result().grid().height(),
                        b.result().grid().wcs().pixelScaleDeg() * 3600, mosaicId);
            });
            images.register(image.toString(), new ImageRegistry.Registration(null, null, "mosaic", null));
            LOG.info("mosaic {} ({}) built from {} images: {}", mosaicId, name, files.size(), image);
            return detail(mosaicId);
        } catch (Exception | Error e) {
            String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            db.update("UPDATE mosaics SET status = 'failed', error = ? WHERE id = ?",
                    msg.length() > 9000 ? msg.substring(0, 9000) : msg, mosaicId);
            throw e;
        }
    }

    /**
     * Reference-catalog sources inside the mosaic whose mosaic value at the catalog position is ≥ 5× the
     * effective noise there (a forced detection count; null when the catalog is empty).
     */
    private Integer countSources(MosaicBuilder.Built b) throws IOException {
        if (catalog.size() == 0) {
            return null;
        }
        var grid = b.result().grid();
        double radius = Math.hypot(grid.width(), grid.height()) / 2 * grid.wcs().pixelScaleDeg();
        int n = 0;
        for (ReferenceCatalog.CatalogSource s : catalog.cone(b.centre()[0], b.centre()[1], radius, null, null)) {
            double[] p = grid.wcs().worldToPixel(s.raDeg(), s.decDeg());
            int x = (int) Math.round(p[0]);
            int y = (int) Math.round(p[1]);
            if (x >= 0 && y >= 0 && x < grid.width() && y < grid.height()) {
                float v = b.result().image().get(x, y);
                float sigma = b.result().noise().get(x, y);
                if (sigma > 0 && v >= DETECTION_SIGMA * sigma) {
                    n++;
                }
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ choosing images

    /**
     * Registered images observed in [startMjd, endMjd], oldest first: type image or pbcor (mosaics excluded); when
     * a group has both, its primary-beam-corrected image is used. {@code publishedOnly}: only images the data
     * registry lists as published.
     */
    public List<Long> imagesInRange(double startMjd, double endMjd, boolean publishedOnly) {
        String sql = "SELECT i.id, i.group_id, i.type, i.pbcor FROM images i WHERE i.mjd_obs BETWEEN ? AND ? "
                + "AND i.type IN ('image', 'pbcor')"
                + (publishedOnly ? " AND EXISTS (SELECT 1 FROM data_registry d WHERE d.status = 'published' AND "
                        + "(d.published_path = i.path OR d.stage_path = i.path))" : "")
                + " ORDER BY i.mjd_obs, i.id";
        Map<String, Map<String, Object>> byGroup = new LinkedHashMap<>();
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql, startMjd, endMjd)) {
            String group = Rows.str(r, "group_id");
            if (group == null) {
                out.add(Rows.lng(r, "id"));
                continue;
            }
            Map<String, Object> seen = byGroup.get(group);
            boolean pb = Rows.bool(r, "pbcor") || "pbcor".equals(r.get("type"));
            if (seen == null || (pb && !(Rows.bool(seen, "pbcor") || "pbcor".equals(seen.get("type"))))) {
                byGroup.put(group, r);
            }
        }
        byGroup.values().forEach(r -> out.add(Rows.lng(r, "id")));
        out.sort(null);
        return out;
    }

    /**
     * The newest image (optionally observed within [fromMjd, toMjd]) whose centre lies within half its size of
     * (ra, dec); null when none.
     */
    public Map<String, Object> latestImageContaining(double raDeg, double decDeg, Double fromMjd, Double toMjd) {
        double dz = 5.0; // a generous prefilter on declination; the exact test follows
        for (Map<String, Object> r : db.query("SELECT id, mjd_obs, center_ra_deg, center_dec_deg, image_size_deg "
                + "FROM images WHERE type IN ('image', 'pbcor') AND mjd_obs IS NOT NULL AND center_dec_deg "
                + "BETWEEN ? AND ? AND mjd_obs >= ? AND mjd_obs <= ? ORDER BY mjd_obs DESC, id DESC",
                decDeg - dz, decDeg + dz, fromMjd == null ? -1e9 : fromMjd, toMjd == null ? 1e9 : toMjd)) {
            double sep = SkyCoords.separationDeg(raDeg, decDeg, Rows.dblOr(r, "center_ra_deg", Double.NaN),
                    Rows.dblOr(r, "center_dec_deg", Double.NaN));
            if (sep <= Rows.dblOr(r, "image_size_deg", 0) / 2) {
                return r;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ reading

    public Map<String, Object> row(long id) {
        return db.one("SELECT * FROM mosaics WHERE id = ?", id).orElseThrow(() -> HubException.notFound("mosaic", id));
    }

    /**
     * Mosaic (endpoints.md) plus seed 001's names ({@code n_images}, {@code n_sources} repeat the counts) and the
     * grid facts; {@code path} and {@code noise_map_path} null until it is built, {@code error} when it failed.
     */
    public record Mosaic(long id, String name, String path, double startMjd, double endMjd, Instant startTime,
            Instant endTime, Instant createdAt, String status, Integer imageCount, Double noiseJy, Integer sourceCount,
            String thumbnailPath, Integer nImages, Integer nSources, String noiseMapPath, String tier,
            Double peakFluxJy, Double dynamicRange, Double centerRaDeg, Double centerDecDeg, Integer width,
            Integer height, Double pixelSizeArcsec, Long mosaicGroupId, Long jobId, String error) {
    }

    /** One mosaic with its input images (oldest first) and their weights. */
    public record MosaicDetail(@com.fasterxml.jackson.annotation.JsonUnwrapped Mosaic mosaic,
            List<MosaicImage> images) {
    }

    public record MosaicImage(long imageId, Double weight, String name, String path, Double mjdObs, Double noiseJy) {
    }

    /** Mosaic (endpoints.md) plus the seed-001 names (n_images, n_sources) and the grid facts. */
    static Mosaic json(Map<String, Object> r) {
        String path = Rows.str(r, "path");
        return new Mosaic(Rows.lng(r, "id"), Rows.str(r, "name"), path, Rows.dbl(r, "start_mjd"),
                Rows.dbl(r, "end_mjd"), (Instant) r.get("start_time"), (Instant) r.get("end_time"),
                (Instant) r.get("created_at"), Rows.str(r, "status"), Rows.integer(r, "image_count"),
                Rows.dbl(r, "noise_jy"), Rows.integer(r, "source_count"), Rows.str(r, "thumbnail_path"),
                Rows.integer(r, "image_count"), Rows.integer(r, "source_count"),
                path == null ? null : noisePath(path), Rows.str(r, "tier"), Rows.dbl(r, "peak_flux_jy"),
                Rows.dbl(r, "dynamic_range"), Rows.dbl(r, "center_ra_deg"), Rows.dbl(r, "center_dec_deg"),
                Rows.integer(r, "width"), Rows.integer(r, "height"), Rows.dbl(r, "pixel_size_arcsec"),
                Rows.lng(r, "mosaic_group_id"), Rows.lng(r, "job_id"), Rows.str(r, "error"));
    }

    static String noisePath(String mosaicPath) {
        return mosaicPath.endsWith(".fits") ? mosaicPath.substring(0, mosaicPath.length() - 5) + ".noise.fits"
                : mosaicPath + ".noise.fits";
    }

    /** One mosaic with its input images and their weights. */
    public MosaicDetail detail(long id) {
        return new MosaicDetail(json(row(id)), db.query("SELECT m.image_id, m.weight, i.name, i.path, i.mjd_obs, "
                + "i.noise_jy FROM mosaic_images m JOIN images i ON i.id = m.image_id WHERE m.mosaic_id = ? "
                + "ORDER BY i.mjd_obs, i.id", id).stream().map(r -> new MosaicImage(Rows.lng(r, "image_id"),
                        Rows.dbl(r, "weight"), Rows.str(r, "name"), Rows.str(r, "path"), Rows.dbl(r, "mjd_obs"),
                        Rows.dbl(r, "noise_jy"))).toList());
    }

    /**
     * MosaicQueryResponse: newest first, optionally overlapping [startMjd, endMjd] and of one status/tier. The
     * operators' dashboard reads the same list as {@code items}.
     */
    public record MosaicList(List<Mosaic> mosaics, List<Mosaic> items, long total) {
    }

    public MosaicList query(Double startMjd, Double endMjd, String status, String tier, int limit,
                                     int offset) {
        Rows.Where w = new Rows.Where().andIf(startMjd != null, "end_mjd >= ?", startMjd)
                .andIf(endMjd != null, "start_mjd <= ?", endMjd).andIf(status != null, "status = ?", status)
                .andIf(tier != null, "tier = ?", tier);
        long total = db.scalarLong("SELECT COUNT(*) FROM mosaics" + w.sql(), w.args().toArray());
        List<Map<String, Object>> rows = db.query("SELECT * FROM mosaics" + w.sql()
                + " ORDER BY start_mjd DESC, id DESC LIMIT ? OFFSET ?", w.argsWith(limit, offset));
        List<Mosaic> list = rows.stream().map(Mosaics::json).toList();
        return new MosaicList(list, list, total);
    }

    /** The mosaic's FITS file (404 until it is built, or when it is gone or outside the data roots). */
    public Path file(long id) {
        String path = Rows.str(row(id), "path");
        if (path == null) {
            throw HubException.notFound("mosaic FITS file (not built yet)", id);
        }
        return images.roots().resolve(path).orElseThrow(() -> HubException.notFound("mosaic FITS file", id));
    }

    /** A default name from the time range, e.g. mosaic_2025-10-24T13-00-00_2025-10-24T13-50-00. */
    public static String defaultName(String prefix, double startMjd, double endMjd) {
        return String.format(Locale.ROOT, "%s_%s_%s", prefix, stamp(startMjd), stamp(endMjd));
    }

    private static String stamp(double mjd) {
        return SkyCoords.mjdToInstant(mjd).toString().replace(":", "-").replaceAll("\\.\\d+Z$", "Z")
                .replace("Z", "");
    }
}
