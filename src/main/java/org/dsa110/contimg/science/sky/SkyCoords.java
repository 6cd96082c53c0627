package org.dsa110.contimg.science.sky;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Sky-coordinate and time utilities: angular separation, J2000 equatorial → galactic, sexagesimal strings, IAU-style
 * source names, and MJD / JD / FITS DATE-OBS conversions. All angles are in degrees unless a name says otherwise.
 *
 * <p>Times are treated as UTC with 86400-second days (leap seconds are not modelled), which is how FITS DATE-OBS
 * and the pipeline's MJDs are used.
 */
public final class SkyCoords {

    /** J2000 north galactic pole and galactic longitude of the north celestial pole (Hipparcos/Liu et al. 2011). */
    public static final double RA_NGP_DEG = 192.85948;
    public static final double DEC_NGP_DEG = 27.12825;
    public static final double L_NCP_DEG = 122.93192;

    /** MJD = JD − 2400000.5; MJD 0 is 1858-11-17T00:00Z. */
    public static final double MJD_TO_JD = 2400000.5;

    private static final Instant MJD_EPOCH = Instant.parse("1858-11-17T00:00:00Z");
    private static final double SECONDS_PER_DAY = 86400.0;
    private static final double SIN_DEC_NGP = Math.sin(Math.toRadians(DEC_NGP_DEG));
    private static final double COS_DEC_NGP = Math.cos(Math.toRadians(DEC_NGP_DEG));

    private SkyCoords() {
    }

    // ------------------------------------------------------------------ angles

    /**
     * Great-circle separation in degrees between (ra1, dec1) and (ra2, dec2), by the Vincenty formula: accurate at
     * all separations, including very small and nearly antipodal ones.
     */
    public static double separationDeg(double ra1, double dec1, double ra2, double dec2) {
        double dRa = Math.toRadians(ra2 - ra1);
        double d1 = Math.toRadians(dec1);
        double d2 = Math.toRadians(dec2);
        double sinD1 = Math.sin(d1);
        double cosD1 = Math.cos(d1);
        double sinD2 = Math.sin(d2);
        double cosD2 = Math.cos(d2);
        double sinDRa = Math.sin(dRa);
        double cosDRa = Math.cos(dRa);
        double num1 = cosD2 * sinDRa;
        double num2 = cosD1 * sinD2 - sinD1 * cosD2 * cosDRa;
        double den = sinD1 * sinD2 + cosD1 * cosD2 * cosDRa;
        return Math.toDegrees(Math.atan2(Math.hypot(num1, num2), den));
    }

    /**
     * Galactic coordinates {l, b} in degrees (l in [0, 360)) of a J2000 (FK5) position, by the rotation that puts
     * the pole at ({@link #RA_NGP_DEG}, {@link #DEC_NGP_DEG}) with the celestial pole at l = {@link #L_NCP_DEG}.
     */
    public static double[] equatorialToGalactic(double raDeg, double decDeg) {
        double dRa = Math.toRadians(raDeg - RA_NGP_DEG);
        double dec = Math.toRadians(decDeg);
        double sinDec = Math.sin(dec);
        double cosDec = Math.cos(dec);
        double sinB = sinDec * SIN_DEC_NGP + cosDec * COS_DEC_NGP * Math.cos(dRa);
        double y = cosDec * Math.sin(dRa);
        double x = sinDec * COS_DEC_NGP - cosDec * SIN_DEC_NGP * Math.cos(dRa);
        double l = L_NCP_DEG - Math.toDegrees(Math.atan2(y, x));
        double b = Math.toDegrees(Math.atan2(sinB, Math.hypot(x, y)));
        return new double[] {normalizeDeg(l), b};
    }

    /** Angle reduced to [0, 360). */
    public static double normalizeDeg(double deg) {
        double r = deg % 360.0;
        if (r < 0) {
            r += 360.0;
        }
        return r >= 360.0 ? 0.0 : r;
    }

    // ------------------------------------------------------------------ strings

    /** RA in degrees as "HH:MM:SS.ss", rounded to 0.01 s (23:59:59.999 becomes 00:00:00.00). */
    public static String formatRa(double raDeg) {
        long centis = Math.round(normalizeDeg(raDeg) / 15.0 * 360000.0) % (24L * 360000L);
        return String.format("%02d:%02d:%02d.%02d", centis / 360000, centis / 6000 % 60, centis / 100 % 60,
                centis % 100);
    }

