package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.ImageStatistics;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.core.DataRoots;

/**
 * The image registry: FITS images the pipeline made (or an operator pointed at), with the header facts and noise
 * statistics the dashboard and photometry need, in {@code images} plus one {@code image_qa} row per registration.
 *
 * <p>Noise is measured on a grid of tiles read one at a time (so a large image is never held in memory at once):
 * each tile's robust rms is 1.4826·MAD; {@code noise_jy} is the median over tiles (= ImageDetail.rms_median), with
 * the smallest and largest tile rms as rms_min/rms_max. Peak is the largest finite pixel, dynamic range =
 * peak/noise, graded as in image QA (ImageStatistics.QualityTier).
 */
public final class ImageRegistry {
    public static final Set<String> IMAGE_TYPES = Set.of("image", "pbcor", "residual", "model", "psf", "pb",
            "mosaic");
    /** Tiles per side used for the noise statistics (fewer for small images). */
    static final int NOISE_TILES = 4;
    static final int MIN_TILE_PX = 32;

    /** Optional facts the caller knows about an image (the imaging stage knows its MS and group). */
    public record Registration(String msPath, String groupId, String type, Boolean pbcor) {
        public Registration {
            if (type != null && !IMAGE_TYPES.contains(type)) {
                throw new IllegalArgumentException("type must be one of " + IMAGE_TYPES);
            }
        }

        public static Registration of(String msPath) {
            return new Registration(msPath, null, null, null);
        }
    }

    /** Header facts and pixel statistics of one image. */
    record Summary(int width, int height, double raDeg, double decDeg, double pixelDeg, Beam beam,
                   double frequencyHz, double bandwidthHz, Instant dateObs, double mjd, double noise, double rmsMin,
                   double rmsMax, double peak, String calibrationSet) {
        double dynamicRange() {
            return noise > 0 ? peak / noise : Double.NaN;
        }
    }

    private final Db db;
    private final DataRoots roots;

    public ImageRegistry(Db db, DataRoots roots) {
        this.db = db;
        this.roots = roots;
    }

    public DataRoots roots() {
        return roots;
    }

    /**
     * Registers (or re-registers, refreshing its facts) the FITS image at {@code path}, which must lie under the
     * data roots. Returns the image id.
     *
     * @throws HubException 404 when the file is not a readable file under the roots, 422 when it has no celestial
     *                      WCS
     */
    public long register(String path, Registration reg) {
        Path file = roots.resolve(path).orElseThrow(() -> HubException.notFound("image file", path));
        Summary s = summarise(file);
        String type = reg.type() != null ? reg.type() : "image";
        boolean pbcor = reg.pbcor() != null ? reg.pbcor() : "pbcor".equals(type);
        Object[] facts = {file.getFileName().toString(), reg.msPath(), reg.groupId(), type, s.raDeg(), s.decDeg(),
                Math.max(s.width(), s.height()) * s.pixelDeg(), s.pixelDeg() * 3600, s.width(), s.height(),
                s.beam() == null ? null : s.beam().bmajDeg() * 3600, s.beam() == null ? null : s.beam().bminDeg() * 3600,
                s.beam() == null ? null : s.beam().bpaDeg(), num(s.noise()), num(s.rmsMin()), num(s.rmsMax()),
                num(s.peak()), num(s.dynamicRange()), num(s.frequencyHz()), num(s.bandwidthHz()), s.dateObs(),
                num(s.mjd()), pbcor, ImageStatistics.QualityTier.of(s.dynamicRange()).label(),
                calibrationSet(s.calibrationSet(), reg)};
        String columns = "name, ms_path, group_id, type, center_ra_deg, center_dec_deg, image_size_deg, "
                + "pixel_size_arcsec, width, height, beam_major_arcsec, beam_minor_arcsec, beam_pa_deg, noise_jy, "
                + "rms_min_jy, rms_max_jy, peak_flux_jy, dynamic_range, frequency_hz, bandwidth_hz, date_obs, mjd_obs, "
                + "pbcor, quality_tier, calibration_set";
        return db.inTransaction(() -> {
            Long existing = db.one("SELECT id FROM images WHERE path = ?", file.toString())
                    .map(r -> Rows.lng(r, "id")).orElse(null);
            long id;
            if (existing == null) {
                Object[] args = Arrays.copyOf(facts, facts.length + 1);
                args[facts.length] = file.toString();
                id = db.insert("INSERT INTO images (" + columns + ", path) VALUES (" + "?, ".repeat(facts.length)
                        + "?)", "id", args);
            } else {
                id = existing;
                Object[] args = Arrays.copyOf(facts, facts.length + 1);
                args[facts.length] = id;
                db.update("UPDATE images SET " + String.join(" = ?, ", columns.split(", ")) + " = ? WHERE id = ?",
                        args);
            }
            db.update("INSERT INTO image_qa (ms_path, image_id, image_path, rms_noise, peak_flux, dynamic_range, "
                    + "beam_major, beam_minor, beam_pa, overall_quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    // image_qa.ms_path is NOT NULL: an image registered from disk without its MS records ''.
                    reg.msPath() == null ? "" : reg.msPath(), id, file.toString(), num(s.noise()), num(s.peak()),
                    num(s.dynamicRange()), facts[10], facts[11], facts[12],
                    ImageStatistics.QualityTier.of(s.dynamicRange()).label());
            return id;
        });
    }

