package org.dsa110.contimg.science.radio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SiderealTimeTest {

    private static double hms(int h, int m, double s) {
        return (h + m / 60.0 + s / 3600.0) / 24.0 * 2 * Math.PI;
    }

    private static final double SECOND_OF_TIME = 2 * Math.PI / 86400.0;

    @Test
    void gmstMatchesMeeusExamples() {
        // Meeus, Astronomical Algorithms, ex. 12.a: 1987 Apr 10 0h UT → GMST 13h10m46.3668s
        assertEquals(hms(13, 10, 46.3668), SiderealTime.gmstRad(2446895.5), 1e-3 * SECOND_OF_TIME);
        // ex. 12.b: 1987 Apr 10 19h21m00s UT → GMST 8h34m57.0896s
        double jd = 2446895.5 + (19 + 21 / 60.0) / 24.0;
        assertEquals(hms(8, 34, 57.0896), SiderealTime.gmstRad(jd), 2e-3 * SECOND_OF_TIME);
    }

    @Test
    void apparentSiderealTimeMatchesMeeusWithinLowAccuracyNutation() {
        // ex. 12.a apparent: 13h10m46.1351s (full nutation); low-accuracy series good to a few ms
        assertEquals(hms(13, 10, 46.1351), SiderealTime.gastRad(2446895.5), 0.01 * SECOND_OF_TIME);
    }

    @Test
    void localSiderealTimeAddsEastLongitude() {
        double jd = 2460000.25;
        assertEquals(SiderealTime.wrap(SiderealTime.gmstRad(jd) + Math.toRadians(-118.2817)),
            SiderealTime.lmstRad(jd, -118.2817), 1e-12);
    }

    @Test
    void precessionMatchesMeeusExample21b() {
        // θ Persei (proper motion already applied): J2000 α 41.054063°, δ 49.227750° → 2028 Nov 13.19 TD
        double jd = 2462088.69;
        double[] p = Precession.j2000ToDate(Math.toRadians(41.054063), Math.toRadians(49.227750), jd);
        assertEquals(41.547214, Math.toDegrees(p[0]), 2e-6);
        assertEquals(49.348483, Math.toDegrees(p[1]), 2e-6);
        double[] back = Precession.dateToJ2000(p[0], p[1], jd);
        assertEquals(41.054063, Math.toDegrees(back[0]), 1e-9);
        assertEquals(49.227750, Math.toDegrees(back[1]), 1e-9);
    }
}
