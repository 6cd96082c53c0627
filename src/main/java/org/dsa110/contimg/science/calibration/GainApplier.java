package org.dsa110.contimg.science.calibration;

import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.Visibilities;

/**
 * Applies calibration in place: V_ij ← V_ij / (G_i · conj(G_j)) with G = bandpass(ν) × gain(t) (either may be
 * omitted), on every polarisation product. Weights are multiplied by |G_i·G_j|² so they stay inverse variances.
 * A sample is flagged when either antenna's bandpass or gain solution is flagged or missing; times outside all gain
 * chunks use the nearest chunk.
 */
public final class GainApplier {

    private GainApplier() {
    }

    /**
     * @param vis      visibilities, modified in place
     * @param bandpass bandpass table or null
     * @param gains    time-chunk gains or null
     */
    public static void apply(Visibilities vis, BandpassSolution bandpass, GainSolution gains) {
        if (bandpass != null && bandpass.nChan() != vis.nChan()) {
            throw new IllegalArgumentException("bandpass channel count " + bandpass.nChan() + " != " + vis.nChan());
        }
        int nChan = vis.nChan();
        int nPol = vis.nPol();
        IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
            int ai = vis.ant1()[b], aj = vis.ant2()[b];
            int bi = bandpass == null ? 0 : bandpass.antennaIndex(ai);
            int bj = bandpass == null ? 0 : bandpass.antennaIndex(aj);
            int gi = gains == null ? 0 : gains.antennaIndex(ai);
            int gj = gains == null ? 0 : gains.antennaIndex(aj);
            int chunk = gains == null ? 0 : gains.chunkOf(vis.timeJd()[b]);
            boolean missing = bi < 0 || bj < 0 || gi < 0 || gj < 0
                || gains != null && (gains.isFlagged(gi, chunk) || gains.isFlagged(gj, chunk));
            // time-chunk part: (a_i e^{iφ_i}) · conj(a_j e^{iφ_j})
            double tr = 1, ti = 0;
            if (gains != null && !missing) {
                double a = gains.amplitude(gi, chunk) * gains.amplitude(gj, chunk);
                double dp = Math.toRadians(gains.phaseDeg(gi, chunk) - gains.phaseDeg(gj, chunk));
                tr = a * Math.cos(dp);
                ti = a * Math.sin(dp);
            }
            for (int c = 0; c < nChan; c++) {
                int base = vis.index(b, c, 0);
                boolean bad = missing
                    || bandpass != null && (bandpass.isFlagged(bi, c) || bandpass.isFlagged(bj, c));
                if (bad) {
                    for (int p = 0; p < nPol; p++) {
                        vis.flag()[base + p] = true;
                    }
                    continue;
                }
                double gr = tr, gim = ti;
                if (bandpass != null) {
                    double xr = bandpass.real(bi, c), xi = bandpass.imag(bi, c);
                    double yr = bandpass.real(bj, c), yi = bandpass.imag(bj, c);
                    double br = xr * yr + xi * yi; // bp_i · conj(bp_j)
                    double bim = xi * yr - xr * yi;
                    double r2 = gr * br - gim * bim;
                    gim = gr * bim + gim * br;
                    gr = r2;
                }
                double g2 = gr * gr + gim * gim;
                if (!(g2 > 0)) {
                    for (int p = 0; p < nPol; p++) {
                        vis.flag()[base + p] = true;
                    }
                    continue;
                }
                for (int p = 0; p < nPol; p++) {
                    double vr = vis.re()[base + p], vi = vis.im()[base + p];
                    // V / G = V · conj(G) / |G|²
                    vis.re()[base + p] = (float) ((vr * gr + vi * gim) / g2);
                    vis.im()[base + p] = (float) ((vi * gr - vr * gim) / g2);
                    vis.weight()[base + p] = (float) (vis.weight()[base + p] * g2);
                }
            }
        });
    }
}
