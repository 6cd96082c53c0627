package org.dsa110.contimg.observing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.science.radio.PrimaryBeam;

/**
 * Where the telescope has looked: for each sky position, the number of recorded pointings whose half-power beam
 * (radius FWHM/2 of the DSA-110 dish at the chosen frequency) contains it. Served on an RA/Dec grid and on a
 * HEALPix RING grid (equatorial). Pointings are merged on a 0.1° lattice before counting.
 */
public final class SkyCoverage {
    private final double radiusDeg;
    private final double[] ra;      // unique pointings, sorted by dec
    private final double[] dec;
    private final int[] weight;
    private final int nSamples;

    public SkyCoverage(List<PointingHistory.Sample> samples, double frequencyMhz) {
        this.radiusDeg = Math.toDegrees(PrimaryBeam.dsa110().fwhmRad(frequencyMhz * 1e6)) / 2;
        Map<Long, int[]> merged = new LinkedHashMap<>();
        for (PointingHistory.Sample s : samples) {
            long key = Math.round(s.decDeg() * 10) * 10_000L + Math.round(((s.raDeg() % 360) + 360) % 360 * 10);
            merged.computeIfAbsent(key, k -> new int[1])[0]++;
        }
        List<long[]> keys = new ArrayList<>();
        merged.forEach((k, w) -> keys.add(new long[] {k, w[0]}));
        keys.sort((a, b) -> Long.compare(Math.floorDiv(a[0], 10_000L), Math.floorDiv(b[0], 10_000L)));
        ra = new double[keys.size()];
        dec = new double[keys.size()];
        weight = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            long k = keys.get(i)[0];
            dec[i] = Math.floorDiv(k, 10_000L) / 10.0;
            ra[i] = Math.floorMod(k, 10_000L) / 10.0;
            weight[i] = (int) keys.get(i)[1];
        }
        nSamples = samples.size();
    }

    public double radiusDeg() {
        return radiusDeg;
    }

    public int samples() {
        return nSamples;
    }

    /** Pointings whose beam contains (raDeg, decDeg). */
    public int hits(double raDeg, double decDeg) {
        int lo = lowerBound(decDeg - radiusDeg);
        int n = 0;
        double cosR = Math.cos(Math.toRadians(radiusDeg));
        double sd = Math.sin(Math.toRadians(decDeg));
        double cd = Math.cos(Math.toRadians(decDeg));
        for (int i = lo; i < dec.length && dec[i] <= decDeg + radiusDeg; i++) {
            double cosSep = sd * Math.sin(Math.toRadians(dec[i]))
                    + cd * Math.cos(Math.toRadians(dec[i])) * Math.cos(Math.toRadians(raDeg - ra[i]));
            if (cosSep >= cosR) {
                n += weight[i];
            }
        }
        return n;
    }

    private int lowerBound(double d) {
        int lo = 0;
        int hi = dec.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (dec[mid] < d) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Hits on a grid of {@code decBins} rows (south to north) by 2×decBins RA columns (0 to 360°), cell centres. */
    public int[][] grid(int decBins) {
        int raBins = 2 * decBins;
        int[][] out = new int[decBins][raBins];
        for (int j = 0; j < decBins; j++) {
            double d = -90 + (j + 0.5) * 180.0 / decBins;
            for (int i = 0; i < raBins; i++) {
                out[j][i] = dec.length == 0 ? 0 : hits((i + 0.5) * 360.0 / raBins, d);
            }
        }
        return out;
    }

    /** Hits per HEALPix RING pixel of {@code nside} (pixel centres; theta = 90° − Dec, phi = RA). */
    public int[] healpix(int nside) {
        int npix = 12 * nside * nside;
        int[] out = new int[npix];
        if (dec.length == 0) {
            return out;
        }
        for (int p = 0; p < npix; p++) {
            double[] tp = Healpix.pix2angRing(nside, p);
            out[p] = hits(Math.toDegrees(tp[1]), 90 - Math.toDegrees(tp[0]));
        }
        return out;
    }

    public static int max(int[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
