package org.dsa110.contimg.pipeline.builtin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.dsa110.contimg.science.fits.ProductFiles;
import nom.tam.fits.header.Bitpix;
import nom.tam.util.FitsOutputStream;
import org.dsa110.contimg.science.calibration.BandpassSolution;
import org.dsa110.contimg.science.calibration.GainSolution;

/**
 * Calibration tables as FITS binary tables (an empty primary HDU, then one BINTABLE):
 * <ul>
 * <li>{@code EXTNAME = 'BPCAL'} (type BP): one row per antenna and channel, columns ANTENNA, CHANNEL, FREQ [Hz],
 * REAL, IMAG (normalised bandpass), SNR, FLAG (1 = flagged), AMPSCALE (the antenna's mean amplitude removed by the
 * normalisation), REFANT (the channel's reference antenna);</li>
 * <li>{@code EXTNAME = 'GPCAL'} (type GP): one row per antenna and time chunk, columns ANTENNA, CHUNK, START_JD,
 * END_JD, AMP, PHASE [rad], SNR, FLAG, REFANT.</li>
 * </ul>
 * Header keywords CALTYPE, GROUPID (the calibrator group), CALNAME (the calibrator). Rows are antenna-major with
 * antennas ascending, so they read back into {@link BandpassSolution#of} / {@link GainSolution#of} directly.
 */
public final class CalibrationTables {

    private CalibrationTables() {
    }

    public static void writeBandpass(BandpassSolution bp, String groupId, String calibrator, Path target)
            throws IOException {
        int[] ants = bp.antennas();
        int nChan = bp.nChan();
        int n = ants.length * nChan;
        int[] ant = new int[n];
        int[] chan = new int[n];
        double[] freq = new double[n];
        float[] re = new float[n];
        float[] im = new float[n];
        float[] snr = new float[n];
        int[] flag = new int[n];
        double[] scale = new double[n];
        int[] ref = new int[n];
        double[] f = bp.freqHz();
        for (int a = 0; a < ants.length; a++) {
            for (int c = 0; c < nChan; c++) {
                int i = a * nChan + c;
                ant[i] = ants[a];
                chan[i] = c;
                freq[i] = f[c];
                re[i] = (float) bp.real(a, c);
                im[i] = (float) bp.imag(a, c);
                snr[i] = (float) bp.snr(a, c);
                flag[i] = bp.isFlagged(a, c) ? 1 : 0;
                scale[i] = bp.amplitudeScale(a);
                ref[i] = bp.refAntenna(c);
            }
        }
        write(target, "BPCAL", "BP", groupId, calibrator,
                new Object[] {ant, chan, freq, re, im, snr, flag, scale, ref},
                new String[] {"ANTENNA", "CHANNEL", "FREQ", "REAL", "IMAG", "SNR", "FLAG", "AMPSCALE", "REFANT"});
    }

    public static void writeGains(GainSolution g, String groupId, String calibrator, Path target) throws IOException {
        int[] ants = g.antennas();
        int nk = g.nChunks();
        int n = ants.length * nk;
        int[] ant = new int[n];
        int[] chunk = new int[n];
        double[] start = new double[n];
        double[] end = new double[n];
        float[] amp = new float[n];
        float[] phase = new float[n];
        float[] snr = new float[n];
        int[] flag = new int[n];
        int[] ref = new int[n];
        for (int a = 0; a < ants.length; a++) {
            for (int k = 0; k < nk; k++) {
                int i = a * nk + k;
                ant[i] = ants[a];
                chunk[i] = k;
                start[i] = g.chunkStartJd(k);
                end[i] = g.chunkEndJd(k);
                amp[i] = (float) g.amplitude(a, k);
                phase[i] = (float) Math.toRadians(g.phaseDeg(a, k));
                snr[i] = (float) g.snr(a, k);
                flag[i] = g.isFlagged(a, k) ? 1 : 0;
                ref[i] = g.refAntenna(k);
            }
        }
        write(target, "GPCAL", "GP", groupId, calibrator,
                new Object[] {ant, chunk, start, end, amp, phase, snr, flag, ref},
                new String[] {"ANTENNA", "CHUNK", "START_JD", "END_JD", "AMP", "PHASE", "SNR", "FLAG", "REFANT"});
    }

