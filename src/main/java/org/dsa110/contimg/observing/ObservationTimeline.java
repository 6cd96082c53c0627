package org.dsa110.contimg.observing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.pipeline.ingest.MsCatalog;
import org.dsa110.contimg.store.Db;

/**
 * When the telescope observed, from the index of UVH5 files seen on disk ({@code hdf5_file_index}): each distinct
 * file timestamp is one observation of {@code chunk} length; consecutive observations closer than the gap
 * threshold form a segment, and the spaces between segments are the gaps.
 */
public final class ObservationTimeline {
    /** One observation: its group, start, end and number of subband files. */
    public record Observation(String groupId, Instant start, Instant end, long files) {
    }

    /** A run of observations with no gap above the threshold. */
    public record Segment(Instant start, Instant end, long files) {
    }

    /** The computed timeline. */
    public record Timeline(long totalFiles, List<Observation> observations, List<Segment> segments) {
    }

    private final Db db;

    public ObservationTimeline(Db db) {
        this.db = db;
    }

    /** Observations under {@code dirPrefix} (all when null), oldest first, split at gaps above the threshold. */
    public Timeline compute(double gapThresholdHours, String dirPrefix, Duration chunk) {
        List<Object> args = new ArrayList<>();
        String where = " WHERE valid = TRUE AND timestamp_iso IS NOT NULL";
        if (dirPrefix != null) {
            where += " AND path LIKE ?";
            args.add(dirPrefix.endsWith("/") ? dirPrefix + "%" : dirPrefix + "/%");
        }
        List<Observation> observations = new ArrayList<>();
        long total = 0;
        for (Map<String, Object> r : db.query("SELECT timestamp_iso, MIN(group_id) AS group_id, COUNT(*) AS n "
                + "FROM hdf5_file_index" + where + " GROUP BY timestamp_iso ORDER BY timestamp_iso", args.toArray())) {
            Instant start = Instant.parse(r.get("timestamp_iso") + "Z");
            long n = ((Number) r.get("n")).longValue();
            total += n;
            observations.add(new Observation((String) r.get("group_id"), start, start.plus(chunk), n));
        }
        List<Segment> segments = new ArrayList<>();
        Duration threshold = Duration.ofMillis((long) (gapThresholdHours * 3_600_000));
        Instant segStart = null;
        Instant segEnd = null;
        long segFiles = 0;
        for (Observation o : observations) {
            if (segStart != null && Duration.between(segEnd, o.start()).compareTo(threshold) > 0) {
                segments.add(new Segment(segStart, segEnd, segFiles));
                segStart = null;
            }
            if (segStart == null) {
                segStart = o.start();
                segEnd = o.end();
                segFiles = 0;
            }
            segEnd = o.end().isAfter(segEnd) ? o.end() : segEnd;
            segFiles += o.files();
        }
        if (segStart != null) {
            segments.add(new Segment(segStart, segEnd, segFiles));
        }
        return new Timeline(total, observations, segments);
    }

    /** A segment as the API shows it. */
    public record SegmentEntry(Instant startTime, Instant endTime, long fileCount, double durationHours) {
    }

    /** A gap between two segments, in ISO time and MJD. */
    public record Gap(Instant startTime, Instant endTime, double startMjd, double endMjd, double durationHours) {
    }

    /** An observation as the API shows it (MJD). */
    public record ObservationEntry(String groupId, double startMjd, double endMjd, double durationHours,
            long fileCount) {
    }

    /** GET /api/observation_timeline: ObservationTimeline plus the seed's observations and gaps. */
    public record Document(Instant earliestTime, Instant latestTime, long totalFiles, int uniqueTimestamps,
            List<SegmentEntry> segments, List<Gap> gaps, List<ObservationEntry> observations,
            boolean observationsTruncated, double gapThresholdHours) {
    }

    /** ObservationTimeline (plus the seed's observations and gaps, MJD and hours), at most {@code limit} observations. */
    public static Document document(Timeline t, double gapThresholdHours, int limit) {
        List<Observation> obs = t.observations();
        List<SegmentEntry> segments = new ArrayList<>();
        for (Segment s : t.segments()) {
            segments.add(new SegmentEntry(s.start(), s.end(), s.files(), hours(s.start(), s.end())));
        }
        List<Gap> gaps = new ArrayList<>();
        for (int i = 1; i < t.segments().size(); i++) {
            Instant a = t.segments().get(i - 1).end();
            Instant b = t.segments().get(i).start();
            gaps.add(new Gap(a, b, MsCatalog.mjd(a), MsCatalog.mjd(b), hours(a, b)));
        }
        List<ObservationEntry> observations = new ArrayList<>();
        for (Observation o : obs.subList(Math.max(0, obs.size() - limit), obs.size())) {
            observations.add(new ObservationEntry(o.groupId(), MsCatalog.mjd(o.start()), MsCatalog.mjd(o.end()),
                    hours(o.start(), o.end()), o.files()));
        }
        return new Document(obs.isEmpty() ? null : obs.get(0).start(), obs.isEmpty() ? null : obs.get(obs.size() - 1)
                .end(), t.totalFiles(), obs.size(), segments, gaps, observations, obs.size() > limit,
                gapThresholdHours);
    }

    static double hours(Instant a, Instant b) {
        return Math.round(Duration.between(a, b).toMillis() / 3600.0) / 1000.0;
    }

    /** Count and newest timestamp of the file index: a version stamp for the cached plot. */
    public String version() {
        return db.one("SELECT COUNT(*) AS n, MAX(timestamp_iso) AS last_ts FROM hdf5_file_index")
                .map(r -> r.get("n") + "@" + r.get("last_ts")).orElse("0");
    }
}
