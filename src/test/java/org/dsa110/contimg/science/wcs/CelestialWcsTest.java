package org.dsa110.contimg.science.wcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CelestialWcsTest {

    private static final double ROT = Math.toRadians(17.0);

    /** SIN/TAN × (CD matrix | CDELT+PC) × declinations, all with the reference at RA 0.2° so fields cross RA 0. */
    static Stream<Arguments> roundTripCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Projection p : Projection.values()) {
            for (double dec : new double[] {16.0, 54.57, 89.0, -30.0}) {
                double c = Math.cos(ROT);
                double s = Math.sin(ROT);
                double cdelt = 1.0e-3;
                CelestialWcs cd = CelestialWcs.fromCd(p, 0.2, dec, 1001.0, 990.5,
                        -cdelt * c, cdelt * s, cdelt * 1.02 * s, cdelt * 1.02 * c);
                CelestialWcs pc = CelestialWcs.of(p, 0.2, dec, 1001.0, 990.5, -cdelt, cdelt)
                        .withPc(c, -s, s, c);
                cases.add(Arguments.of(p + " CD dec " + dec, cd));
                cases.add(Arguments.of(p + " PC dec " + dec, pc));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripCases")
    void pixelSkyPixelRoundTripIsExactToMicroPixels(String label, CelestialWcs wcs) {
        boolean crossedRaZero = false;
        for (int y = -40; y <= 2040; y += 65) {
            for (int x = -40; x <= 2040; x += 65) {
                double px = x + 0.25;
                double py = y - 0.375;
                double[] sky = wcs.pixelToWorld(px, py);
                assertTrue(Double.isFinite(sky[0]) && Double.isFinite(sky[1]), label + " at " + px + "," + py);
                assertTrue(sky[0] >= 0 && sky[0] < 360, "RA normalised");
                crossedRaZero |= sky[0] > 359.0;
                double[] back = wcs.worldToPixel(sky[0], sky[1]);
                assertEquals(px, back[0], 1e-6, label + " x at " + px + "," + py);
                assertEquals(py, back[1], 1e-6, label + " y at " + px + "," + py);
            }
        }
        assertTrue(crossedRaZero, "the grid should straddle RA = 0");
    }

    @Test
    void referencePixelMapsToReferenceValue() {
        CelestialWcs wcs = CelestialWcs.sin(12.5, 54.57, 1025.0, 1024.0, 1.0 / 3600);
        double[] sky = wcs.pixelToWorld(1024.0, 1023.0); // FITS (1025, 1024)
        assertEquals(12.5, sky[0], 1e-12);
        assertEquals(54.57, sky[1], 1e-12);
        double[] pix = wcs.worldToPixel(12.5, 54.57);
        assertEquals(1024.0, pix[0], 1e-9);
        assertEquals(1023.0, pix[1], 1e-9);
    }

    @Test
    void offsetsAlongTheAxesFollowTheProjectionFormulas() {
        // At dec 0 a pixel offset along x is a pure RA offset: SIN gives sin(dRA) = x, TAN gives tan(dRA) = x.
        double cdelt = 0.01;
        double[] sin = CelestialWcs.sin(100.0, 0.0, 1.0, 1.0, cdelt).pixelToWorld(-500.0, 0.0);
        assertEquals(100.0 + Math.toDegrees(Math.asin(Math.toRadians(5.0))), sin[0], 1e-10);
        assertEquals(0.0, sin[1], 1e-10);
        double[] tan = CelestialWcs.tan(100.0, 0.0, 1.0, 1.0, cdelt).pixelToWorld(-500.0, 0.0);
        assertEquals(100.0 + Math.toDegrees(Math.atan(Math.toRadians(5.0))), tan[0], 1e-10);
        // Along y from the reference: SIN gives sin(dDec) = y.
        double[] north = CelestialWcs.sin(100.0, 30.0, 1.0, 1.0, cdelt).pixelToWorld(0.0, 300.0);
        assertEquals(100.0, north[0], 1e-10);
        assertEquals(30.0 + Math.toDegrees(Math.asin(Math.toRadians(3.0))), north[1], 1e-10);
    }

    @Test
    void farSideOfSinProjectionIsNaN() {
        CelestialWcs wcs = CelestialWcs.sin(30.0, 40.0, 513.0, 513.0, 0.1);
        double[] antipode = wcs.worldToPixel(210.0, -40.0);
        assertTrue(Double.isNaN(antipode[0]) && Double.isNaN(antipode[1]));
        double[] behind = wcs.worldToPixel(30.0 + 180.0, 40.0 - 100.0); // 140° from the centre
        assertTrue(Double.isNaN(behind[0]));
        // Pixels beyond the horizon circle (|R| > 1 rad = 573 pixels of 0.1°).
        double[] outside = wcs.pixelToWorld(512.0 + 600.0, 512.0);
        assertTrue(Double.isNaN(outside[0]) && Double.isNaN(outside[1]));
        // Just inside the horizon is still valid.
        assertFalse(Double.isNaN(wcs.pixelToWorld(512.0 + 572.0, 512.0)[0]));
        // TAN cannot show the hemisphere 90° or more away.
        CelestialWcs tan = CelestialWcs.tan(30.0, 40.0, 513.0, 513.0, 0.1);
        assertTrue(Double.isNaN(tan.worldToPixel(210.0, -40.0)[0]));
    }

    @Test
    void pixelScaleIsRootOfDeterminant() {
        assertEquals(2.0 / 3600, CelestialWcs.sin(0, 10, 1, 1, 2.0 / 3600).pixelScaleDeg(), 1e-15);
        CelestialWcs cd = CelestialWcs.fromCd(Projection.TAN, 0, 10, 1, 1, -2e-4, 1e-5, 3e-5, 5e-4);
        assertEquals(Math.sqrt(Math.abs(-2e-4 * 5e-4 - 1e-5 * 3e-5)), cd.pixelScaleDeg(), 1e-18);
    }

    @Test
    void headerRoundTripPreservesTheTransformation() throws Exception {
        CelestialWcs original = CelestialWcs.of(Projection.SIN, 359.9, 37.2, 300.5, 288.0, -0.004, 0.0041)
                .withPc(0.98, -0.2, 0.2, 0.98).withSinSlant(0.05, 0.3).withLonpole(175.0);
        Header h = new Header();
        original.toHeader(h);
        assertEquals("RA---SIN", h.getStringValue("CTYPE1"));
        assertEquals("DEC--SIN", h.getStringValue("CTYPE2"));
        CelestialWcs read = CelestialWcs.fromHeader(h);
        assertEquals(original.projection(), read.projection());
        assertEquals(175.0, read.lonpole(), 0);
        assertEquals(0.3, read.sinEta(), 0);
        for (double[] p : new double[][] {{0, 0}, {299.5, 287}, {600, 10}, {-50, 500}}) {
            double[] a = original.pixelToWorld(p[0], p[1]);
            double[] b = read.pixelToWorld(p[0], p[1]);
            assertEquals(a[0], b[0], 1e-12);
            assertEquals(a[1], b[1], 1e-12);
        }
    }

    @Test
    void writingReplacesAnExistingCdMatrix() throws Exception {
        Header h = new Header();
        h.addValue("CD1_1", -1.0, "");
        h.addValue("CD2_2", 1.0, "");
        h.addValue("CROTA2", 30.0, "");
        CelestialWcs.tan(10, 20, 5, 5, 0.01).toHeader(h);
        assertFalse(h.containsKey("CD1_1"));
        assertFalse(h.containsKey("CROTA2"));
        assertEquals(0.01, CelestialWcs.fromHeader(h).pixelScaleDeg(), 1e-15);
    }

    @Test
    void crota2IsEquivalentToTheRotationPcMatrix() throws Exception {
        double rho = 25.0;
        Header h = new Header();
        h.addValue("CTYPE1", "RA---TAN", "");
        h.addValue("CTYPE2", "DEC--TAN", "");
        h.addValue("CRVAL1", 150.0, "");
        h.addValue("CRVAL2", 2.2, "");
        h.addValue("CRPIX1", 100.0, "");
        h.addValue("CRPIX2", 100.0, "");
        h.addValue("CDELT1", -0.001, "");
        h.addValue("CDELT2", 0.002, "");
        h.addValue("CROTA2", rho, "");
        CelestialWcs fromCrota = CelestialWcs.fromHeader(h);
        double c = Math.cos(Math.toRadians(rho));
        double s = Math.sin(Math.toRadians(rho));
        // Paper II eq. 188 in CD form.
        CelestialWcs fromCd = CelestialWcs.fromCd(Projection.TAN, 150.0, 2.2, 100.0, 100.0,
                -0.001 * c, -0.002 * s, -0.001 * s, 0.002 * c);
        double[] a = fromCrota.pixelToWorld(300, -20);
        double[] b = fromCd.pixelToWorld(300, -20);
        assertEquals(b[0], a[0], 1e-12);
        assertEquals(b[1], a[1], 1e-12);
    }

    @Test
    void shiftedOriginKeepsSkyPositions() {
        CelestialWcs parent = CelestialWcs.sin(200.0, -30.0, 1025.0, 1025.0, 1.0 / 3600);
        CelestialWcs child = parent.shiftedOrigin(300, 410);
        double[] a = parent.pixelToWorld(317.0, 455.5);
        double[] b = child.pixelToWorld(17.0, 45.5);
        assertEquals(a[0], b[0], 1e-12);
        assertEquals(a[1], b[1], 1e-12);
    }

    @Test
    void centredOnPutsTheReferenceAtTheCasaCentrePixel() {
        CelestialWcs wcs = CelestialWcs.centredOn(Projection.SIN, 10.0, 20.0, 1000, 800, 0.001);
        assertEquals(501.0, wcs.crpix1());
        assertEquals(401.0, wcs.crpix2());
        double[] sky = wcs.pixelToWorld(500, 400);
        assertEquals(10.0, sky[0], 1e-12);
        assertEquals(20.0, sky[1], 1e-12);
    }

    @Test
    void rejectsUnsupportedHeaders() throws Exception {
        Header h = new Header();
        h.addValue("CTYPE1", "RA---ZEA", "");
        h.addValue("CTYPE2", "DEC--ZEA", "");
        assertThrows(IllegalArgumentException.class, () -> CelestialWcs.fromHeader(h));
        Header g = new Header();
        g.addValue("CTYPE1", "GLON-SIN", "");
        g.addValue("CTYPE2", "GLAT-SIN", "");
        assertThrows(IllegalArgumentException.class, () -> CelestialWcs.fromHeader(g));
    }
}
