package org.dsa110.contimg.pipeline.builtin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.radio.CalibratorMatch;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.Geodesy;
import org.dsa110.contimg.science.radio.Precession;
import org.dsa110.contimg.science.radio.SiderealTime;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;

/**
 * Joins the subband files of one group into one visibility set (the conversion stage's science):
 * <ol>
 * <li>consistency: every subband has the same baseline-time order (ant1, ant2), the same times (within half an
 * integration), the same polarisations and channel count;</li>
 * <li>frequencies: channels of all subbands, ascending; a missing subband (sb00 is the highest frequency) is filled
 * with flagged, zero-weight samples on the channels it would have had, so the band stays uniformly sampled;</li>
 * <li>frame: the UVH5 data are phased to the meridian per integration (RA = {@code lst_array}, apparent, Dec =
 * {@code extra_keywords/phase_center_dec}, of date); each integration becomes one field whose centre is converted
 * to J2000 and whose uvw are rotated into J2000 axes (same baseline, same phase centre direction, so the
 * visibilities are unchanged);</li>
 * <li>fields are named {@code meridian_icrs_t<i>}; when a calibrator lies within the matcher's radius of a field,
 * the recommended fields are renamed {@code <calibrator>_t<i>}.</li>
 * </ol>
 * Weights are the UVH5 {@code nsamples}. Antenna numbers are kept when they are ≥ 1 (DSA-110 station numbers),
 * otherwise shifted by +1 to AIPS numbering.
 */
public final class SubbandCombiner {

