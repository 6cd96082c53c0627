package org.dsa110.contimg.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.photometry.GaussianFit2D;
import org.dsa110.contimg.science.photometry.RobustStats;
import org.dsa110.contimg.science.photometry.SkyOrientation;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Measures truth sources on an image: the counterpart is the brightest pixel within one beam (major-axis FWHM) of
 * the truth position; an elliptical Gaussian (starting from the restoring beam) fitted to the pixels within 0.6 beam
 * of it gives the position and the peak (Jy/beam = Jy for a point source). The
 * offset is the great-circle distance from the truth position, split into ΔRA·cos δ and ΔDec; the ratio is the
 * fitted peak over the truth flux. Sources whose fit fails, or that lie within two beams of the image edge, are
 * reported as not measured (never dropped silently).
 */
public final class TruthComparison {
    /** A truth source: ICRS position (deg) and the flux the image should show at it (Jy). */
    public record TruthSource(String name, double raDeg, double decDeg, double fluxJy) {
    }

    /**
     * One source measured on one image. {@code error} is null when measured. {@code noiseJy}: the flux image's noise
     * at the source (Jy; NaN when not known), see {@link #withNoise}.
     */
    public record Measured(TruthSource truth, double offsetArcsec, double dRaArcsec, double dDecArcsec,
                           double fluxJy, String error, double noiseJy) {
        public boolean ok() {
            return error == null;
        }

        /** The same measurement with the image noise at the source. */
        public Measured withNoise(double noise) {
            return new Measured(truth, offsetArcsec, dRaArcsec, dDecArcsec, fluxJy, error, noise);
        }

        public double ratio() {
            return fluxJy / truth.fluxJy();
        }
    }

    /** Median, minimum and maximum of a set of values, and their count (NaN when empty). */
    public record Summary(int n, double median, double min, double max) {
        public static Summary of(double[] values) {
            double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
            if (v.length == 0) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Summary(v.length, RobustStats.median(v), v[0], v[v.length - 1]);
        }
    }

    private TruthComparison() {
    }

    /** Measures every source of {@code truth} on {@code plane} (a whole image with its WCS and restoring beam). */
    public static List<Measured> measure(ImagePlane plane, CelestialWcs wcs, Beam beam, List<TruthSource> truth) {
        double cellDeg = wcs.pixelScaleDeg();
        double beamPx = Math.sqrt(beam.bmajDeg() * beam.bminDeg()) / cellDeg;
        double marginPx = 2 * beam.bmajDeg() / cellDeg;
        GaussianFit2D fitter = new GaussianFit2D(SkyOrientation.fromCdelt1(wcs.cd()[0]), false);
        List<Measured> out = new ArrayList<>();
        for (TruthSource s : truth) {
            double[] px = wcs.worldToPixel(s.raDeg(), s.decDeg());
            if (!(px[0] >= marginPx && px[1] >= marginPx && px[0] <= plane.width() - 1 - marginPx
                    && px[1] <= plane.height() - 1 - marginPx)) {
                out.add(failed(s, "outside the image"));
                continue;
            }
            // the counterpart: the brightest pixel within one beam (FWHM, major axis) of the truth position
            int[] peak = brightest(plane, px[0], px[1], beam.bmajDeg() / cellDeg);
            GaussianFit2D.Result fit = fitter.fit(plane, peak[0], peak[1], Math.max(2.0, 0.6 * beamPx), beam,
                    cellDeg);
            if (!fit.success() || !Double.isFinite(fit.peak())) {
                out.add(failed(s, "fit failed: " + fit.error()));
                continue;
            }
            double[] sky = wcs.pixelToWorld(fit.x(), fit.y());
            out.add(compare(s, sky[0], sky[1], fit.peak()));
        }
        return out;
    }

    /** The pixel with the largest value within {@code radiusPx} of (x, y). */
    static int[] brightest(ImagePlane plane, double x, double y, double radiusPx) {
        int r = (int) Math.ceil(radiusPx);
        int[] best = {(int) Math.round(x), (int) Math.round(y)};
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int py = (int) Math.round(y) - r; py <= (int) Math.round(y) + r; py++) {
            for (int qx = (int) Math.round(x) - r; qx <= (int) Math.round(x) + r; qx++) {
                if ((qx - x) * (qx - x) + (py - y) * (py - y) <= radiusPx * radiusPx && qx >= 0 && py >= 0
                        && qx < plane.width() && py < plane.height() && plane.get(qx, py) > bestValue) {
                    bestValue = plane.get(qx, py);
                    best = new int[] {qx, py};
                }
            }
        }
        return best;
    }

    /** The offset and flux of a measurement at (ra, dec) with {@code fluxJy} against its truth source. */
    public static Measured compare(TruthSource s, double raDeg, double decDeg, double fluxJy) {
        double offset = Math.toDegrees(SkyGeometry.separationRad(Math.toRadians(s.raDeg()),
                Math.toRadians(s.decDeg()), Math.toRadians(raDeg), Math.toRadians(decDeg))) * 3600;
        double dRa = Math.IEEEremainder(raDeg - s.raDeg(), 360) * Math.cos(Math.toRadians(s.decDeg())) * 3600;
        double dDec = (decDeg - s.decDeg()) * 3600;
        return new Measured(s, offset, dRa, dDec, fluxJy, null, Double.NaN);
    }

    private static Measured failed(TruthSource s, String why) {
        return new Measured(s, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why, Double.NaN);
    }

    /** Offsets (arcsec) of the measured sources. */
    public static Summary offsets(List<Measured> m) {
        return Summary.of(m.stream().filter(Measured::ok).mapToDouble(Measured::offsetArcsec).toArray());
    }

    /** Flux ratios of the measured sources. */
    public static Summary ratios(List<Measured> m) {
        return Summary.of(m.stream().filter(Measured::ok).mapToDouble(Measured::ratio).toArray());
    }

    /** Fraction of the measured sources whose flux ratio is within {@code tolerance} of 1. */
    public static double fractionWithin(List<Measured> m, double tolerance) {
        return fractionWithin(m, tolerance, 0);
    }

    /**
     * Fraction of the measured sources whose flux ratio is within max({@code tolerance}, {@code nSigma}·σ/S) of 1,
     * σ the image noise at the source and S its truth flux: a faint source is not expected to meet a 2 % tolerance
     * its noise alone exceeds (a 4 mJy source on a 0.9 mJy/beam image carries ±22 % at 1σ). A source whose noise
     * is not known is held to {@code tolerance}.
     */
    public static double fractionWithin(List<Measured> m, double tolerance, double nSigma) {
        long ok = m.stream().filter(Measured::ok).count();
        long within = m.stream().filter(Measured::ok).filter(x -> Math.abs(x.ratio() - 1) <= Math.max(tolerance,
                Double.isFinite(x.noiseJy()) ? nSigma * x.noiseJy() / x.truth().fluxJy() : 0)).count();
        return ok == 0 ? Double.NaN : within / (double) ok;
    }
}
