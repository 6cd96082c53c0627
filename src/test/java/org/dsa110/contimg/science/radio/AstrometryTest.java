package org.dsa110.contimg.science.radio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Astrometry} (JSOFA) against astropy: {@code fixtures/astropy_apparent_fixture.json} holds the apparent
 * sidereal time and the ICRS position of the apparent meridian for 20 instants over 2020-2035 and declinations
 * −30° … +90°, computed with Debian's astropy 5.2 ({@code astropy_apparent_fixture.py}, zero UT1 − UTC and polar
 * motion as the hub's default).
 */
class AstrometryTest {
    private static final double ARCSEC = Math.PI / 180 / 3600;
    private static final double SECOND_OF_TIME = 2 * Math.PI / 86400.0;

    @Test
    void fieldCentresAgreeWithAstropyWithinATenthOfAnArcsecond() throws Exception {
        JsonNode fx;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/astropy_apparent_fixture.json")) {
            fx = new ObjectMapper().readTree(in);
        }
        Astrometry a = Astrometry.DSA110;
        int n = 0;
        double worst = 0;
        for (JsonNode c : fx.get("cases")) {
            double jd = c.get("jd_utc").asDouble();
            double decApp = Math.toRadians(c.get("dec_app_deg").asDouble());
            double last = a.lastRad(jd);
            assertEquals(0.0, Math.IEEEremainder(last - c.get("last_rad").asDouble(), 2 * Math.PI), 0.1 * ARCSEC,
                    "LAST at JD " + jd);
            double[] icrs = a.meridianIcrs(jd, decApp);
            double sep = SkyGeometry.separationRad(icrs[0], icrs[1], Math.toRadians(c.get("ra_icrs_deg").asDouble()),
                    Math.toRadians(c.get("dec_icrs_deg").asDouble()));
            worst = Math.max(worst, sep);
            assertTrue(sep < 0.1 * ARCSEC, "field centre at JD " + jd + ", dec " + c.get("dec_app_deg") + " off by "
                    + sep / ARCSEC + "\"");
            n++;
        }
        assertEquals(200, n);
        assertTrue(worst > 0, "compared real numbers");
    }

    @Test
    void apparentSiderealTimeMatchesMeeusExample12a() {
        // Meeus, Astronomical Algorithms, ex. 12.a: 1987 Apr 10 0h UT → apparent GST 13h10m46.1351s
        Astrometry greenwich = new Astrometry(new ObservatorySite("Greenwich", 51.4779, 0.0, 0.0),
                Astrometry.EarthOrientation.ZERO);
        double gast = (13 + 10 / 60.0 + 46.1351 / 3600.0) / 24 * 2 * Math.PI;
        assertEquals(gast, greenwich.lastRad(2446895.5), 0.005 * SECOND_OF_TIME);
        // the local time adds the east longitude
        assertEquals(JulianDate.wrap(gast + Math.toRadians(-118.2817)), Astrometry.DSA110.lastRad(2446895.5),
                0.005 * SECOND_OF_TIME);
    }

    @Test
    void apparentAndIcrsAreInverse() {
        Astrometry.Instant at = Astrometry.DSA110.at(2461055.6115585);
        double ra = Math.toRadians(35.99), dec = Math.toRadians(54.45);
        double[] app = at.icrsToApparent(ra, dec);
        double[] back = at.apparentToIcrs(app[0], app[1]);
        assertEquals(ra, back[0], 1e-10);
        assertEquals(dec, back[1], 1e-10);
        double shift = SkyGeometry.separationRad(ra, dec, app[0], app[1]) / ARCSEC;
        // 26 years of precession (~50"/yr) plus nutation and aberration
        assertTrue(shift > 600 && shift < 1600, "apparent − ICRS " + shift + "\"");
    }

    @Test
    void ut1MinusUtcRotatesTheSiderealTime() {
        double jd = 2461055.6;
        Astrometry late = new Astrometry(ObservatorySite.DSA110, new Astrometry.EarthOrientation(0.5, 0, 0));
        // 0.5 s of UT1 is 0.5 × 1.0027379 s of sidereal time
        assertEquals(0.5 * 1.0027379 * SECOND_OF_TIME,
                Math.IEEEremainder(late.lastRad(jd) - Astrometry.DSA110.lastRad(jd), 2 * Math.PI),
                1e-4 * SECOND_OF_TIME);
        assertThrows(IllegalArgumentException.class, () -> new Astrometry.EarthOrientation(1.5, 0, 0));
    }
}
