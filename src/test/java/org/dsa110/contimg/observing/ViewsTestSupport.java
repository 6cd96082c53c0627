package org.dsa110.contimg.observing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.api.PlotCache;

/** Helpers of the views' HTTP tests. */
final class ViewsTestSupport {
    private ViewsTestSupport() {
    }

    /** GETs a plot, checks it is a PNG that decodes, and returns whether it is the "no data" image. */
    static boolean png(TestHub hub, String path) throws Exception {
        HttpResponse<byte[]> r = hub.getBytes(path);
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body()));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""), path);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, path + " is not a decodable image");
        assertTrue(img.getWidth() >= 400 && img.getHeight() >= 200, path + " size");
        return Boolean.parseBoolean(r.headers().firstValue(PlotCache.EMPTY_HEADER).orElseThrow());
    }
}