    /** The joined group and its calibrator match. */
    public record Combined(UvfitsData data, List<CalibratorMatch> matches, List<Integer> missingSubbands,
            double startMjd, double endMjd) {
        public Optional<CalibratorMatch> best() {
            return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0));
        }
    }

    private final CalibratorMatcher matcher;

    public SubbandCombiner(CalibratorMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * @param subbands         subband number → contents (at least one)
     * @param expectedSubbands the group's nominal subband count (missing ones in 0..expected−1 are filled)
     * @param groupId          OBJECT of the output
     */
    public Combined combine(SortedMap<Integer, Uvh5Data> subbands, int expectedSubbands, String groupId) {
        if (subbands.isEmpty()) {
            throw new IllegalArgumentException("no subband files");
        }
        int refSb = subbands.firstKey();
        Uvh5Data ref = subbands.get(refSb);
        int nBlt = ref.nBlts();
        int nChanSb = ref.nFreqs();
        int nPol = ref.nPols();
        double[] times = ref.blts().timeJd();
        double intSec = finiteOr(ref.blts().integrationTimeS()[0], 10.0);
        for (Map.Entry<Integer, Uvh5Data> e : subbands.entrySet()) {
            check(e.getKey(), ref, e.getValue(), intSec);
        }
        // per-subband frequency step (sb00 highest): from two present subbands, else minus one subband's bandwidth
        double bw = nChanSb * Math.abs(ref.channelWidthHz()[0]);
        double step = -bw;
        if (subbands.size() > 1) {
            int last = subbands.lastKey();
            step = (mean(subbands.get(last).freqHz()) - mean(ref.freqHz())) / (last - refSb);
        }
        int nSb = Math.max(expectedSubbands, subbands.lastKey() + 1);
        List<Integer> missing = new ArrayList<>();
        List<double[]> channels = new ArrayList<>(); // {freq, sb, chan}
        for (int sb = 0; sb < nSb; sb++) {
            Uvh5Data d = subbands.get(sb);
            if (d == null) {
                missing.add(sb);
            }
            for (int c = 0; c < nChanSb; c++) {
                double f = d != null ? d.freqHz()[c] : ref.freqHz()[c] + (sb - refSb) * step;
                channels.add(new double[] {f, sb, c});
            }
        }
        channels.sort((a, b) -> Double.compare(a[0], b[0]));
        int nChan = channels.size();
        double[] freq = new double[nChan];
        for (int i = 0; i < nChan; i++) {
            freq[i] = channels.get(i)[0];
        }
        double df = nChan > 1 ? freq[1] - freq[0] : 1;
        for (int i = 2; i < nChan; i++) {
            if (Math.abs(freq[i] - freq[i - 1] - df) > 1e-3 * Math.abs(df)) {
                throw new IllegalArgumentException("the subbands do not form a uniformly spaced band (channel " + i
                        + " at " + freq[i] + " Hz)");
            }
        }
        int offset = Arrays.stream(ref.telescope().antennaNumbers()).min().orElse(1) < 1 ? 1 : 0;
        float[] re = new float[nBlt * nChan * nPol];
        float[] im = new float[re.length];
        float[] wt = new float[re.length];
        boolean[] fl = new boolean[re.length];
        Uvh5Data[] src = new Uvh5Data[nChan];
        int[] srcChan = new int[nChan];
        for (int i = 0; i < nChan; i++) {
            double[] ch = channels.get(i);
            src[i] = subbands.get((int) ch[1]);
            srcChan[i] = (int) ch[2];
        }
        // blt-major, blts in parallel: each output row is written contiguously
        IntStream.range(0, nBlt).parallel().forEach(b -> {
            for (int i = 0; i < nChan; i++) {
                int out = (b * nChan + i) * nPol;
                Uvh5Data d = src[i];
                if (d == null) {
                    for (int p = 0; p < nPol; p++) {
                        fl[out + p] = true;
                    }
                    continue;
                }
                int in = (b * nChanSb + srcChan[i]) * nPol;
                float[] vis = d.visibilities();
                float[] ns = d.nsamples();
                boolean[] fg = d.flags();
                for (int p = 0; p < nPol; p++) {
                    re[out + p] = vis[2 * (in + p)];
                    im[out + p] = vis[2 * (in + p) + 1];
                    wt[out + p] = ns[in + p];
                    fl[out + p] = fg[in + p];
                }
            }
        });
        return frame(ref, groupId, times, freq, re, im, wt, fl, offset, missing);
    }

    private Combined frame(Uvh5Data ref, String groupId, double[] times, double[] freq, float[] re, float[] im,
            float[] wt, boolean[] fl, int offset, List<Integer> missing) {
        int nBlt = ref.nBlts();
        Object decKw = ref.extraKeywords().get("phase_center_dec");
        if (!(decKw instanceof Number decNum)) {
            throw new IllegalArgumentException("the UVH5 header lacks extra_keywords/phase_center_dec");
        }
        double decDate = decNum.doubleValue();
        double lon = ref.telescope().longitudeDeg();
        double[] distinct = Arrays.stream(times).distinct().sorted().toArray();
        int nField = distinct.length;
        double[] fra = new double[nField];
        double[] fdec = new double[nField];
        double[][][] rot = new double[nField][][];
        Map<Double, Integer> fieldOfTime = new LinkedHashMap<>();
        double[] lst = ref.blts().lstRad();
        for (int f = 0; f < nField; f++) {
            fieldOfTime.put(distinct[f], f);
        }
        double[] raDate = new double[nField];
        for (int b = 0; b < nBlt; b++) {
            int f = fieldOfTime.get(times[b]);
            if (rot[f] == null) {
                double ra = Double.isFinite(lst[b]) ? lst[b] : SiderealTime.lastRad(times[b], lon);
                raDate[f] = ra;
                double[] j = Precession.dateToJ2000(ra, decDate, times[b]);
                fra[f] = j[0];
                fdec[f] = j[1];
                rot[f] = rotation(ra, decDate, j[0], j[1], Precession.matrixFromJ2000(times[b]));
            }
        }
        int[] a1 = new int[nBlt];
        int[] a2 = new int[nBlt];
        double[] uvw = new double[3 * nBlt];
        int[] bltField = new int[nBlt];
        double[] pra = new double[nBlt];
        double[] pdec = new double[nBlt];
        double[] inttim = new double[nBlt];
        double[] srcUvw = ref.blts().uvwM();
        for (int b = 0; b < nBlt; b++) {
            int f = fieldOfTime.get(times[b]);
            bltField[b] = f;
            pra[b] = fra[f];
            pdec[b] = fdec[f];
            a1[b] = ref.blts().ant1()[b] + offset;
            a2[b] = ref.blts().ant2()[b] + offset;
            inttim[b] = ref.blts().integrationTimeS()[b];
            double[][] m = rot[f];
            for (int i = 0; i < 3; i++) {
                uvw[3 * b + i] = m[i][0] * srcUvw[3 * b] + m[i][1] * srcUvw[3 * b + 1] + m[i][2] * srcUvw[3 * b + 2];
            }
        }
        Visibilities vis = new Visibilities(nBlt, freq.length, ref.nPols(), times.clone(), a1, a2, uvw, pra, pdec,
                freq, re, im, wt, fl);
        List<CalibratorMatch> matches = matcher.matchAll(fra, fdec);
        String[] names = new String[nField];
        for (int f = 0; f < nField; f++) {
            names[f] = "meridian_icrs_t" + f;
        }
        if (!matches.isEmpty()) {
            for (int f : matches.get(0).recommendedFields()) {
                names[f] = matches.get(0).calibrator().name() + "_t" + f;
            }
        }
        Uvh5Data.Telescope tel = ref.telescope();
        int[] numbers = Arrays.stream(tel.antennaNumbers()).map(a -> a + offset).toArray();
        double[] centre = Geodesy.geodeticToEcef(tel.latitudeDeg(), tel.longitudeDeg(), tel.altitudeM());
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("GROUPID", groupId);
        kw.put("DATACOL", "DATA");
        kw.put("PNTDEC", Math.toDegrees(decDate));
        UvfitsData data = new UvfitsData(tel.name(), tel.instrument(), groupId, centre, numbers, tel.antennaNames(),
                tel.antennaPositionsM().clone(), names, fra, fdec, bltField, inttim, ref.polarizations().clone(), vis,
                kw);
        double half = finiteOr(ref.blts().integrationTimeS()[0], 0) / 2 / 86400.0;
        return new Combined(data, matches, missing, SiderealTime.jdToMjd(distinct[0]) - half,
                SiderealTime.jdToMjd(distinct[nField - 1]) + half);
    }

    /** uvw rotation from (ra, dec) of date to (raJ, decJ) J2000: A_J2000 · Pᵀ · A_dateᵀ. */
    static double[][] rotation(double ra, double dec, double raJ, double decJ, double[][] p) {
        double[][] ad = axes(ra, dec);
        double[][] aj = axes(raJ, decJ);
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int x = 0; x < 3; x++) {
                    for (int y = 0; y < 3; y++) {
                        // aj[i][x] · Pᵀ[x][y] · adᵀ[y][k] = aj[i][x] · p[y][x] · ad[k][y]
                        s += aj[i][x] * p[y][x] * ad[k][y];
                    }
                }
                out[i][k] = s;
            }
        }
        return out;
    }

    /** Rows: the u (east), v (north) and w (towards the source) unit vectors for a phase centre. */
    static double[][] axes(double ra, double dec) {
        double sa = Math.sin(ra), ca = Math.cos(ra), sd = Math.sin(dec), cd = Math.cos(dec);
        return new double[][] {{-sa, ca, 0}, {-sd * ca, -sd * sa, cd}, {cd * ca, cd * sa, sd}};
    }

    private static void check(int sb, Uvh5Data ref, Uvh5Data d, double intSec) {
        String who = "subband " + sb + ": ";
        if (d.nBlts() != ref.nBlts()) {
            throw new IllegalArgumentException(who + d.nBlts() + " baseline-times, expected " + ref.nBlts());
        }
        if (d.nFreqs() != ref.nFreqs()) {
            throw new IllegalArgumentException(who + d.nFreqs() + " channels, expected " + ref.nFreqs());
        }
        if (!Arrays.equals(d.polarizations(), ref.polarizations())) {
            throw new IllegalArgumentException(who + "polarizations " + Arrays.toString(d.polarizations())
                    + " differ from " + Arrays.toString(ref.polarizations()));
        }
        if (!Arrays.equals(d.blts().ant1(), ref.blts().ant1()) || !Arrays.equals(d.blts().ant2(), ref.blts().ant2())) {
            throw new IllegalArgumentException(who + "baseline order differs from the other subbands");
        }
        double tol = intSec / 2 / 86400.0;
        for (int b = 0; b < d.nBlts(); b++) {
            if (Math.abs(d.blts().timeJd()[b] - ref.blts().timeJd()[b]) > tol) {
                throw new IllegalArgumentException(who + "integration times differ from the other subbands");
            }
        }
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    private static double finiteOr(double v, double d) {
        return Double.isFinite(v) && v > 0 ? v : d;
    }

    /** Subband number → contents, sorted. */
    public static SortedMap<Integer, Uvh5Data> sorted(Map<Integer, Uvh5Data> in) {
        return new TreeMap<>(in);
    }
}
