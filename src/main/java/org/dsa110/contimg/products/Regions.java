package org.dsa110.contimg.products;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.store.Db;

/** User regions on images ({@code regions}) and pixel statistics inside them. */
public final class Regions {
    private final Db db;
    private final ImageRegistry images;

    public Regions(Db db, ImageRegistry images) {
        this.db = db;
        this.images = images;
    }

    /** A circle enclosing a region (centre and radius), e.g. as a fitting area. */
    public record Circle(double raDeg, double decDeg, double radiusArcsec) {
    }

    /** Who/what a region belongs to. */
    /**
     * A region as the API shows it: the seed-001 flat shape, with only the fields of its type (a polygon has
     * {@code vertices}; the others a centre, their sizes and, for ellipses and boxes, {@code pa_deg}).
     */
    public record Region(long id, String name, String imagePath, Long imageId, String regionType,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<List<Double>> vertices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double raDeg,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double decDeg,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double radiusArcsec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double semiMajorArcsec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double semiMinorArcsec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double widthArcsec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double heightArcsec,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double paDeg, String createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    /**
     * Pixel statistics inside a region (population std); {@code flux_density_jy} = sum / beam area in pixels, for
     * images in Jy/beam with a restoring beam. mean/std/min/max are null when no pixel centre is inside.
     */
    public record Statistics(long regionId, long imageId, String unit, long nPixels, Double mean, Double std,
            Double min, Double max, double sum, Double beamAreaPixels, Double fluxDensityJy) {
    }

    public record Owner(String name, String imagePath, Long imageId, String createdBy) {
    }

    public long create(Owner owner, RegionShape shape) {
        Long imageId = imageIdOf(owner);
        Instant now = Instant.now();
        return db.insert("INSERT INTO regions (name, region_type, coordinates, image_path, image_id, created_by, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "id", owner.name(), shape.regionType(),
                Json.write(shape.coordinates()), owner.imagePath(), imageId, owner.createdBy(), now, now);
    }

    public void replace(long id, Owner owner, RegionShape shape) {
        row(id);
        db.update("UPDATE regions SET name = ?, region_type = ?, coordinates = ?, image_path = ?, image_id = ?, "
                + "created_by = COALESCE(?, created_by), updated_at = ? WHERE id = ?", owner.name(),
                shape.regionType(), Json.write(shape.coordinates()), owner.imagePath(), imageIdOf(owner),
                owner.createdBy(), Instant.now(), id);
    }

    public void delete(long id) {
        if (db.update("DELETE FROM regions WHERE id = ?", id) == 0) {
            throw HubException.notFound("region", id);
        }
    }

    /** The image a region refers to: the given id (which must exist), else a registered image at its path. */
    private Long imageIdOf(Owner owner) {
        if (owner.imageId() != null) {
            images.row(owner.imageId());
            return owner.imageId();
        }
        if (owner.imagePath() == null) {
            return null;
        }
        String real = images.roots().resolve(owner.imagePath()).map(Object::toString).orElse(owner.imagePath());
        return db.one("SELECT id FROM images WHERE path = ? OR path = ?", real, owner.imagePath())
                .map(r -> Rows.lng(r, "id")).orElse(null);
    }

    private Map<String, Object> row(long id) {
        return db.one("SELECT * FROM regions WHERE id = ?", id).orElseThrow(() -> HubException.notFound("region", id));
    }

    public Region get(long id) {
        return json(row(id));
    }

    public List<Region> list(String imagePath, String regionType) {
        Rows.Where w = new Rows.Where().andIf(imagePath != null, "image_path = ?", imagePath)
                .andIf(regionType != null, "region_type = ?", regionType);
        List<Region> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT * FROM regions" + w.sql() + " ORDER BY id", w.args().toArray())) {
            out.add(json(r));
        }
        return out;
    }

