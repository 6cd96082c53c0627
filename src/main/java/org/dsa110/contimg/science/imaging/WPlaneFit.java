package org.dsa110.contimg.science.imaging;

import org.dsa110.contimg.science.radio.Visibilities;

/**
 * w-plane fitting (w-snapshots: Cornwell, Voronkov &amp; Humphreys 2012, "Wide field imaging for the Square
 * Kilometre Array", §3; ASKAPsoft): for a (nearly) coplanar array the samples' w is nearly a linear function of u
 * and v, w ≈ a·u + b·v (the tilt of the array plane as seen from the phase centre). Since
 * <pre>
 *   u·l + v·m + w·(n − 1) = u·(l + a(n − 1)) + v·(m + b(n − 1)) + w'·(n − 1),   w' = w − a·u − b·v,
 * </pre>
 * gridding with (u, v, w') instead of (u, v, w) makes an image whose pixel at (l', m') holds the sky at (l, m), with
 * l' = l + a·(n(l, m) − 1) and m' = m + b·(n(l, m) − 1) (the <em>distorted</em> frame), and w-stacking only has to
 * cover w''s range: on a full DSA-110 group at Dec 55° (b = 0.314) w spans −671…+632 m and w' ±18.8 m, one or two
 * planes instead of 21. In that frame the PSF is position-invariant, so the dirty image, PSF, minor cycles and the
 * major cycles' prediction (degridding with the same w') are exact and consistent; only the final images are
 * resampled to the true SIN grid ({@link PlaneResampling}). n − 1 ≤ 0, so the shift always points the same way:
 * b·(n − 1) ≈ 60″ at the corners of a 3.5° field.
 *
 * <p>The fit: weighted least squares of w on (u, v) over the baseline-time rows (one fit per data set: the channel
 * wave number scales u, v and w alike), each row weighted by the sum of its unflagged parallel-hand weights; no
 * intercept (the mirror (−u, −v, −w) of a sample fits the same plane). When the fit does not at least halve the
 * largest |w| (a non-coplanar array, or a snapshot where w is already small: the plane count scales with the w
 * range, and less than half of it is not worth the resampling) a = b = 0: plain w-stacking.
 *
 * @param a            w per unit u
 * @param b            w per unit v
 * @param maxAbsW      largest |w| (metres) over the fitted rows
 * @param maxAbsResidual largest |w − a·u − b·v| (metres) over the fitted rows (= maxAbsW without a fit)
 * @param rmsResidual  weighted rms of w − a·u − b·v (metres)
 */
public record WPlaneFit(double a, double b, double maxAbsW, double maxAbsResidual, double rmsResidual) {

    /** No fit: w' = w, the distorted frame is the true one. */
    public static final WPlaneFit NONE = new WPlaneFit(0, 0, Double.NaN, Double.NaN, Double.NaN);

    /** Whether the fit is applied (a or b non-zero). */
    public boolean active() {
        return a != 0 || b != 0;
    }

    /** The fit over the cross-correlation rows of {@code vis}, with (u, v, w) for the image phase centre. */
    static WPlaneFit fit(Visibilities vis, UvSamples uv) {
        int nBlt = vis.nBlt(), nChan = vis.nChan(), nPol = vis.nPol(), hands = Math.min(nPol, 2);
        float[] wt = vis.weight();
        boolean[] fl = vis.flag();
        double[] uvw = vis.uvw();
        double[] rowWeight = new double[nBlt];
        double[] w = new double[nBlt];
        java.util.stream.IntStream.range(0, nBlt).parallel().forEach(r -> {
            if (!uv.valid[r]) {
                return;
            }
            w[r] = uvw[3 * r + 2] + uv.dw[r];
            double sum = 0;
            for (int c = 0; c < nChan; c++) {
                int base = (r * nChan + c) * nPol;
                for (int p = 0; p < hands; p++) {
                    if (!fl[base + p] && wt[base + p] > 0) {
                        sum += wt[base + p];
                    }
                }
            }
            rowWeight[r] = sum;
        });
        return fit(uv.u, uv.v, w, rowWeight);
    }

