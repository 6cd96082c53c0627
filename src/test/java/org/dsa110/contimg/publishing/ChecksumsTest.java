package org.dsa110.contimg.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Product checksums (files and directory trees), tree copies and the published-name rule. */
class ChecksumsTest {
    @TempDir
    Path tmp;

    @Test
    void aFileChecksumIsTheSha256OfItsBytes() throws Exception {
        byte[] data = "some visibilities".getBytes();
        Path f = Files.write(tmp.resolve("a.uvfits"), data);
        Checksums.Digest d = Checksums.of(f);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), d.sha256());
        assertEquals(data.length, d.sizeBytes());
    }

    @Test
    void aTreeChecksumSeesRenamesEditsAndAdditionsButNotTheLocation() throws Exception {
        Path ms = Files.createDirectories(tmp.resolve("x.ms/SUB"));
        Files.writeString(ms.getParent().resolve("table.f0"), "main table");
        Files.writeString(ms.resolve("table.f1"), "sub table");
        Checksums.Digest original = Checksums.of(ms.getParent());
        assertEquals(19, original.sizeBytes());

        Path copy = tmp.resolve("elsewhere/x.ms");
        Files.createDirectories(copy.getParent());
        Checksums.copy(ms.getParent(), copy);
        assertEquals(original, Checksums.of(copy), "same tree, other place");

        Files.move(copy.resolve("SUB/table.f1"), copy.resolve("SUB/table.f2"));
        assertNotEquals(original.sha256(), Checksums.of(copy).sha256(), "renamed member");
        Files.move(copy.resolve("SUB/table.f2"), copy.resolve("SUB/table.f1"));
        assertEquals(original, Checksums.of(copy));

        Files.writeString(copy.resolve("SUB/table.f1"), "sub tablf");
        assertNotEquals(original.sha256(), Checksums.of(copy).sha256(), "edited member, same size");
        Files.writeString(copy.resolve("SUB/table.f1"), "sub table");
        Files.writeString(copy.resolve("extra"), "");
        assertNotEquals(original.sha256(), Checksums.of(copy).sha256(), "added (empty) member");

        Checksums.delete(copy);
        assertEquals(false, Files.exists(copy));
    }

    @Test
    void aTakenNameGetsATimestampBeforeItsExtension() throws Exception {
        Instant now = Instant.parse("2025-10-24T14:00:05Z");
        assertEquals(tmp.resolve("g.image.fits"), Publisher.freeName(tmp, "g.image.fits", now));
        Files.writeString(tmp.resolve("g.image.fits"), "1");
        Path second = Publisher.freeName(tmp, "g.image.fits", now);
        assertEquals(tmp.resolve("g_20251024T140005.image.fits"), second);
        Files.writeString(second, "2");
        assertEquals(tmp.resolve("g_20251024T140005_2.image.fits"), Publisher.freeName(tmp, "g.image.fits", now));
        Files.writeString(tmp.resolve("noext"), "1");
        assertEquals(tmp.resolve("noext_20251024T140005"), Publisher.freeName(tmp, "noext", now));
    }

    @Test
    void typesMapToTheirProductDirectories() {
        assertEquals("caltables", Publisher.directoryOf("caltable"));
        assertEquals("images", Publisher.directoryOf("image"));
        assertEquals("mosaics", Publisher.directoryOf("mosaic"));
        assertEquals("catalogs", Publisher.directoryOf("catalog"));
        assertEquals("calib_ms", Publisher.directoryOf("calib_ms"));
        assertEquals("ms", Publisher.directoryOf("ms"));
        assertEquals("metadata", Publisher.directoryOf("metadata"));
    }
}