    static RegionShape shape(Map<String, Object> row) {
        Map<String, Object> c;
        try {
            c = Json.MAPPER.readValue(Rows.str(row, "coordinates"), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt region coordinates in row " + row.get("id"), e);
        }
        @SuppressWarnings("unchecked")
        List<List<Double>> vertices = c.get("vertices") == null ? null : ((List<List<Number>>) c.get("vertices"))
                .stream().map(v -> v.stream().map(Number::doubleValue).toList()).toList();
        return new RegionShape(Rows.str(row, "region_type"), Rows.dbl(c, "ra_deg"), Rows.dbl(c, "dec_deg"),
                Rows.dbl(c, "radius_arcsec"), Rows.dbl(c, "semi_major_arcsec"), Rows.dbl(c, "semi_minor_arcsec"),
                Rows.dbl(c, "width_arcsec"), Rows.dbl(c, "height_arcsec"), Rows.dbl(c, "pa_deg"), vertices);
    }

    private static Region json(Map<String, Object> r) {
        RegionShape shape = shape(r);
        Map<String, Object> c = shape.coordinates(); // only the fields of this type
        return new Region(Rows.lng(r, "id"), Rows.str(r, "name"), Rows.str(r, "image_path"), Rows.lng(r, "image_id"),
                Rows.str(r, "region_type"), c.containsKey("vertices") ? shape.vertices() : null, Rows.dbl(c, "ra_deg"),
                Rows.dbl(c, "dec_deg"), Rows.dbl(c, "radius_arcsec"), Rows.dbl(c, "semi_major_arcsec"),
                Rows.dbl(c, "semi_minor_arcsec"), Rows.dbl(c, "width_arcsec"), Rows.dbl(c, "height_arcsec"),
                Rows.dbl(c, "pa_deg"), Rows.str(r, "created_by"), (Instant) r.get("created_at"),
                (Instant) r.get("updated_at"));
    }

    public Circle enclosingCircle(long id) {
        RegionShape s = shape(row(id));
        double[] c = s.centre();
        return new Circle(c[0], c[1], s.enclosingRadiusArcsec());
    }

    /**
     * Statistics of the finite pixels whose centres lie inside the region, on the region's image: mean, std
     * (population), min, max, sum, n_pixels, and the flux density in Jy = sum / beam area in pixels (for images in
     * Jy/beam with a restoring beam; null otherwise).
     */
    public Statistics statistics(long id) {
        Map<String, Object> row = row(id);
        RegionShape shape = shape(row);
        Long imageId = Rows.lng(row, "image_id");
        if (imageId == null) {
            imageId = imageIdOf(new Owner(null, Rows.str(row, "image_path"), null, null));
        }
        if (imageId == null) {
            throw HubException.unprocessable("region " + id + " is not on a registered image", Map.of("region_id",
                    id));
        }
        try (FitsImage img = images.open(imageId)) {
            CelestialWcs wcs = img.wcs();
            double[] c = shape.centre();
            double[] p = wcs.worldToPixel(c[0], c[1]);
            double pixArcsec = wcs.pixelScaleDeg() * 3600;
            int half = (int) Math.ceil(shape.enclosingRadiusArcsec() / pixArcsec) + 1;
            ImagePlane cut = img.readCutoutAround(p[0], p[1], half);
            double sum = 0, sumSq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            long n = 0;
            for (int y = cut.y0(); y < cut.y0() + cut.height(); y++) {
                for (int x = cut.x0(); x < cut.x0() + cut.width(); x++) {
                    float v = cut.get(x, y);
                    if (!Float.isFinite(v)) {
                        continue;
                    }
                    double[] w = wcs.pixelToWorld(x, y);
                    if (Double.isFinite(w[0]) && shape.contains(w[0], w[1])) {
                        sum += v;
                        sumSq += (double) v * v;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                        n++;
                    }
                }
            }
            Beam beam = img.beam();
            String unit = img.bunit();
            boolean perBeam = unit != null && unit.toUpperCase(java.util.Locale.ROOT).contains("BEAM");
            double beamArea = beam == null ? Double.NaN : beam.areaPixels(wcs.pixelScaleDeg());
            double mean = n == 0 ? Double.NaN : sum / n;
            return new Statistics(id, imageId, unit, n, n == 0 ? null : mean,
                    n == 0 ? null : Math.sqrt(Math.max(0, sumSq / n - mean * mean)), n == 0 ? null : min,
                    n == 0 ? null : max, sum, Rows.num(beamArea), perBeam && beamArea > 0 ? sum / beamArea : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
