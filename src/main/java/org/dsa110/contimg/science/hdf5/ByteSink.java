package org.dsa110.contimg.science.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Destination for raw dataset bytes. Data sources fill the returned little-endian buffer and
 * advance its position; the sink flushes it when needed, so large arrays stream to disk without
 * an intermediate full-size copy.
 */
@FunctionalInterface
public interface ByteSink {

    /**
     * A little-endian buffer with at least {@code minRemaining} bytes free (callers ask for at
     * most one element at a time, so this is never more than an element size).
     */
    ByteBuffer buffer(int minRemaining) throws IOException;
}
