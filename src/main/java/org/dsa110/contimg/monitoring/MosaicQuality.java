package org.dsa110.contimg.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.dsa110.contimg.products.Rows;
import org.dsa110.contimg.store.Db;

/**
 * Quality of the mosaics of a window (table {@code mosaics}; a mosaic belongs to the window its data end in): noise (median of the effective noise map),
 * peak and dynamic range (peak / noise when the builder did not store it), image and source counts.
 */
public final class MosaicQuality {
    private final Db db;

    public MosaicQuality(Db db) {
        this.db = db;
    }

    /**
     * A mosaic with its quality figures: {@code dynamic_range} is the stored one or, when the builder stored none,
     * peak / noise; {@code noise_mjy} is the noise in mJy/beam.
     */
    public record MosaicRow(long id, String name, String status, String tier, Instant createdAt, Instant startTime,
            Instant endTime, Integer imageCount, Double noiseJy, Double peakFluxJy, Double dynamicRange,
            Integer sourceCount, Double noiseMjy) {
    }

    /** Counts by outcome and the spread of noise (mJy/beam) and dynamic range; null where no mosaic has one. */
    public record MosaicSummary(int nMosaics, long nCompleted, long nFailed, Double noiseMjyMedian, Double noiseMjyMin,
            Double noiseMjyMax, Double dynamicRangeMedian, Double dynamicRangeMax) {
    }

    /** The /api/mosaic-quality/metrics body. */
    public record MosaicQualityReport(int hours, MosaicSummary summary, List<MosaicRow> mosaics, Instant timestamp) {
    }

    /** Mosaics whose data end at or after {@code since}, oldest first. */
    public List<MosaicRow> mosaics(Instant since) {
        List<MosaicRow> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT id, name, status, tier, created_at, start_time, end_time, "
                + "image_count, noise_jy, peak_flux_jy, dynamic_range, source_count FROM mosaics "
                + "WHERE end_time >= ? ORDER BY end_time, id", since)) {
            Double noise = Rows.dbl(r, "noise_jy");
            Double peak = Rows.dbl(r, "peak_flux_jy");
            Double dr = Rows.dbl(r, "dynamic_range");
            if (dr == null && noise != null && peak != null && noise > 0) {
                dr = peak / noise;
            }
            out.add(new MosaicRow(Rows.lng(r, "id"), Rows.str(r, "name"), Rows.str(r, "status"), Rows.str(r, "tier"),
                    (Instant) r.get("created_at"), (Instant) r.get("start_time"), (Instant) r.get("end_time"),
                    Rows.integer(r, "image_count"), noise, peak, dr, Rows.integer(r, "source_count"),
                    noise == null ? null : noise * 1000));
        }
        return out;
    }

    public MosaicQualityReport metrics(Instant since, int hours) {
        List<MosaicRow> mosaics = mosaics(since);
        double[] noise = values(mosaics, MosaicRow::noiseMjy);
        double[] dr = values(mosaics, MosaicRow::dynamicRange);
        MosaicSummary summary = new MosaicSummary(mosaics.size(),
                mosaics.stream().filter(m -> "completed".equals(m.status())).count(),
                mosaics.stream().filter(m -> "failed".equals(m.status())).count(), median(noise),
                noise.length == 0 ? null : Arrays.stream(noise).min().getAsDouble(),
                noise.length == 0 ? null : Arrays.stream(noise).max().getAsDouble(), median(dr),
                dr.length == 0 ? null : Arrays.stream(dr).max().getAsDouble());
        return new MosaicQualityReport(hours, summary, mosaics, Instant.now());
    }

    static double[] values(List<MosaicRow> rows, Function<MosaicRow, Double> value) {
        return rows.stream().map(value).filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue)
                .toArray();
    }

    private static Double median(double[] v) {
        return v.length == 0 ? null : TimeWindow.round3(TimeWindow.quantile(v, 0.5));
    }

    public String version() {
        return db.one("SELECT COUNT(*) AS n, MAX(id) AS last_id FROM mosaics")
                .map(r -> r.get("n") + "@" + r.get("last_id")).orElse("0");
    }
}
