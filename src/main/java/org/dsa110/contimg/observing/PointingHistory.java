package org.dsa110.contimg.observing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/**
 * The telescope's pointing over time ({@code pointing_history}): one row per sampled instant, written when a
 * visibility file is registered ({@link MsRegistry}) or by a stage that knows the pointing of a group. Reads
 * serve /api/pointing_history, /api/pointing/*, /api/pointing-monitor/status.
 */
public final class PointingHistory {
    /** One sample: MJD, its instant, J2000 RA/Dec (degrees) and the group it came from (may be null). */
    public record Sample(double mjd, Instant time, double raDeg, double decDeg, String groupId) {
    }

    private final Db db;

    public PointingHistory(Db db) {
        this.db = db;
    }

    /** Records the pointing at {@code mjd}; a second sample at the same MJD replaces the first. */
    public void record(double mjd, double raDeg, double decDeg, String groupId) {
        if (!Double.isFinite(mjd) || !Double.isFinite(raDeg) || !Double.isFinite(decDeg)) {
            throw new IllegalArgumentException("pointing needs finite mjd, ra and dec");
        }
        if (decDeg < -90 || decDeg > 90) {
            throw new IllegalArgumentException("declination out of range: " + decDeg);
        }
        double ra = ((raDeg % 360) + 360) % 360;
        Instant ts = MsCatalog.instant(mjd);
        int n = db.update("UPDATE pointing_history SET ts = ?, ra_deg = ?, dec_deg = ?, group_id = ? WHERE mjd = ?",
                ts, ra, decDeg, groupId, mjd);
        if (n == 0) {
            try {
                db.update("INSERT INTO pointing_history (mjd, ts, ra_deg, dec_deg, group_id) VALUES (?, ?, ?, ?, ?)",
                        mjd, ts, ra, decDeg, groupId);
            } catch (StoreException e) {
                // recorded concurrently by another writer: keep the newest values
                db.update("UPDATE pointing_history SET ts = ?, ra_deg = ?, dec_deg = ?, group_id = ? WHERE mjd = ?",
                        ts, ra, decDeg, groupId, mjd);
            }
        }
    }

    /** Samples with start ≤ mjd ≤ end (either bound may be null), oldest first, at most {@code limit}. */
    public List<Sample> range(Double startMjd, Double endMjd, int limit) {
        StringBuilder sql = new StringBuilder("SELECT mjd, ts, ra_deg, dec_deg, group_id FROM pointing_history "
                + "WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (startMjd != null) {
            sql.append(" AND mjd >= ?");
            args.add(startMjd);
        }
        if (endMjd != null) {
            sql.append(" AND mjd <= ?");
            args.add(endMjd);
        }
        sql.append(" ORDER BY mjd LIMIT ?");
        args.add(limit);
        return db.query(sql.toString(), args.toArray()).stream().map(PointingHistory::sample).toList();
    }

    /** The {@code limit} newest samples, newest first. */
    public List<Sample> recent(int limit) {
        return db.query("SELECT mjd, ts, ra_deg, dec_deg, group_id FROM pointing_history ORDER BY mjd DESC LIMIT ?",
                limit).stream().map(PointingHistory::sample).toList();
    }

    public Optional<Sample> latest() {
        List<Sample> r = recent(1);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    public long count() {
        return db.scalarLong("SELECT COUNT(*) FROM pointing_history");
    }

    /** Row count and newest MJD: a cheap version stamp for cached plots. */
    public String version() {
        return db.one("SELECT COUNT(*) AS n, MAX(mjd) AS last_mjd FROM pointing_history")
                .map(r -> r.get("n") + "@" + r.get("last_mjd")).orElse("0");
    }

    private static Sample sample(Map<String, Object> r) {
        return new Sample(((Number) r.get("mjd")).doubleValue(), (Instant) r.get("ts"),
                ((Number) r.get("ra_deg")).doubleValue(), ((Number) r.get("dec_deg")).doubleValue(),
                (String) r.get("group_id"));
    }
}
