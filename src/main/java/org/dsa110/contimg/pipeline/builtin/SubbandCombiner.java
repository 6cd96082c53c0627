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
import org.dsa110.contimg.science.hdf5.Uvh5FormatException;
import org.dsa110.contimg.science.hdf5.Uvh5Phasing;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatch;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.DriftScanPhasing;
import org.dsa110.contimg.science.radio.Geodesy;
import org.dsa110.contimg.science.radio.JulianDate;
import org.dsa110.contimg.science.radio.ObservatorySite;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.uvfits.UvfitsData;

/**
 * Joins the subband files of one group into one visibility set (the conversion stage's science):
 * <ol>
 * <li>consistency: every subband has the same baselines (ant1, ant2) at the same integrations (times within half
 * an integration), in any order (each subband's blts are matched to the first one's), the same polarisations and
 * channel count, and the same phase centres;</li>
 * <li>frequencies: channels of all subbands, ascending; a missing subband (sb00 is the highest frequency) is filled
 * with flagged, zero-weight samples on the channels it would have had, so the band stays uniformly sampled;</li>
 * <li>frame: each file's phase centre as it states it ({@link Uvh5Phasing}: DSA-110's meridian drift scan, a UVH5
 * 1.x driftscan, sidereal or unprojected entry, checked against the uvw); every integration is rephased to one ICRS
 * centre ({@link DriftScanPhasing}): the file's own when all of it is phased to one sidereal position, else the
 * pointing (for DSA-110 files the meridian) at the group's mean time, so the file has one phase centre as imagers
 * (WSClean: "all fields should have the same phase centre") need; unprojected samples first get the w phase of the
 * zenith (pyuvdata phases them from w = 0);</li>
 * <li>each integration stays one field, named {@code meridian_icrs_t<i>}, with the ICRS position of its pointing
 * (for DSA-110 files the meridian, the beam centre); when a calibrator lies within the matcher's radius of a
 * pointing, the recommended fields are renamed {@code <calibrator>_t<i>}.</li>
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
    private final Astrometry astrometry;

    /** @param astrometry Earth orientation for the transforms (its site is replaced by the files' telescope) */
    public SubbandCombiner(CalibratorMatcher matcher, Astrometry astrometry) {
        this.matcher = matcher;
        this.astrometry = astrometry;
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
        Uvh5Phasing phasing = phasing(refSb, ref);
        Map<Integer, int[]> bltOf = new java.util.HashMap<>();
        for (Map.Entry<Integer, Uvh5Data> e : subbands.entrySet()) {
            check(e.getKey(), ref, e.getValue());
            bltOf.put(e.getKey(), matchBlts(e.getKey(), ref, e.getValue(), intSec));
            if (e.getKey() != refSb) {
                samePhaseCentres(e.getKey(), phasing, phasing(e.getKey(), e.getValue()));
            }
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
        int[][] srcBlt = new int[nChan][];
        int[] srcChan = new int[nChan];
        for (int i = 0; i < nChan; i++) {
            double[] ch = channels.get(i);
            src[i] = subbands.get((int) ch[1]);
            srcBlt[i] = bltOf.get((int) ch[1]);
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
                int in = (srcBlt[i][b] * nChanSb + srcChan[i]) * nPol;
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
        return frame(ref, phasing, groupId, times, freq, re, im, wt, fl, offset, missing);
    }

    private Combined frame(Uvh5Data ref, Uvh5Phasing phasing, String groupId, double[] times, double[] freq,
            float[] re, float[] im, float[] wt, boolean[] fl, int offset, List<Integer> missing) {
        int nBlt = ref.nBlts();
        Uvh5Data.Telescope tel = ref.telescope();
        Astrometry site = astrometry.at(new ObservatorySite(tel.name(), tel.latitudeDeg(), tel.longitudeDeg(),
                tel.altitudeM()));
        double[] distinct = Arrays.stream(times).distinct().sorted().toArray();
        int nField = distinct.length;
        Map<Double, Integer> fieldOfTime = new LinkedHashMap<>();
        for (int f = 0; f < nField; f++) {
            fieldOfTime.put(distinct[f], f);
        }
        // the ICRS position of each integration's pointing (for DSA-110 files its meridian): the field's beam centre
        double[] pra = new double[nField];
        double[] pdec = new double[nField];
        double[] pointingDec = new double[nField];
        int[] firstBlt = new int[nField];
        Arrays.fill(firstBlt, -1);
        int[] bltField = new int[nBlt];
        for (int b = 0; b < nBlt; b++) {
            int f = fieldOfTime.get(times[b]);
            bltField[b] = f;
            if (firstBlt[f] < 0) {
                firstBlt[f] = b;
                double[] icrs = site.at(times[b]).apparentToIcrs(phasing.pointingRa()[b], phasing.pointingDec()[b]);
                pra[f] = icrs[0];
                pdec[f] = icrs[1];
                pointingDec[f] = phasing.pointingDec()[b];
            }
        }
        double[] centre = groupCentre(phasing, site, distinct, firstBlt);
        int[] a1 = new int[nBlt];
        int[] a2 = new int[nBlt];
        double[] inttim = new double[nBlt];
        for (int b = 0; b < nBlt; b++) {
            a1[b] = ref.blts().ant1()[b] + offset;
            a2[b] = ref.blts().ant2()[b] + offset;
            inttim[b] = ref.blts().integrationTimeS()[b];
        }
        double[] uvw = phasing.apparentUvw(ref.blts().uvwM());
        Visibilities stated = new Visibilities(nBlt, freq.length, ref.nPols(), times.clone(), a1, a2, uvw,
                phasing.appRa().clone(), phasing.appDec().clone(), freq, re, im, wt, fl);
        double[] zenithW = new double[nBlt];
        for (int b = 0; b < nBlt; b++) {
            zenithW[b] = phasing.unprojected()[b] ? uvw[3 * b + 2] : 0;
        }
        // unprojected samples carry no w phase: give them the zenith's, as pyuvdata phases them (from w = 0)
        new DriftScanPhasing.Rephase(uvw, zenithW).applyPhase(stated, 1);
        Visibilities vis = DriftScanPhasing.rephaseToIcrs(stated, centre[0], centre[1], site);
        List<CalibratorMatch> matches = matcher.matchAll(pra, pdec);
        String[] names = new String[nField];
        for (int f = 0; f < nField; f++) {
            names[f] = "meridian_icrs_t" + f;
        }
        if (!matches.isEmpty()) {
            for (int f : matches.get(0).recommendedFields()) {
                names[f] = matches.get(0).calibrator().name() + "_t" + f;
            }
        }
        int[] numbers = Arrays.stream(tel.antennaNumbers()).map(a -> a + offset).toArray();
        double[] arrayCentre = Geodesy.geodeticToEcef(tel.latitudeDeg(), tel.longitudeDeg(), tel.altitudeM());
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("GROUPID", groupId);
        kw.put("DATACOL", "DATA");
        kw.put("PNTDEC", Math.toDegrees(pointingDec[nField / 2]));
        double[] fra = new double[nField];
        double[] fdec = new double[nField];
        Arrays.fill(fra, centre[0]);
        Arrays.fill(fdec, centre[1]);
        UvfitsData data = new UvfitsData(tel.name(), tel.instrument(), groupId, arrayCentre, numbers,
                tel.antennaNames(), tel.antennaPositionsM().clone(), names, fra, fdec, pra, pdec, bltField, inttim,
                ref.polarizations().clone(), vis, kw);
        double half = finiteOr(ref.blts().integrationTimeS()[0], 0) / 2 / 86400.0;
        return new Combined(data, matches, missing, JulianDate.jdToMjd(distinct[0]) - half,
                JulianDate.jdToMjd(distinct[nField - 1]) + half);
    }

    /**
     * The group's ICRS phase centre: the files' own when every blt is phased to one sidereal position, else the
     * pointing (the beam centre: for DSA-110 files the meridian at the pointing declination) at the group's mean
     * time (RA halfway between the first and last integration's, the middle integration's Dec) in ICRS.
     */
    private static double[] groupCentre(Uvh5Phasing phasing, Astrometry site, double[] distinct, int[] firstBlt) {
        double[] common = phasing.commonIcrsCentre();
        if (common != null) {
            return common;
        }
        int n = distinct.length;
        double raFirst = phasing.pointingRa()[firstBlt[0]];
        double raLast = phasing.pointingRa()[firstBlt[n - 1]];
        double midRaApp = raFirst + JulianDate.wrap(raLast - raFirst + Math.PI) / 2 - Math.PI / 2;
        double midJd = (distinct[0] + distinct[n - 1]) / 2;
        return site.at(midJd).apparentToIcrs(JulianDate.wrap(midRaApp), phasing.pointingDec()[firstBlt[n / 2]]);
    }

    private static void check(int sb, Uvh5Data ref, Uvh5Data d) {
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
    }

    /**
     * For each blt of {@code ref}, the blt of {@code d} with the same baseline at the same integration (times within
     * half an integration); the identity when both list them in the same order.
     */
    static int[] matchBlts(int sb, Uvh5Data ref, Uvh5Data d, double intSec) {
        int n = ref.nBlts();
        double tol = intSec / 2 / 86400.0;
        int[] a1 = ref.blts().ant1(), a2 = ref.blts().ant2();
        double[] t = ref.blts().timeJd();
        if (Arrays.equals(d.blts().ant1(), a1) && Arrays.equals(d.blts().ant2(), a2)) {
            for (int b = 0; b < n; b++) {
                if (Math.abs(d.blts().timeJd()[b] - t[b]) > tol) {
                    throw new IllegalArgumentException("subband " + sb
                            + ": integration times differ from the other subbands");
                }
            }
            return IntStream.range(0, n).toArray();
        }
        double[] refTimes = Arrays.stream(t).distinct().sorted().toArray();
        Map<Long, Integer> index = new java.util.HashMap<>();
        for (int b = 0; b < n; b++) {
            index.put(key(Arrays.binarySearch(refTimes, t[b]), a1[b], a2[b]), b);
        }
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int b = 0; b < n; b++) {
            double tb = d.blts().timeJd()[b];
            int ti = nearest(refTimes, tb);
            Integer r = Math.abs(refTimes[ti] - tb) <= tol
                    ? index.get(key(ti, d.blts().ant1()[b], d.blts().ant2()[b])) : null;
            if (r == null || out[r] >= 0) {
                throw new IllegalArgumentException("subband " + sb + ": baseline (" + d.blts().ant1()[b] + ", "
                        + d.blts().ant2()[b] + ") at JD " + tb + " does not match one of the other subbands' "
                        + "baseline-times (ant_1_array, ant_2_array, time_array)");
            }
            out[r] = b;
        }
        return out;
    }

    private static long key(int time, int a1, int a2) {
        return ((long) time << 40) | ((long) (a1 & 0xfffff) << 20) | (a2 & 0xfffff);
    }

    private static int nearest(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i >= 0) {
            return i;
        }
        int hi = Math.min(-i - 1, sorted.length - 1), lo = Math.max(hi - 1, 0);
        return Math.abs(sorted[lo] - x) <= Math.abs(sorted[hi] - x) ? lo : hi;
    }

    /** The phase centres of subband {@code sb} ({@link Uvh5Phasing}); a statement it cannot take names the subband. */
    private Uvh5Phasing phasing(int sb, Uvh5Data d) {
        try {
            return Uvh5Phasing.of(d, astrometry);
        } catch (Uvh5FormatException e) {
            throw e.in("subband " + sb);
        }
    }

    private static void samePhaseCentres(int sb, Uvh5Phasing ref, Uvh5Phasing other) {
        if (!ref.statement().equals(other.statement())) {
            throw new IllegalArgumentException("subband " + sb + ": phase centre (" + other.statement()
                    + ") differs from the other subbands' (" + ref.statement() + ")");
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
