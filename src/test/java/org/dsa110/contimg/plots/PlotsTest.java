package org.dsa110.contimg.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PlotsTest {

    static BufferedImage decode(Plot p) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.png()));
        assertNotNull(img);
        return img;
    }

    @Test
    void noDataImageIsAReadablePng() throws Exception {
        Plot p = Plots.noData("Queue depth", "no data");
        assertTrue(p.empty());
        BufferedImage img = decode(p);
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        // some text was drawn: not every pixel is white
        boolean ink = false;
        for (int x = 0; x < img.getWidth() && !ink; x += 2) {
            ink = (img.getRGB(x, Plots.HEIGHT / 2 - 25) & 0xFFFFFF) != 0xFFFFFF;
        }
        assertTrue(ink);
    }

    @Test
    void seriesWithoutUsablePointsGiveTheNoDataImage() throws Exception {
        Plot p = Plots.timeSeries("t", "y (s)", List.of(new Plots.TimeSeries("a", List.of(Instant.now()),
                java.util.Arrays.asList((Double) null))));
        assertTrue(p.empty());
        assertTrue(Plots.bars("t", "x", "y", List.of(), Map.of()).empty());
        assertTrue(Plots.histogram("t", "x", "y", new double[] {Double.NaN}, 5).empty());
        decode(p);
    }

    @Test
    void chartsRenderWithData() throws Exception {
        Instant t0 = Instant.parse("2025-10-24T14:00:00Z");
        Plot line = Plots.timeSeries("Depth", "Groups", List.of(new Plots.TimeSeries("pending",
                List.of(t0, t0.plusSeconds(3600), t0.plusSeconds(7200)), List.of(1.0, 3.0, 2.0)),
                new Plots.TimeSeries("one point", List.of(t0), List.of(5.0), true)));
        assertFalse(line.empty());
        assertEquals(Plots.WIDTH, decode(line).getWidth());
        Plot bars = Plots.bars("Durations", "Stage", "Duration (s)", List.of("imaging", "calibration"),
                Map.of("mean", List.of(10.0, 20.0)));
        assertFalse(bars.empty());
        decode(bars);
        Plot hist = Plots.histogram("TTC", "Minutes", "Groups", new double[] {1, 2, 2, 3, 10}, 4);
        assertFalse(hist.empty());
        decode(hist);
        Plot flat = Plots.histogram("TTC", "Minutes", "Groups", new double[] {4, 4}, 4);
        assertFalse(flat.empty());
    }
}
