package org.dsa110.contimg.science.imaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.dsa110.contimg.science.radio.PointSource;
import org.dsa110.contimg.science.radio.PrimaryBeam;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.radio.StokesIModel;
import org.dsa110.contimg.science.radio.VisibilityModel;
import org.dsa110.contimg.science.radio.Visibilities;
import org.dsa110.contimg.science.radio.VlaCalibrator;

/**
 * Bright known sources outside the imaged square ("outliers"): a capped image (or any image smaller than the
 * primary beam's reach) cannot deconvolve them, so their sidelobes would stay in it. They are predicted from the
 * sky model (position and L-band flux of the VLA calibrator list, the model calibration solves against, and of the
 * reference catalogue's sources; flat spectrum, Airy primary beam centred on each blt's pointing) by a direct sum
 * per sample ({@link VisibilityModel}: exact, including the w-term) and subtracted from the parallel hands before
 * imaging (docs/radio-stages.md).
 */
public final class OutlierSubtraction {

    /**
     * @param name       catalogue name
     * @param source     the model source
     * @param apparentJy flux × primary-beam response at the image centre's pointing and the reference frequency
     * @param offsetDeg  distance from the image centre
     */
    public record Outlier(String name, PointSource source, double apparentJy, double offsetDeg) {
    }

    private OutlierSubtraction() {
    }

    /**
     * The catalogue sources within {@code radiusDeg} of the image centre that fall outside the image ({@code
     * geometry}, including a margin of {@code marginPx} pixels inside its edge, where CLEAN does not reach them
     * either) with an apparent flux ≥ {@code minApparentJy} at {@code freqHz}, brightest first.
     */
    public static List<Outlier> select(List<VlaCalibrator> catalog, ImageGeometry geometry, double freqHz,
                                       PrimaryBeam beam, double radiusDeg, double minApparentJy, int marginPx) {
        List<Outlier> out = new ArrayList<>();
        for (VlaCalibrator c : catalog) {
            Outlier o = outside(c.name(), PointSource.flat(c.raRad(), c.decRad(), c.fluxJy()), geometry, freqHz, beam,
                    radiusDeg, minApparentJy, marginPx);
            if (o != null) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparingDouble(Outlier::apparentJy).reversed());
        return out;
    }

    /**
     * The reference-catalogue sources (NVSS in operation) outside the image, selected as {@link #select} does, except
     * those within {@code sameSourceRad} of an outlier already chosen (a VLA calibrator is in NVSS too: subtracting it
     * twice would leave a negative source): the {@code maxSources} brightest by apparent flux (0 = all; the
     * prediction costs one term per source and visibility sample). Named by their catalogue position.
     */
    public static List<Outlier> selectCatalog(List<PointSource> catalog, List<Outlier> already, ImageGeometry geometry,
                                              double freqHz, PrimaryBeam beam, double radiusDeg, double minApparentJy,
                                              double sameSourceRad, int maxSources) {
        List<Outlier> out = new ArrayList<>();
        for (PointSource s : catalog) {
            boolean taken = already.stream().anyMatch(o -> SkyGeometry.separationRad(s.raRad(), s.decRad(),
                    o.source().raRad(), o.source().decRad()) < sameSourceRad);
            Outlier o = taken ? null : outside(String.format(java.util.Locale.ROOT, "catalog %.4f%+.4f",
                    Math.toDegrees(s.raRad()), Math.toDegrees(s.decRad())), s, geometry, freqHz, beam, radiusDeg,
                    minApparentJy, 0);
            if (o != null) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparingDouble(Outlier::apparentJy).reversed());
        return maxSources > 0 && out.size() > maxSources ? List.copyOf(out.subList(0, maxSources)) : out;
    }

    /** The source as an outlier when it is within the radius, outside the image and bright enough; else null. */
    private static Outlier outside(String name, PointSource s, ImageGeometry geometry, double freqHz, PrimaryBeam beam,
                                   double radiusDeg, double minApparentJy, int marginPx) {
        double sep = SkyGeometry.separationRad(s.raRad(), s.decRad(), geometry.raRad(), geometry.decRad());
        if (Math.toDegrees(sep) > radiusDeg) {
            return null;
        }
        double[] px = geometry.skyToPixel(s.raRad(), s.decRad());
        boolean inside = px[0] >= marginPx && px[0] <= geometry.width() - 1 - marginPx
                && px[1] >= marginPx && px[1] <= geometry.height() - 1 - marginPx;
        double apparent = s.fluxAt(freqHz) * beam.response(sep, freqHz);
        return !inside && apparent >= minApparentJy ? new Outlier(name, s, apparent, Math.toDegrees(sep)) : null;
    }

    /**
     * Subtracts the outliers' model visibilities from both parallel hands of {@code vis} (unpolarised: XX = YY =
     * I·B), in place; flags and weights untouched.
     *
     * @param pointing {ra[], dec[]} of the beam centre of every blt (same frame as the sources)
     */
    public static void subtract(Visibilities vis, double[][] pointing, List<Outlier> outliers, PrimaryBeam beam) {
        if (outliers.isEmpty()) {
            return;
        }
        List<PointSource> sources = outliers.stream().map(Outlier::source).toList();
        StokesIModel model = new VisibilityModel(sources, beam).pointedAt(pointing[0], pointing[1]).stokesI(vis);
        int nChan = vis.nChan();
        int nPol = Math.min(2, vis.nPol());
        IntStream.range(0, vis.nBlt()).parallel().forEach(b -> {
            double[] re = new double[nChan];
            double[] im = new double[nChan];
            model.stokesI(b, re, im);
            for (int c = 0; c < nChan; c++) {
                int base = vis.index(b, c, 0);
                for (int p = 0; p < nPol; p++) {
                    vis.re()[base + p] -= (float) re[c];
                    vis.im()[base + p] -= (float) im[c];
                }
            }
        });
    }
}
