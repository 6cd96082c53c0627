package org.dsa110.contimg.pipeline.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Writer;

/** Tiny valid subband files for ingest tests: 2 antennas, 1 integration, 2 channels, written atomically. */
public final class SubbandFiles {
    /** Declination written as Header/extra_keywords/phase_center_dec (radians). */
    public static final double DEC_RAD = Math.toRadians(37.0);

    private SubbandFiles() {
    }

    public static String name(String timestamp, int subband) {
        return String.format("%s_sb%02d.hdf5", timestamp, subband);
    }

    /** Writes a valid file named for {@code timestamp}/{@code subband} and moves it into {@code dir}. */
    public static Path write(Path dir, String timestamp, int subband) throws IOException {
        Instant t = LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC);
        double jd = t.toEpochMilli() / 86_400_000.0 + 2440587.5;
        Uvh5Data.Telescope tel = new Uvh5Data.Telescope("DSA-110", "DSA", 37.2314, -118.2817, 1222.0,
                new String[] {"pad1", "pad2"}, new int[] {0, 1}, new double[] {0, 0, 0, 5, -2, 0.25});
        Uvh5Data.BaselineTimes blts = new Uvh5Data.BaselineTimes(new int[] {0, 0, 1}, new int[] {0, 1, 1},
                new double[] {jd, jd, jd}, new double[] {1, 1, 1}, new double[] {12.9, 12.9, 12.9},
                new double[] {0, 0, 0, 5, -2, 0.25, 0, 0, 0});
        double f0 = 1.498e9 - subband * 15.6e6;
        int cells = 3 * 2 * 2;
        float[] vis = new float[2 * cells];
        for (int i = 0; i < vis.length; i++) {
            vis[i] = 0.25f * (i % 7) - 0.5f;
        }
        Uvh5Data data = new Uvh5Data(tel, "drift", "ingest test", "uncalib", blts,
                new double[] {f0, f0 - 244140.625}, new double[] {-244140.625, -244140.625}, new int[] {-5, -6},
                vis, new boolean[cells], filled(cells), Map.of("phase_center_dec", DEC_RAD));
        Path tmp = Files.createTempFile("subband", ".tmp");
        Uvh5Writer.write(data, tmp);
        return Files.move(tmp, dir.resolve(name(timestamp, subband)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A file with a subband name whose content is not HDF5. */
    public static Path writeCorrupt(Path dir, String timestamp, int subband) throws IOException {
        Path tmp = Files.createTempFile("corrupt", ".tmp");
        Files.writeString(tmp, "this is not an HDF5 file, just text pretending to be one\n".repeat(20));
        return Files.move(tmp, dir.resolve(name(timestamp, subband)), StandardCopyOption.ATOMIC_MOVE);
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
