package org.dsa110.contimg.science.wcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link CelestialWcs} with astropy.wcs on the headers in {@code fixtures/astropy_wcs_fixture.json}
 * (written once by {@code fixtures/astropy_wcs_fixture.py}; see that script for how it was run).
 */
class CelestialWcsAstropyFixtureTest {

    private static final double ARCSEC = 1.0 / 3600.0;

    static JsonNode fixture() throws Exception {
        try (InputStream in = CelestialWcsAstropyFixtureTest.class.getResourceAsStream(
                "/fixtures/astropy_wcs_fixture.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Header header(JsonNode values) throws Exception {
        Header h = new Header();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual()) {
                h.addValue(e.getKey(), e.getValue().asText(), "");
            } else {
                h.addValue(e.getKey(), e.getValue().asDouble(), "");
            }
        }
        return h;
    }

    @Test
    void pixelToWorldMatchesAstropyWithinTenMilliarcsec() throws Exception {
        int compared = 0;
        for (JsonNode wcsCase : fixture().get("wcs")) {
            String name = wcsCase.get("name").asText();
            CelestialWcs wcs = CelestialWcs.fromHeader(header(wcsCase.get("header")));
            for (JsonNode p : wcsCase.get("points")) {
                double x = p.get(0).asDouble();
                double y = p.get(1).asDouble();
                double ra = p.get(2).asDouble();
                double dec = p.get(3).asDouble();
                double[] sky = wcs.pixelToWorld(x, y);
                double dRa = Math.IEEEremainder(sky[0] - ra, 360.0) * Math.cos(Math.toRadians(dec));
                assertEquals(0.0, dRa, 0.01 * ARCSEC, name + " RA at pixel " + x + "," + y);
                assertEquals(dec, sky[1], 0.01 * ARCSEC, name + " Dec at pixel " + x + "," + y);

                double[] pix = wcs.worldToPixel(ra, dec);
                double tolPix = 0.01 * ARCSEC / wcs.pixelScaleDeg();
                assertEquals(x, pix[0], tolPix, name + " x of " + ra + "," + dec);
                assertEquals(y, pix[1], tolPix, name + " y of " + ra + "," + dec);
                compared++;
            }
        }
        assertTrue(compared >= 7 * 20, "compared " + compared + " points");
    }
}
