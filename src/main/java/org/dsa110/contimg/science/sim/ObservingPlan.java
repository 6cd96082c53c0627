package org.dsa110.contimg.science.sim;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.SkyGeometry;

/**
 * When each simulated group is observed. Groups follow each other every {@code groupCadenceSec}, starting at the
 * configured start; a calibrator group instead starts at the first time, no earlier than that, at which the
 * calibrator transits the meridian at the group's centre (so two calibrator groups are a sidereal day apart, and the
 * groups after a calibrator group re-observe the fields that followed it the day before).
 */
public final class ObservingPlan {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final double UNIX_EPOCH_JD = 2440587.5;

    /**
     * One group.
     *
     * @param index          0-based group index
     * @param start          start of the first integration (UTC, whole second)
     * @param groupId        the group's nominal timestamp {@code YYYY-MM-DDTHH:MM:SS} (= start)
     * @param fileTimestamps file-name timestamp of each subband (jittered around the start)
     * @param startJd        start JD (UTC)
     * @param midJd          centre JD of the group
     * @param timesJd        integration mid-times (JD)
     * @param calibratorTransit true when the group was placed at the calibrator's transit
     */
    public record GroupPlan(int index, Instant start, String groupId, List<String> fileTimestamps, double startJd,
                            double midJd, double[] timesJd, boolean calibratorTransit) {

        public double midMjd() {
            return midJd - JulianDate.MJD_OFFSET;
        }

        /** File name of subband {@code sb}: {@code YYYY-MM-DDTHH:MM:SS_sbNN.hdf5}. */
        public String fileName(int sb) {
            return String.format(Locale.ROOT, "%s_sb%02d.hdf5", fileTimestamps.get(sb), sb);
        }
    }

    private ObservingPlan() {
    }

    /** Plans every group of {@code config}; {@code calibrator} is needed when there are calibrator groups. */
    public static List<GroupPlan> plan(SimConfig config, SkySource calibrator, Astrometry astrometry) {
        if (!config.calibratorGroups().isEmpty() && calibrator == null) {
            throw new IllegalArgumentException("calibrator groups need a calibrator");
        }
        double cadenceDays = config.groupCadenceSec() / 86400.0;
        double durationDays = config.groupDurationSec() / 86400.0;
        List<GroupPlan> out = new ArrayList<>(config.groups());
        double t = jd(config.start().truncatedTo(ChronoUnit.SECONDS));
        for (int g = 0; g < config.groups(); g++) {
            if (g > 0) {
                t = out.get(g - 1).startJd() + cadenceDays;
            }
            boolean transit = config.calibratorGroups().contains(g);
            if (transit) {
                t = transitCentreOnOrAfter(calibrator, t + durationDays / 2, astrometry) - durationDays / 2;
            }
            Instant start = instant(t).plusMillis(500).truncatedTo(ChronoUnit.SECONDS);
            double startJd = jd(start);
            double[] times = new double[config.integrations()];
            for (int i = 0; i < times.length; i++) {
                times[i] = startJd + (i + 0.5) * config.integrationSec() / 86400.0;
            }
            SplittableRandom rng = new SplittableRandom(config.seed() * 1_000_003L + 7919L * g + 17);
            int j = (int) Math.ceil(config.jitterSec());
            List<String> stamps = new ArrayList<>(config.subbands());
            for (int sb = 0; sb < config.subbands(); sb++) {
                int jitter = j <= 0 ? 0 : rng.nextInt(-j + 1, j);
                stamps.add(STAMP.format(start.plusSeconds(jitter)));
            }
            out.add(new GroupPlan(g, start, STAMP.format(start), List.copyOf(stamps), startJd,
                    startJd + durationDays / 2, times, transit));
        }
        return out;
    }

    /** The first JD ≥ {@code fromJd} at which the source transits the local meridian (apparent HA = 0). */
    public static double transitCentreOnOrAfter(SkySource source, double fromJd, Astrometry astrometry) {
        double siderealDays = CalibratorMatcher.SIDEREAL_DAY_SEC / 86400.0;
        double h = CalibratorMatcher.hourAngleRad(astrometry, source.raRad(), source.decRad(), fromJd);
        double c = fromJd + JulianDate.wrap(-h) / (2 * Math.PI) * siderealDays;
        return CalibratorMatcher.nearestTransitJd(astrometry, source.raRad(), source.decRad(), c);
    }

    /** ICRS (RA, Dec) radians of the apparent meridian at the pointing declination at {@code jd}. */
    public static double[] meridianIcrs(double jd, double decRad, Astrometry astrometry) {
        return astrometry.meridianIcrs(jd, decRad);
    }

    /** Angular distance [deg] between a source and the meridian at the pointing declination at {@code jd}. */
    public static double separationFromMeridianDeg(SkySource s, double jd, double decRad, Astrometry astrometry) {
        double[] m = meridianIcrs(jd, decRad, astrometry);
        return Math.toDegrees(SkyGeometry.separationRad(s.raRad(), s.decRad(), m[0], m[1]));
    }

    static double jd(Instant t) {
        return t.toEpochMilli() / 86_400_000.0 + UNIX_EPOCH_JD;
    }

    static Instant instant(double jd) {
        return Instant.ofEpochMilli(Math.round((jd - UNIX_EPOCH_JD) * 86_400_000.0));
    }

    /** Parses a {@code YYYY-MM-DDTHH:MM:SS} group timestamp (UTC). */
    public static Instant parseStamp(String stamp) {
        return LocalDateTime.parse(stamp).toInstant(ZoneOffset.UTC);
    }
}
