package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.store.Db;

/**
 * Postage stamps of a source: a FITS cutout from each image it was measured on (newest first), written under
 * {@code <data>/products/postage_stamps/<source>/} with the parent's WCS shifted to the cutout origin.
 */
public final class PostageStamps {
    private final Db db;
    private final ImageAnalysis analysis;
    private final Path dir;

    public PostageStamps(Db db, ImageAnalysis analysis, Path dir) {
        this.db = db;
        this.analysis = analysis;
        this.dir = dir;
    }

    /** PostageStampsResponse. */
    public record Stamps(String sourceId, double raDeg, double decDeg, double sizeArcsec, List<Stamp> stamps,
            int total) {
    }

    /** One image's cutout: where it was written and the URL that cuts it, or why not ({@code error}). */
    public record Stamp(long imageId, String imagePath, Double mjd, String cutoutPath, String url, String error) {
    }

    /** PostageStampsResponse. Per-image failures are reported in the stamp's {@code error}, not as a failure. */
    public Stamps stamps(String sourceId, double sizeArcsec, int maxStamps) {
        Map<String, Object> source = db.one("SELECT ra_deg, dec_deg FROM sources WHERE source_id = ?", sourceId)
                .orElseThrow(() -> HubException.notFound("source", sourceId));
        double ra = Rows.dblOr(source, "ra_deg", Double.NaN);
        double dec = Rows.dblOr(source, "dec_deg", Double.NaN);
        Path sourceDir = dir.resolve(sourceId.replaceAll("[^A-Za-z0-9.+-]", "_"));
        List<Stamp> stamps = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT image_id, image_path, mjd FROM photometry WHERE source_id = ? "
                + "ORDER BY mjd DESC, id DESC LIMIT ?", sourceId, maxStamps)) {
            long imageId = Rows.lng(r, "image_id");
            String imagePath = Rows.str(r, "image_path");
            Double mjd = Rows.dbl(r, "mjd");
            Path target = sourceDir.resolve(String.format(Locale.ROOT, "image%d_%.0farcsec.fits", imageId,
                    sizeArcsec));
            try {
                if (analysis.writeCutout(imageId, ra, dec, sizeArcsec, target)) {
                    stamps.add(new Stamp(imageId, imagePath, mjd, target.toString(), String.format(Locale.ROOT,
                            "/api/images/%d/cutout?ra=%.7f&dec=%.7f&size_arcsec=%s", imageId, ra, dec, sizeArcsec),
                            null));
                } else {
                    stamps.add(new Stamp(imageId, imagePath, mjd, null, null, "source is off the image"));
                }
            } catch (IOException | HubException | java.io.UncheckedIOException e) {
                stamps.add(new Stamp(imageId, imagePath, mjd, null, null, "cannot cut the image: " + e.getMessage()));
            }
        }
        return new Stamps(sourceId, ra, dec, sizeArcsec, stamps, stamps.size());
    }
}