    public static BandpassSolution readBandpass(Path path) throws IOException {
        try (Fits fits = new Fits(path.toFile())) {
            BinaryTableHDU t = table(fits, "BPCAL", path);
            int[] ant = (int[]) t.getColumn("ANTENNA");
            int[] chan = (int[]) t.getColumn("CHANNEL");
            int nChan = java.util.Arrays.stream(chan).max().orElse(-1) + 1;
            int nAnt = nChan == 0 ? 0 : ant.length / nChan;
            double[] freqAll = (double[]) t.getColumn("FREQ");
            double[] scaleAll = (double[]) t.getColumn("AMPSCALE");
            int[] refAll = (int[]) t.getColumn("REFANT");
            int[] flagAll = (int[]) t.getColumn("FLAG");
            int[] ants = new int[nAnt];
            double[] freq = new double[nChan];
            double[] scale = new double[nAnt];
            int[] ref = new int[nChan];
            boolean[] flagged = new boolean[ant.length];
            for (int i = 0; i < ant.length; i++) {
                int a = i / nChan, c = i % nChan;
                if (chan[i] != c) {
                    throw new IOException(path + ": bandpass rows are not antenna-major");
                }
                ants[a] = ant[i];
                freq[c] = freqAll[i];
                scale[a] = scaleAll[i];
                ref[c] = refAll[i];
                flagged[i] = flagAll[i] != 0;
            }
            return BandpassSolution.of(ants, freq, (float[]) t.getColumn("REAL"), (float[]) t.getColumn("IMAG"),
                    (float[]) t.getColumn("SNR"), flagged, scale, ref);
        } catch (RuntimeException e) {
            throw new IOException("cannot read bandpass table " + path + ": " + e.getMessage(), e);
        }
    }

    public static GainSolution readGains(Path path) throws IOException {
        try (Fits fits = new Fits(path.toFile())) {
            BinaryTableHDU t = table(fits, "GPCAL", path);
            int[] ant = (int[]) t.getColumn("ANTENNA");
            int[] chunk = (int[]) t.getColumn("CHUNK");
            int nk = java.util.Arrays.stream(chunk).max().orElse(-1) + 1;
            int nAnt = nk == 0 ? 0 : ant.length / nk;
            double[] startAll = (double[]) t.getColumn("START_JD");
            double[] endAll = (double[]) t.getColumn("END_JD");
            int[] refAll = (int[]) t.getColumn("REFANT");
            int[] flagAll = (int[]) t.getColumn("FLAG");
            int[] ants = new int[nAnt];
            double[] start = new double[nk];
            double[] end = new double[nk];
            int[] ref = new int[nk];
            boolean[] flagged = new boolean[ant.length];
            for (int i = 0; i < ant.length; i++) {
                int a = i / nk, k = i % nk;
                if (chunk[i] != k) {
                    throw new IOException(path + ": gain rows are not antenna-major");
                }
                ants[a] = ant[i];
                start[k] = startAll[i];
                end[k] = endAll[i];
                ref[k] = refAll[i];
                flagged[i] = flagAll[i] != 0;
            }
            return GainSolution.of(ants, start, end, (float[]) t.getColumn("AMP"), (float[]) t.getColumn("PHASE"),
                    (float[]) t.getColumn("SNR"), flagged, ref);
        } catch (RuntimeException e) {
            throw new IOException("cannot read gain table " + path + ": " + e.getMessage(), e);
        }
    }

    private static BinaryTableHDU table(Fits fits, String extname, Path path) throws FitsException, IOException {
        BasicHDU<?>[] hdus = fits.read();
        for (BasicHDU<?> h : hdus) {
            if (h instanceof BinaryTableHDU t && extname.equals(t.getHeader().getStringValue("EXTNAME"))) {
                return t;
            }
        }
        throw new IOException(path + " has no " + extname + " table");
    }

    private static void write(Path target, String extname, String type, String groupId, String calibrator,
            Object[] columns, String[] names) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 FitsOutputStream out = new FitsOutputStream(new BufferedOutputStream(os, 1 << 16))) {
                Header primary = new Header();
                primary.setSimple(true);
                primary.setBitpix(Bitpix.BYTE);
                primary.setNaxes(0);
                primary.addValue("EXTEND", true, "");
                primary.write(out);
                BinaryTableHDU hdu = BinaryTable.fromColumnMajor(columns).toHDU();
                for (int i = 0; i < names.length; i++) {
                    hdu.setColumnName(i, names[i], null);
                }
                Header h = hdu.getHeader();
                h.addValue("EXTNAME", extname, "");
                h.addValue("CALTYPE", type, "calibration table type");
                h.addValue("GROUPID", groupId, "calibrator group");
                h.addValue("CALNAME", calibrator, "calibrator");
                hdu.write(out);
                out.flush();
            } catch (FitsException e) {
                throw new IOException("cannot write calibration table " + target + ": " + e.getMessage(), e);
            }
            ProductFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Table types and their order (science.md). */
    static final List<String> ORDER = List.of("K", "BA", "BP", "GA", "GP", "2G", "FLUX");

    static int orderIndex(String type) {
        return (ORDER.indexOf(type) + 1) * 10;
    }
}
