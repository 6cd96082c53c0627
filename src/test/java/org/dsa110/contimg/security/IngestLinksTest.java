package org.dsa110.contimg.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.pipeline.ingest.IngestService;
import org.dsa110.contimg.pipeline.ingest.StreamingService;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;

/**
 * The ingest never follows a symbolic link out of the incoming directory: a link to a file outside it and a
 * dangling link are each dead-lettered once (symlink_outside_incoming, dangling_symlink), however often the
 * directory is polled, and nothing is recorded from them.
 */
class IngestLinksTest {

    private static Path link(Path at, Path target) throws Exception {
        Files.createSymbolicLink(at, target);
        // the link itself is old enough to have settled
        FileTime old = FileTime.from(Instant.now().minusSeconds(600));
        Files.getFileAttributeView(at, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(old, old,
                old);
        return at;
    }

    @Test
    void linksOutOfIncomingAndDanglingLinksAreDeadLetteredOnce() throws Exception {
        TestHub hub = TestHub.shared();
        Path incoming = Path.of(hub.bean("streamingService", StreamingService.class).config().inputDir());
        Files.createDirectories(incoming);
        Path outside = Files.writeString(Files.createTempFile("outside", ".hdf5"), "secret");
        Path out = link(incoming.resolve("2031-01-01T00:00:00_sb00.hdf5"), outside);
        Path dangling = link(incoming.resolve("2031-01-01T00:00:00_sb01.hdf5"), incoming.resolve("gone.hdf5"));
        IngestService ingest = hub.bean("ingestService", IngestService.class);
        for (int i = 0; i < 3; i++) {
            ingest.pollOnce();
        }
        Db db = hub.bean("db", Db.class);
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE error_type = ? AND context LIKE ?",
                IngestService.SYMLINK_OUTSIDE_INCOMING, "%" + out.getFileName() + "%"));
        assertEquals(1, db.scalarLong("SELECT COUNT(*) FROM dlq_items WHERE error_type = ? AND context LIKE ?",
                IngestService.DANGLING_SYMLINK, "%" + dangling.getFileName() + "%"));
        assertEquals(0, db.scalarLong("SELECT COUNT(*) FROM subband_files WHERE path IN (?, ?)", out.toString(),
                dangling.toString()));
        Files.delete(out);
        Files.delete(dangling);
    }
}