    /** Weighted least squares of w on (u, v) over the rows of positive weight; a = b = 0 when it gains too little. */
    static WPlaneFit fit(double[] u, double[] v, double[] w, double[] rowWeight) {
        double suu = 0, suv = 0, svv = 0, suw = 0, svw = 0, sw = 0, maxW = 0;
        for (int r = 0; r < u.length; r++) {
            double q = rowWeight[r];
            if (q > 0) {
                suu += q * u[r] * u[r];
                suv += q * u[r] * v[r];
                svv += q * v[r] * v[r];
                suw += q * u[r] * w[r];
                svw += q * v[r] * w[r];
                sw += q;
                maxW = Math.max(maxW, Math.abs(w[r]));
            }
        }
        double det = suu * svv - suv * suv;
        if (!(sw > 0) || !(det > 1e-12 * suu * svv)) {
            return new WPlaneFit(0, 0, maxW, maxW, Double.NaN);
        }
        double a = (suw * svv - svw * suv) / det;
        double b = (svw * suu - suw * suv) / det;
        double maxRes = 0, sr2 = 0;
        for (int r = 0; r < u.length; r++) {
            if (rowWeight[r] > 0) {
                double res = w[r] - a * u[r] - b * v[r];
                maxRes = Math.max(maxRes, Math.abs(res));
                sr2 += rowWeight[r] * res * res;
            }
        }
        if (!(maxRes <= 0.5 * maxW)) {
            return new WPlaneFit(0, 0, maxW, maxW, Double.NaN);
        }
        return new WPlaneFit(a, b, maxW, maxRes, Math.sqrt(sr2 / sw));
    }

    /** w' = w − a·u − b·v. */
    double residual(double u, double v, double w) {
        return w - a * u - b * v;
    }

    /**
     * n − 1 of the sky direction the distorted frame shows at (l', m'): the fixed point of l = l' − a·(n(l, m) − 1),
     * m = m' − b·(n(l, m) − 1), started at n(l', m') − 1 (relative error ≈ |b·m| ≤ 0.011 in a 3.5° field) and
     * contracting by that factor per step: after two steps ≤ 1.5·10⁻⁶ of n − 1, a phase error below 10⁻⁶ rad for
     * any w' a fitted array leaves. Without a fit: n(l', m') − 1.
     */
    double nMinusOneAt(double lp, double mp) {
        double nm1 = WStackGridder.nMinusOne(lp, mp);
        if (!active()) {
            return nm1;
        }
        for (int i = 0; i < 2; i++) {
            nm1 = WStackGridder.nMinusOne(lp - a * nm1, mp - b * nm1);
        }
        return nm1;
    }

    /** The sky direction {l, m} the distorted frame shows at (l', m') (the inverse of {@link #distorted}). */
    double[] undistorted(double lp, double mp) {
        double nm1 = nMinusOneAt(lp, mp);
        return new double[] {lp - a * nm1, mp - b * nm1};
    }

    /** Where the distorted frame shows the sky direction (l, m): {l', m'}. */
    double[] distorted(double l, double m) {
        double nm1 = WStackGridder.nMinusOne(l, m);
        return new double[] {l + a * nm1, m + b * nm1};
    }

    /**
     * Pixels to add on every side of a {@code size}² image of {@code cellRad} so that every pixel of it can be
     * resampled from the distorted frame: the largest shift (at the corners), rounded up, plus the interpolator's
     * reach. 0 without a fit.
     */
    int marginPixels(int size, double cellRad) {
        if (!active()) {
            return 0;
        }
        double edge = (size / 2 + 1) * cellRad;
        double nm1 = Math.abs(WStackGridder.nMinusOne(edge, edge));
        double shift = Math.max(Math.abs(a), Math.abs(b)) * nm1 / cellRad;
        return (int) Math.ceil(shift) + PlaneResampling.REACH + 1;
    }
}
