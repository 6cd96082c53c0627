package org.dsa110.contimg.science.uvfits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.header.Bitpix;
import nom.tam.util.FitsOutputStream;
import org.dsa110.contimg.science.fits.ProductFiles;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Writes {@link UvfitsData} as a multi-source UVFITS file (AIPS Memo 117 random groups, as pyuvdata, CASA's
 * importuvfits and AIPS read it):
 * <ul>
 * <li>primary HDU: BITPIX −32, NAXIS = 7 (0, COMPLEX 3 = re/im/weight, STOKES, FREQ, IF 1, RA 1, DEC 1), GROUPS = T,
 * random parameters {@code UU VV WW} (seconds of light travel), {@code DATE DATE} (Julian date split into the
 * day origin carried by PZERO4 and the fraction of day, keeping float32 time resolution at ~5 ms),
 * {@code BASELINE} (256·ant1 + ant2), {@code SOURCE} (SU table id), {@code INTTIM} (s); DATE-OBS, EPOCH/RADESYS
 * (the ICRS centres), BUNIT ({@code UNCALIB}, or {@code JY} once calibrated);</li>
 * <li>UVFITS orientation (AIPS; pyuvdata's reader and writer): UU/VV/WW = x(ant1) − x(ant2) and the samples are
 * the complex conjugate of the hub's (standard) ones, so V = Σ S exp(+2πi(u l + v m + w(n − 1))/λ) holds in the
 * file's own terms too (docs/conventions.md);</li>
 * <li>{@code AIPS AN}: the Memo 117 header (ARRAYX/Y/Z, GSTIA0, DEGPDY, FREQ, RDATE, POLARX/Y, UT1UTC, DATUTC,
 * TIMSYS, ARRNAM, XYZHAND, FRAME, NUMORB, NOPCAL, POLTYPE) and per antenna ANNAME, STABXYZ (relative to ARRAYX/Y/Z
 * in the ITRF axes rotated about z so that x lies in the array's meridian, as the memo defines), NOSTA, mount,
 * feeds X and Y;</li>
 * <li>{@code AIPS SU}: one source per field (name, ICRS phase centre RAEPO/DECEPO, epoch 2000, and the field's
 * pointing in RAOBS/DECOBS).</li>
 * </ul>
 * Flagged samples are written with a negative weight (AIPS convention), zero-weight samples as 0. Headers and tables
 * are built with nom-tam-fits; the group data are encoded (big-endian float32, in parallel) into large buffers that
 * go to a {@link FileChannel} in order ({@link GroupChannel}), so the file is never held twice in memory. The file
 * appears atomically (written to a temporary file and moved into place).
 */
public final class UvfitsWriter {
    private static final int BLOCK = 2880;
    static final int N_PARAMS = 8;

    private UvfitsWriter() {
    }

    /** Writes {@code d} with UT1 = UTC and no polar motion in the antenna table. */
    public static void write(UvfitsData d, Path target) throws IOException {
        write(d, target, Astrometry.EarthOrientation.ZERO);
    }

    /**
     * Writes {@code d}; the antenna table's UT1UTC, POLARX, POLARY (and GSTIA0, which depends on UT1) carry
     * {@code eop}, the Earth orientation the visibilities were computed with.
     */
    public static void write(UvfitsData d, Path target, Astrometry.EarthOrientation eop) throws IOException {
        Visibilities vis = d.vis();
        double[] freq = vis.freqHz();
        double df = freq.length > 1 ? freq[1] - freq[0] : 1.0;
        for (int c = 2; c < freq.length; c++) {
            if (Math.abs(freq[c] - freq[c - 1] - df) > 1e-6 * Math.abs(df)) {
                throw new IllegalArgumentException("UVFITS needs uniformly spaced channels (channel " + c + ")");
            }
        }
        for (int a : d.antennaNumbers()) {
            if (a > 255) {
                throw new IllegalArgumentException("antenna number " + a + " does not fit the 256·a1 + a2 baseline code");
            }
        }
        double jdRef = Math.floor(minTime(vis) - 0.5) + 0.5;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                GroupChannel.writeFully(ch, headerBytes(primaryHeader(d, freq[0], df, jdRef)));
                long floats = writeGroups(d, jdRef, ch);
                GroupChannel.writeFully(ch, ByteBuffer.allocate(padding(4L * floats)));
                ByteArrayOutputStream tables = new ByteArrayOutputStream();
                try (FitsOutputStream out = new FitsOutputStream(tables)) {
                    antennaTable(d, freq[0], jdRef, eop).write(out);
                    sourceTable(d).write(out);
                    out.flush();
                }
                GroupChannel.writeFully(ch, ByteBuffer.wrap(tables.toByteArray()));
            } catch (FitsException e) {
                throw new IOException("cannot write UVFITS " + target + ": " + e.getMessage(), e);
            }
            ProductFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A header as the bytes nom-tam-fits writes for it (cards padded to a whole FITS block). */
    static ByteBuffer headerBytes(Header h) throws IOException, FitsException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FitsOutputStream out = new FitsOutputStream(bytes)) {
            h.write(out);
            out.flush();
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** Zero bytes that complete {@code bytes} to a whole FITS block. */
    static int padding(long bytes) {
        return (int) ((BLOCK - bytes % BLOCK) % BLOCK);
    }

    private static double minTime(Visibilities vis) {
        double t = Double.POSITIVE_INFINITY;
        for (double x : vis.timeJd()) {
            t = Math.min(t, x);
        }
        return t;
    }

    static Header primaryHeader(UvfitsData d, double f0, double df, double jdRef) throws FitsException {
        Visibilities vis = d.vis();
        Header h = new Header();
        h.setSimple(true);
        h.setBitpix(Bitpix.FLOAT);
        h.setNaxes(7);
        h.setNaxis(1, 0);
        h.setNaxis(2, 3);
        h.setNaxis(3, vis.nPol());
        h.setNaxis(4, vis.nChan());
        h.setNaxis(5, 1);
        h.setNaxis(6, 1);
        h.setNaxis(7, 1);
        h.addValue("EXTEND", true, "tables follow");
        h.addValue("GROUPS", true, "random-groups visibilities");
        h.addValue("PCOUNT", N_PARAMS, "random parameters per group");
        h.addValue("GCOUNT", vis.nBlt(), "groups (baseline-times)");
        h.addValue("BSCALE", 1.0, "");
        h.addValue("BZERO", 0.0, "");
        h.addValue("OBJECT", d.object(), "");
        h.addValue("TELESCOP", d.telescope(), "");
        h.addValue("INSTRUME", d.instrument(), "");
        h.addValue("BUNIT", "UNCALIB", "uncalibrated (JY once calibrated)");
        h.addValue("EPOCH", 2000.0, "field centres are ICRS");
        // pyuvdata takes RADESYS as its frame name and knows astropy's lower-case ones
        h.addValue("RADESYS", "icrs", "");
        h.addValue("DATE-OBS", dateOf(jdRef), "reference date (AIPS Memo 117)");
        int mid = d.bltField().length / 2;
        double ra = Math.toDegrees(d.fieldRaRad()[d.bltField()[mid]]);
        double dec = Math.toDegrees(d.fieldDecRad()[d.bltField()[mid]]);
        h.addValue("OBSRA", ra, "[deg] centre of the middle field");
        h.addValue("OBSDEC", dec, "[deg]");
        axis(h, 2, "COMPLEX", 1.0, 1.0, 1.0);
        axis(h, 3, "STOKES", d.polarizations()[0], -1.0, 1.0);
        axis(h, 4, "FREQ", f0, df, 1.0);
        axis(h, 5, "IF", 1.0, 1.0, 1.0);
        axis(h, 6, "RA", ra, 1.0, 1.0);
        axis(h, 7, "DEC", dec, 1.0, 1.0);
        String[] ptype = {"UU", "VV", "WW", "DATE", "DATE", "BASELINE", "SOURCE", "INTTIM"};
        for (int i = 0; i < ptype.length; i++) {
            h.addValue("PTYPE" + (i + 1), ptype[i], "");
            h.addValue("PSCAL" + (i + 1), 1.0, "");
            h.addValue("PZERO" + (i + 1), i == 3 ? jdRef : 0.0, "");
        }
        for (Map.Entry<String, Object> e : d.keywords().entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                h.addValue(e.getKey(), s, "");
            } else if (v instanceof Boolean b) {
                h.addValue(e.getKey(), b, "");
            } else if (v instanceof Number n) {
                h.addValue(e.getKey(), n, "");
            }
        }
        h.insertHistory("written by contimg-hub UvfitsWriter");
        return h;
    }

    private static void axis(Header h, int i, String type, double crval, double cdelt, double crpix)
            throws FitsException {
        h.addValue("CTYPE" + i, type, "");
        h.addValue("CRVAL" + i, crval, "");
        h.addValue("CDELT" + i, cdelt, "");
        h.addValue("CRPIX" + i, crpix, "");
        h.addValue("CROTA" + i, 0.0, "");
    }

    /** The groups, big-endian float32, encoded in parallel into large buffers written in order. */
    private static long writeGroups(UvfitsData d, double jdRef, FileChannel ch) throws IOException {
        Visibilities vis = d.vis();
        int perBlt = vis.nChan() * vis.nPol();
        int rowFloats = N_PARAMS + 3 * perBlt;
        float[] re = vis.re(), im = vis.im(), w = vis.weight();
        boolean[] flag = vis.flag();
        double c = PrimaryBeam.SPEED_OF_LIGHT;
        GroupChannel.RowEncoder encoder = (b, row) -> {
            // UVFITS orientation: x(ant1) − x(ant2) (the hub holds x(ant2) − x(ant1))
            row[0] = (float) (-vis.uvw()[3 * b] / c);
            row[1] = (float) (-vis.uvw()[3 * b + 1] / c);
            row[2] = (float) (-vis.uvw()[3 * b + 2] / c);
            row[3] = 0f;
            row[4] = (float) (vis.timeJd()[b] - jdRef);
            row[5] = 256f * vis.ant1()[b] + vis.ant2()[b];
            row[6] = d.bltField()[b] + 1;
            row[7] = (float) d.integrationSec()[b];
            encodeSamples(re, im, w, flag, b * perBlt, perBlt, row, N_PARAMS);
        };
        GroupChannel.write(ch, vis.nBlt(), rowFloats, encoder);
        return (long) rowFloats * vis.nBlt();
    }

    /**
     * {@code n} samples from index {@code base} as UVFITS (re, im, weight) triples into {@code out} at {@code at}:
     * the complex conjugate of the hub's sample (UVFITS orientation), flagged samples with a negative weight.
     */
    static void encodeSamples(float[] re, float[] im, float[] w, boolean[] flag, int base, int n, float[] out, int at) {
        for (int i = 0; i < n; i++) {
            int o = at + 3 * i;
            out[o] = re[base + i];
            out[o + 1] = -im[base + i];
            float wt = Math.abs(w[base + i]);
            out[o + 2] = flag[base + i] ? -wt : wt;
        }
    }

    /** YYYY-MM-DD of a Julian date (UTC). */
    static String dateOf(double jd) {
        long ms = Math.round((jd - 2440587.5) * 86_400_000.0);
        return java.time.Instant.ofEpochMilli(ms).atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    static BinaryTableHDU antennaTable(UvfitsData d, double refFreq, double jdRef, Astrometry.EarthOrientation eop)
            throws FitsException {
        int n = d.antennaNumbers().length;
        String[] names = new String[n];
        double[][] xyz = new double[n][3];
        int[] nosta = new int[n];
        int[] mount = new int[n];
        float[] offset = new float[n];
        String[] polA = new String[n];
        String[] polB = new String[n];
        float[] angA = new float[n];
        float[] angB = new float[n];
        double[] c = d.arrayCentreEcef();
        double lon = Math.atan2(c[1], c[0]);
        double cl = Math.cos(lon), sl = Math.sin(lon);
        for (int a = 0; a < n; a++) {
            names[a] = d.antennaNames()[a];
            // AIPS Memo 117: ITRF axes rotated about z by the array's longitude (x in the array's meridian)
            double x = d.antennaXyz()[3 * a], y = d.antennaXyz()[3 * a + 1];
            xyz[a][0] = cl * x + sl * y;
            xyz[a][1] = -sl * x + cl * y;
            xyz[a][2] = d.antennaXyz()[3 * a + 2];
            nosta[a] = d.antennaNumbers()[a];
            polA[a] = "X";
            polB[a] = "Y";
            angB[a] = 90f;
        }
        BinaryTable t = BinaryTable.fromColumnMajor(new Object[] {names, xyz, nosta, mount, offset, polA, angA,
            polB, angB});
        BinaryTableHDU hdu = t.toHDU();
        String[] cols = {"ANNAME", "STABXYZ", "NOSTA", "MNTSTA", "STAXOF", "POLTYA", "POLAA", "POLTYB", "POLAB"};
        for (int i = 0; i < cols.length; i++) {
            hdu.setColumnName(i, cols[i], null);
        }
        Header h = hdu.getHeader();
        h.addValue("EXTNAME", "AIPS AN", "");
        h.addValue("EXTVER", 1, "");
        h.addValue("ARRAYX", c[0], "[m] ITRF");
        h.addValue("ARRAYY", c[1], "[m] ITRF");
        h.addValue("ARRAYZ", c[2], "[m] ITRF");
        h.addValue("GSTIA0", Math.toDegrees(AntennaTableTimes.gstAt0h(jdRef, eop.ut1MinusUtcSec())), "[deg] GAST at 0h UTC of RDATE");
        h.addValue("DEGPDY", AntennaTableTimes.DEGREES_PER_DAY, "[deg/day] Earth rotation rate");
        h.addValue("FREQ", refFreq, "[Hz] reference frequency");
        h.addValue("RDATE", dateOf(jdRef), "reference date");
        h.addValue("POLARX", eop.polarXArcsec(), "[arcsec] polar motion x");
        h.addValue("POLARY", eop.polarYArcsec(), "[arcsec] polar motion y");
        h.addValue("UT1UTC", eop.ut1MinusUtcSec(), "[s] UT1 - UTC");
        h.addValue("DATUTC", 0.0, "[s] time system - UTC");
        h.addValue("TIMSYS", "UTC", "");
        h.addValue("ARRNAM", d.telescope(), "");
        h.addValue("XYZHAND", "RIGHT", "");
        h.addValue("FRAME", "ITRF", "");
        h.addValue("NUMORB", 0, "");
        h.addValue("NOPCAL", 0, "");
        h.addValue("POLTYPE", "X-Y LIN", "");
        return hdu;
    }

    static BinaryTableHDU sourceTable(UvfitsData d) throws FitsException {
        int n = d.nFields();
        int[] id = new int[n];
        String[] name = new String[n];
        int[] qual = new int[n];
        String[] calcode = new String[n];
        double[] ra = new double[n];
        double[] dec = new double[n];
        double[] epoch = new double[n];
        double[] raObs = new double[n];
        double[] decObs = new double[n];
        for (int f = 0; f < n; f++) {
            id[f] = f + 1;
            name[f] = d.fieldNames()[f];
            calcode[f] = "    ";
            ra[f] = Math.toDegrees(d.fieldRaRad()[f]);
            dec[f] = Math.toDegrees(d.fieldDecRad()[f]);
            epoch[f] = 2000.0;
            raObs[f] = Math.toDegrees(d.fieldPointingRaRad()[f]);
            decObs[f] = Math.toDegrees(d.fieldPointingDecRad()[f]);
        }
        BinaryTable t = BinaryTable.fromColumnMajor(new Object[] {id, name, qual, calcode, ra, dec, epoch, raObs,
            decObs});
        BinaryTableHDU hdu = t.toHDU();
        String[] cols = {"ID. NO.", "SOURCE", "QUAL", "CALCODE", "RAEPO", "DECEPO", "EPOCH", "RAOBS", "DECOBS"};
        for (int i = 0; i < cols.length; i++) {
            hdu.setColumnName(i, cols[i], null);
        }
        hdu.getHeader().addValue("EXTNAME", "AIPS SU", "");
        hdu.getHeader().addValue("EXTVER", 1, "");
        return hdu;
    }
}
