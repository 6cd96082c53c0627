package org.dsa110.contimg.science.uvfits;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsInputStream;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Reads single-IF UVFITS random-groups files into the hub's convention (uvw = x(ant2) − x(ant1), samples conjugated
 * back from the UVFITS orientation, STABXYZ rotated back from the Memo 117 frame to ITRF axes; docs/conventions.md).
 * It reads with the axis order written by {@link UvfitsWriter} (and by most
 * tools: COMPLEX, STOKES, FREQ, IF, RA, DEC): random parameters are found by PTYPE name (UU/VV/WW with or without a
 * projection suffix, one or two DATE, BASELINE, optional SOURCE and INTTIM) with PSCAL/PZERO applied. A non-positive
 * weight marks a flagged sample (stored with weight |w| and the flag set). Field centres come from the AIPS SU table,
 * or from CRVAL6/CRVAL7 for single-source files. Headers and tables are read with nom-tam-fits; the groups are
 * read through a {@link FileChannel} in large buffers and decoded in parallel ({@link GroupChannel}).
 */
public final class UvfitsReader {

    private UvfitsReader() {
    }

    public static UvfitsData read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Layout l = layout(ch, path);
            int nBlt = l.nBlt;
            double[] time = new double[nBlt];
            int[] a1 = new int[nBlt];
            int[] a2 = new int[nBlt];
            double[] uvw = new double[3 * nBlt];
            int[] source = new int[nBlt];
            double[] inttim = new double[nBlt];
            int perBlt = l.perBlt();
            long n = (long) nBlt * perBlt;
            if (n > Integer.MAX_VALUE) {
                throw new IOException(path + ": too many samples for one block: " + n);
            }
            float[] re = new float[(int) n];
            float[] im = new float[(int) n];
            float[] wt = new float[(int) n];
            boolean[] fl = new boolean[(int) n];
            Params p = l.params;
            GroupChannel.read(ch, l.dataStart, nBlt, l.rowFloats(), (b, row) -> {
                p.decode(row, b, time, a1, a2, uvw, source, inttim);
                decodeSamples(row, l.pcount, perBlt, b * perBlt, re, im, wt, fl);
            });
            Tables t = readTables(ch, l.tablesStart());
            return assemble(l.header, t, l.freq, l.pols, time, a1, a2, uvw, source, inttim, re, im, wt, fl);
        } catch (FitsException e) {
            throw new IOException("cannot read UVFITS " + path + ": " + e.getMessage(), e);
        }
    }

    /** Samples of one row (after the random parameters) into the arrays at {@code base}. */
    static void decodeSamples(float[] row, int pcount, int perBlt, int base, float[] re, float[] im, float[] wt,
                              boolean[] fl) {
        for (int i = 0; i < perBlt; i++) {
            int o = pcount + 3 * i;
            re[base + i] = row[o];
            im[base + i] = -row[o + 1]; // UVFITS holds the conjugate (x(ant1) − x(ant2) orientation)
            float w = row[o + 2];
            wt[base + i] = Math.abs(w);
            fl[base + i] = !(w > 0);
        }
    }

    /** Where things are in a random-groups file and what its axes are. */
    record Layout(Header header, Params params, int pcount, int nBlt, int nChan, int nPol, double[] freq, int[] pols,
                  long dataStart) {
        int perBlt() {
            return nChan * nPol;
        }

        int rowFloats() {
            return pcount + 3 * perBlt();
        }

        long dataBytes() {
            return 4L * rowFloats() * nBlt;
        }

        /** Start of the first extension (the data are padded to a whole FITS block). */
        long tablesStart() {
            long bytes = dataBytes();
            return dataStart + bytes + (2880 - bytes % 2880) % 2880;
        }
    }

    static Layout layout(FileChannel ch, Path path) throws IOException, FitsException {
        Header h = Header.readHeader(new FitsInputStream(Channels.newInputStream(ch.position(0))));
        if (!h.getBooleanValue("GROUPS", false) || h.getIntValue("NAXIS1", -1) != 0) {
            throw new IOException(path + " is not a random-groups UVFITS file");
        }
        if (h.getIntValue("BITPIX") != -32) {
            throw new IOException(path + ": only BITPIX -32 UVFITS is supported");
        }
        int naxis = h.getIntValue("NAXIS");
        if (naxis < 4 || !"COMPLEX".equals(ctype(h, 2)) || !"STOKES".equals(ctype(h, 3))
                || !"FREQ".equals(ctype(h, 4))) {
            throw new IOException(path + ": unsupported axis order (need COMPLEX, STOKES, FREQ, ...)");
        }
        int nCplx = h.getIntValue("NAXIS2");
        int nPol = h.getIntValue("NAXIS3");
        int nChan = h.getIntValue("NAXIS4");
        for (int a = 5; a <= naxis; a++) {
            if (h.getIntValue("NAXIS" + a) != 1) {
                throw new IOException(path + ": axis " + ctype(h, a) + " must have length 1");
            }
        }
        if (nCplx != 3) {
            throw new IOException(path + ": the COMPLEX axis must hold re, im, weight");
        }
        int pcount = h.getIntValue("PCOUNT");
        int nBlt = h.getIntValue("GCOUNT");
        Params p = Params.of(h, pcount);
        double[] freq = new double[nChan];
        for (int c = 0; c < nChan; c++) {
            freq[c] = h.getDoubleValue("CRVAL4") + (c + 1 - h.getDoubleValue("CRPIX4", 1.0)) * h.getDoubleValue("CDELT4");
        }
        int[] pols = new int[nPol];
        for (int i = 0; i < nPol; i++) {
            pols[i] = (int) Math.round(h.getDoubleValue("CRVAL3") + (i + 1 - h.getDoubleValue("CRPIX3", 1.0))
                    * h.getDoubleValue("CDELT3"));
        }
        long dataStart = h.getOriginalSize();
        if (dataStart <= 0 || dataStart % 2880 != 0) {
            throw new IOException(path + ": cannot tell where the group data start (header size " + dataStart + ")");
        }
        return new Layout(h, p, pcount, nBlt, nChan, nPol, freq, pols, dataStart);
    }

    static UvfitsData assemble(Header h, Tables t, double[] freq, int[] pols, double[] time, int[] a1,
            int[] a2, double[] uvw, int[] source, double[] inttim, float[] re, float[] im, float[] wt, boolean[] fl) {
        int nBlt = time.length;
        String[] fieldNames;
        double[] fra;
        double[] fdec;
        int[] ids;
        if (t.su != null) {
            ids = t.suIds;
            fieldNames = t.suNames;
            fra = t.suRa;
            fdec = t.suDec;
        } else {
            ids = new int[] {1};
            fieldNames = new String[] {h.getStringValue("OBJECT") == null ? "field" : h.getStringValue("OBJECT")};
            fra = new double[] {Math.toRadians(h.getDoubleValue("CRVAL6"))};
            fdec = new double[] {Math.toRadians(h.getDoubleValue("CRVAL7"))};
        }
        Map<Integer, Integer> byId = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            byId.put(ids[i], i);
        }
        int[] bltField = new int[nBlt];
        double[] pra = new double[nBlt];
        double[] pdec = new double[nBlt];
        for (int b = 0; b < nBlt; b++) {
            Integer f = byId.get(source[b]);
            if (f == null) {
                throw new IllegalArgumentException("blt " + b + " refers to source " + source[b]
                        + ", which the SU table lacks");
            }
            bltField[b] = f;
            pra[b] = fra[f];
            pdec[b] = fdec[f];
        }
        Visibilities vis = new Visibilities(nBlt, freq.length, pols.length, time, a1, a2, uvw, pra, pdec, freq, re,
                im, wt, fl);
        double[] obsRa = t.suRaObs != null ? t.suRaObs : fra;
        double[] obsDec = t.suDecObs != null ? t.suDecObs : fdec;
        int[] antNumbers;
        String[] antNames;
        double[] xyz;
        double[] centre = new double[3];
        if (t.an != null) {
            antNumbers = t.anNumbers;
            antNames = t.anNames;
            xyz = t.anXyz;
            centre = t.arrayCentre;
        } else {
            antNumbers = vis.antennaNumbers();
            antNames = Arrays.stream(antNumbers).mapToObj(a -> "ANT" + a).toArray(String[]::new);
            xyz = new double[3 * antNumbers.length];
        }
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (String k : new String[] {"DATACOL", "GROUPID", "CALSTAT", "BUNIT", "CALSET"}) {
            if (h.containsKey(k)) {
                keywords.put(k, h.getStringValue(k));
            }
        }
        String tel = h.getStringValue("TELESCOP");
        String ins = h.getStringValue("INSTRUME");
        String obj = h.getStringValue("OBJECT");
        return new UvfitsData(tel == null ? "" : tel, ins == null ? "" : ins, obj == null ? "" : obj, centre,
                antNumbers, antNames, xyz, fieldNames, fra, fdec, obsRa, obsDec, bltField, inttim, pols, vis, keywords);
    }

    static final class Tables {
        BinaryTableHDU an;
        BinaryTableHDU su;
        int[] anNumbers;
        String[] anNames;
        double[] anXyz;
        double[] arrayCentre = new double[3];
        int[] suIds;
        String[] suNames;
        double[] suRa;
        double[] suDec;
        double[] suRaObs;
        double[] suDecObs;
    }

    static Tables readTables(FileChannel ch, long start) throws IOException, FitsException {
        if (start >= ch.size()) {
            return new Tables();
        }
        FitsInputStream in = new FitsInputStream(new BufferedInputStream(Channels.newInputStream(ch.position(start)),
                1 << 16));
        Tables t = new Tables();
        while (true) {
            Header h;
            try {
                h = Header.readHeader(in);
            } catch (EOFException | nom.tam.fits.TruncatedFileException e) {
                break;
            }
            if (h == null) {
                break;
            }
            String ext = h.getStringValue("EXTNAME");
            if (("AIPS AN".equals(ext) || "AIPS SU".equals(ext)) && "BINTABLE".equals(h.getStringValue("XTENSION"))) {
                BinaryTable data = new BinaryTable(h);
                data.read(in);
                BinaryTableHDU hdu = new BinaryTableHDU(h, data);
                if ("AIPS AN".equals(ext)) {
                    t.an = hdu;
                    t.anNames = trim((String[]) hdu.getColumn("ANNAME"));
                    t.anNumbers = (int[]) hdu.getColumn("NOSTA");
                    double[][] xyz = (double[][]) hdu.getColumn("STABXYZ");
                    t.arrayCentre = new double[] {h.getDoubleValue("ARRAYX"), h.getDoubleValue("ARRAYY"),
                        h.getDoubleValue("ARRAYZ")};
                    t.anXyz = itrfOffsets(xyz, t.arrayCentre);
                } else {
                    t.su = hdu;
                    t.suIds = (int[]) hdu.getColumn("ID. NO.");
                    t.suNames = trim((String[]) hdu.getColumn("SOURCE"));
                    double[] ra = (double[]) hdu.getColumn("RAEPO");
                    double[] dec = (double[]) hdu.getColumn("DECEPO");
                    t.suRa = Arrays.stream(ra).map(Math::toRadians).toArray();
                    t.suDec = Arrays.stream(dec).map(Math::toRadians).toArray();
                    if (hdu.findColumn("RAOBS") >= 0 && hdu.findColumn("DECOBS") >= 0) {
                        t.suRaObs = Arrays.stream((double[]) hdu.getColumn("RAOBS")).map(Math::toRadians).toArray();
                        t.suDecObs = Arrays.stream((double[]) hdu.getColumn("DECOBS")).map(Math::toRadians)
                                .toArray();
                    }
                }
            } else {
                long size = h.getDataSize();
                in.skipAllBytes(size);
            }
        }
        return t;
    }

    /**
     * STABXYZ → offsets from the array centre in ITRF axes: the memo's frame is rotated about z so that x lies in
     * the array's meridian; files with ARRAYX/Y/Z = 0 (the VLA's habit) hold absolute positions instead, whose mean
     * becomes the centre.
     */
    static double[] itrfOffsets(double[][] stabxyz, double[] centre) {
        double[] out = new double[3 * stabxyz.length];
        if (Math.abs(centre[0]) + Math.abs(centre[1]) + Math.abs(centre[2]) < 1e-3) {
            double[] mean = new double[3];
            for (double[] p : stabxyz) {
                for (int i = 0; i < 3; i++) {
                    mean[i] += p[i] / stabxyz.length;
                }
            }
            for (int a = 0; a < stabxyz.length; a++) {
                for (int i = 0; i < 3; i++) {
                    out[3 * a + i] = stabxyz[a][i] - mean[i];
                }
            }
            System.arraycopy(mean, 0, centre, 0, 3);
            return out;
        }
        double lon = Math.atan2(centre[1], centre[0]);
        double cl = Math.cos(lon), sl = Math.sin(lon);
        for (int a = 0; a < stabxyz.length; a++) {
            double x = stabxyz[a][0], y = stabxyz[a][1];
            out[3 * a] = cl * x - sl * y;
            out[3 * a + 1] = sl * x + cl * y;
            out[3 * a + 2] = stabxyz[a][2];
        }
        return out;
    }

    private static String[] trim(String[] s) {
        return Arrays.stream(s).map(x -> x == null ? "" : x.trim()).toArray(String[]::new);
    }

    private static String ctype(Header h, int axis) {
        String s = h.getStringValue("CTYPE" + axis);
        return s == null ? "" : s.trim();
    }

    /** Random-parameter positions (−1 when absent) with their scales and offsets. */
    record Params(int uu, int vv, int ww, int date1, int date2, int baseline, int source, int inttim,
            double[] scale, double[] zero) {
        static Params of(Header h, int pcount) {
            int uu = -1, vv = -1, ww = -1, d1 = -1, d2 = -1, bl = -1, src = -1, it = -1;
            double[] scale = new double[pcount];
            double[] zero = new double[pcount];
            for (int i = 0; i < pcount; i++) {
                HeaderCard card = h.findCard("PTYPE" + (i + 1));
                String type = card == null || card.getValue() == null ? "" : card.getValue().trim().toUpperCase();
                scale[i] = h.getDoubleValue("PSCAL" + (i + 1), 1.0);
                zero[i] = h.getDoubleValue("PZERO" + (i + 1), 0.0);
                if (type.startsWith("UU")) {
                    uu = i;
                } else if (type.startsWith("VV")) {
                    vv = i;
                } else if (type.startsWith("WW")) {
                    ww = i;
                } else if (type.equals("DATE") && d1 < 0) {
                    d1 = i;
                } else if (type.equals("DATE")) {
                    d2 = i;
                } else if (type.equals("BASELINE")) {
                    bl = i;
                } else if (type.equals("SOURCE")) {
                    src = i;
                } else if (type.equals("INTTIM")) {
                    it = i;
                }
            }
            if (uu < 0 || vv < 0 || ww < 0 || d1 < 0 || bl < 0) {
                throw new IllegalArgumentException("UVFITS lacks one of the UU, VV, WW, DATE, BASELINE parameters");
            }
            return new Params(uu, vv, ww, d1, d2, bl, src, it, scale, zero);
        }

        /** The random parameters of a row into the per-blt arrays at index b. */
        void decode(float[] row, int b, double[] time, int[] a1, int[] a2, double[] uvw, int[] src, double[] secs) {
            // UVFITS orientation x(ant1) − x(ant2) → the hub's x(ant2) − x(ant1)
            double c = -PrimaryBeam.SPEED_OF_LIGHT;
            uvw[3 * b] = value(row, uu) * c;
            uvw[3 * b + 1] = value(row, vv) * c;
            uvw[3 * b + 2] = value(row, ww) * c;
            time[b] = value(row, date1) + (date2 >= 0 ? value(row, date2) : 0.0);
            long bl = Math.round(value(row, baseline));
            if (bl >= 65536) {
                a1[b] = (int) ((bl - 65536) / 2048);
                a2[b] = (int) ((bl - 65536) % 2048);
            } else {
                a1[b] = (int) (bl / 256);
                a2[b] = (int) (bl % 256);
            }
            src[b] = source >= 0 ? (int) Math.round(value(row, source)) : 1;
            secs[b] = inttim >= 0 ? value(row, inttim) : Double.NaN;
        }

        double value(float[] row, int i) {
            return row[i] * scale[i] + zero[i];
        }
    }
}