    /**
     * The calibration set an image was made with: its CALSET header card (the builtin imaging writes it; NONE =
     * uncalibrated visibilities), else what calibration_apply recorded for the image's visibility file or group
     * (images made by an external imager), else null.
     */
    private String calibrationSet(String card, Registration reg) {
        if (card != null && !card.isBlank()) {
            return "NONE".equalsIgnoreCase(card.trim()) ? null : card.trim();
        }
        if (reg.msPath() == null && reg.groupId() == null) {
            return null;
        }
        return db.one("SELECT calibration_set FROM ms_index WHERE calibration_set IS NOT NULL AND (path = ? "
                + "OR group_id = ?) ORDER BY id DESC", reg.msPath(), reg.groupId())
                .map(r -> Rows.str(r, "calibration_set")).orElse(null);
    }

    /** Reads the header and the tile noise statistics of a FITS image. */
    static Summary summarise(Path file) {
        try (FitsImage img = FitsImage.open(file)) {
            if (!img.hasWcs()) {
                throw HubException.unprocessable("image has no celestial SIN/TAN WCS: " + file.getFileName(),
                        Map.of());
            }
            CelestialWcs wcs = img.wcs();
            int w = img.width();
            int h = img.height();
            double[] centre = wcs.pixelToWorld((w - 1) / 2.0, (h - 1) / 2.0);
            double mjd;
            try {
                mjd = img.mjd();
            } catch (IllegalArgumentException e) {
                mjd = Double.NaN; // unparseable DATE-OBS and no MJD-OBS: the observation time is unknown
            }
            int nx = Math.max(1, Math.min(NOISE_TILES, w / MIN_TILE_PX));
            int ny = Math.max(1, Math.min(NOISE_TILES, h / MIN_TILE_PX));
            List<Double> tileRms = new ArrayList<>();
            double peak = Double.NaN;
            for (int ty = 0; ty < ny; ty++) {
                for (int tx = 0; tx < nx; tx++) {
                    int x0 = tx * w / nx;
                    int y0 = ty * h / ny;
                    ImagePlane tile = img.readCutout(x0, y0, (tx + 1) * w / nx - x0, (ty + 1) * h / ny - y0);
                    ImageStatistics st = ImageStatistics.of(tile);
                    if (st.count() > 0) {
                        tileRms.add(st.rms());
                        peak = Double.isNaN(peak) ? st.peak() : Math.max(peak, st.peak());
                    }
                }
            }
            double[] rms = tileRms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = rms.length == 0 ? Double.NaN
                    : rms.length % 2 == 1 ? rms[rms.length / 2] : (rms[rms.length / 2 - 1] + rms[rms.length / 2]) / 2;
            return new Summary(w, h, centre[0], centre[1], wcs.pixelScaleDeg(), img.beam(), img.frequencyHz(),
                    img.bandwidthHz(), Double.isNaN(mjd) ? null : img.observationTime(), mjd, median,
                    rms.length == 0 ? Double.NaN : rms[0], rms.length == 0 ? Double.NaN : rms[rms.length - 1], peak,
                    img.header().getStringValue("CALSET"));
        } catch (IOException e) {
            throw HubException.unprocessable("cannot read FITS image " + file.getFileName() + ": " + e.getMessage(),
                    Map.of());
        } catch (IllegalArgumentException e) {
            throw HubException.unprocessable("unsupported FITS image " + file.getFileName() + ": " + e.getMessage(),
                    Map.of());
        }
    }

