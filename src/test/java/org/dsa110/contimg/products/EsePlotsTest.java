package org.dsa110.contimg.products;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.monitoring.EseTrends;
import org.dsa110.contimg.api.PlotCache;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Epochs of a synthetic field measured by the photometry service until one source's dip makes it an ESE
 * candidate; then the ESE candidate plots draw it (and say "no data" above its significance).
 */
class EsePlotsTest {
    static final int EPOCHS = 36;
    static final int DIP_EPOCH = 5;
    static TestHub hub;
    static String eseId;

    @BeforeAll
    static void observe() throws Exception {
        hub = TestHub.start(Map.of());
        SyntheticSky sky = new SyntheticSky(200.0, 45.0);
        for (int i = 0; i < 4; i++) {
            sky.add("REF" + i, i < 2 ? -70 : 70, i % 2 == 0 ? -70 : 70, 200, 100);
        }
        sky.add("STEADY", 30, 20, 50, 30);
        SyntheticSky.Source ese = sky.add("ESE", -35, -25, 50, 30);
        eseId = SkyCoords.nvssName(ese.raDeg() / 15, ese.decDeg());
        hub.bean("referenceCatalog", ReferenceCatalog.class)
                .load(sky.writeCatalog(hub.dataDir().resolve("catalogs/ese-plots.csv")));
        ImageRegistry registry = hub.bean("imageRegistry", ImageRegistry.class);
        PhotometryService photometry = hub.bean("photometryService", PhotometryService.class);
        Instant start = Instant.parse("2025-06-01T08:00:00Z");
        for (int e = 0; e < EPOCHS; e++) {
            double gain = 1 + 0.08 * Math.sin(1.7 * e);
            double esePeak = e == DIP_EPOCH ? 0.015 : 0.050;
            double[] peaks = {0.2 * gain, 0.2 * gain, 0.2 * gain, 0.2 * gain, 0.05 * gain, esePeak * gain};
            Path file = sky.writeImage(hub.dataDir().resolve("products/images/esep-" + e + ".fits"), peaks,
                    start.plus(Duration.ofDays(e)), 1000L + e);
            long id = registry.register(file.toString(), ImageRegistry.Registration.of("/data/ms/esep-" + e + ".ms"));
            photometry.measureImage(id);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<byte[]> png(String path) throws Exception {
        HttpResponse<byte[]> r = hub.getBytes(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, path);
        return r;
    }

    @Test
    void candidatePlotsDrawTheCandidate() throws Exception {
        EseTrends trends = hub.bean("eseTrends", EseTrends.class);
        List<EseTrends.LightCurve> curves = trends.lightCurves(3.0, 8);
        assertTrue(curves.stream().anyMatch(c -> c.sourceId().equals(eseId)), "the dipping source is plotted");
        EseTrends.LightCurve c = curves.stream().filter(x -> x.sourceId().equals(eseId)).findFirst().orElseThrow();
        assertEquals(EPOCHS, c.times().size());
        double min = c.fluxMjy().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(c.fluxMjy().get(DIP_EPOCH), min, 1e-9, "the dip is the faintest epoch");

        for (String p : new String[] {"/api/ese-candidates/plots/flux-variations",
            "/api/ese-candidates/plots/sky-distribution"}) {
            HttpResponse<byte[]> r = png(p);
            assertEquals("false", r.headers().firstValue(PlotCache.EMPTY_HEADER).orElse(""), p);
            assertArrayEquals(r.body(), png(p.replace("/api/", "/api/monitoring/")).body(), "alias of " + p);
            assertEquals("true", png(p + "?min_sigma=1000").headers().firstValue(PlotCache.EMPTY_HEADER)
                    .orElse(""), p + " above every candidate");
        }
        assertEquals(400, hub.get("/api/ese-candidates/plots/sky-distribution?min_sigma=abc").statusCode());
    }
}
