package org.dsa110.contimg.observing;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.science.radio.CalibratorMatch;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.store.Db;

/**
 * Calibrators in the observed fields. Per group, the matches the pipeline found are stored
 * ({@link #recordGroup}) in {@code group_calibrator_matches} and set the group's {@code has_calibrator}; per
 * visibility file, the matcher runs on demand over its drift-scan field centres; and the catalogue near a
 * declination serves the dashboard's pickers.
 */
public final class CalibratorMatches {
    /** Mean sidereal rate: degrees of RA that transit per day. */
    static final double SIDEREAL_DEG_PER_DAY = 360.98564736629;

    private final Db db;
    private final Supplier<List<VlaCalibrator>> source;
    private volatile List<VlaCalibrator> catalog;

    public CalibratorMatches(Db db, List<VlaCalibrator> catalog) {
        this(db, () -> catalog);
    }

    /** The catalogue is read from {@code source} on first use (parsing it is a noticeable part of a cold start). */
    public CalibratorMatches(Db db, Supplier<List<VlaCalibrator>> source) {
        this.db = db;
        this.source = source;
    }

    public List<VlaCalibrator> catalog() {
        List<VlaCalibrator> c = catalog;
        if (c == null) {
            synchronized (this) {
                if (catalog == null) {
                    catalog = List.copyOf(source.get());
                }
                c = catalog;
            }
        }
        return c;
    }

    /** Replaces the stored matches of a group (best first) and sets its has_calibrator. */
    public void recordGroup(String groupId, List<CalibratorMatch> matches) {
        db.inTransaction(() -> {
            db.update("DELETE FROM group_calibrator_matches WHERE group_id = ?", groupId);
            int rank = 0;
            for (CalibratorMatch m : matches) {
                db.update("INSERT INTO group_calibrator_matches (group_id, match_rank, name, ra_deg, dec_deg, sep_deg, "
                        + "weighted_flux, pb_response, flux_jy, quality, recommended_fields) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", groupId, rank++, m.calibrator().name(),
                        m.calibrator().raDeg(), m.calibrator().decDeg(), m.separationDeg(), m.weightedFluxJy(),
                        m.pbResponse(), m.calibrator().fluxJy(), m.quality().label(),
                        json(Arrays.stream(m.recommendedFields()).boxed().toList()));
            }
            db.update("UPDATE ingest_groups SET has_calibrator = ?, last_update = CURRENT_TIMESTAMP "
                    + "WHERE group_id = ?", !matches.isEmpty(), groupId);
        });
    }

    /** CalibratorMatchGroup: a group's stored matches (best first) and the calibration that applies to it. */
    public record GroupMatches(String groupId, boolean matched, List<StoredMatch> matches,
            java.time.Instant receivedAt, java.time.Instant lastUpdate, Double pointingDecDeg,
            Calibration calibration) {
    }

    /** A calibrator matched in a group's fields: weighted_flux = pb_response × flux_jy. */
    public record StoredMatch(String name, double raDeg, double decDeg, double sepDeg, Double weightedFlux,
            Double pbResponse, Double fluxJy, String quality) {
    }

    /** The newest active set whose validity covers a group, and the time between the two observations. */
    public record Calibration(String setName, String calibratorGroupId, String calibratorName,
            Double timeDiffMinutes) {
    }

    /** MSCalibratorMatchList: calibrators in a visibility file's drift-scan fields, ranked by weighted flux. */
    public record MsMatches(String msPath, Double pointingDec, Double midMjd, List<MsMatch> matches,
            boolean hasCalibrator, String catalog, double radiusDeg) {
    }

    public record MsMatch(String name, double raDeg, double decDeg, double fluxJy, double sepDeg, double pbResponse,
            double weightedFlux, String quality, List<Integer> recommendedFields, int bestField) {
    }

    /** A catalogue calibrator for a picker; {@code dec_offset_deg} from the pointing, null without one. */
    public record Pick(String name, String altName, double raDeg, double decDeg, double fluxJy, Double decOffsetDeg) {
    }

    /** CalibratorMatchGroup rows of the newest groups that were checked, newest first. */
    public List<GroupMatches> groups(int limit, boolean matchedOnly) {
        List<GroupMatches> out = new ArrayList<>();
        String where = matchedOnly ? "has_calibrator = TRUE" : "has_calibrator IS NOT NULL";
        for (Map<String, Object> g : db.query("SELECT group_id, group_time, has_calibrator, received_at, last_update, "
                + "pointing_dec_deg FROM ingest_groups WHERE " + where
                + " ORDER BY group_time DESC, group_id DESC LIMIT ?", limit)) {
            List<StoredMatch> matches = db.query("SELECT name, ra_deg, dec_deg, sep_deg, weighted_flux, "
                    + "pb_response, flux_jy, quality FROM group_calibrator_matches WHERE group_id = ? "
                    + "ORDER BY match_rank", g.get("group_id")).stream().map(m -> new StoredMatch(
                            (String) m.get("name"), dbl(m.get("ra_deg")), dbl(m.get("dec_deg")),
                            dbl(m.get("sep_deg")), dbl(m.get("weighted_flux")), dbl(m.get("pb_response")),
                            dbl(m.get("flux_jy")), (String) m.get("quality"))).toList();
            out.add(new GroupMatches((String) g.get("group_id"),
                    Boolean.TRUE.equals(g.get("has_calibrator")) && !matches.isEmpty(), matches,
                    (java.time.Instant) g.get("received_at"), (java.time.Instant) g.get("last_update"),
                    dbl(g.get("pointing_dec_deg")), calibrationFor((java.time.Instant) g.get("group_time"))));
        }
        return out;
    }

