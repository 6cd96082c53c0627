package org.dsa110.contimg.observing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** One pointing sample as the API shows it ({@code timestamp} is its MJD). */
    public record PointingSample(double timestamp, Instant time, double raDeg, double decDeg, String groupId) {
        public static PointingSample of(PointingHistory.Sample s) {
            return new PointingSample(s.mjd(), s.time(), s.raDeg(), s.decDeg(), s.groupId());
        }
    }

    /**
     * GET /api/pointing-monitor/status. {@code age_minutes} (minutes since the newest sample) is written only when
     * there is a sample.
     */
    public record Status(@JsonInclude(JsonInclude.Include.NON_NULL) Double ageMinutes, String status,
            PointingSample current, Double expectedDecDeg, String expectedSource, Double driftDeg,
            double driftToleranceDeg, Instant lastUpdate, long staleAfterMinutes,
            @JsonProperty("samples_previous_24h") long samplesPrevious24h,
            long totalSamples, Instant timestamp) {
    }

    public Status status(Instant now) {
        Optional<PointingHistory.Sample> latest = history.latest();
        Double expected = expectedDecDeg;
        String source = expected == null ? null : "config";
        PointingSample current = null;
        Double drift = null;
        Double ageMinutes = null;
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
            current = PointingSample.of(s);
            drift = s.decDeg() - expected;
            Duration age = Duration.between(s.time(), now);
            ageMinutes = Math.round(age.toSeconds() / 6.0) / 10.0;
            status = age.compareTo(staleAfter) > 0 ? "stale" : Math.abs(drift) > toleranceDeg ? "drift" : "ok";
        }
        return new Status(ageMinutes, status, current, expected, source, drift, toleranceDeg,
                latest.map(PointingHistory.Sample::time).orElse(null), staleAfter.toMinutes(), recent,
                history.count(), now);
    }
}
