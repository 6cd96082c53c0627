package org.dsa110.contimg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.uvfits.UvfitsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage input that cannot be read is a permanent {@code invalid_input: <file>: <reason>}, never a parser's text. */
class StageInputsTest {
    @TempDir
    Path tmp;

    private static PermanentStageException invalid(org.junit.jupiter.api.function.Executable e) {
        PermanentStageException x = assertThrows(PermanentStageException.class, e);
        assertEquals(PermanentStageException.INVALID_INPUT, x.reason());
        return x;
    }

    @Test
    void filesThatAreNotWhatTheirNameSaysAreInvalidInput() throws Exception {
        Path notFits = Files.writeString(tmp.resolve("image.fits"), "this is a text file, not FITS\n");
        assertEquals("invalid_input: " + notFits + ": not a FITS file (it does not start with SIMPLE  =)",
                invalid(() -> StageInputs.check(List.of(notFits.toString()))).getMessage());
        Path empty = Files.createFile(tmp.resolve("empty.uvfits"));
        assertEquals("invalid_input: " + empty + ": file is empty (0 bytes)",
                invalid(() -> StageInputs.check(List.of(empty.toString()))).getMessage());
        Path notHdf5 = Files.writeString(tmp.resolve("2025-10-24T13:28:03_sb00.hdf5"), "GIF89a");
        assertEquals("invalid_input: " + notHdf5 + ": not an HDF5/UVH5 file (no HDF5 signature)",
                invalid(() -> StageInputs.read(notHdf5, "UVH5", Uvh5Reader::read)).getMessage());
        Path missing = tmp.resolve("gone.uvfits");
        assertEquals("invalid_input: " + missing + ": file does not exist",
                invalid(() -> StageInputs.read(missing, "UVFITS", UvfitsReader::read)).getMessage());
    }

    @Test
    void aMalformedFileIsInvalidInputWithTheReadersReasonNotItsStackText() throws Exception {
        // a FITS file with a valid signature but no random groups: the UVFITS reader's own reason
        Path image = tmp.resolve("x.uvfits");
        Files.writeString(image, String.format("%-80s%-80s%-80s%-2720s", "SIMPLE  =                    T",
                "BITPIX  =                  -32", "NAXIS   =                    0", "END"));
        PermanentStageException e = invalid(() -> StageInputs.read(image, "UVFITS", UvfitsReader::read));
        assertEquals(true, e.getMessage().startsWith("invalid_input: " + image + ": unreadable UVFITS: "),
                e.getMessage());
        // a parser that trips over missing content reports that, not "Cannot invoke ... because ... is null"
        Path fits = Files.writeString(tmp.resolve("y.fits"), String.format("%-2880s", "SIMPLE  =                    T"));
        PermanentStageException npe = invalid(() -> StageInputs.read(fits, "FITS", f -> {
            String missingKeyword = null;
            return missingKeyword.length();
        }));
        assertEquals("invalid_input: " + fits + ": unreadable FITS: malformed content (the reader failed with "
                + "NullPointerException)", npe.getMessage());
        PermanentStageException lacks = invalid(() -> StageInputs.read(fits, "UVH5", f -> {
            throw new IOException(f + " lacks Header/time_array");
        }));
        assertEquals("invalid_input: " + fits + ": unreadable UVH5: y.fits lacks Header/time_array", lacks.getMessage());
        assertFalse(lacks.getMessage().contains("Cannot invoke"));
    }
}
