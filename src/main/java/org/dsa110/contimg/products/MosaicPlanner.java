package org.dsa110.contimg.products;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.core.Timestamps;
import org.dsa110.contimg.science.radio.VlaCalibrator;
import org.dsa110.contimg.science.radio.VlaCalibratorCatalog;
import org.dsa110.contimg.science.sky.SkyCoords;

/**
 * Turns a mosaic request (a time range, or a calibrator name) into the images to combine and records the pending
 * mosaic. Rules (the issue left them open; see docs/mosaics-photometry.md):
 * <ul>
 * <li>start and end given: that range; only one of them: it and {@code timespan_minutes} (default 50) on the
 * open side;</li>
 * <li>calibrator name (VLA L-band list, name or alternative name, case-insensitive): the range of
 * {@code timespan_minutes} centred on the newest registered image whose footprint holds the calibrator (inside
 * start/end when those are given too);</li>
 * <li>images: those observed in the range (see {@link Mosaics#imagesInRange}); none is a 422.</li>
 * </ul>
 */
public final class MosaicPlanner {
    public static final int DEFAULT_TIMESPAN_MINUTES = 50;
    static final int MAX_TIMESPAN_MINUTES = 7 * 24 * 60;

    /** A request as the API and the create-mosaic task take it. */
    public record Request(String calibratorName, Instant start, Instant end, Integer timespanMinutes,
                          boolean publishedOnly, String name, String tier) {
    }

    /** The planned mosaic: its id (pending), range and images. */
    public record Plan(long mosaicId, String name, double startMjd, double endMjd, List<Long> imageIds,
                       String calibrator) {
    }

    private final Mosaics mosaics;
    private volatile List<VlaCalibrator> calibrators;

    public MosaicPlanner(Mosaics mosaics) {
        this.mosaics = mosaics;
    }

    /** Validates the request, chooses the images and records the pending mosaic (422/404/409 on bad requests). */
    public Plan plan(Request r, Long jobId) {
        int span = r.timespanMinutes() == null ? DEFAULT_TIMESPAN_MINUTES : r.timespanMinutes();
        if (span < 1 || span > MAX_TIMESPAN_MINUTES) {
            throw HubException.unprocessable("timespan_minutes must be in [1, " + MAX_TIMESPAN_MINUTES + "]",
                    Map.of("field", "timespan_minutes"));
        }
        String tier = r.tier() == null ? "quicklook" : r.tier().trim().toLowerCase(Locale.ROOT);
        double startMjd;
        double endMjd;
        String calibrator = null;
        if (r.calibratorName() != null && !r.calibratorName().isBlank()) {
            VlaCalibrator cal = calibrator(r.calibratorName().trim());
            calibrator = cal.name();
            Map<String, Object> img = mosaics.latestImageContaining(cal.raDeg(), cal.decDeg(),
                    r.start() == null ? null : SkyCoords.instantToMjd(r.start()),
                    r.end() == null ? null : SkyCoords.instantToMjd(r.end()));
            if (img == null) {
                throw HubException.unprocessable("no registered image contains calibrator " + cal.name(),
                        Map.of("calibrator_name", cal.name()));
            }
            double mid = Rows.dblOr(img, "mjd_obs", Double.NaN);
            startMjd = mid - span / 2.0 / 1440;
            endMjd = mid + span / 2.0 / 1440;
        } else if (r.start() != null || r.end() != null) {
            Instant start = r.start() != null ? r.start() : r.end().minus(Duration.ofMinutes(span));
            Instant end = r.end() != null ? r.end() : r.start().plus(Duration.ofMinutes(span));
            if (end.isBefore(start)) {
                throw HubException.unprocessable("end_time is before start_time", Map.of("field", "end_time"));
            }
            startMjd = SkyCoords.instantToMjd(start);
            endMjd = SkyCoords.instantToMjd(end);
        } else {
            throw HubException.unprocessable("give start_time and/or end_time, or calibrator_name", Map.of());
        }
        List<Long> ids = mosaics.imagesInRange(startMjd, endMjd, r.publishedOnly());
        if (ids.isEmpty()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("start_time", SkyCoords.mjdToInstant(startMjd).toString());
            d.put("end_time", SkyCoords.mjdToInstant(endMjd).toString());
            d.put("published_only", r.publishedOnly());
            throw HubException.unprocessable("no registered images observed in the time range", d);
        }
        boolean explicit = r.name() != null && !r.name().isBlank();
        String name = explicit ? r.name().trim() : Mosaics.defaultName("mosaic", startMjd, endMjd);
        long id = mosaics.createPending(ids, name, explicit, tier, null, jobId);
        String stored = Rows.str(mosaics.row(id), "name");
        return new Plan(id, stored, startMjd, endMjd, ids, calibrator);
    }

    /**
     * A request from task or stage parameters ({@code start_time}, {@code end_time}, {@code calibrator_name},
     * {@code timespan_minutes}, {@code wait_for_published}, {@code name}, {@code tier}); null when none of the
     * range fields is present.
     */
    public static Request fromParams(Map<String, ?> p) {
        if (p.get("start_time") == null && p.get("end_time") == null && p.get("calibrator_name") == null) {
            return null;
        }
        Integer span = null;
        if (p.get("timespan_minutes") != null) {
            try {
                span = (int) Double.parseDouble(p.get("timespan_minutes").toString());
            } catch (NumberFormatException e) {
                throw HubException.unprocessable("timespan_minutes must be a number", Map.of());
            }
        }
        return new Request(str(p, "calibrator_name"), instant(p, "start_time"), instant(p, "end_time"), span,
                Boolean.parseBoolean(String.valueOf(p.get("wait_for_published"))), str(p, "name"), str(p, "tier"));
    }

    private static String str(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }

    private static Instant instant(Map<String, ?> p, String key) {
        String v = str(p, key);
        return v == null ? null : Timestamps.parse(key, v);
    }

    private VlaCalibrator calibrator(String name) {
        if (calibrators == null) {
            calibrators = VlaCalibratorCatalog.loadLBand();
        }
        for (VlaCalibrator c : calibrators) {
            if (c.name().equalsIgnoreCase(name) || (c.altName() != null && c.altName().equalsIgnoreCase(name))) {
                return c;
            }
        }
        throw HubException.unprocessable("unknown calibrator '" + name + "' (not in the VLA L-band list)",
                Map.of("field", "calibrator_name"));
    }
}
