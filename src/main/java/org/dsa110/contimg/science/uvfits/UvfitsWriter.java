package org.dsa110.contimg.science.uvfits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.header.Bitpix;
import nom.tam.util.FitsOutputStream;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Writes {@link UvfitsData} as a multi-source UVFITS file (AIPS Memo 117 random groups, as pyuvdata, CASA's
 * importuvfits and AIPS read it):
 * <ul>
 * <li>primary HDU: BITPIX −32, NAXIS = 7 (0, COMPLEX 3 = re/im/weight, STOKES, FREQ, IF 1, RA 1, DEC 1), GROUPS = T,
 * random parameters {@code UU VV WW} (seconds of light travel), {@code DATE DATE} (Julian date split into the
 * day origin carried by PZERO4 and the fraction of day, keeping float32 time resolution at ~5 ms),
 * {@code BASELINE} (256·ant1 + ant2), {@code SOURCE} (SU table id), {@code INTTIM} (s);</li>
 * <li>{@code AIPS AN}: antenna names, positions (STABXYZ, ITRF axes relative to ARRAYX/Y/Z), numbers;</li>
 * <li>{@code AIPS SU}: one source per field (name, J2000 centre).</li>
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

    public static void write(UvfitsData d, Path target) throws IOException {
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
                    antennaTable(d, freq[0]).write(out);
                    sourceTable(d).write(out);
                    out.flush();
                }
                GroupChannel.writeFully(ch, ByteBuffer.wrap(tables.toByteArray()));
            } catch (FitsException e) {
                throw new IOException("cannot write UVFITS " + target + ": " + e.getMessage(), e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
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
        h.addValue("BUNIT", "UNCALIB", "");
        h.addValue("EPOCH", 2000.0, "field centres and uvw are J2000");
        h.addValue("RADESYS", "FK5", "");
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
            row[0] = (float) (vis.uvw()[3 * b] / c);
            row[1] = (float) (vis.uvw()[3 * b + 1] / c);
            row[2] = (float) (vis.uvw()[3 * b + 2] / c);
            row[3] = 0f;
            row[4] = (float) (vis.timeJd()[b] - jdRef);
            row[5] = 256f * vis.ant1()[b] + vis.ant2()[b];
            row[6] = d.bltField()[b] + 1;
            row[7] = (float) d.integrationSec()[b];
            int base = b * perBlt;
            for (int i = 0; i < perBlt; i++) {
                int o = N_PARAMS + 3 * i;
                row[o] = re[base + i];
                row[o + 1] = im[base + i];
                float wt = Math.abs(w[base + i]);
                row[o + 2] = flag[base + i] ? -wt : wt;
            }
        };
        GroupChannel.write(ch, vis.nBlt(), rowFloats, encoder);
        return (long) rowFloats * vis.nBlt();
    }

    static BinaryTableHDU antennaTable(UvfitsData d, double refFreq) throws FitsException {
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
        for (int a = 0; a < n; a++) {
            names[a] = d.antennaNames()[a];
            System.arraycopy(d.antennaXyz(), 3 * a, xyz[a], 0, 3);
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
        h.addValue("ARRAYX", d.arrayCentreEcef()[0], "[m] ITRF");
        h.addValue("ARRAYY", d.arrayCentreEcef()[1], "[m] ITRF");
        h.addValue("ARRAYZ", d.arrayCentreEcef()[2], "[m] ITRF");
        h.addValue("FREQ", refFreq, "[Hz]");
        h.addValue("ARRNAM", d.telescope(), "");
        h.addValue("FRAME", "ITRF", "");
        h.addValue("TIMSYS", "UTC", "");
        h.addValue("NUMORB", 0, "");
        h.addValue("NOPCAL", 0, "");
        h.addValue("POLTYPE", "X-Y LIN", "");
        h.addValue("XYZHAND", "RIGHT", "");
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
        for (int f = 0; f < n; f++) {
            id[f] = f + 1;
            name[f] = d.fieldNames()[f];
            calcode[f] = "    ";
            ra[f] = Math.toDegrees(d.fieldRaRad()[f]);
            dec[f] = Math.toDegrees(d.fieldDecRad()[f]);
            epoch[f] = 2000.0;
        }
        BinaryTable t = BinaryTable.fromColumnMajor(new Object[] {id, name, qual, calcode, ra, dec, epoch});
        BinaryTableHDU hdu = t.toHDU();
        String[] cols = {"ID. NO.", "SOURCE", "QUAL", "CALCODE", "RAEPO", "DECEPO", "EPOCH"};
        for (int i = 0; i < cols.length; i++) {
            hdu.setColumnName(i, cols[i], null);
        }
        hdu.getHeader().addValue("EXTNAME", "AIPS SU", "");
        hdu.getHeader().addValue("EXTVER", 1, "");
        return hdu;
    }
}
