package org.dsa110.contimg.api;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dsa110.contimg.ops.HeavyWork;

/**
 * FITS file downloads on the heavy-work bound. The HTTP layer only sends a Content-Length for in-memory bodies
 * (a stream goes out chunked), so a file up to {@link HeavyWork#bufferMaxBytes()} is read whole while holding a
 * heavy-work slot and sent with its exact length; a larger one is streamed (chunked), holding a slot until the
 * stream is closed. Either way at most the configured number of downloads read from disk at once.
 */
public final class FitsDownloads {
    public static final String FITS = "application/fits";

    private FitsDownloads() {
    }

    /** The response for {@code file}, which the caller has resolved under a configured root. */
    public static ApiResponse of(HeavyWork heavy, Path file) throws Exception {
        long size = Files.size(file);
        String name = file.getFileName().toString().replace("\"", "");
        if (size <= heavy.bufferMaxBytes()) {
            byte[] bytes = heavy.request(() -> Files.readAllBytes(file));
            return ApiResponse.bytes(bytes, FITS).withHeader("Content-Disposition",
                    "attachment; filename=\"" + name + "\"");
        }
        return ApiResponse.stream(heavy.openBounded(file), size, FITS, name);
    }
}
