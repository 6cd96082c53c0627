package org.dsa110.contimg.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A look-back window ending now, split into at most ~48 equal bins for rates and trends. */
public record TimeWindow(Instant start, Instant end, Duration bin) {

    public static TimeWindow lastHours(int hours) {
        Instant end = Instant.now();
        long binHours = Math.max(1, (long) Math.ceil(hours / 48.0));
        return new TimeWindow(end.minus(Duration.ofHours(hours)), end, Duration.ofHours(binHours));
    }

    public double hours() {
        return Duration.between(start, end).toMillis() / 3_600_000.0;
    }

    public int binCount() {
        return (int) Math.max(1, (long) Math.ceil((double) Duration.between(start, end).toMillis() / bin.toMillis()));
    }

    /** The bin {@code t} falls in, or -1 outside the window. */
    public int binOf(Instant t) {
        if (t == null || t.isBefore(start) || t.isAfter(end)) {
            return -1;
        }
        return (int) Math.min(binCount() - 1, Duration.between(start, t).toMillis() / bin.toMillis());
    }

    /** The centre time of each bin. */
    public List<Instant> binCentres() {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < binCount(); i++) {
            out.add(start.plus(bin.multipliedBy(i)).plus(bin.dividedBy(2)));
        }
        return out;
    }

    /** Quantile q in [0, 1] by linear interpolation between order statistics; NaN for no values. */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    public static Double mean(double[] values) {
        return values.length == 0 ? null : Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** A statistic rounded for display, or null when there is none. */
    public static Double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000.0) / 1000.0 : null;
    }
}
