package org.dsa110.contimg.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Input files a stage cannot read are a permanent failure, not something to retry: {@code invalid_input: <file>:
 * <reason>} ({@link PermanentStageException#INVALID_INPUT}), never the text of whatever exception a reader hit.
 * {@link #check} looks at every input before a stage starts (exists, not empty, and the signature its name promises:
 * FITS/UVFITS start with {@code SIMPLE  =}, UVH5/HDF5 with the HDF5 signature); {@link #read} checks and wraps
 * the builtin stages' readers, so a file that passes the check but is malformed inside (missing datasets, wrong
 * axes) fails the same way. The builtin stages call them; an external tool (exec) decides itself what it can read.
 */
public final class StageInputs {
    /** The first 8 bytes of every HDF5 file (HDF5 File Format Specification, "Format Signature"). */
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Every FITS file starts with the SIMPLE keyword (FITS Standard 4.0, section 4.4.1.1). */
    private static final byte[] FITS_SIGNATURE = "SIMPLE  =".getBytes(StandardCharsets.US_ASCII);

    /** A reader of one input file. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws IOException;
    }

    private StageInputs() {
    }

    /** Checks every input; throws {@code invalid_input} for the first one that cannot be what its name says. */
    public static void check(List<String> inputs) {
        for (String in : inputs) {
            Path p = Path.of(in);
            String name = p.getFileName() == null ? in : p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!Files.exists(p)) {
                throw invalid(p, "file does not exist");
            }
            if (Files.isDirectory(p)) {
                continue; // a Measurement Set or an image directory: the tool that reads it decides
            }
            if (!Files.isReadable(p)) {
                throw invalid(p, "file is not readable");
            }
            if (name.endsWith(".fits") || name.endsWith(".uvfits") || name.endsWith(".fit")
                    || name.endsWith(".fts")) {
                requireSignature(p, FITS_SIGNATURE, "not a FITS file (it does not start with SIMPLE  =)");
            } else if (name.endsWith(".hdf5") || name.endsWith(".uvh5") || name.endsWith(".h5")) {
                requireSignature(p, HDF5_SIGNATURE, "not an HDF5/UVH5 file (no HDF5 signature)");
            }
        }
    }

    /**
     * Reads {@code file} as {@code format}; whatever the reader throws (a format error, a missing dataset, a parser's
     * NullPointerException) becomes {@code invalid_input: <file>: <reason>}. An interrupt (a cancel) stays what it
     * is.
     */
    public static <T> T read(Path file, String format, Reader<T> reader) throws IOException {
        check(List.of(file.toString()));
        try {
            return reader.read(file);
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PermanentStageException p) {
                throw p;
            }
            if (!Files.exists(file)) {
                throw invalid(file, "file does not exist");
            }
            throw invalid(file, "unreadable " + format + ": " + reason(e, file));
        }
    }

    /** {@code file}, after the checks of {@link #check} (so its size can be read for an estimate). */
    public static Path existing(Path file) {
        check(List.of(file.toString()));
        return file;
    }

    /** The failure for one file. */
    public static PermanentStageException invalid(Path file, String reason) {
        return new PermanentStageException(PermanentStageException.INVALID_INPUT,
                PermanentStageException.INVALID_INPUT + ": " + file + ": " + reason);
    }

    private static void requireSignature(Path p, byte[] signature, String reason) {
        byte[] head = new byte[signature.length];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw invalid(p, "cannot be read: " + e.getMessage());
        }
        if (n == 0) {
            throw invalid(p, "file is empty (0 bytes)");
        }
        if (n < signature.length || !Arrays.equals(head, signature)) {
            throw invalid(p, reason);
        }
    }

    /** A reason an operator can act on: the reader's own message without the path, never a bare parser NPE. */
    static String reason(Throwable e, Path file) {
        Throwable t = e;
        // the readers wrap the parser's exception ("cannot read UVFITS <path>: <cause>"): the innermost message that
        // says something is the useful one
        while (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null
                && !(t.getCause() instanceof NullPointerException)) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        if (t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof IndexOutOfBoundsException || msg == null || msg.isBlank()) {
            return "malformed content (the reader failed with " + t.getClass().getSimpleName() + ")";
        }
        return msg.replace(file.toString() + ": ", "").replace(file.toString(), file.getFileName().toString());
    }
}
