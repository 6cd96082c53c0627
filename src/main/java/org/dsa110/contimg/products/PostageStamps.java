package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** PostageStampsResponse. Per-image failures are reported in the stamp's {@code error}, not as a failure. */
    public Map<String, Object> stamps(String sourceId, double sizeArcsec, int maxStamps) {
        Map<String, Object> source = db.one("SELECT ra_deg, dec_deg FROM sources WHERE source_id = ?", sourceId)
                .orElseThrow(() -> HubException.notFound("source", sourceId));
        double ra = Rows.dblOr(source, "ra_deg", Double.NaN);
        double dec = Rows.dblOr(source, "dec_deg", Double.NaN);
        Path sourceDir = dir.resolve(sourceId.replaceAll("[^A-Za-z0-9.+-]", "_"));
        List<Map<String, Object>> stamps = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT image_id, image_path, mjd FROM photometry WHERE source_id = ? "
                + "ORDER BY mjd DESC, id DESC LIMIT ?", sourceId, maxStamps)) {
            long imageId = Rows.lng(r, "image_id");
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("image_id", imageId);
            s.put("image_path", r.get("image_path"));
            s.put("mjd", r.get("mjd"));
            Path target = sourceDir.resolve(String.format(Locale.ROOT, "image%d_%.0farcsec.fits", imageId,
                    sizeArcsec));
            try {
                if (analysis.writeCutout(imageId, ra, dec, sizeArcsec, target)) {
                    s.put("cutout_path", target.toString());
                    s.put("url", String.format(Locale.ROOT, "/api/images/%d/cutout?ra=%.7f&dec=%.7f&size_arcsec=%s",
                            imageId, ra, dec, sizeArcsec));
                    s.put("error", null);
                } else {
                    stampError(s, "source is off the image");
                }
            } catch (IOException | HubException | java.io.UncheckedIOException e) {
                stampError(s, "cannot cut the image: " + e.getMessage());
            }
            stamps.add(s);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source_id", sourceId);
        out.put("ra_deg", ra);
        out.put("dec_deg", dec);
        out.put("size_arcsec", sizeArcsec);
        out.put("stamps", stamps);
        out.put("total", stamps.size());
        return out;
    }

    private static void stampError(Map<String, Object> s, String error) {
        s.put("cutout_path", null);
        s.put("url", null);
        s.put("error", error);
    }
}
