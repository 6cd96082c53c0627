package org.dsa110.contimg.pipeline.ingest;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a subband file passes before it is recorded (science.md, "Ingest and grouping"): it exists, is
 * readable, is not empty, opens as HDF5 with a {@code Header} or {@code Data} group, and has a non-empty
 * {@code Header/time_array}. Reading with jhdf touches only the header, never the visibilities.
 */
public final class Uvh5Validator {
    /** Julian date of the MJD epoch (MJD = JD - 2400000.5). */
    static final double MJD_OFFSET = 2400000.5;

    /** The outcome: on success the first timestamp (MJD) and, when the header has it, the pointing declination. */
    public record Result(boolean valid, String reason, Double firstMjd, Double pointingDecDeg, long sizeBytes) {
        static Result invalid(String reason, long size) {
            return new Result(false, reason, null, null, size);
        }
    }

    private Uvh5Validator() {
    }

    public static Result validate(Path path) {
        if (!Files.exists(path)) {
            return Result.invalid("file does not exist", 0);
        }
        if (!Files.isRegularFile(path)) {
            return Result.invalid("not a regular file", 0);
        }
        if (!Files.isReadable(path)) {
            return Result.invalid("file is not readable", 0);
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            return Result.invalid("cannot read file size: " + e.getMessage(), 0);
        }
        if (size == 0) {
            return Result.invalid("file is empty (0 bytes)", 0);
        }
        try (HdfFile file = new HdfFile(path)) {
            boolean header = file.getChildren().containsKey("Header");
            if (!header && !file.getChildren().containsKey("Data")) {
                return Result.invalid("HDF5 file has neither a Header nor a Data group", size);
            }
            if (!header) {
                return Result.invalid("HDF5 file has no Header group (Header/time_array missing)", size);
            }
            Node timeNode = find(file, "Header/time_array");
            if (!(timeNode instanceof Dataset times)) {
                return Result.invalid("Header/time_array is missing", size);
            }
            if (times.isEmpty() || times.getSize() == 0) {
                return Result.invalid("Header/time_array is empty", size);
            }
            Object data = times.getDataFlat();
            if (!(data instanceof double[] jd) || jd.length == 0) {
                return Result.invalid("Header/time_array is not a float64 array", size);
            }
            return new Result(true, null, jd[0] - MJD_OFFSET, pointingDecDeg(file), size);
        } catch (RuntimeException e) {
            // jhdf reports a non-HDF5 or truncated file with an unchecked HdfException.
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Result.invalid("not a readable HDF5 file: " + msg, size);
        }
    }

    /** The node at {@code path}, or null when any part of it is missing. */
    private static Node find(HdfFile file, String path) {
        Node node = file;
        for (String part : path.split("/")) {
            if (!(node instanceof Group g)) {
                return null;
            }
            node = g.getChildren().get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Header/extra_keywords/phase_center_dec (radians, DSA-110 writer) in degrees, or null when absent. */
    private static Double pointingDecDeg(HdfFile file) {
        Node n = find(file, "Header/extra_keywords/phase_center_dec");
        if (n instanceof Dataset d && d.isScalar() && d.getData() instanceof Number rad) {
            double deg = Math.toDegrees(rad.doubleValue());
            return Double.isFinite(deg) ? deg : null;
        }
        return null;
    }
}
