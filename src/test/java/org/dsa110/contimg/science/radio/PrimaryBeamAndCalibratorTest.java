package org.dsa110.contimg.science.radio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryBeamAndCalibratorTest {

    private final PrimaryBeam beam = PrimaryBeam.dsa110();

    @Test
    void airyBeamShape() {
        double f = 1.4e9;
        double lambda = PrimaryBeam.SPEED_OF_LIGHT / f;
        assertEquals(1.0, beam.response(0, f), 1e-15);
        // first null at sin θ = 1.21967 λ/D (first zero of J1 = 3.831706)
        assertEquals(0.0, beam.response(Math.asin(3.831706 / Math.PI * lambda / 4.7), f), 1e-10);
        // half power at x = 1.616340
        assertEquals(0.5, beam.response(Math.asin(1.616340 / Math.PI * lambda / 4.7), f), 1e-6);
        assertEquals(2 * Math.asin(1.616340 / Math.PI * lambda / 4.7), beam.fwhmRad(f), 1e-8);
        // J1(1) = 0.4400505857 → B = (2 J1(1))²
        assertEquals(Math.pow(2 * 0.4400505857449335, 2), PrimaryBeam.airy(1.0), 1e-12);
        // science.md quotes a FWHM of ~2.5° at 1.4 GHz for the 4.7 m dishes
        assertEquals(2.6, Math.toDegrees(beam.fwhmRad(f)), 0.15);
    }

    @Test
    void parsesLBandRowsOfVlaList() {
        List<VlaCalibrator> cals = VlaCalibratorCatalog.loadLBand();
        // 1034 "20cm" rows, 14 of them with a NaN or zero flux (counted independently with Python's csv module)
        assertEquals(1020, cals.size());
        VlaCalibrator c286 = cals.stream().filter(c -> c.name().equals("1331+305")).findFirst().orElseThrow();
        assertEquals("3C286", c286.altName());
        assertEquals(15.0, c286.fluxJy(), 0);
        assertEquals(15 * (13 + 31 / 60.0 + 8.287984 / 3600), c286.raDeg(), 1e-9);
        assertEquals(30 + 30 / 60.0 + 32.958850 / 3600, c286.decDeg(), 1e-9);
        VlaCalibrator south = cals.stream().filter(c -> c.name().equals("0003-174")).findFirst().orElseThrow();
        assertEquals(-(17 + 27 / 60.0 + 11.781 / 3600), south.decDeg(), 1e-9);
    }

    @Test
    void matcherPicksHighestBeamWeightedFluxAndRecommendsFields() {
        VlaCalibrator bright = new VlaCalibrator("A", "", Math.toRadians(150.0), Math.toRadians(40.0), 10.0);
        VlaCalibrator faint = new VlaCalibrator("B", "", Math.toRadians(150.2), Math.toRadians(40.0), 12.0);
        VlaCalibrator far = new VlaCalibrator("C", "", Math.toRadians(160.0), Math.toRadians(40.0), 100.0);
        double f = 1.4e9;
        CalibratorMatcher m = new CalibratorMatcher(List.of(bright, faint, far), beam, f, 2.0, 0.5);
        // 24 field centres along RA, 0.2° apart, starting just west of the calibrators
        double[] ra = new double[24];
        double[] dec = new double[24];
        for (int i = 0; i < 24; i++) {
            ra[i] = Math.toRadians(149.5 + 0.2 * i);
            dec[i] = Math.toRadians(39.0); // 1° south of both calibrators
        }
        List<CalibratorMatch> all = m.matchAll(ra, dec);
        assertEquals(2, all.size(), "C is 10° away and must not match");
        double[] expectedA = independentResponses(bright, ra, dec, f);
        double[] expectedB = independentResponses(faint, ra, dec, f);
        int bestA = argMax(expectedA);
        int bestB = argMax(expectedB);
        String expectedBest = expectedB[bestB] * 12.0 > expectedA[bestA] * 10.0 ? "B" : "A";
        assertEquals(expectedBest, all.get(0).calibrator().name());
        CalibratorMatch a = all.stream().filter(x -> x.calibrator().name().equals("A")).findFirst().orElseThrow();
        assertEquals(bestA, a.bestField());
        assertEquals(expectedA[bestA], a.pbResponse(), 1e-9);
        assertEquals(expectedA[bestA] * 10.0, a.weightedFluxJy(), 1e-9);
        int[] recommended = java.util.stream.IntStream.range(0, 24)
            .filter(i -> expectedA[i] >= 0.5 * expectedA[bestA]).toArray();
        assertArrayEquals(recommended, a.recommendedFields());
        assertTrue(recommended.length > 1 && recommended.length < 24);
        assertEquals(CalibratorMatch.Quality.GOOD, CalibratorMatch.Quality.of(3.0, 0.9));
        assertEquals(CalibratorMatch.Quality.MARGINAL, CalibratorMatch.Quality.of(3.0, 0.4));
        assertEquals(CalibratorMatch.Quality.POOR, CalibratorMatch.Quality.of(0.1, 0.9));
        assertTrue(m.best(new double[] {0.0}, new double[] {0.0}).isEmpty());
    }

    /** Responses from the spherical law of cosines (a different separation formula than the matcher's). */
    private double[] independentResponses(VlaCalibrator c, double[] ra, double[] dec, double f) {
        double[] r = new double[ra.length];
        for (int i = 0; i < ra.length; i++) {
            double cos = Math.sin(c.decRad()) * Math.sin(dec[i])
                + Math.cos(c.decRad()) * Math.cos(dec[i]) * Math.cos(c.raRad() - ra[i]);
            double sep = Math.acos(Math.min(1, cos));
            r[i] = sep <= Math.toRadians(2.0) ? beam.response(sep, f) : 0.0;
        }
        return r;
    }

    private static int argMax(double[] x) {
        int b = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[b]) {
                b = i;
            }
        }
        return b;
    }

    @Test
    void transitAndDeclinationHelpers() {
        Astrometry a = Astrometry.DSA110;
        double jd0 = 2460400.5;
        double ra = 2.0;
        double dec = 0.9;
        double transit = CalibratorMatcher.nearestTransitJd(a, ra, dec, jd0);
        assertEquals(0.0, CalibratorMatcher.hourAngleRad(a, ra, dec, transit), 1e-7);
        assertTrue(Math.abs(transit - jd0) <= 0.5);
        assertTrue(CalibratorMatcher.inTransitWindow(a, ra, dec, transit + 29.0 / 1440, 30));
        assertFalse(CalibratorMatcher.inTransitWindow(a, ra, dec, transit + 31.0 / 1440, 30));
        // at transit the source's apparent place is on the local meridian
        double[] app = a.at(transit).icrsToApparent(ra, dec);
        assertEquals(0.0, JulianDate.wrap(a.lastRad(transit) - app[0] + Math.PI) - Math.PI, 1e-7);
        assertTrue(CalibratorMatcher.withinDeclinationTolerance(Math.toRadians(52.0), Math.toRadians(54.4), 2.5));
        assertFalse(CalibratorMatcher.withinDeclinationTolerance(Math.toRadians(51.8), Math.toRadians(54.4), 2.5));
        List<VlaCalibrator> c = CalibratorMatcher.dsa110Default().declinationCandidates(Math.toRadians(54.57), 2.5);
        assertFalse(c.isEmpty());
        c.forEach(x -> assertEquals(54.57, x.decDeg(), 2.5));
    }
}
