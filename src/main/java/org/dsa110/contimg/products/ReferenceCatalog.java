package org.dsa110.contimg.products;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference catalog (NVSS in production), kept in the {@code sources} table, and cone searches over it.
 *
 * <p>Cone searches use the 0.5° declination zones of the schema ({@code dec_zone = floor(2·dec)}, index
 * {@code (dec_zone, ra_deg)}): only the zones the circle touches and, within them, the RA window
 * ±asin(sin r / cos δ) are read, then the exact great-circle distance decides. So a 0.5° cone reads a few
 * hundred NVSS rows, not the 1.8 million.
 */
public final class ReferenceCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCatalog.class);
    private static final int BATCH = 1000;

    /** One catalog source; separation from the search centre (degrees), NaN outside a cone search. */
    public record CatalogSource(String sourceId, String name, double raDeg, double decDeg, String catalog,
                                Double fluxMjy, Double snr, boolean resolved, boolean confused,
                                double separationDeg) {
    }

    private final Db db;
    private final String catalogName;

    public ReferenceCatalog(Db db, String catalogName) {
        this.db = db;
        this.catalogName = catalogName.trim().toUpperCase(Locale.ROOT);
    }

    public String catalogName() {
        return catalogName;
    }

    /** Rows of this catalog in the store. */
    public long size() {
        return db.scalarLong("SELECT COUNT(*) FROM sources WHERE catalog = ?", catalogName);
    }

    /** Loads the file unless the catalog already has rows (start-up); returns rows loaded. */
    public long loadIfEmpty(Path csv) throws IOException {
        if (size() > 0) {
            LOG.info("reference catalog {} already loaded ({} sources)", catalogName, size());
            return 0;
        }
        return load(csv);
    }

    /**
     * Loads (upserts) a CSV catalog with a header row naming the columns {@code ra, dec} (degrees, required),
     * {@code flux_mjy, snr, resolved, confused} and an optional {@code id} (kept as the display name). The source id
     * is the IAU-style name from the position, e.g. {@code NVSS J123456.7+420312} (RA in hours).
     *
     * @return the number of rows loaded
     * @throws IOException on a read error or a malformed row (the message names the line)
     */
    public long load(Path csv) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                return 0;
            }
            Map<String, Integer> col = new HashMap<>();
            String[] names = header.split(",");
            for (int i = 0; i < names.length; i++) {
                col.put(names[i].trim().toLowerCase(Locale.ROOT), i);
            }
            if (!col.containsKey("ra") || !col.containsKey("dec")) {
                throw new IOException(csv + ": header must name the columns ra and dec");
            }
            List<Object[]> batch = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                try {
                    batch.add(row(line.split(",", -1), col));
                } catch (IllegalArgumentException e) {
                    throw new IOException(csv + " line " + lineNo + ": " + e.getMessage());
                }
                if (batch.size() == BATCH) {
                    n += upsert(batch);
                    batch.clear();
                }
            }
            n += upsert(batch);
        }
        LOG.info("loaded {} {} sources from {}", n, catalogName, csv);
        return n;
    }

    private Object[] row(String[] f, Map<String, Integer> col) {
        double ra = SkyCoords.normalizeDeg(Double.parseDouble(field(f, col, "ra")));
        double dec = Double.parseDouble(field(f, col, "dec"));
        if (!(dec >= -90 && dec <= 90) || !Double.isFinite(ra)) {
            throw new IllegalArgumentException("position out of range: " + ra + ", " + dec);
        }
        String id = SkyCoords.iauName(catalogName, ra / 15.0, dec);
        String name = field(f, col, "id");
        return new Object[] {id, name == null || name.isBlank() ? id : name.trim(), ra, dec,
                (int) Math.floor(2 * dec), catalogName, optDouble(field(f, col, "flux_mjy")),
                optDouble(field(f, col, "snr")), bool(field(f, col, "resolved")), bool(field(f, col, "confused"))};
    }

    private static String field(String[] f, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= f.length ? null : f[i].trim();
    }

    private static Double optDouble(String s) {
        return s == null || s.isEmpty() ? null : Double.parseDouble(s);
    }

    private static boolean bool(String s) {
        return s != null && (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("t")
                || s.equalsIgnoreCase("yes"));
    }

    private int upsert(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String merge = "MERGE INTO sources s USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(128)), "
                + "CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), CAST(? AS INTEGER), "
                + "CAST(? AS VARCHAR(32)), CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), "
                + "CAST(? AS BOOLEAN), CAST(? AS BOOLEAN))) AS v (sid, nm, ra, dec, zone, cat, flux, snr, res, conf) "
                + "ON s.source_id = v.sid "
                + "WHEN MATCHED THEN UPDATE SET name = v.nm, ra_deg = v.ra, dec_deg = v.dec, dec_zone = v.zone, "
                + "catalog = v.cat, catalog_flux_mjy = v.flux, catalog_snr = v.snr, resolved = v.res, confused = v.conf "
                + "WHEN NOT MATCHED THEN INSERT (source_id, name, ra_deg, dec_deg, dec_zone, catalog, catalog_flux_mjy, "
                + "catalog_snr, resolved, confused) VALUES (v.sid, v.nm, v.ra, v.dec, v.zone, v.cat, v.flux, v.snr, "
                + "v.res, v.conf)";
        db.inTransaction(() -> {
            for (Object[] r : rows) {
                db.update(merge, r);
            }
        });
        return rows.size();
    }

    /**
     * Sources within {@code radiusDeg} of (ra, dec), nearest first.
     *
     * @param catalog    only this catalog (upper case, e.g. NVSS), or null for all
     * @param minFluxMjy only sources with catalog flux ≥ this, or null
     */
    public List<CatalogSource> cone(double raDeg, double decDeg, double radiusDeg, String catalog,
                                    Double minFluxMjy) {
        int zoneLo = (int) Math.floor(2 * Math.max(-90, decDeg - radiusDeg));
        int zoneHi = (int) Math.floor(2 * Math.min(90, decDeg + radiusDeg));
        StringBuilder sql = new StringBuilder("SELECT * FROM sources WHERE dec_zone IN (");
        List<Object> args = new ArrayList<>();
        for (int z = zoneLo; z <= zoneHi; z++) {
            sql.append(z == zoneLo ? "?" : ", ?");
            args.add(z);
        }
        sql.append(")");
        if (Math.abs(decDeg) + radiusDeg < 90) {
            // Widest RA offset of a small circle: sin(Δα) = sin r / cos δ.
            double half = Math.toDegrees(Math.asin(Math.min(1.0,
                    Math.sin(Math.toRadians(radiusDeg)) / Math.cos(Math.toRadians(decDeg))))) + 1e-9;
            double lo = raDeg - half;
            double hi = raDeg + half;
            if (lo < 0) {
                sql.append(" AND (ra_deg >= ? OR ra_deg <= ?)");
                args.add(lo + 360);
                args.add(hi);
            } else if (hi >= 360) {
                sql.append(" AND (ra_deg >= ? OR ra_deg <= ?)");
                args.add(lo);
                args.add(hi - 360);
            } else {
                sql.append(" AND ra_deg BETWEEN ? AND ?");
                args.add(lo);
                args.add(hi);
            }
        }
        if (catalog != null) {
            sql.append(" AND catalog = ?");
            args.add(catalog);
        }
        if (minFluxMjy != null) {
            sql.append(" AND catalog_flux_mjy >= ?");
            args.add(minFluxMjy);
        }
        List<CatalogSource> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql.toString(), args.toArray())) {
            double ra = Rows.dblOr(r, "ra_deg", Double.NaN);
            double dec = Rows.dblOr(r, "dec_deg", Double.NaN);
            double sep = SkyCoords.separationDeg(raDeg, decDeg, ra, dec);
            if (sep <= radiusDeg) {
                out.add(new CatalogSource(Rows.str(r, "source_id"), Rows.str(r, "name"), ra, dec,
                        Rows.str(r, "catalog"), Rows.dbl(r, "catalog_flux_mjy"), Rows.dbl(r, "catalog_snr"),
                        Rows.bool(r, "resolved"), Rows.bool(r, "confused"), sep));
            }
        }
        out.sort(Comparator.comparingDouble(CatalogSource::separationDeg));
        return out;
    }
}
