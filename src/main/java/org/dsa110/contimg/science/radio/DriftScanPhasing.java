package org.dsa110.contimg.science.radio;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Moves the phase centre of drift-scan visibilities between the apparent meridian of each integration (as the
 * DSA-110 correlator writes them) and one fixed ICRS position (as imagers and Measurement Sets want them), the way
 * pyuvdata's {@code phase()} does it:
 * <ol>
 * <li>the apparent place of the ICRS centre at the integration's time ({@link Astrometry.Instant#icrsToApparent});</li>
 * <li>(u, v, w) rotated from the old to the new apparent direction ({@link Baselines#rephaseMatrix}), samples multiplied
 * by exp(−2πi (w_new − w_old) ν / c) (the standard sign, docs/conventions.md);</li>
 * <li>(u, v) rotated about w by the frame position angle, so that u and v point to ICRS east and north.</li>
 * </ol>
 * Aberration is thereby applied to the phase centre and treated as a uniform shift of the field (as pyuvdata,
 * CASA and WSClean do); the differential part, ≲ 1e-4 × the offset from the centre, is neglected.
 */
public final class DriftScanPhasing {

    private DriftScanPhasing() {
    }

    /**
     * The per-blt geometry of one rephasing: new (u, v, w) [m] and Δw = w_new − w_old [m] (before the frame
     * rotation, which does not change w).
     */
    public record Rephase(double[] uvw, double[] dw) {

        /**
         * Multiplies every sample of {@code vis} by exp(−2πi·sign·Δw·ν/c): sign +1 takes the data to the new
         * centre, −1 back to the old one.
         */
        public void applyPhase(Visibilities vis, int sign) {
            double[] freq = vis.freqHz();
            int nChan = vis.nChan();
            int nPol = vis.nPol();
            float[] re = vis.re();
            float[] im = vis.im();
            IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
                double k = -2 * Math.PI * sign * dw[b] / PrimaryBeam.SPEED_OF_LIGHT;
                if (k == 0) {
                    return;
                }
                for (int c = 0; c < nChan; c++) {
                    double ph = k * freq[c];
                    double cr = Math.cos(ph), ci = Math.sin(ph);
                    int base = vis.index(b, c, 0);
                    for (int p = 0; p < nPol; p++) {
                        double r = re[base + p], i = im[base + p];
                        re[base + p] = (float) (r * cr - i * ci);
                        im[base + p] = (float) (r * ci + i * cr);
                    }
                }
            });
        }
    }

    /**
     * Geometry that takes {@code vis} (per-blt apparent phase centres and apparent-frame uvw, e.g. the meridian of
     * each integration) to the fixed ICRS centre (ra0, dec0).
     */
    public static Rephase toIcrs(Visibilities vis, double ra0, double dec0, Astrometry astrometry) {
        int n = vis.nBlt();
        double[] out = new double[3 * n];
        double[] dw = new double[n];
        Map<Double, double[]> perTime = new HashMap<>(); // {raApp, decApp, pa}
        double[] uvw = vis.uvw();
        for (int b = 0; b < n; b++) {
            double[] t = perTime.computeIfAbsent(vis.timeJd()[b], jd -> {
                Astrometry.Instant at = astrometry.at(jd);
                double[] app = at.icrsToApparent(ra0, dec0);
                return new double[] {app[0], app[1], at.framePositionAngle(ra0, dec0)};
            });
            double[][] m = Baselines.rephaseMatrix(vis.phaseCentreRa()[b], vis.phaseCentreDec()[b], t[0], t[1]);
            double u = uvw[3 * b], v = uvw[3 * b + 1], w = uvw[3 * b + 2];
            double un = m[0][0] * u + m[0][1] * v + m[0][2] * w;
            double vn = m[1][0] * u + m[1][1] * v + m[1][2] * w;
            double wn = m[2][0] * u + m[2][1] * v + m[2][2] * w;
            // rotate (u, v) so that they point to ICRS east and north: ICRS north is at position angle pa
            double cp = Math.cos(t[2]), sp = Math.sin(t[2]);
            out[3 * b] = un * cp - vn * sp;
            out[3 * b + 1] = un * sp + vn * cp;
            out[3 * b + 2] = wn;
            dw[b] = wn - w;
        }
        return new Rephase(out, dw);
    }

    /**
     * {@code vis} (meridian-phased, apparent centres) rephased in place to the ICRS centre (ra0, dec0): the
     * returned block shares the sample arrays, with the new uvw and the centre (ra0, dec0) on every blt.
     */
    public static Visibilities rephaseToIcrs(Visibilities vis, double ra0, double dec0, Astrometry astrometry) {
        Rephase r = toIcrs(vis, ra0, dec0, astrometry);
        r.applyPhase(vis, 1);
        double[] ra = new double[vis.nBlt()];
        double[] dec = new double[vis.nBlt()];
        java.util.Arrays.fill(ra, ra0);
        java.util.Arrays.fill(dec, dec0);
        return new Visibilities(vis.nBlt(), vis.nChan(), vis.nPol(), vis.timeJd(), vis.ant1(), vis.ant2(), r.uvw(),
                ra, dec, vis.freqHz(), vis.re(), vis.im(), vis.weight(), vis.flag());
    }

    /**
     * ICRS position of every blt's apparent phase centre (for meridian-phased drift scans: the pointing, i.e. the
     * primary-beam centre), {ra[], dec[]}.
     */
    public static double[][] icrsCentres(Visibilities vis, Astrometry astrometry) {
        double[][] out = new double[2][vis.nBlt()];
        Map<Double, double[]> perTime = new HashMap<>();
        for (int b = 0; b < vis.nBlt(); b++) {
            int blt = b;
            double[] c = perTime.computeIfAbsent(vis.timeJd()[b], jd -> astrometry.at(jd)
                    .apparentToIcrs(vis.phaseCentreRa()[blt], vis.phaseCentreDec()[blt]));
            out[0][b] = c[0];
            out[1][b] = c[1];
        }
        return out;
    }

    /**
     * Predicts an ICRS point-source sky onto meridian-phased drift-scan data (samples of {@code meridian}
     * overwritten, metadata kept): evaluated at the ICRS centre (ra0, dec0) with the beam on each blt's meridian, then
     * rephased to the meridian, which is how the reference group was made (pyuvdata + WSClean).
     */
    public static void predictAtMeridian(Visibilities meridian, java.util.List<PointSource> sky, PrimaryBeam beam,
                                         AntennaGains gains, double ra0, double dec0, Astrometry astrometry) {
        Rephase toCentre = toIcrs(meridian, ra0, dec0, astrometry);
        double[][] pointing = icrsCentres(meridian, astrometry);
        double[] ra = new double[meridian.nBlt()];
        double[] dec = new double[meridian.nBlt()];
        java.util.Arrays.fill(ra, ra0);
        java.util.Arrays.fill(dec, dec0);
        Visibilities atCentre = new Visibilities(meridian.nBlt(), meridian.nChan(), meridian.nPol(),
                meridian.timeJd(), meridian.ant1(), meridian.ant2(), toCentre.uvw(), ra, dec, meridian.freqHz(),
                meridian.re(), meridian.im(), meridian.weight(), meridian.flag());
        new VisibilityModel(sky, beam).pointedAt(pointing[0], pointing[1]).predict(atCentre, gains);
        toCentre.applyPhase(meridian, -1);
    }
}