    /**
     * The calibration that applies to a group observed at {@code t}: the newest active set whose validity window
     * covers it, with the calibrator group it was solved on and the time between the two observations.
     */
    Calibration calibrationFor(java.time.Instant t) {
        double mjd = org.dsa110.contimg.pipeline.ingest.MsCatalog.mjd(t);
        return db.one("SELECT s.set_name, s.cal_group_id, s.calibrator_name, g.group_time FROM calibration_sets s "
                + "LEFT JOIN ingest_groups g ON g.group_id = s.cal_group_id WHERE s.active = TRUE "
                + "AND s.valid_start_mjd <= ? AND s.valid_end_mjd >= ? ORDER BY s.created_at DESC, s.set_name DESC "
                + "LIMIT 1", mjd, mjd).map(r -> {
                    java.time.Instant calTime = (java.time.Instant) r.get("group_time");
                    return new Calibration((String) r.get("set_name"), (String) r.get("cal_group_id"),
                            (String) r.get("calibrator_name"), calTime == null ? null
                                    : Math.abs(java.time.Duration.between(calTime, t).toSeconds()) / 60.0);
                }).orElse(null);
    }

    /**
     * MSCalibratorMatchList for an ms_index row: field centres follow the meridian over the file's time range
     * (one per field when the count is known, else one per minute), and every calibrator within
     * {@code radiusDeg} of a centre is ranked by primary-beam-weighted flux.
     */
    public MsMatches forMs(Map<String, Object> ms, double radiusDeg, int topN, double minPb) {
        Number ra = (Number) ms.get("pointing_ra_deg");
        Number dec = (Number) ms.get("pointing_dec_deg");
        Number mid = (Number) ms.get("mid_mjd");
        List<MsMatch> matches = new ArrayList<>();
        if (ra != null && dec != null) {
            double[][] fields = fieldCentres(ms, ra.doubleValue(), dec.doubleValue());
            CalibratorMatcher matcher = new CalibratorMatcher(catalog(), PrimaryBeam.dsa110(),
                    CalibratorMatcher.DSA110_CENTRE_FREQ_HZ, radiusDeg, minPb);
            for (CalibratorMatch m : matcher.matchAll(fields[0], fields[1]).stream().limit(topN).toList()) {
                matches.add(new MsMatch(m.calibrator().name(), m.calibrator().raDeg(), m.calibrator().decDeg(),
                        m.calibrator().fluxJy(), m.separationDeg(), m.pbResponse(), m.weightedFluxJy(),
                        m.quality().label(), Arrays.stream(m.recommendedFields()).boxed().toList(), m.bestField()));
            }
        }
        // the VLA list is the one catalogue the matcher has
        return new MsMatches((String) ms.get("path"), dbl(dec), dbl(mid), matches, !matches.isEmpty(), "vla",
                radiusDeg);
    }

    /** RA/Dec (radians) of the drift-scan field centres of a file. */
    static double[][] fieldCentres(Map<String, Object> ms, double raMidDeg, double decDeg) {
        Number start = (Number) ms.get("start_mjd");
        Number end = (Number) ms.get("end_mjd");
        Number nFields = (Number) ms.get("num_fields");
        double span = start == null || end == null ? 0 : end.doubleValue() - start.doubleValue();
        int n = nFields != null && nFields.intValue() > 0 ? nFields.intValue()
                : Math.max(1, (int) Math.round(span * 1440));
        double[] ra = new double[n];
        double[] dec = new double[n];
        for (int i = 0; i < n; i++) {
            double offsetDays = n == 1 ? 0 : span * ((i + 0.5) / n - 0.5);
            ra[i] = Math.toRadians(raMidDeg + offsetDays * SIDEREAL_DEG_PER_DAY);
            dec[i] = Math.toRadians(decDeg);
        }
        return new double[][] {ra, dec};
    }

    /**
     * Catalogue calibrators for a picker: within {@code toleranceDeg} of {@code decDeg} (all when null), brightest
     * first.
     */
    public List<Pick> near(Double decDeg, double toleranceDeg, int limit) {
        return catalog().stream()
                .filter(c -> decDeg == null || Math.abs(c.decDeg() - decDeg) <= toleranceDeg)
                .sorted(Comparator.comparingDouble(VlaCalibrator::fluxJy).reversed()
                        .thenComparing(VlaCalibrator::name))
                .limit(limit).map(c -> new Pick(c.name(), c.altName(), c.raDeg(), c.decDeg(), c.fluxJy(),
                        decDeg == null ? null : c.decDeg() - decDeg)).toList();
    }

    private static Double dbl(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static String json(Object v) {
        try {
            return Json.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
