package org.dsa110.contimg.science.radio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArrayGeometryTest {

    @Test
    void wgs84EcefAtEquatorAndPole() {
        assertArrayClose(new double[] {6378137.0, 0, 0}, Geodesy.geodeticToEcef(0, 0, 0), 1e-6);
        // polar radius b = a(1 − f) = 6356752.314245 m
        assertArrayClose(new double[] {0, 0, 6356752.314245 + 100}, Geodesy.geodeticToEcef(90, 0, 100), 1e-5);
        double[] p = Geodesy.geodeticToEcef(0, 90, 10);
        assertArrayClose(new double[] {0, 6378147.0, 0}, p, 1e-6);
    }

    @Test
    void enuOfAPointDirectlyAboveIsUp() {
        double[] ref = Geodesy.geodeticToEcef(37.2314, -118.2817, 1222);
        double[] up = Geodesy.geodeticToEcef(37.2314, -118.2817, 1322);
        assertArrayClose(new double[] {0, 0, 100}, Geodesy.ecefToEnu(up, ref, 37.2314, -118.2817), 1e-6);
    }

    @Test
    void loadsAll117StationsWithPlausibleEnu() {
        ArrayLayout all = ArrayLayout.loadDsa110();
        assertEquals(117, all.size());
        Station s1 = all.station(1);
        Station s2 = all.station(2);
        // east spacing from Δlon: Δλ · (N + h) · cos φ with N the prime-vertical radius
        double lat = Math.toRadians(37.2333752);
        double n = Geodesy.WGS84_A / Math.sqrt(1 - Geodesy.WGS84_E2 * Math.sin(lat) * Math.sin(lat));
        double expectedEast = Math.toRadians(0.0000648) * (n + 1182.6) * Math.cos(lat);
        assertEquals(expectedEast, s2.enu()[0] - s1.enu()[0], 1e-3);
        assertEquals(0.0, s2.enu()[1] - s1.enu()[1], 1e-3);
        // the table has no elevation for DSA-117: the median station elevation is used
        assertEquals(1182.6, all.station(117).elevationM(), 1e-9);
        // the whole array is within ~2.5 km of the reference point and ~40 m below it
        for (Station s : all.stations()) {
            assertTrue(Math.hypot(s.enu()[0], s.enu()[1]) < 2500, "station " + s.number());
            assertEquals(-40, s.enu()[2], 10);
        }
    }

    @Test
    void defaultSelectionKeepsOutriggersAndBothArms() {
        ArrayLayout sel = ArrayLayout.loadDsa110().selectDefault(96);
        int[] nums = sel.numbers();
        assertEquals(96, nums.length);
        assertEquals(96, Arrays.stream(nums).distinct().count());
        for (int o = 103; o <= 117; o++) {
            assertTrue(sel.indexOf(o) >= 0, "outrigger " + o);
        }
        assertTrue(Arrays.stream(nums).filter(x -> x <= 51).count() > 30, "east-west arm");
        assertTrue(Arrays.stream(nums).filter(x -> x >= 52 && x <= 102).count() > 30, "north-south arm");
    }

    @Test
    void uvwAtZenithTransitEqualsEnuBaseline() {
        ArrayLayout layout = ArrayLayout.loadDsa110().select(1, 60, 103, 110);
        Baselines bl = Baselines.crossCorrelations(layout);
        double lst = 1.234;
        // phase centre at the zenith of the reference point: dec = geodetic latitude, H = 0
        double[] uvw = bl.uvw(lst, layout.site().latitudeRad(), lst);
        double[][] enu = layout.enu();
        for (int k = 0; k < bl.count(); k++) {
            int i = layout.indexOf(bl.ant1Number(k));
            int j = layout.indexOf(bl.ant2Number(k));
            for (int c = 0; c < 3; c++) {
                assertEquals(enu[j][c] - enu[i][c], uvw[3 * k + c], 1e-6);
            }
        }
    }

    @Test
    void uvwPreservesLengthAndRephaseMatrixRotatesBetweenCentres() {
        ArrayLayout layout = ArrayLayout.loadDsa110().select(5, 70, 104, 116);
        Baselines bl = Baselines.crossCorrelations(layout);
        double lst = 3.0;
        double ra0 = 2.9, dec0 = 0.6, ra1 = 3.05, dec1 = 0.7;
        double[] a = bl.uvw(ra0, dec0, lst);
        double[] b = bl.uvw(ra1, dec1, lst);
        double[][] m = Baselines.rephaseMatrix(ra0, dec0, ra1, dec1);
        for (int k = 0; k < bl.count(); k++) {
            double[] e = bl.ecefVector(k);
            double len = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
            assertEquals(len, Math.sqrt(a[3 * k] * a[3 * k] + a[3 * k + 1] * a[3 * k + 1] + a[3 * k + 2] * a[3 * k + 2]),
                1e-6);
            for (int r = 0; r < 3; r++) {
                double rotated = m[r][0] * a[3 * k] + m[r][1] * a[3 * k + 1] + m[r][2] * a[3 * k + 2];
                assertEquals(b[3 * k + r], rotated, 1e-6);
            }
        }
    }

    @Test
    void hourAngleSixHoursEastGivesUAlongBaselineProjection() {
        // east-west baseline, source on the equator at H = −6 h (rising in the east): w = +|b| (baseline points to source)
        ArrayLayout layout = ArrayLayout.loadDsa110().select(1, 51);
        Baselines bl = Baselines.crossCorrelations(layout);
        double[] uvw = bl.uvw(1.0 + Math.PI / 2, 0.0, 1.0);
        double east = layout.enu()[1][0] - layout.enu()[0][0];
        assertTrue(east > 250);
        assertEquals(east, uvw[2], 0.5); // small residual from the arm's tiny N/U components
        assertEquals(0.0, uvw[0], 1.0);
    }

    static void assertArrayClose(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "index " + i);
        }
    }
}