    /**
     * The id of an image named by its id or by its path (with or without the leading '/', as the dashboard sends
     * paths); 404 when no image matches. A name that is neither is a missing image, not a malformed request.
     */
    public long idOf(String idOrPath) {
        if (idOrPath.matches("\\d{1,18}")) {
            return Long.parseLong(idOrPath);
        }
        String path = idOrPath.startsWith("/") ? idOrPath : "/" + idOrPath;
        return db.one("SELECT id FROM images WHERE path = ? OR path = ? ORDER BY id LIMIT 1", idOrPath, path)
                .map(r -> ((Number) r.get("id")).longValue())
                .orElseThrow(() -> HubException.notFound("image", idOrPath));
    }

    /** The stored row of an image. */
    public Map<String, Object> row(long id) {
        return db.one("SELECT * FROM images WHERE id = ?", id).orElseThrow(() -> HubException.notFound("image", id));
    }

    /**
     * The image's file, re-checked against the roots every time (a row could name a file that has since been
     * replaced by a link elsewhere); 404 when it is gone or outside.
     */
    public Path file(long id) {
        String path = Rows.str(row(id), "path");
        return roots.resolve(path).orElseThrow(() -> HubException.notFound("image file", id));
    }

    /** Opens a registered image for reading. */
    public FitsImage open(long id) {
        try {
            return FitsImage.open(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Filters of GET /api/images (null = not filtered). */
    public record ImageFilter(String msPath, String imageType, Boolean pbcor, Instant start, Instant end,
                              Double noiseMax, Double decMin, Double decMax, Boolean hasCalibrator) {
    }

    /** ImageList: {items: ImageInfo[], total}. */
    /** ImageList: a page of images, newest first, and how many match the filter. */
    public record ImageList(List<ImageSummary> items, long total) {
    }

    /** One image of a list: where it is, its kind, beam, noise, pointing and quality (nulls where not measured). */
    public record ImageSummary(long id, String name, String path, String msPath, Instant createdAt, String type,
            Double beamMajorArcsec, Double beamMinorArcsec, Double beamPaDeg, Double noiseJy, Double peakFluxJy,
            boolean pbcor, Double centerRaDeg, Double centerDecDeg, Double imageSizeDeg, Double pixelSizeArcsec,
            Double mjdObs, Instant dateObs, Double dynamicRange, String qualityTier, String calibrationSet) {
    }

    public ImageList list(ImageFilter f, int limit, int offset) {
        Rows.Where w = new Rows.Where()
                .andIf(f.msPath() != null, "LOWER(i.ms_path) LIKE ?", "%" + lower(f.msPath()) + "%")
                .andIf(f.imageType() != null, "i.type = ?", f.imageType())
                .andIf(f.pbcor() != null, "i.pbcor = ?", f.pbcor())
                .andIf(f.start() != null, "COALESCE(i.date_obs, i.created_at) >= ?", f.start())
                .andIf(f.end() != null, "COALESCE(i.date_obs, i.created_at) <= ?", f.end())
                .andIf(f.noiseMax() != null, "i.noise_jy <= ?", f.noiseMax())
                .andIf(f.decMin() != null, "i.center_dec_deg >= ?", f.decMin())
                .andIf(f.decMax() != null, "i.center_dec_deg <= ?", f.decMax())
                .andIf(f.hasCalibrator() != null, (Boolean.TRUE.equals(f.hasCalibrator()) ? "" : "NOT ")
                        + "EXISTS (SELECT 1 FROM ingest_groups g WHERE g.group_id = i.group_id AND g.has_calibrator)");
        long total = db.scalarLong("SELECT COUNT(*) FROM images i" + w.sql(), w.args().toArray());
        List<ImageSummary> items = db.query("SELECT * FROM images i" + w.sql()
                + " ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?", w.argsWith(limit, offset))
                .stream().map(ImageRegistry::imageInfo).toList();
        return new ImageList(items, total);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    static ImageSummary imageInfo(Map<String, Object> r) {
        return new ImageSummary(((Number) r.get("id")).longValue(), (String) r.get("name"), (String) r.get("path"),
                (String) r.get("ms_path"), (Instant) r.get("created_at"), (String) r.get("type"),
                Rows.dbl(r, "beam_major_arcsec"), Rows.dbl(r, "beam_minor_arcsec"), Rows.dbl(r, "beam_pa_deg"),
                Rows.dbl(r, "noise_jy"), Rows.dbl(r, "peak_flux_jy"), Rows.bool(r, "pbcor"),
                Rows.dbl(r, "center_ra_deg"), Rows.dbl(r, "center_dec_deg"), Rows.dbl(r, "image_size_deg"),
                Rows.dbl(r, "pixel_size_arcsec"), Rows.dbl(r, "mjd_obs"), (Instant) r.get("date_obs"),
                Rows.dbl(r, "dynamic_range"), (String) r.get("quality_tier"), (String) r.get("calibration_set"));
    }

    /** ProductList: the most recent images. */
    public record ProductList(List<Product> items) {
    }

    public record Product(long id, String path, String msPath, Instant createdAt, String type, Double beamMajorArcsec,
            Double noiseJy, boolean pbcor) {
    }

    /**
     * ImageDetail (endpoints.md; the legacy model's names first, seed 001's after): position in degrees,
     * sexagesimal and galactic ({@code b} repeats {@code gal_b}); beam in arcsec and degrees; noise in Jy/beam;
     * {@code calibration_set} of its visibilities (null: uncalibrated or unknown) and the ensemble flux-scale
     * correction (science.md "Normalization"; null until tried).
     */
    public record ImageDetail(long id, String name, String path, String msPath, String groupId, Double ra, Double dec,
            String raHms, String decDms, Double galL, Double galB, Double b, Double beamBmaj, Double beamBmin,
            Double beamBpa, Double rmsMedian, Double rmsMin, Double rmsMax, Double frequency, Double bandwidth,
            Instant datetime, Double mjdObs, Instant createdAt, long nMeas, long nRuns, String type, boolean pbcor,
            Double centerRaDeg, Double centerDecDeg, Double beamMajorArcsec, Double beamMinorArcsec,
            Double beamPaDeg, Double noiseJy, Double peakFluxJy, Double dynamicRange, String qualityTier,
            Integer width, Integer height, Double pixelSizeArcsec, Double imageSizeDeg, Double frequencyHz,
            Double bandwidthHz, long nMeasurements, String calibrationSet, Double normCorrection,
            Double normCorrectionRms, Integer normReferences, String normError) {
    }

    /** MeasurementList: photometry rows of one image, brightest first. */
    public record MeasurementList(List<Measurement> items, long total, int page, int pageSize) {
    }

    /** One measurement in Jy (the legacy names, then seed 001's with units). */
    public record Measurement(long id, String name, String sourceId, double ra, double dec, Double fluxPeak,
            Double fluxPeakErr, Double fluxInt, Double fluxIntErr, Double snr, boolean forced, Double frequency,
            Double compactness, boolean hasSiblings, double raDeg, double decDeg, Double fluxPeakJy,
            Double fluxPeakErrJy, Double fluxIntJy, Double normalizedFluxJy, Double localRmsJy, double mjd) {
    }

    /** ProductList: the most recent images. */
    public ProductList products(int limit) {
        return new ProductList(db.query("SELECT id, path, ms_path, created_at, type, beam_major_arcsec, noise_jy, "
                + "pbcor FROM images ORDER BY created_at DESC, id DESC LIMIT ?", limit).stream()
                .map(r -> new Product(Rows.lng(r, "id"), Rows.str(r, "path"), Rows.str(r, "ms_path"),
                        (Instant) r.get("created_at"), Rows.str(r, "type"), Rows.dbl(r, "beam_major_arcsec"),
                        Rows.dbl(r, "noise_jy"), Rows.bool(r, "pbcor"))).toList());
    }

    /** ImageDetail (endpoints.md) with the seed-001 field names alongside. */
    public ImageDetail detail(long id) {
        Map<String, Object> r = row(id);
        Double ra = Rows.dbl(r, "center_ra_deg");
        Double dec = Rows.dbl(r, "center_dec_deg");
        double[] gal = ra != null && dec != null ? SkyCoords.equatorialToGalactic(ra, dec) : null;
        long nMeas = db.scalarLong("SELECT COUNT(*) FROM photometry WHERE image_id = ?", id);
        long nRuns = db.scalarLong("SELECT COUNT(*) FROM image_qa WHERE image_id = ?", id);
        return new ImageDetail(id, Rows.str(r, "name"), Rows.str(r, "path"), Rows.str(r, "ms_path"),
                Rows.str(r, "group_id"), ra, dec, ra == null ? null : SkyCoords.formatRa(ra),
                dec == null ? null : SkyCoords.formatDec(dec), gal == null ? null : gal[0],
                gal == null ? null : gal[1], gal == null ? null : gal[1], Rows.dbl(r, "beam_major_arcsec"),
                Rows.dbl(r, "beam_minor_arcsec"), Rows.dbl(r, "beam_pa_deg"), Rows.dbl(r, "noise_jy"),
                Rows.dbl(r, "rms_min_jy"), Rows.dbl(r, "rms_max_jy"), Rows.dbl(r, "frequency_hz"),
                Rows.dbl(r, "bandwidth_hz"), (Instant) r.get("date_obs"), Rows.dbl(r, "mjd_obs"),
                (Instant) r.get("created_at"), nMeas, nRuns, Rows.str(r, "type"), Rows.bool(r, "pbcor"), ra, dec,
                Rows.dbl(r, "beam_major_arcsec"), Rows.dbl(r, "beam_minor_arcsec"), Rows.dbl(r, "beam_pa_deg"),
                Rows.dbl(r, "noise_jy"), Rows.dbl(r, "peak_flux_jy"), Rows.dbl(r, "dynamic_range"),
                Rows.str(r, "quality_tier"), Rows.integer(r, "width"), Rows.integer(r, "height"),
                Rows.dbl(r, "pixel_size_arcsec"), Rows.dbl(r, "image_size_deg"), Rows.dbl(r, "frequency_hz"),
                Rows.dbl(r, "bandwidth_hz"), nMeas, Rows.str(r, "calibration_set"), Rows.dbl(r, "norm_correction"),
                Rows.dbl(r, "norm_correction_rms"), Rows.integer(r, "norm_references"), Rows.str(r, "norm_error"));
    }

    /** MeasurementList of one image: the photometry rows measured on it, brightest first. */
    public MeasurementList measurements(long id, int page, int pageSize) {
        row(id);
        long total = db.scalarLong("SELECT COUNT(*) FROM photometry WHERE image_id = ?", id);
        List<Measurement> items = db.query("SELECT p.*, s.name AS source_name FROM photometry p "
                + "JOIN sources s ON s.source_id = p.source_id WHERE p.image_id = ? "
                + "ORDER BY p.peak_jyb DESC, p.id LIMIT ? OFFSET ?", id, pageSize, (long) (page - 1) * pageSize)
                .stream().map(r -> new Measurement(Rows.lng(r, "id"), Rows.str(r, "source_name"),
                        Rows.str(r, "source_id"), Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"),
                        Rows.dbl(r, "peak_jyb"), Rows.dbl(r, "peak_err_jyb"), Rows.dbl(r, "integrated_flux_jy"),
                        Rows.dbl(r, "err_integrated_flux_jy"), Rows.dbl(r, "snr"), Rows.bool(r, "forced"),
                        Rows.dbl(r, "frequency_hz"), Rows.dbl(r, "compactness"), Rows.bool(r, "has_siblings"),
                        Rows.dbl(r, "ra_deg"), Rows.dbl(r, "dec_deg"), Rows.dbl(r, "peak_jyb"),
                        Rows.dbl(r, "peak_err_jyb"), Rows.dbl(r, "integrated_flux_jy"),
                        Rows.dbl(r, "normalized_flux_jy"), Rows.dbl(r, "local_rms"), Rows.dbl(r, "mjd"))).toList();
        return new MeasurementList(items, total, page, pageSize);
    }
}
