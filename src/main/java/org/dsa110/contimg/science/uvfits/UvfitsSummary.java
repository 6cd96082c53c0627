package org.dsa110.contimg.science.uvfits;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import nom.tam.fits.FitsException;

/**
 * What CASA's {@code listobs} tells about a visibility file, for a UVFITS file: the observation (telescope, object,
 * time range), scans (runs of consecutive integrations on one field with no gap longer than twice the integration
 * time), fields, the spectral window, polarisations and antennas, plus the flagged fraction. Reads the header, the
 * AN/SU tables and every group's random parameters and weights, without keeping the samples.
 */
public final class UvfitsSummary {

    /** One scan: 1-based id, field, first and last integration (JD), rows (baseline-times). */
    public record Scan(int id, String field, double startJd, double endJd, int integrations, long rows) {
    }

    /** One field (AIPS source): J2000 degrees. */
    public record Field(int id, String name, double raDeg, double decDeg, long rows) {
    }

    public record Antenna(int number, String name, double[] positionEcef) {
    }

    /** The summary; frequencies in Hz, times in JD (UTC). */
    public record Summary(String telescope, String object, long rows, double startJd, double endJd,
            double integrationSec, List<Scan> scans, List<Field> fields, int nChannels, double firstFrequencyHz,
            double channelWidthHz, List<String> polarizations, List<Antenna> antennas, double flaggedFraction) {
    }

    private UvfitsSummary() {
    }

    public static Summary read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            UvfitsReader.Layout l = UvfitsReader.layout(ch, path);
            int n = l.nBlt();
            double[] time = new double[n];
            int[] a1 = new int[n];
            int[] a2 = new int[n];
            double[] uvw = new double[3 * n];
            int[] source = new int[n];
            double[] inttim = new double[n];
            int[] flagged = new int[n];
            int perBlt = l.perBlt();
            GroupChannel.read(ch, l.dataStart(), n, l.rowFloats(), (b, row) -> {
                l.params().decode(row, b, time, a1, a2, uvw, source, inttim);
                int f = 0;
                for (int i = 0; i < perBlt; i++) {
                    if (!(row[l.pcount() + 3 * i + 2] > 0)) {
                        f++;
                    }
                }
                flagged[b] = f;
            });
            UvfitsReader.Tables t = UvfitsReader.readTables(ch, l.tablesStart());
            return summarise(l, t, time, source, inttim, flagged);
        } catch (FitsException e) {
            throw new IOException("cannot read UVFITS " + path + ": " + e.getMessage(), e);
        }
    }

    private static Summary summarise(UvfitsReader.Layout l, UvfitsReader.Tables t, double[] time, int[] source,
            double[] inttim, int[] flagged) {
        int n = time.length;
        String obj = l.header().getStringValue("OBJECT");
        String[] names;
        int[] ids;
        double[] ra;
        double[] dec;
        if (t.su != null) {
            ids = t.suIds;
            names = t.suNames;
            ra = Arrays.stream(t.suRa).map(Math::toDegrees).toArray();
            dec = Arrays.stream(t.suDec).map(Math::toDegrees).toArray();
        } else {
            ids = new int[] {1};
            names = new String[] {obj == null ? "field" : obj.trim()};
            ra = new double[] {l.header().getDoubleValue("CRVAL6")};
            dec = new double[] {l.header().getDoubleValue("CRVAL7")};
        }
        TreeMap<Integer, Integer> index = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        long[] perField = new long[ids.length];
        // rows in time order: scans are runs of one field without a gap
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(time[x], time[y]));
        double medianInt = median(inttim);
        double gapJd = 2 * (Double.isFinite(medianInt) && medianInt > 0 ? medianInt : 10) / 86400.0;
        List<Scan> scans = new ArrayList<>();
        int scanField = -1;
        double scanStart = 0;
        double scanEnd = 0;
        double lastTime = Double.NaN;
        int integrations = 0;
        long rows = 0;
        long flaggedSamples = 0;
        for (int k = 0; k < n; k++) {
            int b = order[k];
            int f = index.getOrDefault(source[b], 0);
            perField[f]++;
            flaggedSamples += flagged[b];
            boolean newScan = f != scanField || time[b] - scanEnd > gapJd;
            if (newScan && scanField >= 0) {
                scans.add(new Scan(scans.size() + 1, names[scanField], scanStart, scanEnd, integrations, rows));
            }
            if (newScan) {
                scanField = f;
                scanStart = time[b];
                integrations = 0;
                rows = 0;
                lastTime = Double.NaN;
            }
            if (time[b] != lastTime) {
                integrations++;
                lastTime = time[b];
            }
            scanEnd = time[b];
            rows++;
        }
        if (scanField >= 0) {
            scans.add(new Scan(scans.size() + 1, names[scanField], scanStart, scanEnd, integrations, rows));
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            fields.add(new Field(ids[i], names[i], ra[i], dec[i], perField[i]));
        }
        List<Antenna> antennas = new ArrayList<>();
        if (t.an != null) {
            for (int a = 0; a < t.anNumbers.length; a++) {
                antennas.add(new Antenna(t.anNumbers[a], t.anNames[a], new double[] {t.arrayCentre[0]
                        + t.anXyz[3 * a], t.arrayCentre[1] + t.anXyz[3 * a + 1], t.arrayCentre[2] + t.anXyz[3 * a + 2]}));
            }
        }
        List<String> pols = Arrays.stream(l.pols()).mapToObj(UvfitsSummary::stokes).toList();
        double width = l.freq().length > 1 ? l.freq()[1] - l.freq()[0] : l.header().getDoubleValue("CDELT4");
        long samples = (long) n * l.perBlt();
        String tel = l.header().getStringValue("TELESCOP");
        return new Summary(tel == null ? "" : tel.trim(), obj == null ? "" : obj.trim(), n,
                n == 0 ? Double.NaN : time[order[0]], n == 0 ? Double.NaN : time[order[n - 1]], medianInt, scans,
                fields, l.nChan(), l.freq().length == 0 ? Double.NaN : l.freq()[0], width, pols, antennas,
                samples == 0 ? 0 : flaggedSamples / (double) samples);
    }

    /** AIPS Stokes code → name (AIPS Memo 117). */
    static String stokes(int code) {
        return switch (code) {
            case 1 -> "I";
            case 2 -> "Q";
            case 3 -> "U";
            case 4 -> "V";
            case -1 -> "RR";
            case -2 -> "LL";
            case -3 -> "RL";
            case -4 -> "LR";
            case -5 -> "XX";
            case -6 -> "YY";
            case -7 -> "XY";
            case -8 -> "YX";
            default -> String.format(Locale.ROOT, "%d", code);
        };
    }

    private static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
