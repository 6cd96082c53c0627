package org.dsa110.contimg.qa;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;
import org.dsa110.contimg.store.Db;

/**
 * Test data for the QA views: synthetic images (circular-beam point sources at pixel centres on seeded 1 mJy noise,
 * SIN WCS) with a matching catalog CSV, and calibration tables. The builtin calibration stage (branch radio) is not
 * on main yet, so the calibration fixture writes caltables/calibration_solutions rows in the V1.3 layout the stage
 * documents (one row per table × antenna × spw × channel (BP) or time (G) × pol), and a FITS binary table and a
 * UVFITS random-groups file by hand for the table-info view.
 */
final class QaFixtures {
    static final int SIZE = 200;
    static final double PIXEL_DEG = 6.0 / 3600;
    static final double NOISE_JY = 1e-3;
    static final double BEAM_ARCSEC = 30;

    record Source(String id, double dx, double dy, double fluxJy) {
    }

    /** Eight sources well inside the image, 50–190 mJy. */
    static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        int[][] offsets = {{-60, -60}, {0, -60}, {60, -60}, {-60, 0}, {60, 0}, {-60, 60}, {0, 60}, {60, 60}};
        for (int i = 0; i < offsets.length; i++) {
            out.add(new Source("QA" + i, offsets[i][0], offsets[i][1], 0.050 + 0.020 * i));
        }
        return out;
    }

    static CelestialWcs wcs(double ra, double dec) {
        return CelestialWcs.centredOn(Projection.SIN, ra, dec, SIZE, SIZE, PIXEL_DEG);
    }

    /** An image of {@link #sources()} with peaks scaled by {@code gain}. */
    static Path image(Path file, double ra, double dec, double gain, long seed) throws IOException {
        CelestialWcs wcs = wcs(ra, dec);
        float[] pix = new float[SIZE * SIZE];
        Random rng = new Random(seed);
        for (int i = 0; i < pix.length; i++) {
            pix[i] = (float) (NOISE_JY * rng.nextGaussian());
        }
        double sigmaPx = BEAM_ARCSEC / 3600 / PIXEL_DEG / (2 * Math.sqrt(2 * Math.log(2)));
        for (Source s : sources()) {
            int x0 = SIZE / 2 + (int) s.dx();
            int y0 = SIZE / 2 + (int) s.dy();
            for (int y = y0 - 15; y <= y0 + 15; y++) {
                for (int x = x0 - 15; x <= x0 + 15; x++) {
                    double r2 = (x - x0) * (x - x0) + (y - y0) * (y - y0);
                    pix[y * SIZE + x] += (float) (gain * s.fluxJy() * Math.exp(-r2 / (2 * sigmaPx * sigmaPx)));
                }
            }
        }
        Files.createDirectories(file.getParent());
        new FitsImageWriter(wcs).beam(new Beam(BEAM_ARCSEC / 3600, BEAM_ARCSEC / 3600, 0)).bunit("JY/BEAM")
                .dateObs(Instant.parse("2025-06-01T12:00:00Z")).frequency(1.405e9, 187.5e6).radioAxes()
                .write(ImagePlane.of(SIZE, SIZE, pix), file);
        return file;
    }

    /** Catalog CSV: the image's sources at their pixel-centre positions, plus one bright source not in images. */
    static Path catalog(Path file, double ra, double dec) throws IOException {
        CelestialWcs wcs = wcs(ra, dec);
        StringBuilder sb = new StringBuilder("id,ra,dec,flux_mjy,snr,resolved,confused\n");
        for (Source s : sources()) {
            double[] w = wcs.pixelToWorld(SIZE / 2 + s.dx(), SIZE / 2 + s.dy());
            sb.append(String.format(Locale.ROOT, "%s,%.9f,%.9f,%.3f,50,false,false%n", s.id() + "_" + (int) ra,
                    w[0], w[1], s.fluxJy() * 1000));
        }
        double[] w = wcs.pixelToWorld(SIZE / 2 + 30, SIZE / 2 + 30);
        sb.append(String.format(Locale.ROOT, "QAMISSING_%d,%.9f,%.9f,80.000,40,false,false%n", (int) ra, w[0], w[1]));
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString());
        return file;
    }

    // ------------------------------------------------------------------ calibration

    static final int N_ANT_EXPECTED = 5;
    static final int N_ANT = 4;
    static final int N_CHAN = 16;
    static final int N_TIMES = 5;
    static final double T0 = 60827.5;

    /**
     * A BP table (antennas 0–3 of 5; antenna 3 channels 0–3 flagged) and a GA table (5 times; antenna 2 lacks
     * the fourth time) solved on {@code msPath}. Returns the two table paths.
     */
    static String[] calibration(Db db, Path dir, String msPath, String set) throws IOException {
        Files.createDirectories(dir);
        db.update("INSERT INTO calibration_sets (set_name, calibrator_name, valid_start_mjd, valid_end_mjd) "
                + "VALUES (?, '3C286', ?, ?)", set, T0 - 0.5, T0 + 0.5);
        Path bpFile = binaryTable(dir.resolve(set + ".bcal"));
        long bp = db.insert("INSERT INTO caltables (path, filename, table_type, set_name, ms_path, order_index, "
                + "valid_start_mjd, valid_end_mjd, refant, n_antennas, freq_min_ghz, freq_max_ghz) VALUES "
                + "(?, ?, 'BP', ?, ?, 30, ?, ?, '0', ?, 1.3, 1.5)", "id", bpFile.toString(), bpFile.getFileName()
                .toString(), set, msPath, T0 - 0.5, T0 + 0.5, N_ANT_EXPECTED);
        for (int ant = 0; ant < N_ANT; ant++) {
            for (int pol = 0; pol < 2; pol++) {
                for (int ch = 0; ch < N_CHAN; ch++) {
                    boolean flagged = ant == 3 && ch < 4;
                    db.update("INSERT INTO calibration_solutions (caltable_id, antenna_id, spw, channel, pol, "
                            + "amplitude, phase_deg, snr, flagged) VALUES (?, ?, 0, ?, ?, ?, ?, 50, ?)", bp, ant, ch,
                            pol, 1.0 + 0.01 * ch, 5.0 * ant, flagged);
                }
            }
        }
        Path gaFile = dir.resolve(set + ".gcal");
        Files.write(gaFile, Files.readAllBytes(bpFile));
        long ga = db.insert("INSERT INTO caltables (path, filename, table_type, set_name, ms_path, order_index, "
                + "valid_start_mjd, valid_end_mjd, refant, n_antennas) VALUES (?, ?, 'GA', ?, ?, 40, ?, ?, '0', ?)",
                "id", gaFile.toString(), gaFile.getFileName().toString(), set, msPath, T0 - 0.5, T0 + 0.5,
                N_ANT_EXPECTED);
        for (int ant = 0; ant < N_ANT; ant++) {
            for (int pol = 0; pol < 2; pol++) {
                for (int t = 0; t < N_TIMES; t++) {
                    if (ant == 2 && t == 3) {
                        continue;
                    }
                    db.update("INSERT INTO calibration_solutions (caltable_id, antenna_id, spw, pol, time_mjd, "
                            + "amplitude, phase_deg, snr, flagged) VALUES (?, ?, 0, ?, ?, ?, ?, 40, FALSE)", ga, ant,
                            pol, T0 + t * 0.01, 0.9 + 0.02 * t, 2.0 * t);
                }
            }
        }
        return new String[] {bpFile.toString(), gaFile.toString()};
    }

    /** A small FITS binary table (ANTENNA, TIME, GAIN[2], FLAG[2]), EXTNAME CALTABLE. */
    static Path binaryTable(Path file) throws IOException {
        int n = 6;
        int[] ant = new int[n];
        double[] time = new double[n];
        float[][] gain = new float[n][2];
        boolean[][] flag = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            ant[i] = i % 3;
            time[i] = T0 + i;
            gain[i][0] = 1;
            gain[i][1] = 1;
        }
        BinaryTableHDU hdu = (BinaryTableHDU) Fits.makeHDU(new Object[] {ant, time, gain, flag});
        hdu.setColumnName(0, "ANTENNA", null);
        hdu.setColumnName(1, "TIME", null);
        hdu.setColumnName(2, "GAIN", null);
        hdu.setColumnName(3, "FLAG", null);
        hdu.getHeader().addValue("EXTNAME", "CALTABLE", null);
        try (Fits fits = new Fits()) {
            fits.addHDU(Fits.makeHDU((Object) null));
            fits.addHDU(hdu);
            fits.write(file.toFile());
        }
        return file;
    }

    /** A UVFITS random-groups file: 7 groups, parameters UU VV WW BASELINE DATE, data (1 stokes × 4 chan × 3). */
    static Path uvfits(Path file) throws IOException {
        Header h = new Header();
        h.addValue("SIMPLE", true, null);
        h.addValue("BITPIX", -32, null);
        h.addValue("NAXIS", 7, null);
        int[] axes = {0, 3, 1, 4, 1, 1, 1};
        String[] ctypes = {null, "COMPLEX", "STOKES", "FREQ", "IF", "RA", "DEC"};
        for (int i = 0; i < axes.length; i++) {
            h.addValue("NAXIS" + (i + 1), axes[i], null);
        }
        h.addValue("EXTEND", true, null);
        h.addValue("GROUPS", true, null);
        h.addValue("PCOUNT", 5, null);
        h.addValue("GCOUNT", 7, null);
        String[] params = {"UU", "VV", "WW", "BASELINE", "DATE"};
        for (int p = 0; p < params.length; p++) {
            h.addValue("PTYPE" + (p + 1), params[p], null);
        }
        for (int i = 1; i < ctypes.length; i++) {
            h.addValue("CTYPE" + (i + 1), ctypes[i], null);
        }
        h.addValue("TELESCOP", "DSA-110", null);
        Files.createDirectories(file.getParent());
        try (OutputStream os = new FileOutputStream(file.toFile());
             FitsOutputStream out = new FitsOutputStream(os)) {
            h.write(out);
            int bytes = 7 * (5 + 3 * 4) * 4;
            out.write(new byte[bytes + (2880 - bytes % 2880) % 2880]);
        }
        return file;
    }
}