    /** Dec in degrees as "+DD:MM:SS.s" (sign always present), rounded to 0.1 arcsec. */
    public static String formatDec(double decDeg) {
        long tenths = Math.round(Math.abs(decDeg) * 36000.0);
        char sign = decDeg < 0 && tenths > 0 ? '-' : '+';
        return String.format("%c%02d:%02d:%02d.%d", sign, tenths / 36000, tenths / 600 % 60, tenths / 10 % 60,
                tenths % 10);
    }

    /**
     * IAU-style J2000 designation {@code <prefix> Jhhmmss.s+ddmmss} from RA in <b>hours</b> and Dec in degrees.
     * Following the IAU convention the digits are <b>truncated</b>, not rounded (RA to 0.1 s, Dec to 1″), so a
     * source never moves into the next cell; a tolerance of 1e-6 of the last digit absorbs binary rounding of
     * exact values (e.g. 10.5 s stored as 10.4999999…). The sign comes from the Dec itself, so −0.5° gives "-00…".
     */
    public static String iauName(String prefix, double raHours, double decDeg) {
        double h = raHours % 24.0;
        if (h < 0) {
            h += 24.0;
        }
        long raTenths = (long) Math.floor(h * 36000.0 + 1e-6) % (24L * 36000L);
        long decSec = (long) Math.floor(Math.abs(decDeg) * 3600.0 + 1e-6);
        char sign = decDeg < 0 ? '-' : '+';
        return String.format("%s J%02d%02d%02d.%d%c%02d%02d%02d", prefix, raTenths / 36000, raTenths / 600 % 60,
                raTenths / 10 % 60, raTenths % 10, sign, decSec / 3600, decSec / 60 % 60, decSec % 60);
    }

    /** {@code NVSS Jhhmmss.s+ddmmss} source id from RA in hours (see {@link #iauName}). */
    public static String nvssName(double raHours, double decDeg) {
        return iauName("NVSS", raHours, decDeg);
    }

    // ------------------------------------------------------------------ time

    /** MJD (UTC days) of an instant. */
    public static double instantToMjd(Instant t) {
        Duration d = Duration.between(MJD_EPOCH, t);
        return (d.getSeconds() + d.getNano() * 1e-9) / SECONDS_PER_DAY;
    }

    /** Instant of an MJD (UTC), to the nearest microsecond (the resolution a double MJD carries today). */
    public static Instant mjdToInstant(double mjd) {
        double days = Math.floor(mjd);
        long micros = Math.round((mjd - days) * SECONDS_PER_DAY * 1e6);
        return MJD_EPOCH.plusSeconds((long) days * 86400L).plusNanos(micros * 1000L);
    }

    public static double mjdToJd(double mjd) {
        return mjd + MJD_TO_JD;
    }

    public static double jdToMjd(double jd) {
        return jd - MJD_TO_JD;
    }

    public static double instantToJd(Instant t) {
        return mjdToJd(instantToMjd(t));
    }

    /**
     * Parses a FITS DATE-OBS value (ISO 8601: {@code YYYY-MM-DD[Thh:mm:ss[.s…]]}, optionally ending in 'Z' or an
     * offset) as an instant; a value without zone is UTC.
     *
     * @throws IllegalArgumentException when the value is not such a date
     */
    public static Instant parseDateObs(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty DATE-OBS");
        }
        String s = value.trim();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (s.endsWith("Z") || s.endsWith("z")) {
                return LocalDateTime.parse(s.substring(0, s.length() - 1)).toInstant(ZoneOffset.UTC);
            }
            if (s.length() > 19 && s.substring(19).matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO DATE-OBS: '" + value + "'", e);
        }
    }

    /** MJD of a FITS DATE-OBS value (see {@link #parseDateObs}). */
    public static double dateObsToMjd(String value) {
        return instantToMjd(parseDateObs(value));
    }

    /** FITS DATE-OBS string {@code YYYY-MM-DDThh:mm:ss.sss} (UTC, no zone letter, truncated to the millisecond). */
    public static String formatDateObs(Instant t) {
        LocalDateTime ldt = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03d", ldt.getYear(), ldt.getMonthValue(),
                ldt.getDayOfMonth(), ldt.getHour(), ldt.getMinute(), ldt.getSecond(), ldt.getNano() / 1_000_000);
    }
}
