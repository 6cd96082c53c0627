package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;

/**
 * Synthetic radio images for tests: beam-shaped point sources of known peak flux at known sky positions on seeded
 * Gaussian noise, written with FitsImageWriter (SIN projection, beam, DATE-OBS, frequency), and a catalog CSV of
 * the same sources.
 */
public final class SyntheticSky {
    static final int SIZE = 256;
    public static final double PIXEL_DEG = 6.0 / 3600;      // 6″ pixels: image 0.43° across
    static final double NOISE_JY = 1e-3;             // 1 mJy/beam
    static final Beam BEAM = new Beam(30.0 / 3600, 24.0 / 3600, 30.0); // 5 × 4 px, PA 30°

    /** A source: position, peak flux on a given image (Jy/beam) and its catalog facts. */
    public record Source(String id, double raDeg, double decDeg, double catalogFluxMjy, double catalogSnr) {
    }

    final double raCentre;
    final double decCentre;
    final List<Source> sources = new ArrayList<>();

    public SyntheticSky(double raCentre, double decCentre) {
        this.raCentre = raCentre;
        this.decCentre = decCentre;
    }

    CelestialWcs wcs() {
        return CelestialWcs.centredOn(Projection.SIN, raCentre, decCentre, SIZE, SIZE, PIXEL_DEG);
    }

    /** Adds a source at pixel offset (dx, dy) from the reference pixel; returns it. */
    public Source add(String id, double dxPix, double dyPix, double catalogFluxMjy, double catalogSnr) {
        double[] w = wcs().pixelToWorld(SIZE / 2.0 + dxPix, SIZE / 2.0 + dyPix);
        Source s = new Source(id, w[0], w[1], catalogFluxMjy, catalogSnr);
        sources.add(s);
        return s;
    }

    /** The reference catalog of the sources as CSV (id, ra, dec, flux_mjy, snr, resolved, confused). */
    Path writeCatalog(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("id,ra,dec,flux_mjy,snr,resolved,confused\n");
        for (Source s : sources) {
            sb.append(String.format(Locale.ROOT, "%s,%.9f,%.9f,%.3f,%.1f,false,false%n", s.id(), s.raDeg(),
                    s.decDeg(), s.catalogFluxMjy(), s.catalogSnr()));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString());
        return file;
    }

    /**
     * Writes one epoch: each source with peak {@code peaks[i]} Jy/beam (same order as added), noise from
     * {@code seed}.
     */
    public Path writeImage(Path file, double[] peaks, Instant dateObs, long seed) throws IOException {
        CelestialWcs wcs = wcs();
        float[] pix = new float[SIZE * SIZE];
        Random rng = new Random(seed);
        for (int i = 0; i < pix.length; i++) {
            pix[i] = (float) (NOISE_JY * rng.nextGaussian());
        }
        double majPx = BEAM.bmajDeg() / PIXEL_DEG;
        double minPx = BEAM.bminDeg() / PIXEL_DEG;
        for (int i = 0; i < sources.size(); i++) {
            double[] p = wcs.worldToPixel(sources.get(i).raDeg(), sources.get(i).decDeg());
            addGaussian(pix, p[0], p[1], peaks[i], majPx, minPx, BEAM.bpaDeg());
        }
        new FitsImageWriter(wcs).beam(BEAM).bunit("JY/BEAM").dateObs(dateObs).frequency(1.405e9, 187.5e6)
                .radioAxes().write(ImagePlane.of(SIZE, SIZE, pix), file);
        return file;
    }

    /** A beam-shaped source written from the sky definition (east = −x, north = +y, PA east of north). */
    static void addGaussian(float[] pix, double x0, double y0, double peak, double fwhmMaj, double fwhmMin,
                            double paDeg) {
        double pa = Math.toRadians(paDeg);
        int r = (int) Math.ceil(4 * fwhmMaj);
        for (int y = Math.max(0, (int) y0 - r); y <= Math.min(SIZE - 1, (int) y0 + r); y++) {
            for (int x = Math.max(0, (int) x0 - r); x <= Math.min(SIZE - 1, (int) x0 + r); x++) {
                double east = -(x - x0);
                double north = y - y0;
                double a = east * Math.sin(pa) + north * Math.cos(pa);
                double b = east * Math.cos(pa) - north * Math.sin(pa);
                double q = a * a / (fwhmMaj * fwhmMaj) + b * b / (fwhmMin * fwhmMin);
                pix[y * SIZE + x] += (float) (peak * Math.exp(-4 * Math.log(2) * q));
            }
        }
    }
}
