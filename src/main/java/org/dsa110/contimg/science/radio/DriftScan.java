package org.dsa110.contimg.science.radio;

/**
 * Builds the metadata of a DSA-110 style drift scan: the telescope points at the meridian at a fixed declination,
 * and each integration is phased to the meridian at its mid-time (RA = LST(t), Dec = pointing Dec).
 *
 * <p>Blt order is time-major: {@code blt = t · nBaselines + k}, with baselines as in
 * {@link Baselines#crossCorrelations}. Phase centres are apparent places (RA = local apparent sidereal time from
 * {@link Astrometry}); to predict a catalogue (ICRS) sky onto such data, rephase to an ICRS centre first
 * ({@link DriftScanPhasing}).
 */
public final class DriftScan {

    /** DSA-110 integration time (s): a 309 s group holds 24 of them. */
    public static final double DSA110_INTEGRATION_SEC = 12.884901888;

    private DriftScan() {
    }

    /**
     * @param layout         antennas to use
     * @param pointingDecRad pointing (and phase-centre) declination
     * @param startJd        start of the first integration (JD, UT)
     * @param nTimes         number of integrations
     * @param integrationSec integration length (s); times are integration mid-points
     * @param freqHz         channel centre frequencies
     * @param nPol           number of polarisation products (2 = XX, YY)
     */
    public static Visibilities build(ArrayLayout layout, double pointingDecRad, double startJd, int nTimes,
                                     double integrationSec, double[] freqHz, int nPol) {
        return build(layout, new Astrometry(layout.site(), Astrometry.EarthOrientation.ZERO), pointingDecRad,
                startJd, nTimes, integrationSec, freqHz, nPol);
    }

    /** As above with the given Earth orientation (UT1 − UTC, polar motion) for the sidereal time. */
    public static Visibilities build(ArrayLayout layout, Astrometry astrometry, double pointingDecRad, double startJd,
                                     int nTimes, double integrationSec, double[] freqHz, int nPol) {
        Baselines bl = Baselines.crossCorrelations(layout);
        int nbl = bl.count();
        int nBlt = nbl * nTimes;
        double[] time = new double[nBlt];
        int[] a1 = new int[nBlt];
        int[] a2 = new int[nBlt];
        double[] uvw = new double[3 * nBlt];
        double[] ra = new double[nBlt];
        double[] dec = new double[nBlt];
        for (int t = 0; t < nTimes; t++) {
            double jd = startJd + (t + 0.5) * integrationSec / 86400.0;
            double lst = astrometry.lastRad(jd);
            bl.uvwInto(lst, pointingDecRad, lst, uvw, 3 * t * nbl);
            for (int k = 0; k < nbl; k++) {
                int b = t * nbl + k;
                time[b] = jd;
                a1[b] = bl.ant1Number(k);
                a2[b] = bl.ant2Number(k);
                ra[b] = lst;
                dec[b] = pointingDecRad;
            }
        }
        return Visibilities.allocate(time, a1, a2, uvw, ra, dec, freqHz.clone(), nPol);
    }

    /** {@code n} channel centres starting at {@code firstHz} spaced by {@code widthHz} (may be negative). */
    public static double[] channels(double firstHz, double widthHz, int n) {
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = firstHz + i * widthHz;
        }
        return f;
    }
}
