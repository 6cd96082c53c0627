package org.dsa110.contimg.science.radio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VisibilityModelTest {

    private static final double C = PrimaryBeam.SPEED_OF_LIGHT;
    private final ArrayLayout layout = ArrayLayout.loadDsa110().select(3, 20, 45, 60, 90, 103, 108, 115);
    private final double dec = Math.toRadians(54.57);
    private final double[] freq = DriftScan.channels(1.3114e9, 244140.625 * 6, 64);

    private Visibilities scan(int nPol) {
        return DriftScan.build(layout, dec, 2460400.5, 3, DriftScan.DSA110_INTEGRATION_SEC, freq, nPol);
    }

    @Test
    void driftScanPhaseCentreIsTheMeridian() {
        Visibilities v = scan(2);
        for (int b = 0; b < v.nBlt(); b++) {
            assertEquals(Astrometry.DSA110.lastRad(v.timeJd()[b]), v.phaseCentreRa()[b], 1e-12);
            assertEquals(dec, v.phaseCentreDec()[b], 0);
        }
        assertEquals(3, v.uniqueTimes().length);
        assertEquals(28 * 3, v.nBlt());
    }

    @Test
    void sourceAtPhaseCentreGivesItsFluxOnParallelHands() {
        Visibilities v = scan(4);
        // a source tracking the centre of blt 0: at the phase centre there, 4 arcmin away later — check blt 0 only
        PointSource s = PointSource.flat(v.phaseCentreRa()[0], dec, 7.5);
        new VisibilityModel(List.of(s), PrimaryBeam.dsa110()).predict(v, null);
        int nbl = 28;
        for (int b = 0; b < nbl; b++) {
            for (int c = 0; c < freq.length; c++) {
                int i = v.index(b, c, 0);
                assertEquals(7.5, v.re()[i], 1e-5);
                assertEquals(0.0, v.im()[i], 1e-5);
                assertEquals(7.5, v.re()[i + 1], 1e-5); // YY
                assertEquals(0.0, v.re()[i + 2], 0);   // XY
                assertEquals(0.0, v.re()[i + 3], 0);   // YX
            }
        }
    }

    @Test
    void offsetSourcesMatchDirectEvaluationOfMeasurementEquation() {
        Visibilities v = scan(2);
        PrimaryBeam pb = PrimaryBeam.dsa110();
        List<PointSource> srcs = List.of(
            new PointSource(v.phaseCentreRa()[0] + Math.toRadians(0.8), dec + Math.toRadians(0.3), 3.0, -0.7, 1.4e9),
            PointSource.flat(v.phaseCentreRa()[0] - Math.toRadians(0.5), dec - Math.toRadians(0.6), 1.2));
        AntennaGains gains = (ant, t, chan, g) -> {
            double amp = 1.0 + 0.01 * ant;
            double ph = 0.05 * ant + 0.01 * chan;
            g[0] = amp * Math.cos(ph);
            g[1] = amp * Math.sin(ph);
        };
        new VisibilityModel(srcs, pb).predict(v, gains);
        for (int b = 0; b < v.nBlt(); b += 7) {
            for (int c = 0; c < freq.length; c += 5) {
                double re = 0, im = 0;
                for (PointSource s : srcs) {
                    double[] lmn = SkyGeometry.directionCosines(s.raRad(), s.decRad(), v.phaseCentreRa()[b],
                        v.phaseCentreDec()[b]);
                    double theta = SkyGeometry.separationRad(s.raRad(), s.decRad(), v.phaseCentreRa()[b],
                        v.phaseCentreDec()[b]);
                    double a = s.fluxJy() * Math.pow(freq[c] / 1.4e9, s.spectralIndex()) * pb.response(theta, freq[c]);
                    double ph = 2 * Math.PI * freq[c] / C * (v.uvw()[3 * b] * lmn[0] + v.uvw()[3 * b + 1] * lmn[1]
                        + v.uvw()[3 * b + 2] * (lmn[2] - 1));
                    re += a * Math.cos(ph);
                    im += a * Math.sin(ph);
                }
                int i = v.ant1()[b], j = v.ant2()[b];
                double gAmp = (1 + 0.01 * i) * (1 + 0.01 * j);
                double gPh = 0.05 * (i - j);
                double er = gAmp * (re * Math.cos(gPh) - im * Math.sin(gPh));
                double ei = gAmp * (re * Math.sin(gPh) + im * Math.cos(gPh));
                int idx = v.index(b, c, 1);
                assertEquals(er, v.re()[idx], 2e-5 * 5);
                assertEquals(ei, v.im()[idx], 2e-5 * 5);
            }
        }
    }

    @Test
    void thermalNoiseHasRadiometerSigmaAndIsReproducible() {
        Visibilities a = scan(2);
        Visibilities b = scan(2);
        double sefd = 5800, dnu = 244140.625, tau = 12.884901888;
        VisibilityModel.addThermalNoise(a, sefd, dnu, tau, new SplittableRandom(42));
        VisibilityModel.addThermalNoise(b, sefd, dnu, tau, new SplittableRandom(42));
        assertArrayEquals(a.re(), b.re());
        double sigma = sefd / Math.sqrt(2 * dnu * tau);
        assertEquals(sigma, VisibilityModel.noiseSigmaJy(sefd, dnu, tau), 1e-12);
        double s2 = 0, s1 = 0;
        int n = a.re().length;
        for (int i = 0; i < n; i++) {
            s1 += a.re()[i] + a.im()[i];
            s2 += a.re()[i] * a.re()[i] + a.im()[i] * a.im()[i];
        }
        double std = Math.sqrt(s2 / (2.0 * n));
        assertEquals(sigma, std, 0.02 * sigma); // 21504 samples → 0.5% statistical error
        assertEquals(0.0, s1 / (2.0 * n), 0.03 * sigma);
    }
}
