package org.dsa110.contimg.science.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SkyCoordsTest {

    private static final double ARCSEC = 1.0 / 3600.0;

    private static JsonNode fixture() throws Exception {
        // Written once by fixtures/astropy_wcs_fixture.py (astropy 5.2.1); see the script for how it was run.
        try (InputStream in = SkyCoordsTest.class.getResourceAsStream("/fixtures/astropy_wcs_fixture.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void galacticCentreAndPoles() {
        double[] gc = SkyCoords.equatorialToGalactic(266.40499, -28.93617);
        assertEquals(0.0, Math.IEEEremainder(gc[0], 360.0), 1e-4);
        assertEquals(0.0, gc[1], 1e-4);
        double[] ngp = SkyCoords.equatorialToGalactic(SkyCoords.RA_NGP_DEG, SkyCoords.DEC_NGP_DEG);
        assertEquals(90.0, ngp[1], 1e-9);
        // The north celestial pole is at l = l_NCP, b = Dec_NGP by construction.
        double[] ncp = SkyCoords.equatorialToGalactic(0.0, 90.0);
        assertEquals(SkyCoords.L_NCP_DEG, ncp[0], 1e-9);
        assertEquals(SkyCoords.DEC_NGP_DEG, ncp[1], 1e-9);
    }

    @Test
    void galacticMatchesAstropy() throws Exception {
        for (JsonNode row : fixture().get("galactic")) {
            double ra = row.get(0).asDouble();
            double dec = row.get(1).asDouble();
            double l = row.get(2).asDouble();
            double b = row.get(3).asDouble();
            double[] g = SkyCoords.equatorialToGalactic(ra, dec);
            if (Math.abs(b) < 89.99) { // l is undefined at the galactic pole
                // Our 5-decimal pole constants differ from astropy's by a few mas.
                assertEquals(0.0, Math.IEEEremainder(g[0] - l, 360.0) * Math.cos(Math.toRadians(b)),
                        0.03 * ARCSEC, "l of " + ra + "," + dec);
            }
            assertEquals(b, g[1], 0.03 * ARCSEC, "b of " + ra + "," + dec);
        }
    }

    @Test
    void separationMatchesAstropyIncludingTinyAndAntipodal() throws Exception {
        for (JsonNode row : fixture().get("separation")) {
            double expected = row.get(4).asDouble();
            double sep = SkyCoords.separationDeg(row.get(0).asDouble(), row.get(1).asDouble(),
                    row.get(2).asDouble(), row.get(3).asDouble());
            assertEquals(expected, sep, 1e-9, row.toString());
        }
        // Symmetry and a hand-computed value: along a meridian the separation is the Dec difference.
        assertEquals(12.5, SkyCoords.separationDeg(40, 10, 40, 22.5), 1e-12);
        assertEquals(1e-7, SkyCoords.separationDeg(40, 10, 40, 10 + 1e-7), 1e-14);
        assertEquals(180.0, SkyCoords.separationDeg(0, 0, 180, 0), 1e-12);
    }

    @Test
    void sexagesimalStrings() {
        assertEquals("12:30:00.00", SkyCoords.formatRa(187.5));
        assertEquals("00:00:00.00", SkyCoords.formatRa(359.99999999)); // rounds up and wraps
        assertEquals("13:31:08.29", SkyCoords.formatRa(15 * (13 + 31 / 60.0 + 8.288 / 3600)));
        assertEquals("+30:30:32.9", SkyCoords.formatDec(30 + 30 / 60.0 + 32.94 / 3600));
        assertEquals("-28:56:10.2", SkyCoords.formatDec(-28.93617));
        assertEquals("-00:30:00.0", SkyCoords.formatDec(-0.5));
        assertEquals("+00:00:00.0", SkyCoords.formatDec(-1e-9));
        assertEquals("+01:00:00.0", SkyCoords.formatDec(0.99999999));
    }

    @Test
    void iauNamesTruncateAndUseHours() {
        // 3C286: 13h31m08.288s +30d30'32.96" → truncated digits.
        assertEquals("NVSS J133108.2+303032",
                SkyCoords.nvssName(13 + 31 / 60.0 + 8.288 / 3600, 30 + 30 / 60.0 + 32.96 / 3600));
        // 08.29 s and 59.9" would round up; truncation keeps them.
        assertEquals("NVSS J000008.2-053059", SkyCoords.nvssName(8.29 / 3600, -(5 + 30 / 60.0 + 59.9 / 3600)));
        // Exact values survive binary rounding; negative zero-degree declinations keep their sign.
        assertEquals("NVSS J023010.5-003000", SkyCoords.nvssName(2.5 + 10.5 / 3600, -0.5));
        assertEquals("X J235959.9+895959", SkyCoords.iauName("X", 23.99999999, 89.99999));
    }

    @Test
    void mjdConversionsMatchAstropy() throws Exception {
        for (JsonNode row : fixture().get("time")) {
            String iso = row.get(0).asText();
            double mjd = row.get(1).asDouble();
            double jd = row.get(2).asDouble();
            assertEquals(mjd, SkyCoords.dateObsToMjd(iso), 1e-9, iso);
            assertEquals(mjd, SkyCoords.dateObsToMjd(iso + "Z"), 1e-9, iso + "Z");
            assertEquals(jd, SkyCoords.mjdToJd(SkyCoords.dateObsToMjd(iso)), 1e-8, iso);
        }
    }

    @Test
    void dateObsVariantsAndInstants() {
        assertEquals(51544.5, SkyCoords.dateObsToMjd("2000-01-01T12:00:00.000"), 0);
        assertEquals(51544.0, SkyCoords.dateObsToMjd("2000-01-01"), 0);
        assertEquals(51544.5, SkyCoords.dateObsToMjd("2000-01-01T14:00:00+02:00"), 0);
        assertEquals(51544.5 + 0.25 / 86400, SkyCoords.dateObsToMjd("2000-01-01T12:00:00.25Z"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SkyCoords.dateObsToMjd("15/01/24"));
        assertThrows(IllegalArgumentException.class, () -> SkyCoords.dateObsToMjd(" "));

        Instant t = Instant.parse("2024-01-15T12:34:56.789Z");
        double mjd = SkyCoords.instantToMjd(t);
        assertEquals(t, SkyCoords.mjdToInstant(mjd));
        assertEquals(Instant.parse("1858-11-17T00:00:00Z"), SkyCoords.mjdToInstant(0.0));
        assertEquals(2451545.0, SkyCoords.instantToJd(Instant.parse("2000-01-01T12:00:00Z")), 0);
        assertEquals(51544.5, SkyCoords.jdToMjd(2451545.0), 0);
        assertEquals("2024-01-15T12:34:56.789", SkyCoords.formatDateObs(t));
    }
}
