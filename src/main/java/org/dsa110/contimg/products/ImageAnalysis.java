package org.dsa110.contimg.products;

import static org.dsa110.contimg.products.Rows.num;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    public record Position(double x, double y) {
    }

    /**
     * A 1-D profile along {@code axis} ("x": the row through the position, "y": the column), averaged over
     * {@code width} adjacent rows/columns; blank pixels are null.
     *
     * @param at position on the image; null = the image centre
     */
    public Map<String, Object> profile(long imageId, String axis, Position at, int width) {
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
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image_id", imageId);
            out.put("axis", axis);
            out.put(alongX ? "row" : "column", line);
            out.put("width", count);
            out.put("unit", img.bunit());
            out.put("n_points", n);
            out.put("values", values);
            out.put("ra_deg", ra);
            out.put("dec_deg", dec);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fits an elliptical Gaussian to the pixels within {@code radiusPx} of a position (starting shape: the beam).
     * Sizes are reported in arcsec, PA in degrees east of north.
     */
    public Map<String, Object> fit(long imageId, Position at, double radiusPx, boolean fitBackground) {
        try (FitsImage img = images.open(imageId)) {
            CelestialWcs wcs = img.wcs();
            double pixArcsec = wcs.pixelScaleDeg() * 3600;
            ImagePlane cut = img.readCutoutAround(at.x(), at.y(), (int) Math.ceil(radiusPx) + 2);
            GaussianFit2D.Result r = new GaussianFit2D(SkyOrientation.fromCdelt1(wcs.cd()[0]), fitBackground)
                    .fit(cut, at.x(), at.y(), radiusPx, img.beam(), wcs.pixelScaleDeg());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image_id", imageId);
            out.put("model", "gaussian");
            out.put("fitted", r.success());
            out.put("error", r.error());
            double[] world = r.success() ? wcs.pixelToWorld(r.x(), r.y()) : new double[] {Double.NaN, Double.NaN};
            out.put("peak_flux_jy", num(r.peak()));
            out.put("peak_flux_err_jy", num(r.peakErr()));
            out.put("peak_ra_deg", num(world[0]));
            out.put("peak_dec_deg", num(world[1]));
            out.put("ra_err_arcsec", num(r.xErr() * pixArcsec));
            out.put("dec_err_arcsec", num(r.yErr() * pixArcsec));
            out.put("x", num(r.x()));
            out.put("y", num(r.y()));
            out.put("fwhm_major_arcsec", num(r.fwhmMajorPx() * pixArcsec));
            out.put("fwhm_major_err_arcsec", num(r.fwhmMajorErr() * pixArcsec));
            out.put("fwhm_minor_arcsec", num(r.fwhmMinorPx() * pixArcsec));
            out.put("fwhm_minor_err_arcsec", num(r.fwhmMinorErr() * pixArcsec));
            out.put("pa_deg", num(r.paDeg()));
            out.put("pa_err_deg", num(r.paErr()));
            out.put("background_jy", num(r.background()));
            out.put("reduced_chi2", num(r.reducedChi2()));
            out.put("n_pixels", r.nPixels());
            return out;
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
