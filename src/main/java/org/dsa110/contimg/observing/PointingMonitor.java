package org.dsa110.contimg.observing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The current pointing and how it compares with what is expected: the declination the operator configured, or
 * (when none is configured) the median declination recorded over the previous day. Status {@code no_data},
 * {@code stale} (no sample for longer than the stale limit), {@code drift} (|drift| above the tolerance) or
 * {@code ok}.
 */
public final class PointingMonitor {
    private final PointingHistory history;
    private final Double expectedDecDeg;
    private final double toleranceDeg;
    private final Duration staleAfter;

    public PointingMonitor(PointingHistory history, Double expectedDecDeg, double toleranceDeg, Duration staleAfter) {
        this.history = history;
        this.expectedDecDeg = expectedDecDeg;
        this.toleranceDeg = toleranceDeg;
        this.staleAfter = staleAfter;
    }

    public Map<String, Object> status(Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<PointingHistory.Sample> latest = history.latest();
        Double expected = expectedDecDeg;
        String source = expected == null ? null : "config";
        Map<String, Object> current = null;
        Double drift = null;
        String status = "no_data";
        long recent = 0;
        if (latest.isPresent()) {
            PointingHistory.Sample s = latest.get();
            List<PointingHistory.Sample> day = history.range(s.mjd() - 1.0, s.mjd(), 100_000);
            recent = day.size();
            if (expected == null) {
                double[] decs = day.stream().mapToDouble(PointingHistory.Sample::decDeg).sorted().toArray();
                expected = decs.length % 2 == 1 ? decs[decs.length / 2]
                        : (decs[decs.length / 2 - 1] + decs[decs.length / 2]) / 2;
                source = "median_previous_24h";
            }
            current = new LinkedHashMap<>();
            current.put("timestamp", s.mjd());
            current.put("time", s.time());
            current.put("ra_deg", s.raDeg());
            current.put("dec_deg", s.decDeg());
            current.put("group_id", s.groupId());
            drift = s.decDeg() - expected;
            Duration age = Duration.between(s.time(), now);
            out.put("age_minutes", Math.round(age.toSeconds() / 6.0) / 10.0);
            status = age.compareTo(staleAfter) > 0 ? "stale" : Math.abs(drift) > toleranceDeg ? "drift" : "ok";
        }
        out.put("status", status);
        out.put("current", current);
        out.put("expected_dec_deg", expected);
        out.put("expected_source", source);
        out.put("drift_deg", drift);
        out.put("drift_tolerance_deg", toleranceDeg);
        out.put("last_update", latest.map(PointingHistory.Sample::time).orElse(null));
        out.put("stale_after_minutes", staleAfter.toMinutes());
        out.put("samples_previous_24h", recent);
        out.put("total_samples", history.count());
        out.put("timestamp", now);
        return out;
    }
}
