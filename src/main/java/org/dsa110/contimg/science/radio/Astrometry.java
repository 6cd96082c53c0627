package org.dsa110.contimg.science.radio;

import org.jastronomy.jsofa.JSOFA;
import org.jastronomy.jsofa.JSOFAIllegalParameter;
import org.jastronomy.jsofa.JSOFAInternalError;

/**
 * Sidereal time and the apparent ↔ ICRS transforms of the pipeline, through JSOFA (the Java translation of IAU
 * SOFA): no hand-written precession anywhere.
 *
 * <p>"Apparent" here is the topocentric apparent place of the site: true equator and equinox of date (IAU
 * 2006/2000A precession-nutation with frame bias), annual and diurnal aberration and light deflection by the Sun
 * included, no refraction; a direction's apparent RA is LAST − HA, LAST being the local apparent sidereal time
 * (GAST IAU 2006/2000A + east longitude). This is what a DSA-110 drift scan is phased to (HA = 0 at the pointing
 * declination) and what pyuvdata and astropy ({@code TETE} with the site as location) call apparent. Internally:
 * {@code jauApco13} (context for the instant), {@code jauAtoiq}/{@code jauAticq} (observed → CIRS → ICRS) and
 * {@code jauAtciq}/{@code jauAtioq} (ICRS → CIRS → observed) with zero pressure, so "observed" is the apparent place.
 *
 * <p>Earth orientation (UT1 − UTC, polar motion) comes from {@link EarthOrientation}; zero by default. Error budget
 * of the default (docs/conventions.md): |UT1 − UTC| ≤ 0.9 s rotates LAST by ≤ 13.5″ (only where LAST is computed,
 * not where a file gives it); polar motion ≤ 0.5″ moves the local meridian by as much; the model itself agrees with
 * astropy to ≲ 1 mas (ApparentPlaceAstropyTest). Leap seconds come from JSOFA's table (TAI − UTC = 37 s since 2017).
 */
public final class Astrometry {
    private static final double ARCSEC = Math.PI / (180.0 * 3600.0);
    /** Half the arc over which pyuvdata measures the frame position angle (0.5°). */
    private static final double FRAME_PA_ARC = Math.PI / 360;

    /** IERS Earth orientation parameters: UT1 − UTC (s), polar motion x, y (arcsec). */
    public record EarthOrientation(double ut1MinusUtcSec, double polarXArcsec, double polarYArcsec) {
        public static final EarthOrientation ZERO = new EarthOrientation(0, 0, 0);

        public EarthOrientation {
            if (!(Math.abs(ut1MinusUtcSec) < 1.0) || !(Math.abs(polarXArcsec) < 2) || !(Math.abs(polarYArcsec) < 2)) {
                throw new IllegalArgumentException("Earth orientation out of range: |UT1-UTC| < 1 s, |x|, |y| < 2\"");
            }
        }
    }

    /** The DSA-110 site with zero UT1 − UTC and polar motion. */
    public static final Astrometry DSA110 = new Astrometry(ObservatorySite.DSA110, EarthOrientation.ZERO);

    private final ObservatorySite site;
    private final EarthOrientation eop;

    public Astrometry(ObservatorySite site, EarthOrientation eop) {
        this.site = site;
        this.eop = eop;
    }

    public ObservatorySite site() {
        return site;
    }

    public EarthOrientation earthOrientation() {
        return eop;
    }

    /** The same Earth orientation at another site. */
    public Astrometry at(ObservatorySite other) {
        return other.equals(site) ? this : new Astrometry(other, eop);
    }

    /** The transforms at one instant (JD, UTC); build once per integration and reuse. */
    public Instant at(double jdUtc) {
        return new Instant(jdUtc);
    }

    /** Local apparent sidereal time (radians, [0, 2π)) at {@code jdUtc}. */
    public double lastRad(double jdUtc) {
        return at(jdUtc).lastRad();
    }

    /** ICRS (RA, Dec) of the apparent meridian at apparent declination {@code decApp} at {@code jdUtc}. */
    public double[] meridianIcrs(double jdUtc, double decApp) {
        Instant i = at(jdUtc);
        return i.apparentToIcrs(i.lastRad(), decApp);
    }

    /**
     * Topocentric (hour angle, declination) of a fixed alt-az direction (azimuth from north through east, elevation),
     * radians, at geodetic latitude {@code latRad} (SOFA {@code ae2hd}).
     */
    public static double[] altAzToHaDec(double azRad, double elRad, double latRad) {
        JSOFA.EquatorialCoordinate hd = JSOFA.jauAe2hd(azRad, elRad, latRad);
        return new double[] {hd.ha, hd.dec};
    }

