package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.photometry.GaussianFit2D;
import org.dsa110.contimg.science.photometry.SkyOrientation;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Pixel-level questions about a registered image, each answered from cutouts so only the pixels needed are read:
 * 1-D profiles, 2-D Gaussian fits and FITS cutouts (postage stamps).
 */
public final class ImageAnalysis {
    private final ImageRegistry images;

    public ImageAnalysis(ImageRegistry images) {
        this.images = images;
    }

    /** A pixel position from sky or pixel coordinates. */
    /**
     * A 1-D profile: along x it is a {@code row} (and {@code column} is null), along y a {@code column}; blank
     * pixels are null; the sky position of every point.
     */
    public record Profile(long imageId, String axis, Integer row, Integer column, int width, String unit, int nPoints,
            List<Double> values, List<Double> raDeg, List<Double> decDeg) {
    }

    /** A 2-D Gaussian fit: sizes in arcsec, PA in degrees east of north; null where the fit gave no value. */
    public record Fit(long imageId, String model, boolean fitted, String error, Double peakFluxJy, Double peakFluxErrJy,
            Double peakRaDeg, Double peakDecDeg, Double raErrArcsec, Double decErrArcsec, Double x, Double y,
            Double fwhmMajorArcsec, Double fwhmMajorErrArcsec, Double fwhmMinorArcsec, Double fwhmMinorErrArcsec,
            Double paDeg, Double paErrDeg, Double backgroundJy, Double reducedChi2, int nPixels) {
    }

    public record Position(double x, double y) {
    }

    /**
     * A 1-D profile along {@code axis} ("x": the row through the position, "y": the column), averaged over
     * {@code width} adjacent rows/columns; blank pixels are null.
     *
     * @param at position on the image; null = the image centre
     */
    public Profile profile(long imageId, String axis, Position at, int width) {
        try (FitsImage img = images.open(imageId)) {
            CelestialWcs wcs = img.wcs();
            int w = img.width();
            int h = img.height();
            Position p = at != null ? at : new Position((w - 1) / 2.0, (h - 1) / 2.0);
            boolean alongX = "x".equals(axis);
            int line = (int) Math.round(alongX ? p.y() : p.x());
            int lineMax = alongX ? h : w;
            if (line < 0 || line >= lineMax) {
                throw HubException.unprocessable("position is off the image", Map.of("x", p.x(), "y", p.y()));
            }
            int first = Math.max(0, line - (width - 1) / 2);
            int count = Math.min(lineMax, first + width) - first;
            ImagePlane cut = alongX ? img.readCutout(0, first, w, count) : img.readCutout(first, 0, count, h);
            int n = alongX ? w : h;
            List<Double> values = new ArrayList<>(n);
            List<Double> ra = new ArrayList<>(n);
            List<Double> dec = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                int good = 0;
                for (int k = first; k < first + count; k++) {
                    float v = alongX ? cut.get(i, k) : cut.get(k, i);
                    if (Float.isFinite(v)) {
                        sum += v;
                        good++;
                    }
                }
                values.add(good == 0 ? null : sum / good);
                double[] world = alongX ? wcs.pixelToWorld(i, line) : wcs.pixelToWorld(line, i);
                ra.add(num(world[0]));
                dec.add(num(world[1]));
            }
            return new Profile(imageId, axis, alongX ? line : null, alongX ? null : line, count, img.bunit(), n,
                    values, ra, dec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fits an elliptical Gaussian to the pixels within {@code radiusPx} of a position (starting shape: the beam).
     * Sizes are reported in arcsec, PA in degrees east of north.
     */
    public Fit fit(long imageId, Position at, double radiusPx, boolean fitBackground) {
        try (FitsImage img = images.open(imageId)) {
            CelestialWcs wcs = img.wcs();
            double pixArcsec = wcs.pixelScaleDeg() * 3600;
            ImagePlane cut = img.readCutoutAround(at.x(), at.y(), (int) Math.ceil(radiusPx) + 2);
            GaussianFit2D.Result r = new GaussianFit2D(SkyOrientation.fromCdelt1(wcs.cd()[0]), fitBackground)
                    .fit(cut, at.x(), at.y(), radiusPx, img.beam(), wcs.pixelScaleDeg());
            double[] world = r.success() ? wcs.pixelToWorld(r.x(), r.y()) : new double[] {Double.NaN, Double.NaN};
            return new Fit(imageId, "gaussian", r.success(), r.error(), num(r.peak()), num(r.peakErr()),
                    num(world[0]), num(world[1]), num(r.xErr() * pixArcsec), num(r.yErr() * pixArcsec), num(r.x()),
                    num(r.y()), num(r.fwhmMajorPx() * pixArcsec), num(r.fwhmMajorErr() * pixArcsec),
                    num(r.fwhmMinorPx() * pixArcsec), num(r.fwhmMinorErr() * pixArcsec), num(r.paDeg()),
                    num(r.paErr()), num(r.background()), num(r.reducedChi2()), r.nPixels());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixel scale of a registered image in arcsec. */
    public double pixelArcsec(long imageId) {
        return Rows.dblOr(images.row(imageId), "pixel_size_arcsec", Double.NaN);
    }

    /** The restoring beam of a registered image, or null. */
    public Beam beam(long imageId) {
        try (FitsImage img = images.open(imageId)) {
            return img.beam();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the square cutout of side {@code sizeArcsec} centred on (ra, dec) as a FITS file of its own (WCS with
     * CRPIX shifted so sky positions are unchanged; beam, unit, date and frequency kept).
     *
     * @return false when the position is off the image
     */
    public boolean writeCutout(long imageId, double raDeg, double decDeg, double sizeArcsec, Path target)
            throws IOException {
        try (FitsImage img = images.open(imageId)) {
            CelestialWcs wcs = img.wcs();
            double[] p = wcs.worldToPixel(raDeg, decDeg);
            int half = Math.max(1, (int) Math.round(sizeArcsec / 2 / (wcs.pixelScaleDeg() * 3600)));
            ImagePlane cut = img.readCutoutAround(p[0], p[1], half);
            if (cut.width() == 0 || !cut.contains((int) Math.round(p[0]), (int) Math.round(p[1]))) {
                return false;
            }
            FitsImageWriter writer = new FitsImageWriter(wcs).bunit(img.bunit() == null ? "JY/BEAM" : img.bunit());
            if (img.beam() != null) {
                writer.beam(img.beam());
            }
            if (img.observationTime() != null) {
                writer.dateObs(img.observationTime());
            }
            if (img.frequencyHz() > 0 && img.bandwidthHz() > 0) {
                writer.frequency(img.frequencyHz(), img.bandwidthHz());
            }
            writer.history("cutout of " + img.path().getFileName() + " at pixel " + cut.x0() + "," + cut.y0());
            writer.write(cut, target);
            return true;
        }
    }
}
