package org.dsa110.contimg.science.fits;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a finished product file in place: readable by the group and others (0644, as data products are shared with
 * the astronomers' accounts; {@code Files.createTempFile} makes 0600 files) and moved atomically where the file
 * system allows.
 */
public final class ProductFiles {

    private ProductFiles() {
    }

    /** Makes {@code tmp} mode 0644 (on POSIX file systems) and moves it to {@code target}, replacing it. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