    /** FK5 J2000 (RA, Dec) → ICRS, radians (SOFA {@code fk5hz} at J2000: the frame bias, ≤ 0.02″). */
    public static double[] fk5J2000ToIcrs(double ra, double dec) {
        JSOFA.SphericalCoordinate c = JSOFA.jauFk5hz(ra, dec, 2451545.0, 0.0);
        return new double[] {JulianDate.wrap(c.alpha), c.delta};
    }

    /** Apparent place, sidereal time and frame orientation at one instant. */
    public final class Instant {
        private final JSOFA.Astrom astrom = new JSOFA.Astrom();
        private final double eo;
        private final double jdUtc;

        private Instant(double jdUtc) {
            this.jdUtc = jdUtc;
            double whole = Math.floor(jdUtc - 0.5) + 0.5;
            try {
                eo = JSOFA.jauApco13(whole, jdUtc - whole, eop.ut1MinusUtcSec(), site.longitudeRad(),
                        site.latitudeRad(), site.altitudeM(), eop.polarXArcsec() * ARCSEC,
                        eop.polarYArcsec() * ARCSEC, 0, 0, 0, 0, astrom);
            } catch (JSOFAIllegalParameter | JSOFAInternalError e) {
                throw new IllegalArgumentException("SOFA cannot compute the apparent place at JD " + jdUtc + ": "
                        + e.getMessage(), e);
            }
        }

        public double jdUtc() {
            return jdUtc;
        }

        /** Local apparent sidereal time: local Earth rotation angle minus the equation of the origins. */
        public double lastRad() {
            return JulianDate.wrap(astrom.eral - eo);
        }

        /** Apparent (RA, Dec) → ICRS (RA, Dec), radians. */
        public double[] apparentToIcrs(double raApp, double decApp) {
            JSOFA.SphericalCoordinate cirs = JSOFA.jauAtoiq("H", lastRad() - raApp, decApp, astrom);
            JSOFA.SphericalCoordinate icrs = JSOFA.jauAticq(cirs.alpha, cirs.delta, astrom);
            return new double[] {JulianDate.wrap(icrs.alpha), icrs.delta};
        }

        /** ICRS (RA, Dec) → apparent (RA, Dec), radians. */
        public double[] icrsToApparent(double ra, double dec) {
            JSOFA.SphericalCoordinate cirs = JSOFA.jauAtciq(ra, dec, 0, 0, 0, 0, astrom);
            JSOFA.ObservedPosition obs = JSOFA.jauAtioq(cirs.alpha, cirs.delta, astrom);
            return new double[] {JulianDate.wrap(lastRad() - obs.hob), obs.dob};
        }

        /**
         * Frame position angle (radians) at the apparent place of the ICRS position (ra, dec): rotating (u, v)
         * computed in the apparent frame by this angle makes them point to ICRS east and north. Defined as pyuvdata
         * 2.4 defines {@code phase_center_frame_pa} (and so as the uvw of a Measurement Set or UVFITS file pyuvdata
         * writes for the same data): minus the ICRS position angle of the apparent-meridian arc from 0.5° south
         * to 0.5° north of the centre, measured at its southern end ({@code utils.calc_frame_pos_angle}). That
         * differs from the angle at the centre itself by about PA·tan(dec)·0.5° (3e-5 rad at dec 54°, 26 years
         * from J2000: the image turns by 6″ about its centre, 0.15″ at 1.3°); it is kept so that our uvw equal
         * pyuvdata's (docs/conventions.md, ReferenceVisibilitiesTest).
         */
        public double framePositionAngle(double ra, double dec) {
            double[] app = icrsToApparent(ra, dec);
            double[] north = apparentToIcrsOverPole(app[0], app[1] + FRAME_PA_ARC);
            double[] south = apparentToIcrsOverPole(app[0], app[1] - FRAME_PA_ARC);
            return -JSOFA.jauPas(south[0], south[1], north[0], north[1]);
        }

        private double[] apparentToIcrsOverPole(double raApp, double decApp) {
            if (decApp > Math.PI / 2) {
                return apparentToIcrs(raApp + Math.PI, Math.PI - decApp);
            }
            if (decApp < -Math.PI / 2) {
                return apparentToIcrs(raApp + Math.PI, -Math.PI - decApp);
            }
            return apparentToIcrs(raApp, decApp);
        }
    }
}
