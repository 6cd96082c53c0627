package org.dsa110.contimg.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dsa110.contimg.science.hdf5.Hdf5Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Uvh5ValidatorTest {
    @TempDir
    Path dir;

    @Test
    void parsesSubbandFileNames() {
        SubbandFileName n = SubbandFileName.parse("2025-10-24T14:00:05_sb07.hdf5").orElseThrow();
        assertEquals("2025-10-24T14:00:05", n.timestamp());
        assertEquals(Instant.parse("2025-10-24T14:00:05Z"), n.time());
        assertEquals(7, n.subband());
        for (String bad : List.of("2025-10-24T14:00:05_sb7.hdf5", "2025-10-24 14:00:05_sb07.hdf5",
                "2025-10-24T14:00:05_sb07.h5", "2025-13-24T14:00:05_sb07.hdf5", "x2025-10-24T14:00:05_sb07.hdf5")) {
            assertFalse(SubbandFileName.matches(bad), bad);
        }
    }

    @Test
    void acceptsAValidFileAndReadsItsTimeAndPointing() throws Exception {
        Path f = SubbandFiles.write(dir, "2025-10-24T14:00:00", 3);
        Uvh5Validator.Result r = Uvh5Validator.validate(f);
        assertTrue(r.valid(), r.reason());
        // 2025-10-24T14:00:00 UTC = MJD 60972 + 14/24
        assertEquals(60972.0 + 14.0 / 24.0, r.firstMjd(), 1e-6);
        assertEquals(37.0, r.pointingDecDeg(), 1e-9);
        assertEquals(Files.size(f), r.sizeBytes());
    }

    @Test
    void rejectsMissingEmptyCorruptAndHeaderlessFiles() throws Exception {
        assertEquals("file does not exist", Uvh5Validator.validate(dir.resolve("nope.hdf5")).reason());
        Path empty = Files.createFile(dir.resolve("empty.hdf5"));
        assertEquals("file is empty (0 bytes)", Uvh5Validator.validate(empty).reason());
        Path corrupt = SubbandFiles.writeCorrupt(dir, "2025-10-24T14:00:00", 1);
        Uvh5Validator.Result r = Uvh5Validator.validate(corrupt);
        assertFalse(r.valid());
        assertTrue(r.reason().startsWith("not a readable HDF5 file"), r.reason());

        Hdf5Writer w = new Hdf5Writer();
        w.root().group("Other").scalar("x", 1L);
        Path other = dir.resolve("other.hdf5");
        w.write(other);
        assertEquals("HDF5 file has neither a Header nor a Data group", Uvh5Validator.validate(other).reason());

        Hdf5Writer noTimes = new Hdf5Writer();
        noTimes.root().group("Header").scalar("Nblts", 0L);
        Path headerOnly = dir.resolve("header.hdf5");
        noTimes.write(headerOnly);
        assertEquals("Header/time_array is missing", Uvh5Validator.validate(headerOnly).reason());
    }
}
