package org.dsa110.contimg.science.radio;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Point-source visibility prediction (measurement equation with scalar antenna gains):
 * <pre>
 *   V_ij(t, ν) = g_i · conj(g_j) · Σ_s S_s(ν) · B(θ_s, ν) · exp(+2πi (u·l_s + v·m_s + w·(n_s − 1)) · ν / c)
 * </pre>
 * (the standard convention of pyuvdata, the Measurement Set and WSClean: uvw = x(ant2) − x(ant1), docs/conventions.md)
 * with (u, v, w) the blt's baseline in metres, (l, m, n) the source direction cosines relative to the blt's phase
 * centre ({@link SkyGeometry#directionCosines}) and B the Airy primary beam, centred on the blt's pointing: the phase
 * centre unless {@link #pointedAt} gives the pointing of each blt (drift-scan data phased to one ICRS centre, whose
 * beam still moves with the meridian). Sources below the phase-centre horizon (n ≤ 0) contribute nothing.
 *
 * <p>Sources are unpolarised, so XX = YY = I·B·… (pyuvdata convention I = (XX + YY)/2) and XY = YX = 0; the
 * same scalar gain multiplies both parallel hands.
 *
 * <p>Work is split over blts with a parallel stream. For uniformly spaced channels the per-channel phasor is
 * advanced by complex multiplication and re-seeded exactly every {@value #RESEED} channels, keeping the phase
 * error below 1e-12 rad.
 */
public final class VisibilityModel {

    private static final int RESEED = 32;

    private final List<PointSource> sources;
    private final PrimaryBeam beam;
    private final double[] pointingRa;
    private final double[] pointingDec;

    /** @param beam primary beam, or null for none (B ≡ 1) */
    public VisibilityModel(List<PointSource> sources, PrimaryBeam beam) {
        this(sources, beam, null, null);
    }

    private VisibilityModel(List<PointSource> sources, PrimaryBeam beam, double[] pointingRa, double[] pointingDec) {
        this.sources = List.copyOf(sources);
        this.beam = beam;
        this.pointingRa = pointingRa;
        this.pointingDec = pointingDec;
    }

    /**
     * The same model with the primary beam centred on the given per-blt pointing (same frame as the sources) instead
     * of the phase centre; the arrays must have one entry per blt of the blocks this model predicts.
     */
    public VisibilityModel pointedAt(double[] raPerBlt, double[] decPerBlt) {
        if (raPerBlt.length != decPerBlt.length) {
            throw new IllegalArgumentException("pointing arrays differ in length");
        }
        return new VisibilityModel(sources, beam, raPerBlt.clone(), decPerBlt.clone());
    }

    public List<PointSource> sources() {
        return sources;
    }

    /** Overwrites vis.re/vis.im with the model (weights and flags untouched). {@code gains} may be null. */
    public void predict(Visibilities vis, AntennaGains gains) {
        int nChan = vis.nChan();
        int nPol = vis.nPol();
        Tabulated tab = tabulate(vis);
        IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
            double[] accRe = new double[nChan];
            double[] accIm = new double[nChan];
            tab.sum(b, accRe, accIm);
            double[] gi = new double[2];
            double[] gj = new double[2];
            for (int c = 0; c < nChan; c++) {
                double re = accRe[c], im = accIm[c];
                if (gains != null) {
                    gains.gain(vis.ant1()[b], vis.timeJd()[b], c, gi);
                    gains.gain(vis.ant2()[b], vis.timeJd()[b], c, gj);
                    // g_i · conj(g_j)
                    double gr = gi[0] * gj[0] + gi[1] * gj[1];
                    double gim = gi[1] * gj[0] - gi[0] * gj[1];
                    double r2 = re * gr - im * gim;
                    im = re * gim + im * gr;
                    re = r2;
                }
                int base = vis.index(b, c, 0);
                for (int p = 0; p < nPol; p++) {
                    boolean parallelHand = p < 2;
                    vis.re()[base + p] = parallelHand ? (float) re : 0f;
                    vis.im()[base + p] = parallelHand ? (float) im : 0f;
                }
            }
        });
    }

    /**
     * The Stokes I model (no gains) of the blts of {@code vis} (its uvw, phase centres and frequencies; samples
     * unused), computed on demand per blt: what {@link #predict} with null gains would write, without a model copy
     * of the block. The per-phase-centre tables are built here, once.
     */
    public StokesIModel stokesI(Visibilities vis) {
        Tabulated tab = tabulate(vis);
        return (b, re, im) -> {
            java.util.Arrays.fill(re, 0, vis.nChan(), 0.0);
            java.util.Arrays.fill(im, 0, vis.nChan(), 0.0);
            tab.sum(b, re, im);
        };
    }

    private Tabulated tabulate(Visibilities vis) {
        double[] freq = vis.freqHz();
        // direction cosines and beam-weighted fluxes depend only on the phase centre: tabulate per distinct centre
        Map<PhaseCentre, Integer> centreIndex = new HashMap<>();
        int[] bltCentre = new int[vis.nBlt()];
        if (pointingRa != null && pointingRa.length != vis.nBlt()) {
            throw new IllegalArgumentException("the pointing has " + pointingRa.length + " blts, the data "
                    + vis.nBlt());
        }
        for (int b = 0; b < vis.nBlt(); b++) {
            PhaseCentre pc = pointingRa == null
                    ? new PhaseCentre(vis.phaseCentreRa()[b], vis.phaseCentreDec()[b], vis.phaseCentreRa()[b],
                            vis.phaseCentreDec()[b])
                    : new PhaseCentre(vis.phaseCentreRa()[b], vis.phaseCentreDec()[b], pointingRa[b], pointingDec[b]);
            bltCentre[b] = centreIndex.computeIfAbsent(pc, k -> centreIndex.size());
        }
        int nSrc = sources.size();
        double[][] lmn = new double[centreIndex.size()][3 * nSrc];
        float[][] apparent = new float[centreIndex.size()][nSrc * freq.length];
        centreIndex.forEach((pc, ci) -> tabulate(pc, freq, lmn[ci], apparent[ci]));
        return new Tabulated(vis, bltCentre, lmn, apparent, nSrc, isUniform(freq),
            freq.length > 1 ? freq[1] - freq[0] : 0);
    }

    /** Per-phase-centre source tables of one visibility block. */
    private record Tabulated(Visibilities vis, int[] bltCentre, double[][] lmn, float[][] apparent, int nSrc,
                             boolean uniform, double df) {
        /** acc[c] += Σ_s A_s(c)·exp(+2πi(u·l + v·m + w·(n − 1))·ν_c/c) for blt b. */
        void sum(int b, double[] accRe, double[] accIm) {
            double u = vis.uvw()[3 * b], v = vis.uvw()[3 * b + 1], w = vis.uvw()[3 * b + 2];
            int ci = bltCentre[b];
            int nChan = vis.nChan();
            for (int s = 0; s < nSrc; s++) {
                double l = lmn[ci][3 * s], m = lmn[ci][3 * s + 1], n = lmn[ci][3 * s + 2];
                if (n <= 0) {
                    continue;
                }
                double k = 2.0 * Math.PI * (u * l + v * m + w * (n - 1.0)) / PrimaryBeam.SPEED_OF_LIGHT;
                accumulate(k, vis.freqHz(), uniform, df, apparent[ci], s * nChan, accRe, accIm);
            }
        }
    }

    private void tabulate(PhaseCentre pc, double[] freq, double[] lmnOut, float[] apparentOut) {
        int nChan = freq.length;
        for (int s = 0; s < sources.size(); s++) {
            PointSource src = sources.get(s);
            double[] d = SkyGeometry.directionCosines(src.raRad(), src.decRad(), pc.ra(), pc.dec());
            System.arraycopy(d, 0, lmnOut, 3 * s, 3);
            double theta = SkyGeometry.separationRad(src.raRad(), src.decRad(), pc.pointingRa(), pc.pointingDec());
            for (int c = 0; c < nChan; c++) {
                double b = beam == null ? 1.0 : beam.response(theta, freq[c]);
                apparentOut[s * nChan + c] = (float) (src.fluxAt(freq[c]) * b);
            }
        }
    }

    /** acc[c] += A[c] · exp(i·k·ν_c). */
    private static void accumulate(double k, double[] freq, boolean uniform, double df, float[] amp, int ampOffset,
                                   double[] accRe, double[] accIm) {
        int nChan = freq.length;
        if (!uniform) {
            for (int c = 0; c < nChan; c++) {
                double ph = k * freq[c];
                double a = amp[ampOffset + c];
                accRe[c] += a * Math.cos(ph);
                accIm[c] += a * Math.sin(ph);
            }
            return;
        }
        double stepRe = Math.cos(k * df), stepIm = Math.sin(k * df);
        double zr = 0, zi = 0;
        for (int c = 0; c < nChan; c++) {
            if (c % RESEED == 0) {
                double ph = k * freq[c];
                zr = Math.cos(ph);
                zi = Math.sin(ph);
            } else {
                double t = zr * stepRe - zi * stepIm;
                zi = zr * stepIm + zi * stepRe;
                zr = t;
            }
            double a = amp[ampOffset + c];
            accRe[c] += a * zr;
            accIm[c] += a * zi;
        }
    }

    static boolean isUniform(double[] freq) {
        if (freq.length < 3) {
            return true;
        }
        double df = freq[1] - freq[0];
        for (int c = 2; c < freq.length; c++) {
            if (Math.abs(freq[c] - freq[c - 1] - df) > 1e-6 * Math.abs(df)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Thermal noise per real and per imaginary component of one polarisation product (radiometer equation for a
     * correlator output, e.g. Thompson, Moran &amp; Swenson ch. 6): σ = SEFD / √(2·Δν·τ).
     */
    public static double noiseSigmaJy(double sefdJy, double channelWidthHz, double integrationSec) {
        return sefdJy / Math.sqrt(2.0 * Math.abs(channelWidthHz) * integrationSec);
    }

    /**
     * Adds independent Gaussian noise of {@link #noiseSigmaJy} to the real and imaginary part of every sample.
     * One child generator is split from {@code rng} per blt, in blt order, so the result is reproducible for a
     * given seed regardless of thread scheduling.
     */
    public static void addThermalNoise(Visibilities vis, double sefdJy, double channelWidthHz, double integrationSec,
                                       SplittableRandom rng) {
        double sigma = noiseSigmaJy(sefdJy, channelWidthHz, integrationSec);
        SplittableRandom[] perBlt = new SplittableRandom[vis.nBlt()];
        for (int b = 0; b < perBlt.length; b++) {
            perBlt[b] = rng.split();
        }
        int perBltSamples = vis.nChan() * vis.nPol();
        IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
            SplittableRandom r = perBlt[b];
            int start = b * perBltSamples;
            for (int i = start; i < start + perBltSamples; i++) {
                vis.re()[i] += (float) (sigma * r.nextGaussian());
                vis.im()[i] += (float) (sigma * r.nextGaussian());
            }
        });
    }

    /** A phase centre and the beam's pointing centre. */
    private record PhaseCentre(double ra, double dec, double pointingRa, double pointingDec) {
    }
}
