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
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.Precession;
import org.dsa110.contimg.science.radio.SiderealTime;
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
            return midJd - SiderealTime.MJD_OFFSET;
        }

        /** File name of subband {@code sb}: {@code YYYY-MM-DDTHH:MM:SS_sbNN.hdf5}. */
        public String fileName(int sb) {
            return String.format(Locale.ROOT, "%s_sb%02d.hdf5", fileTimestamps.get(sb), sb);
        }
    }

    private ObservingPlan() {
    }

    /** Plans every group of {@code config}; {@code calibrator} is needed when there are calibrator groups. */
    public static List<GroupPlan> plan(SimConfig config, SkySource calibrator, double longitudeDeg) {
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
                t = transitCentreOnOrAfter(calibrator, t + durationDays / 2, longitudeDeg) - durationDays / 2;
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

    /** The first JD ≥ {@code fromJd} at which the source transits the local meridian (apparent LST = RA of date). */
    public static double transitCentreOnOrAfter(SkySource source, double fromJd, double longitudeDeg) {
        double siderealDays = CalibratorMatcher.SIDEREAL_DAY_SEC / 86400.0;
        double c = fromJd;
        double ra = Precession.j2000ToDate(source.raRad(), source.decRad(), c)[0];
        double ahead = SiderealTime.wrap(ra - SiderealTime.lastRad(c, longitudeDeg));
        c += ahead / (2 * Math.PI) * siderealDays;
        for (int i = 0; i < 3; i++) { // refine (precession and the LST rate)
            ra = Precession.j2000ToDate(source.raRad(), source.decRad(), c)[0];
            double d = SiderealTime.wrap(ra - SiderealTime.lastRad(c, longitudeDeg) + Math.PI) - Math.PI;
            c += d / (2 * Math.PI) * siderealDays;
        }
        return c;
    }

    /** J2000 (RA, Dec) radians of the meridian at the pointing declination at {@code jd}. */
    public static double[] meridianJ2000(double jd, double decRad, double longitudeDeg) {
        return Precession.dateToJ2000(SiderealTime.lastRad(jd, longitudeDeg), decRad, jd);
    }

    /** Angular distance [deg] between a source and the meridian at the pointing declination at {@code jd}. */
    public static double separationFromMeridianDeg(SkySource s, double jd, double decRad, double longitudeDeg) {
        double[] m = meridianJ2000(jd, decRad, longitudeDeg);
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
