package org.dsa110.contimg.plots;

import org.dsa110.contimg.monitoring.HubCache;

/** A rendered PNG; {@code empty} when it is the "no data" image (the API says so in a response header). */
public record Plot(byte[] png, boolean empty) implements HubCache.Sized {
    @Override
    public long sizeBytes() {
        return png.length;
    }
}
